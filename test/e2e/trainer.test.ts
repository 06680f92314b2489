import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import serverAr from "../../server/i18n/ar.json" with { type: "json" };
import serverFr from "../../server/i18n/fr.json" with { type: "json" };
import type { User } from "../../server/models/index.js";
import { createCompany } from "../factories/companies.js";
import { getRequest, postRequest } from "../factories/review.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import { signIn } from "../helpers/auth.js";
import {
  expectAccessible,
  isFocused,
  launchBrowser,
  openSite as openBrowserSite,
  PageWatch,
  screenshot as fullPageScreenshot,
  serveAppWithWorker,
  skipUnlessChromium,
  type BrowserApp,
  type Language,
  type RunningApp,
} from "../helpers/browser.js";
import { buildTestApp, type TestContext } from "../helpers/testApp.js";
import { resetDatabase, TEST_NOW } from "../helpers/testDatabase.js";

const TEXTS = { fr, ar } as const;
const SERVER_TEXTS = { fr: serverFr, ar: serverAr } as const;

interface Cast {
  trainer: string;
  admin: string;
  applicants: [string, string, string];
  companies: [string, string, string];
  title: string;
  city: string;
  venue: string;
  /** The session's day and hours, typed as a Moroccan trainer reads them on a wall clock. */
  day: string;
  startsAt: string;
  endsAt: string;
  /** An instant during the session, on the server's clock. */
  during: string;
  reason: string;
}

// The Arabic session falls during Ramadan 2027, when Morocco is on UTC+0 (UTC+1 the rest of the
// year): the same "09:00" typed in the form must give a different instant.
const CASTS: Record<Language, Cast> = {
  fr: {
    trainer: "Nadia Bensouda",
    admin: "Youssef Admin",
    applicants: ["Karim Benali", "Salma Ouazzani", "Driss Lahlou"],
    companies: ["Atlas Textiles SARL", "Menuiserie Ouazzani", "Lahlou Transport"],
    title: "Initiation au numérique — Fès",
    city: "Fès",
    venue: "Chambre de commerce, 12 avenue Hassan II, salle 3",
    day: "2026-07-01",
    startsAt: "2026-07-01T08:00:00.000Z",
    endsAt: "2026-07-01T16:00:00.000Z",
    during: "2026-07-01T10:00:00.000Z",
    reason: "Note saisie par erreur : la personne a quitté la session avant l'évaluation.",
  },
  ar: {
    trainer: "ليلى الفاسي",
    admin: "عمر المدير",
    applicants: ["كريم بنعلي", "سلمى الوزاني", "إدريس لحلو"],
    companies: ["نسيج الأطلس", "نجارة الوزاني", "نقل لحلو"],
    title: "التعريف بالرقمنة — مراكش",
    city: "مراكش",
    venue: "غرفة التجارة، 12 شارع محمد الخامس، القاعة 2",
    day: "2027-02-20",
    startsAt: "2027-02-20T09:00:00.000Z",
    endsAt: "2027-02-20T17:00:00.000Z",
    during: "2027-02-20T10:00:00.000Z",
    reason: "أُدخلت النقطة خطأً: غادر المشارك الدورة قبل التقييم.",
  },
};

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ""));

interface SessionBody {
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  passMark: number;
  enrolledCount: number;
}

