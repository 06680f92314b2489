import path from "node:path";
import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import { hashPassword } from "../../server/auth/passwords.js";
import { User } from "../../server/models/index.js";
import {
  expectAccessible,
  isFocused,
  launchBrowser,
  openSite as openBrowserSite,
  PageWatch,
  SCREENSHOT_DIR,
  screenshot as fullPageScreenshot,
  serveAppWithWorker,
  skipUnlessChromium,
  type BrowserApp,
  type Language,
  type RunningApp,
} from "../helpers/browser.js";
import { resetDatabase, TEST_NOW } from "../helpers/testDatabase.js";

const TEXTS = { fr, ar } as const;

const PASSWORD = "Le thé du matin à Fès";
const ADMIN = { email: "admin@moussanada.test", fullName: "Amina Benali", password: "Couscous du vendredi 2026" };

const PEOPLE: Record<Language, { fullName: string; email: string; phone: string }> = {
  fr: { fullName: "Youssef El Amrani", email: "youssef.elamrani@atelier-fes.ma", phone: "06 12 34 56 78" },
  ar: { fullName: "فاطمة الزهراء بناني", email: "fatima.bennani@tanneries-marrakech.ma", phone: "0661234567" },
};

describe("browser: accounts — register, confirm by e-mail, sign in and out, admin users (fr and ar)", function () {
  this.timeout(240_000);
  let browser: Browser;
  let running: RunningApp;
  let served: BrowserApp | undefined;
  const watch = new PageWatch();

  before(async function () {
    skipUnlessChromium(this);
    await resetDatabase();
    served = await serveAppWithWorker();
    running = served.running;
    await User.create({
      role: "admin",
      fullName: ADMIN.fullName,
      email: ADMIN.email,
      phone: null,
      locale: "fr",
      passwordHash: await hashPassword(ADMIN.password),
      emailVerifiedAt: new Date(TEST_NOW),
      disabledAt: null,
      prescriberKind: null,
      prescriberRegistrationNumber: null,
      prescriberOrganisation: null,
      nationalIdEncrypted: null,
      lastLoginAt: null,
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  /** Opens the site in this language (the switch is remembered by the browser). */
  const openSite = (language: Language, viewport?: { width: number; height: number }): Promise<Page> =>
    openBrowserSite(browser, running.baseUrl, language, watch, { viewport });

  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, name);

  /** /dev/mail, reloaded until the worker has delivered a mail to this address. */
  async function openDevMailFor(page: Page, address: string): Promise<Locator> {
    const mail = page.locator("article").filter({ hasText: address });
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (!page.url().endsWith("/dev/mail")) await page.goto(`${running.baseUrl}/dev/mail`);
      else await page.reload();
      if ((await mail.count()) > 0) return mail.first();
      await page.waitForTimeout(200);
    }
    throw new Error(`no e-mail to ${address} at /dev/mail`);
  }

  async function signIn(page: Page, language: Language, email: string, password: string): Promise<void> {
    const t = TEXTS[language];
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(password);
    await page.getByRole("main").getByRole("button", { name: t.login.submit }).click();
  }

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: registers an SME manager, confirms the address from /dev/mail, signs in and out`, async () => {
      const t = TEXTS[language];
      const person = PEOPLE[language];
      const page = await openSite(language);
      const header = page.getByRole("banner");

      // Signed out: the header offers to sign in or to create an account.
      await header.getByRole("link", { name: t.nav.login }).waitFor();
      await header.getByRole("link", { name: t.nav.register }).click();
      await page.getByRole("heading", { level: 1, name: t.register.title }).waitFor();

      // Submitted empty: an error summary, focused, whose links lead to the fields.
      await page.getByRole("button", { name: t.register.submit }).click();
      const summary = page.getByRole("alert").filter({ has: page.getByRole("heading") });
      await summary.waitFor();
      expect(await isFocused(summary)).to.equal(true);
      const links = summary.getByRole("link");
      expect(await links.allTextContents()).to.deep.equal([
        t.forms.validation.roleRequired,
        t.forms.validation.fullNameRequired,
        t.forms.validation.emailRequired,
        t.forms.validation.newPasswordRequired,
      ]);
      await screenshot(page, `register-empty-${language}`);
      await expectAccessible(page);
      await links.nth(2).click();
      const emailInput = page.locator("#register-email");
      expect(await isFocused(emailInput)).to.equal(true);
      // The field's own message is tied to it.
      const describedBy = (await emailInput.getAttribute("aria-describedby")) ?? "";
      const errorTexts = await Promise.all(
        describedBy.split(" ").map((id) => page.locator(`[id="${id}"]`).textContent()),
      );
      expect(errorTexts.join(" ")).to.contain(t.forms.validation.emailRequired);
      expect(await emailInput.getAttribute("aria-invalid")).to.equal("true");

      // The prescriber's fields appear only when that role is chosen.
      await page.getByLabel(t.register.role.prescriber.label).check();
      await page.locator("#register-prescriber-organisation").waitFor();
      await page.getByLabel(t.register.role.applicant.label).check();
      expect(await page.locator("#register-prescriber-organisation").count()).to.equal(0);

      await page.locator("#register-fullName").fill(person.fullName);
      await emailInput.fill(person.email);
      await page.locator("#register-phone").fill(person.phone);
      const password = page.locator("#register-password");
      await password.fill(PASSWORD);
      expect(await password.getAttribute("type")).to.equal("password");
      await page.getByRole("button", { name: `${t.forms.password.show}${t.forms.password.whichField}` }).click();
      expect(await password.getAttribute("type")).to.equal("text");
      expect(await password.getAttribute("autocomplete")).to.equal("new-password");
      await page.getByRole("button", { name: t.register.submit }).click();

      // "Check your mailbox", never "account created".
      await page.getByRole("heading", { level: 1, name: t.checkMailbox.title }).waitFor();
      await page.getByText(person.email).first().waitFor();
      const devMailLink = page.getByRole("link", { name: "/dev/mail" });
      await devMailLink.waitFor();
      await screenshot(page, `check-mailbox-${language}`);
      await expectAccessible(page);

      // The mail, as /dev/mail shows it; its link confirms the address.
      await devMailLink.click();
      const mail = await openDevMailFor(page, person.email);
      await screenshot(page, `dev-mail-${language}`);
      await expectAccessible(page);
      await mail.locator('a[href*="/verifier-email?token="]').first().click();
      await page.getByRole("heading", { level: 1, name: t.verifyEmail.successTitle }).waitFor();
      expect(await page.locator("html").getAttribute("dir")).to.equal(language === "ar" ? "rtl" : "ltr");
      await screenshot(page, `verified-${language}`);
      await expectAccessible(page);

      // Sign in: a wrong password first.
      await page.getByRole("main").getByRole("link", { name: t.verifyEmail.login }).click();
      await page.getByRole("heading", { level: 1, name: t.login.title }).waitFor();
      await signIn(page, language, person.email, "pas le bon mot de passe");
      const loginSummary = page.getByRole("alert").filter({ has: page.getByRole("heading") });
      await loginSummary.getByRole("link", { name: language === "ar" ? /غير صحيحة/ : /incorrect/ }).waitFor();
      expect(await isFocused(loginSummary)).to.equal(true);
      // What was typed is still there.
      expect(await page.locator("#login-email").inputValue()).to.equal(person.email);
      await screenshot(page, `login-wrong-password-${language}`);
      await expectAccessible(page);

      await page.locator("#login-password").fill(PASSWORD);
      await page.getByRole("main").getByRole("button", { name: t.login.submit }).click();
      await page.waitForURL(`${running.baseUrl}/mon-compte`);
      await page.getByRole("heading", { level: 1, name: t.account.title }).waitFor();
      const userButton = header.getByRole("button", { name: person.fullName });
      await userButton.waitFor();
      // The CIN field starts empty; the phone as the person wrote it.
      expect(await page.locator("#details-phone").inputValue()).to.equal(
        language === "fr" ? "06 12 34 56 78" : "06 61 23 45 67",
      );
      await screenshot(page, `account-${language}`);
      await expectAccessible(page);

      // Sign out from the menu under the name: with the mouse in French, the keyboard in Arabic.
      if (language === "fr") {
        await userButton.click();
        await page.getByRole("menuitem", { name: t.nav.logout }).click();
      } else {
        await userButton.focus();
        await page.keyboard.press("Enter");
        expect(await isFocused(page.getByRole("menuitem", { name: t.nav.account }))).to.equal(true);
        // The menu grows with the role's pages; the arrow keys walk it down to the last item.
        const logout = page.getByRole("menuitem", { name: t.nav.logout });
        for (let step = 0; step < 6 && !(await isFocused(logout)); step += 1) await page.keyboard.press("ArrowDown");
        expect(await isFocused(logout)).to.equal(true);
        await page.keyboard.press("Enter");
      }
      await header.getByRole("link", { name: t.nav.login }).waitFor();
      expect(await header.getByRole("button", { name: person.fullName }).count()).to.equal(0);
      await page.getByText(t.flash.loggedOut).waitFor();
      await page.context().close();
    });
  }

  it("fr: a protected page sends to sign-in and back; the admin lists, creates and disables users", async () => {
    const t = TEXTS.fr;
    const page = await openSite("fr");
    await page.goto(`${running.baseUrl}/admin/utilisateurs`);
    await page.waitForURL(`${running.baseUrl}/connexion?next=%2Fadmin%2Futilisateurs`);
    await signIn(page, "fr", ADMIN.email, ADMIN.password);
    await page.waitForURL(`${running.baseUrl}/admin/utilisateurs`);
    await page.getByRole("heading", { level: 1, name: t.admin.users.title }).waitFor();
    const table = page.getByRole("table");
    await table.getByRole("rowheader", { name: PEOPLE.fr.fullName }).waitFor();
    await page.getByRole("banner").getByRole("button", { name: ADMIN.fullName }).click();
    await page.getByRole("menuitem", { name: t.nav.users }).waitFor();
    await page.keyboard.press("Escape");
    await screenshot(page, "admin-users-fr");
    await expectAccessible(page);

    // Filters: by role.
    await page.locator("#users-filter-role").selectOption("admin");
    await page.getByRole("button", { name: t.admin.users.filters.apply }).click();
    await page.waitForURL(/role=admin/);
    await table.getByRole("rowheader", { name: PEOPLE.fr.fullName }).waitFor({ state: "detached" });
    await table.getByRole("rowheader", { name: ADMIN.fullName }).waitFor();
    await page.getByRole("button", { name: t.admin.users.filters.reset }).click();
    await table.getByRole("rowheader", { name: PEOPLE.fr.fullName }).waitFor();

    // A staff member: created here, chooses a password from the e-mailed link.
    const staff = { fullName: "Karim Alaoui", email: "karim.alaoui@moussanada.test" };
    await page.getByRole("button", { name: t.admin.users.create.submit }).click();
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading") });
    await summary.getByRole("link", { name: t.forms.validation.staffRoleRequired }).waitFor();
    await page.getByLabel(t.roles.officer).check();
    await page.locator("#staff-fullName").fill(staff.fullName);
    await page.locator("#staff-email").fill(staff.email);
    await page.getByRole("button", { name: t.admin.users.create.submit }).click();
    await page.getByRole("status").filter({ hasText: staff.fullName }).waitFor();
    await table.getByRole("rowheader", { name: staff.fullName }).waitFor();

    // Disable, with a confirmation dialog.
    await page.getByRole("button", { name: `${t.admin.users.actions.disable} le compte de ${staff.fullName}` }).click();
    const dialog = page.getByRole("dialog", { name: `Désactiver le compte de ${staff.fullName} ?` });
    await dialog.waitFor();
    // The viewport only: a full-page capture would cut the dialog's backdrop at the fold.
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "admin-disable-dialog-fr.png") });
    await expectAccessible(page);
    await dialog.getByRole("button", { name: t.admin.users.disableModal.confirm }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Le compte de ${staff.fullName} est désactivé.` })
      .waitFor();
    const staffRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: staff.fullName }) });
    await staffRow.getByText(t.admin.users.status.disabled).waitFor();
    await staffRow
      .getByRole("button", { name: `${t.admin.users.actions.enable} le compte de ${staff.fullName}` })
      .click();
    await page.getByRole("dialog").getByRole("button", { name: t.admin.users.enableModal.confirm }).click();
    await staffRow.getByText(t.admin.users.status.unverified).waitFor();

    // Change of role, between staff roles.
    await staffRow.getByRole("button", { name: `${t.admin.users.actions.changeRole} de ${staff.fullName}` }).click();
    const roleDialog = page.getByRole("dialog", { name: `Changer le rôle de ${staff.fullName}` });
    await roleDialog.getByLabel(t.roles.trainer).check();
    await roleDialog.getByRole("button", { name: t.admin.users.roleModal.submit }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Le rôle de ${staff.fullName} est maintenant : ${t.roles.trainer}.` })
      .waitFor();
    await staffRow.getByRole("cell", { name: t.roles.trainer, exact: true }).waitFor();

    await page.context().close();

    // The staff member, in a browser of their own, chooses a first password from the setup link.
    const staffPage = await openSite("fr");
    const mail = await openDevMailFor(staffPage, staff.email);
    await mail.locator('a[href*="setup=1"]').first().click();
    await staffPage.getByRole("heading", { level: 1, name: t.resetPassword.setupTitle }).waitFor();
    await screenshot(staffPage, "setup-password-fr");
    await expectAccessible(staffPage);
    const staffPassword = "Menthe fraîche et pain chaud";
    await staffPage.locator("#reset-password").fill(staffPassword);
    await staffPage.getByRole("button", { name: t.resetPassword.submit }).click();
    await staffPage.waitForURL(`${running.baseUrl}/connexion`);
    await staffPage.getByText(t.flash.passwordSetUp).waitFor();
    await signIn(staffPage, "fr", staff.email, staffPassword);
    await staffPage.waitForURL(`${running.baseUrl}/mon-compte`);
    await staffPage.getByRole("banner").getByRole("button", { name: staff.fullName }).waitFor();
    await staffPage.context().close();
  });

  it("fr: an SME manager who opens the users page is told the access is reserved", async () => {
    const page = await openSite("fr");
    await page.goto(`${running.baseUrl}/connexion?next=%2Fadmin%2Futilisateurs`);
    await signIn(page, "fr", PEOPLE.fr.email, PASSWORD);
    await page.getByRole("heading", { level: 1, name: fr.accessReserved.title }).waitFor();
    // No link to a page the person may not use.
    await page.getByRole("banner").getByRole("button", { name: PEOPLE.fr.fullName }).click();
    await page.getByRole("menuitem", { name: fr.nav.account }).waitFor();
    expect(await page.getByRole("menuitem", { name: fr.nav.users }).count()).to.equal(0);
    await page.keyboard.press("Escape");
    await screenshot(page, "access-reserved-fr");
    await expectAccessible(page);
    await page.context().close();
  });

  it("ar: the admin users page reads right to left", async () => {
    const page = await openSite("ar");
    await page.goto(`${running.baseUrl}/connexion`);
    await signIn(page, "ar", ADMIN.email, ADMIN.password);
    await page.waitForURL(`${running.baseUrl}/mon-compte`);
    // The admin's saved language is French: signing in applies it, the switch brings Arabic back.
    await page.getByRole("button", { name: "العربية" }).click();
    await page.goto(`${running.baseUrl}/admin/utilisateurs`);
    await page.getByRole("heading", { level: 1, name: ar.admin.users.title }).waitFor();
    await page.getByRole("table").getByRole("rowheader", { name: PEOPLE.ar.fullName }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).to.equal("rtl");
    await screenshot(page, "admin-users-ar");
    await expectAccessible(page);
    await page.context().close();
  });

  it("fr: a used link offers a new one; a forgotten password and an unconfirmed address are explained", async () => {
    const t = TEXTS.fr;
    const page = await openSite("fr");

    // A confirmation link already used (or expired): the server's reason, and a form for a new link.
    await page.goto(`${running.baseUrl}/verifier-email?token=lien-deja-utilise-0123456789`);
    await page.getByRole("heading", { level: 1, name: t.verifyEmail.invalidTitle }).waitFor();
    await page.getByText(/déjà utilisé ou expiré/).waitFor();
    await page.getByRole("button", { name: t.verifyEmail.resendSubmit }).click();
    await page.getByRole("alert").getByRole("link", { name: t.forms.validation.emailRequired }).waitFor();
    await screenshot(page, "verify-link-invalid-fr");
    await expectAccessible(page);
    await page.locator("#resend-email").fill(PEOPLE.fr.email);
    await page.getByRole("button", { name: t.verifyEmail.resendSubmit }).click();
    await page.getByRole("heading", { level: 1, name: t.checkMailbox.title }).waitFor();

    // Forgotten password: the same answer whether or not the address has an account.
    await page.goto(`${running.baseUrl}/mot-de-passe-oublie`);
    await page.locator("#forgot-email").fill("personne@inconnue.ma");
    await page.getByRole("button", { name: t.forgotPassword.submit }).click();
    await page.getByRole("heading", { level: 1, name: t.checkMailbox.title }).waitFor();
    await page.getByText(/Si un compte existe avec l'adresse/).waitFor();
    await screenshot(page, "forgot-password-sent-fr");
    await expectAccessible(page);

    // An account whose address is not confirmed yet: said plainly, with a new link one click away.
    const unconfirmed = { fullName: "Nadia Tazi", email: "nadia.tazi@cooperative-safi.ma" };
    await User.create({
      role: "applicant",
      fullName: unconfirmed.fullName,
      email: unconfirmed.email,
      phone: null,
      locale: "fr",
      passwordHash: await hashPassword(PASSWORD),
      emailVerifiedAt: null,
      disabledAt: null,
      prescriberKind: null,
      prescriberRegistrationNumber: null,
      prescriberOrganisation: null,
      nationalIdEncrypted: null,
      lastLoginAt: null,
    });
    await page.goto(`${running.baseUrl}/connexion`);
    await signIn(page, "fr", unconfirmed.email, PASSWORD);
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading") });
    await summary.getByRole("heading", { name: /non confirmée/ }).waitFor();
    await summary.getByRole("button", { name: t.resend.button }).click();
    await summary.getByText(t.resend.done).waitFor();
    await screenshot(page, "login-unconfirmed-fr");
    await expectAccessible(page);
    await openDevMailFor(page, unconfirmed.email);
    await page.context().close();
  });

  it("fr: the account page saves details (CIN shown masked), refuses a wrong current password, saves the language", async () => {
    const t = TEXTS.fr;
    const page = await openSite("fr");
    await page.goto(`${running.baseUrl}/mon-compte`);
    await page.waitForURL(`${running.baseUrl}/connexion?next=%2Fmon-compte`);
    await signIn(page, "fr", PEOPLE.fr.email, PASSWORD);
    await page.waitForURL(`${running.baseUrl}/mon-compte`);

    await page.locator("#details-nationalId").fill("ab 123456");
    await page.getByRole("button", { name: t.account.details.submit }).click();
    await page.getByRole("status").filter({ hasText: t.account.details.saved }).waitFor();
    await page.getByText("AB****56").waitFor();
    expect(await page.locator("#details-nationalId").inputValue()).to.equal("");

    await page.locator("#password-currentPassword").fill("pas le bon mot de passe");
    await page.locator("#password-newPassword").fill("Un nouveau mot de passe solide");
    await page.getByRole("button", { name: t.account.password.submit }).click();
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading") });
    await summary.getByRole("link", { name: "Le mot de passe actuel est incorrect." }).click();
    expect(await isFocused(page.locator("#password-currentPassword"))).to.equal(true);
    expect(await page.locator("#password-newPassword").inputValue()).to.equal("Un nouveau mot de passe solide");
    await screenshot(page, "account-errors-fr");
    await expectAccessible(page);

    // The saved language applies to the interface at once.
    await page.getByLabel("العربية").check();
    await page.getByRole("button", { name: t.account.language.submit }).click();
    await page.getByRole("status").filter({ hasText: ar.account.language.saved }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).to.equal("rtl");

    // The session ends behind the page's back (cookie gone): the stale CSRF token is replaced and
    // the request retried once, the server then says "signed out", and the page asks to sign in again.
    await page.context().clearCookies();
    await page.locator("#details-fullName").fill("Youssef El Amrani Idrissi");
    await page.getByRole("button", { name: ar.account.details.submit }).click();
    await page.waitForURL(`${running.baseUrl}/connexion?next=%2Fmon-compte`);
    await page.getByRole("heading", { level: 1, name: ar.login.title }).waitFor();
    await page.context().close();
  });

  it("ar: on a phone, the register form and the signed-in header fit the screen", async () => {
    const page = await openSite("ar", { width: 360, height: 740 });
    await page.goto(`${running.baseUrl}/inscription`);
    await page.getByRole("button", { name: ar.register.submit }).click();
    await page
      .getByRole("alert")
      .filter({ has: page.getByRole("heading") })
      .waitFor();
    // Nothing wider than the screen: no sideways scrolling.
    const overflow = await page.evaluate(() => {
      const root = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      };
      return root.document.documentElement.scrollWidth - root.document.documentElement.clientWidth;
    });
    expect(overflow).to.equal(0);
    await screenshot(page, "register-empty-ar-phone");
    await expectAccessible(page);
    await page.goto(`${running.baseUrl}/connexion`);
    await signIn(page, "ar", PEOPLE.ar.email, PASSWORD);
    await page.waitForURL(`${running.baseUrl}/mon-compte`);
    await page.getByRole("banner").getByRole("button", { name: PEOPLE.ar.fullName }).click();
    await page.getByRole("menuitem", { name: ar.nav.logout }).waitFor();
    await page.waitForTimeout(400); // the menu fades in
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "account-menu-ar-phone.png") });
    await expectAccessible(page);
    await page.context().close();
  });

  it("ran under the strict CSP without a single violation, and without a script error", () => {
    watch.expectClean();
  });
});
