import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import { iceWithKey } from "../../server/domain/ice.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
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
import { resetDatabase } from "../helpers/testDatabase.js";

const TEXTS = { fr, ar } as const;

const COMPANIES: Record<Language, { name: string; ice: string; city: string; address: string; court: string }> = {
  fr: {
    name: "Atelier Fès Cuir SARL",
    ice: iceWithKey("0012345670000"),
    city: "Fès",
    address: "12, rue des Tanneurs, Médina",
    court: "Fès",
  },
  ar: {
    name: "مخبزة الأطلس",
    ice: iceWithKey("0012345680000"),
    city: "مراكش",
    address: "24 شارع محمد الخامس، جليز",
    court: "مراكش",
  },
};

describe("browser: companies — register a company, grant and revoke a mandate (fr and ar)", function () {
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
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  afterEach(async function () {
    await watch.screenshotOnFailure(this.currentTest, "companies-FAILED");
    watch.expectClean();
  });

  const openSite = (language: Language): Promise<Page> => openBrowserSite(browser, running.baseUrl, language, watch);
  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, `companies-${name}`);

  /** Through the sign-in page, which brings the person back to `next`. */
  async function signIn(page: Page, language: Language, email: string, next: string): Promise<void> {
    const t = TEXTS[language];
    await page.goto(`${running.baseUrl}/connexion?next=${encodeURIComponent(next)}`);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(TEST_PASSWORD);
    await page.getByRole("main").getByRole("button", { name: t.login.submit }).click();
    await page.waitForURL(`${running.baseUrl}${next}`);
  }

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: a manager registers its company, grants a mandate, then revokes it`, async () => {
      const t = TEXTS[language];
      const company = COMPANIES[language];
      const owner = await createUser({
        role: "applicant",
        fullName: language === "fr" ? "Youssef El Amrani" : "فاطمة الزهراء بناني",
        email: uniqueEmail("dirigeant"),
        locale: language,
      });
      const prescriber = await createUser({
        role: "prescriber",
        fullName: language === "fr" ? "Nadia Cherkaoui" : "نادية الشرقاوي",
        email: uniqueEmail("comptable"),
        locale: language,
        prescriber: { kind: "accountant", registrationNumber: "OEC-FES-0042", organisation: "Cabinet Cherkaoui" },
      });

      // The manager signs in and finds its (empty) list of companies in the account menu.
      const page = await openSite(language);
      await signIn(page, language, owner.email, "/entreprises");
      await page.getByRole("heading", { level: 1, name: t.companies.list.own.title }).waitFor();
      await page.getByText(t.companies.list.own.empty).waitFor();
      await page.getByRole("banner").getByRole("button", { name: owner.fullName }).click();
      await page.getByRole("menuitem", { name: t.nav.companiesOwn }).waitFor();
      await page.keyboard.press("Escape");
      await screenshot(page, `list-empty-${language}`);
      await expectAccessible(page);

      // Submitted empty: a focused error summary listing every field, in the order of the form.
      await page.getByRole("link", { name: t.companies.list.register }).click();
      await page.getByRole("heading", { level: 1, name: t.companies.new.title }).waitFor();
      await page.locator("#company-sectorCode option").nth(1).waitFor({ state: "attached" });
      await page.getByRole("button", { name: t.companies.new.submit }).click();
      const summary = page.getByRole("alert").filter({ has: page.getByRole("heading") });
      await summary.waitFor();
      expect(await isFocused(summary)).to.equal(true);
      const v = t.companies.form.validation;
      expect(await summary.getByRole("link").allTextContents()).to.deep.equal([
        v.iceRequired,
        v.nameRequired,
        v.legalFormRequired,
        v.rcNumberRequired,
        v.rcCourtRequired,
        v.ifNumberRequired,
        v.cnssNumberRequired,
        v.sectorRequired,
        v.regionRequired,
        v.cityRequired,
        v.addressRequired,
        v.foundedOnRequired,
        v.employeesRequired,
        v.turnoverRequired,
      ]);
      await screenshot(page, `form-empty-${language}`);
      await expectAccessible(page);

      // A mistyped ICE and a turnover with a comma are caught before sending.
      await page.locator("#company-ice").fill("001234567000012");
      await page.locator("#company-annualTurnover").fill("4500000,00");
      await page.getByRole("button", { name: t.companies.new.submit }).click();
      await summary.getByRole("link", { name: v.iceInvalid }).waitFor();
      await summary.getByRole("link", { name: v.turnoverInvalid }).waitFor();

      await page.locator("#company-ice").fill(company.ice);
      await page.locator("#company-name").fill(company.name);
      await page.locator("#company-legalForm").selectOption("SARL");
      await page.locator("#company-rcNumber").fill("45873");
      await page.locator("#company-rcCourt").fill(company.court);
      await page.locator("#company-ifNumber").fill("40123456");
      await page.locator("#company-cnssNumber").fill("8123456");
      await page.locator("#company-sectorCode").selectOption("cuir");
      await page.locator("#company-regionCode").selectOption("fes-meknes");
      await page.locator("#company-city").fill(company.city);
      await page.locator("#company-address").fill(company.address);
      await page.locator("#company-foundedOn").fill("2018-03-15");
      await page.locator("#company-employees").fill("12");
      await page.locator("#company-annualTurnover").fill("4500000.00");
      await page.getByRole("button", { name: t.companies.new.submit }).click();

      // The company page, with a message saying it is registered.
      await page.waitForURL(/\/entreprises\/[0-9a-f-]{36}$/);
      await page.getByRole("heading", { level: 1, name: company.name }).waitFor();
      await page.getByText(t.flash.companyRegistered).waitFor();
      await page.getByText(company.ice).waitFor();
      const companyUrl = page.url();
      await screenshot(page, `profile-${language}`);
      await expectAccessible(page);

      // The owner gives a mandate to the accountant, by e-mail.
      await page.locator("#mandate-prescriberEmail").fill(prescriber.email);
      await page.getByRole("button", { name: t.companies.mandates.grant.submit }).click();
      const granted = t.companies.mandates.grant.done.replace("{{name}}", prescriber.fullName);
      await page.getByRole("status").filter({ hasText: granted }).waitFor();
      const mandates = page.getByRole("region", { name: t.companies.mandates.title });
      await mandates.getByText(t.companies.mandates.status.active, { exact: true }).waitFor();
      await mandates.screenshot({ path: path.join(SCREENSHOT_DIR, `companies-mandate-granted-${language}.png`) });
      await expectAccessible(page);

      // The accountant signs in and finds the company among its clients, with the mandate notice.
      const prescriberPage = await openSite(language);
      await signIn(prescriberPage, language, prescriber.email, "/entreprises");
      await prescriberPage.getByRole("heading", { level: 1, name: t.companies.list.clients.title }).waitFor();
      const clientLink = prescriberPage.getByRole("link", { name: company.name });
      await clientLink.waitFor();
      await screenshot(prescriberPage, `clients-${language}`);
      await expectAccessible(prescriberPage);
      await clientLink.click();
      await prescriberPage.getByText(t.companies.profile.mandateNotice).waitFor();
      // A prescriber never grants mandates.
      expect(await prescriberPage.locator("#mandate-prescriberEmail").count()).to.equal(0);
      await screenshot(prescriberPage, `client-profile-${language}`);
      await expectAccessible(prescriberPage);

      // The owner revokes the mandate, after a confirmation that says what it means.
      await page.goto(companyUrl);
      await page.getByRole("button", { name: t.companies.mandates.revoke }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByText(t.companies.mandates.revokeModal.text.replace("{{name}}", prescriber.fullName)).waitFor();
      await screenshot(page, `revoke-dialog-${language}`);
      await expectAccessible(page);
      await dialog.getByRole("button", { name: t.companies.mandates.revokeModal.confirm }).click();
      const revoked = t.companies.mandates.revokeModal.done.replace("{{name}}", prescriber.fullName);
      await page.getByRole("status").filter({ hasText: revoked }).waitFor();
      await mandates.getByText(t.companies.mandates.status.revoked, { exact: true }).waitFor();
      expect(await mandates.getByRole("button", { name: t.companies.mandates.revoke }).count()).to.equal(0);
      // Let the dialog's closing transition finish, so the picture shows the page as the user sees it.
      await dialog.waitFor({ state: "detached" });
      await page.waitForTimeout(300);
      await screenshot(page, `revoked-${language}`);

      // The accountant's list no longer shows the company.
      await prescriberPage.goto(`${running.baseUrl}/entreprises`);
      await prescriberPage.getByText(t.companies.list.clients.empty).waitFor();
      expect(await prescriberPage.getByRole("link", { name: company.name }).count()).to.equal(0);
      await screenshot(prescriberPage, `clients-after-revoke-${language}`);
      await expectAccessible(prescriberPage);

      await page.context().close();
      await prescriberPage.context().close();
    });
  }
});