describe("browser: trainer — sessions, attendance and scores, Permis Numériques with progress, revocation (fr and ar)", function () {
  this.timeout(300_000);
  let browser: Browser;
  let running: RunningApp;
  let served: BrowserApp | undefined;
  let prepare: TestContext;
  const watch = new PageWatch();

  before(async function () {
    skipUnlessChromium(this);
    await resetDatabase();
    served = await serveAppWithWorker();
    running = served.running;
    // Enrolments are made through the API of a second app on the same database, as applicants would.
    prepare = buildTestApp();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  afterEach(async function () {
    await watch.screenshotOnFailure(this.currentTest, "trainer-FAILED");
    watch.expectClean();
  });

  const openSite = (language: Language): Promise<Page> =>
    openBrowserSite(browser, running.baseUrl, language, watch, { acceptDownloads: true });
  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, `trainer-${name}`);
  const summaryOf = (page: Page): Locator => page.getByRole("alert").filter({ has: page.getByRole("heading") });
  const announced = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text }).first().waitFor();

  /** Once the dialogs' fade-in is over: axe measures contrast on what is fully drawn. */
  const settled = (page: Page) =>
    page
      .locator("body")
      .evaluate((body) =>
        Promise.all(
          body.ownerDocument
            .getAnimations()
            .map((animation: { finished: Promise<unknown> }) => animation.finished.catch(() => undefined)),
        ),
      );

  async function signInAt(page: Page, language: Language, email: string, next: string): Promise<void> {
    await page.goto(`${running.baseUrl}/connexion?next=${encodeURIComponent(next)}`);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(TEST_PASSWORD);
    await page.getByRole("main").getByRole("button", { name: TEXTS[language].login.submit }).click();
    await page.waitForURL(`${running.baseUrl}${next}`);
  }

  /** The value shown beside a label of the enrolments' summary. */
  const summaryValue = (page: Page, label: string) =>
    page
      .locator(".trainer-summary .fact")
      .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
      .locator("dd")
      .textContent();

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: a trainer creates a session, records attendance and scores, issues the Permis; an admin revokes one`, async () => {
      const t = TEXTS[language];
      const tr = t.trainer;
      const server = SERVER_TEXTS[language];
      const cast = CASTS[language];
      served?.clock.set(TEST_NOW);
      const trainer = await createUser({
        role: "trainer",
        fullName: cast.trainer,
        email: uniqueEmail("formateur"),
        locale: language,
      });
      const admin = await createUser({
        role: "admin",
        fullName: cast.admin,
        email: uniqueEmail("admin"),
        locale: language,
      });
      const applicants: User[] = [];
      for (const [index, fullName] of cast.applicants.entries()) {
        const applicant = await createUser({
          role: "applicant",
          fullName,
          email: uniqueEmail("dirigeant"),
          locale: language,
        });
        await createCompany({
          owner: applicant,
          name: cast.companies[index] ?? "Entreprise",
          sectorCode: "agroalimentaire",
        });
        applicants.push(applicant);
      }
      const [passer, failer, absentee] = applicants as [User, User, User];

      // --- An applicant is refused the trainers' pages -------------------------------------------
      const outsider = await openSite(language);
      await signInAt(outsider, language, passer.email, "/mon-compte");
      await outsider.goto(`${running.baseUrl}/formateur`);
      await outsider.getByRole("heading", { level: 1, name: t.accessReserved.title }).waitFor();
      await outsider.context().close();

      // --- The trainer's sessions, from the account menu -----------------------------------------
      const page = await openSite(language);
      await signInAt(page, language, trainer.email, "/mon-compte");
      await page.getByRole("banner").getByRole("button", { name: trainer.fullName }).click();
      await page.getByRole("menuitem", { name: tr.nav.mine }).click();
      await page.waitForURL(`${running.baseUrl}/formateur`);
      await page.getByRole("heading", { level: 1, name: tr.list.title }).waitFor();
      await page.getByText(tr.list.empty).waitFor();
      await screenshot(page, `sessions-empty-${language}`);
      await expectAccessible(page);

      // Sent empty, the form says what is missing, the summary focused, each message a link.
      const create = page.getByRole("region", { name: tr.create.title });
      await create.getByRole("button", { name: tr.create.submit }).click();
      const summary = summaryOf(page);
      await summary.waitFor();
      expect(await isFocused(summary)).to.equal(true);
      expect(await summary.getByRole("link").allTextContents()).to.deep.equal([
        tr.form.validation.titleRequired,
        tr.form.validation.cityRequired,
        tr.form.validation.placeRequired,
        tr.form.validation.startDateRequired,
        tr.form.validation.endDateRequired,
      ]);
      await screenshot(page, `create-errors-${language}`);
      await expectAccessible(page);

      await page.locator("#new-session-title").fill(cast.title);
      await page
        .locator("#new-session-description")
        .fill(
          language === "fr"
            ? "Messagerie, banque en ligne, factures."
            : "البريد الإلكتروني والأبناك عبر الإنترنت والفواتير.",
        );
      await page.locator("#new-session-city").fill(cast.city);
      await page.locator("#new-session-venue").fill(cast.venue);
      await page.locator("#new-session-onlineUrl").fill("http://visio.exemple.ma/permis");
      await page.locator("#new-session-startDate").fill(cast.day);
      // The end date follows the start date: most sessions last one day.
      expect(await page.locator("#new-session-endDate").inputValue()).to.equal(cast.day);
      expect(await page.locator("#new-session-startTime").inputValue()).to.equal("09:00");
      expect(await page.locator("#new-session-endTime").inputValue()).to.equal("17:00");
      await page.locator("#new-session-capacity").fill("3");
      expect(await page.locator("#new-session-passMark").inputValue()).to.equal("70");
      await create.getByRole("button", { name: tr.create.submit }).click();
      await summary.getByRole("link", { name: tr.form.validation.urlHttps }).waitFor();
      await page.locator("#new-session-onlineUrl").fill("");
      await create.getByRole("button", { name: tr.create.submit }).click();

      // --- The session's page ---------------------------------------------------------------------
      await page.waitForURL(new RegExp(`${running.baseUrl}/formateur/sessions/[0-9a-f-]{36}$`));
      const sessionId = page.url().split("/").pop() ?? "";
      await page.getByRole("heading", { level: 1, name: cast.title }).waitFor();
      await page.getByText(tr.session.created).waitFor();
      // 09:00 in Casablanca: UTC+1 in July, UTC+0 during Ramadan.
      const adminApi = await signIn(prepare.app, admin.email, TEST_PASSWORD);
      const fetched = await getRequest(adminApi, `/training/sessions/${sessionId}`);
      expect(fetched.status, fetched.text).to.equal(200);
      const body = fetched.body as SessionBody;
      expect([body.startsAt, body.endsAt]).to.deep.equal([cast.startsAt, cast.endsAt]);
      expect([body.capacity, body.passMark]).to.deep.equal([3, 70]);
      await screenshot(page, `session-created-${language}`);
      await expectAccessible(page);

      // --- Three managers enrol (API); the trainer sees them, and cannot lower the capacity -------
      for (const applicant of applicants) {
        const session = await signIn(prepare.app, applicant.email, TEST_PASSWORD);
        const enrolled = await postRequest(session, `/training/sessions/${sessionId}/enrolments`, {});
        expect(enrolled.status, enrolled.text).to.equal(201);
      }
      await page.reload();
      const enrolments = page.getByRole("region", { name: tr.results.title });
      for (const [index, applicant] of applicants.entries()) {
        const row = enrolments.getByRole("row").filter({ hasText: applicant.fullName });
        await row.getByText(tr.enrolmentStatus.enrolled, { exact: true }).waitFor();
        expect(await row.textContent()).to.contain(cast.companies[index]);
      }
      expect(await enrolments.getByRole("checkbox").count()).to.equal(0);

      const facts = page.getByRole("region", { name: tr.facts.title, exact: true });
      await facts.getByRole("button", { name: tr.edit.button }).click();
      await page.locator("#edit-session-capacity").fill("2");
      await facts.getByRole("button", { name: tr.edit.submit }).click();
      const capacityMessage = fill(server["training.capacity-below-enrolled"], { count: 3 });
      await summaryOf(page).getByRole("link", { name: capacityMessage }).waitFor();
      expect(await page.locator("#edit-session-capacity").getAttribute("aria-invalid")).to.equal("true");
      await screenshot(page, `edit-capacity-refused-${language}`);
      await expectAccessible(page);
      await page.locator("#edit-session-capacity").fill("4");
      await facts.getByRole("button", { name: tr.edit.submit }).click();
      await announced(page, tr.edit.done);
      await facts.getByRole("button", { name: tr.edit.button }).waitFor();

      // --- The session has started: attendance and scores, row by row -----------------------------
      // Days later on the server's clock: the trainer's session cookie has expired meanwhile.
      served?.clock.set(cast.during);
      await signInAt(page, language, trainer.email, `/formateur/sessions/${sessionId}`);
      await page.getByText(tr.sessionState.started, { exact: true }).first().waitFor();
      const rowOf = (applicant: User) => enrolments.getByRole("row").filter({ hasText: applicant.fullName });
      const scoreOf = (applicant: User) =>
        rowOf(applicant).getByRole("textbox", { name: fill(tr.results.scoreOf, { name: applicant.fullName }) });
      const saveOf = (applicant: User) =>
        rowOf(applicant).getByRole("button", {
          name: `${tr.results.save}${fill(tr.results.saveOf, { name: applicant.fullName })}`,
        });
      await scoreOf(passer).waitFor();
      await screenshot(page, `results-empty-${language}`);
      await expectAccessible(page);

      await rowOf(passer).getByRole("checkbox").check();
      await scoreOf(passer).fill("85");
      await saveOf(passer).click();
      await rowOf(passer).getByText(tr.enrolmentStatus.passed, { exact: true }).waitFor();
      await announced(
        page,
        fill(tr.results.savedWithScore, { name: passer.fullName, status: tr.enrolmentStatus.passed, score: 85 }),
      );

      await rowOf(failer).getByRole("checkbox").check();
      await scoreOf(failer).fill("40");
      await saveOf(failer).click();
      await rowOf(failer).getByText(tr.enrolmentStatus.failed, { exact: true }).waitFor();

      // A score for someone not ticked present is refused before anything is sent.
      await scoreOf(absentee).fill("30");
      await saveOf(absentee).click();
      await rowOf(absentee)
        .getByRole("alert")
        .getByText(fill(tr.results.scoreWhenAbsent, { name: absentee.fullName }))
        .waitFor();
      expect(await scoreOf(absentee).getAttribute("aria-invalid")).to.equal("true");
      await scoreOf(absentee).fill("");
      await saveOf(absentee).click();
      await rowOf(absentee).getByText(tr.enrolmentStatus.absent, { exact: true }).waitFor();
      await announced(page, fill(tr.results.saved, { name: absentee.fullName, status: tr.enrolmentStatus.absent }));

      expect(await summaryValue(page, tr.summary.enrolled)).to.equal("3");
      expect(await summaryValue(page, tr.summary.present)).to.equal("2");
      expect(await summaryValue(page, tr.summary.passed)).to.equal("1");
      expect(await summaryValue(page, tr.summary.failed)).to.equal("2");
      expect(await summaryValue(page, tr.summary.pending)).to.equal("0");
      await screenshot(page, `results-recorded-${language}`);
      await expectAccessible(page);

      // --- Issuing the Permis Numériques: a real progress bar up to 100 % ------------------------
      const certificates = page.getByRole("region", { name: tr.certificates.title, exact: true });
      await certificates.getByText(fill(tr.issue.awaiting_one, { count: 1 })).waitFor();
      await certificates.getByRole("button", { name: tr.issue.button }).click();
      const bar = certificates.getByRole("progressbar", { name: tr.issue.progressLabel });
      await bar.waitFor();
      await certificates.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
      expect(await bar.getAttribute("aria-valuetext")).to.contain("100");
      await announced(page, fill(tr.issue.done_one, { count: 1 }));
      const certificateRow = certificates.getByRole("row").filter({ hasText: passer.fullName });
      await certificateRow.getByText(tr.certificates.valid, { exact: true }).waitFor();
      expect(await certificates.getByRole("row").count()).to.equal(2); // the header and the one who passed
      const number = ((await certificateRow.getByRole("rowheader").textContent()) ?? "").trim();
      expect(number).to.match(/^PN-\d{4}-\d{6}$/);
      const verification = certificateRow.getByRole("link", {
        name: `${tr.certificates.verify}${fill(tr.certificates.ofNumber, { number })}`,
      });
      expect(await verification.getAttribute("href")).to.match(/\/verify\/[A-Za-z0-9_-]{22,}$/);
      // The trainer does not download the holder's PDF; the row of the one who passed is now locked.
      await certificateRow.getByText(tr.certificates.pdfNotYours).waitFor();
      await rowOf(passer).getByText(fill(tr.results.readOnly.certified, { number })).waitFor();
      expect(await rowOf(passer).getByRole("checkbox").count()).to.equal(0);
      await screenshot(page, `certificates-issued-${language}`);
      await expectAccessible(page);

      // Nothing left to issue: the server's own words.
      await certificates.getByRole("button", { name: tr.issue.button }).click();
      await certificates.getByRole("alert").getByText(server["certificates.nothing-to-issue"]).waitFor();
      await page.context().close();

      // --- The admin finds the session among all of them and revokes the Permis -------------------
      const adminPage = await openSite(language);
      await signInAt(adminPage, language, admin.email, "/mon-compte");
      await adminPage.getByRole("banner").getByRole("button", { name: admin.fullName }).click();
      await adminPage.getByRole("menuitem", { name: tr.nav.all }).click();
      await adminPage.getByRole("heading", { level: 1, name: tr.list.titleAll }).waitFor();
      const listRow = adminPage.getByRole("row").filter({ hasText: cast.title });
      expect(await listRow.textContent()).to.contain(cast.trainer);
      await screenshot(adminPage, `sessions-admin-${language}`);
      await expectAccessible(adminPage);
      await listRow.getByRole("link", { name: cast.title }).click();
      await adminPage.waitForURL(`${running.baseUrl}/formateur/sessions/${sessionId}`);
      const adminCertificates = adminPage.getByRole("region", { name: tr.certificates.title, exact: true });
      const adminRow = adminCertificates.getByRole("row").filter({ hasText: passer.fullName });
      const pdfLink = adminRow.getByRole("link", {
        name: `${tr.certificates.download}${fill(tr.certificates.ofNumber, { number })}`,
      });
      const pdf = await adminPage
        .context()
        .request.get(`${running.baseUrl}${(await pdfLink.getAttribute("href")) ?? ""}`);
      expect(pdf.status()).to.equal(200);
      expect((await pdf.body()).subarray(0, 5).toString("latin1")).to.equal("%PDF-");

      await adminRow
        .getByRole("button", { name: `${tr.revoke.button}${fill(tr.certificates.ofNumber, { number })}` })
        .click();
      const dialog = adminPage.getByRole("dialog", { name: fill(tr.revoke.title, { number }) });
      await dialog.getByRole("button", { name: tr.revoke.confirm }).click();
      const reasonSummary = dialog.getByRole("alert");
      await reasonSummary.getByRole("link", { name: tr.revoke.reasonRequired }).waitFor();
      expect(await isFocused(reasonSummary)).to.equal(true);
      await settled(adminPage);
      await screenshot(adminPage, `revoke-dialog-${language}`);
      await expectAccessible(adminPage);
      await dialog.getByLabel(tr.revoke.reason).fill(cast.reason);
      await dialog.getByRole("button", { name: tr.revoke.confirm }).click();
      await dialog.waitFor({ state: "detached" });
      await adminRow.getByText(tr.certificates.revoked, { exact: true }).waitFor();
      await adminRow.getByText(fill(tr.certificates.reason, { reason: cast.reason })).waitFor();
      await announced(adminPage, fill(tr.revoke.done, { name: passer.fullName, number }));
      expect(
        await adminRow
          .getByRole("button", { name: `${tr.revoke.button}${fill(tr.certificates.ofNumber, { number })}` })
          .count(),
      ).to.equal(0);
      await screenshot(adminPage, `revoked-${language}`);
      await expectAccessible(adminPage);

      // The public verification says so too.
      const code = (
        (await adminRow.getByRole("link", { name: new RegExp(tr.certificates.verify) }).getAttribute("href")) ?? ""
      )
        .split("/")
        .pop();
      const verified = await getRequest(adminApi, `/verify/${code ?? ""}`);
      expect(verified.status, verified.text).to.equal(200);
      expect((verified.body as { status: string }).status).to.equal("revoked");
      await adminPage.context().close();
    });
  }
});
