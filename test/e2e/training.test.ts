import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import serverAr from "../../server/i18n/ar.json" with { type: "json" };
import serverFr from "../../server/i18n/fr.json" with { type: "json" };
import type { User } from "../../server/models/index.js";
import { createCompany, createMandate } from "../factories/companies.js";
import { getRequest, postRequest } from "../factories/review.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import { signIn, type SignedIn } from "../helpers/auth.js";
import {
  expectAccessible,
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
  applicant: string;
  other: string;
  trainer: string;
  city: string;
  otherCity: string;
  certificateCity: string;
  open: string;
  full: string;
  late: string;
  elsewhere: string;
  certified: string;
  prescriber: string;
  clientCompany: string;
  clientManager: string;
  prescriberCity: string;
  prescriberSession: string;
}

const CASTS: Record<Language, Cast> = {
  fr: {
    applicant: "Karim Benali",
    other: "Salma Idrissi",
    trainer: "Nadia Chraibi",
    city: "Fès",
    otherCity: "Tanger",
    certificateCity: "Meknès",
    open: "Initiation au numérique — Fès",
    full: "Outils bureautiques — Fès",
    late: "Messagerie et agenda — Fès",
    elsewhere: "Initiation au numérique — Tanger",
    certified: "Sécurité en ligne — Meknès",
    prescriber: "Rachid Alami",
    clientCompany: "Tissages de l'Atlas SARL",
    clientManager: "Youssef Amrani",
    prescriberCity: "Marrakech",
    prescriberSession: "Initiation au numérique — Marrakech",
  },
  ar: {
    applicant: "كريم بنعلي",
    other: "سلمى الإدريسي",
    trainer: "نادية الشرايبي",
    city: "وجدة",
    otherCity: "الرباط",
    certificateCity: "مكناس",
    open: "مدخل إلى الرقمنة — وجدة",
    full: "أدوات المكتب — وجدة",
    late: "البريد الإلكتروني والمفكرة — وجدة",
    elsewhere: "مدخل إلى الرقمنة — الرباط",
    certified: "الأمن الرقمي — مكناس",
    prescriber: "رشيد العلمي",
    clientCompany: "نسيج الأطلس",
    clientManager: "يوسف أمراني",
    prescriberCity: "مراكش",
    prescriberSession: "مدخل إلى الرقمنة — مراكش",
  },
};

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ""));

const DAY_MS = 24 * 60 * 60 * 1000;
const at = (days: number, hourUtc: number) => {
  const day = new Date(new Date(TEST_NOW).getTime() + days * DAY_MS);
  day.setUTCHours(hourUtc, 0, 0, 0);
  return day.toISOString();
};

interface SessionBody {
  id: string;
  title: string;
}

interface CertificateBody {
  id: string;
  number: string;
  verificationCode: string;
  verificationUrl: string;
  pdfReady: boolean;
}

describe("browser: Permis Numérique — sessions, enrolment, waiting list, certificates, verification (fr and ar)", function () {
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
    // Sessions, enrolments and certificates are prepared through the API of a second app on the
    // same database (its clock can be moved past a session's start without touching the served one).
    prepare = buildTestApp({ config: { publicUrl: running.baseUrl } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  afterEach(async function () {
    prepare.clock.set(TEST_NOW);
    await watch.screenshotOnFailure(this.currentTest, "training-FAILED");
    watch.expectClean();
  });

  const openSite = (language: Language): Promise<Page> =>
    openBrowserSite(browser, running.baseUrl, language, watch, { acceptDownloads: true });
  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, `training-${name}`);
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

  async function createSession(
    trainer: SignedIn,
    title: string,
    city: string,
    days: number,
    capacity = 12,
  ): Promise<SessionBody> {
    const response = await postRequest(trainer, "/training/sessions", {
      title,
      description: `${title}\n— 1 : ordinateur et fichiers\n— 2 : messagerie`,
      city,
      venue: `Chambre de commerce, ${city}`,
      startsAt: at(days, 8),
      endsAt: at(days, 16),
      capacity,
    });
    expect(response.status, response.text).to.equal(201);
    return response.body as SessionBody;
  }

  async function enrolByApi(person: SignedIn, sessionId: string): Promise<{ id: string; status: string }> {
    const response = await postRequest(person, `/training/sessions/${sessionId}/enrolments`, {});
    expect(response.status, response.text).to.equal(201);
    return response.body as { id: string; status: string };
  }

  /** A passed enrolment and its certificate, issued by the trainer through the background job. */
  async function certificateFor(
    trainerUser: User,
    holder: SignedIn,
    title: string,
    city: string,
  ): Promise<CertificateBody> {
    const session = await createSession(await signIn(prepare.app, trainerUser.email, TEST_PASSWORD), title, city, 1);
    const enrolment = await enrolByApi(holder, session.id);
    // The session has started: the trainer signs in again (a day later, the first sign-in has expired).
    prepare.clock.set(at(1, 17));
    const trainer = await signIn(prepare.app, trainerUser.email, TEST_PASSWORD);
    // The trainer records the result: present, 88/100 ≥ 70.
    const result = await postRequest(trainer, `/training/enrolments/${enrolment.id}/result`, {
      attended: true,
      score: 88,
    });
    expect(result.status, result.text).to.equal(200);
    const started = await postRequest(trainer, `/training/sessions/${session.id}/certificates`);
    expect(started.status, started.text).to.equal(201);
    const jobId = (started.body as { id: string }).id;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = await getRequest(trainer, `/jobs/${jobId}`);
      expect(job.status, job.text).to.equal(200);
      const status = (job.body as { status: string; error: string | null }).status;
      expect(status, job.text).to.not.equal("failed");
      if (status === "succeeded") break;
      if (Date.now() > deadline) throw new Error(`certificate job still ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    prepare.clock.set(TEST_NOW);
    const list = await getRequest(holder, `/certificates`);
    expect(list.status, list.text).to.equal(200);
    const certificate = (list.body as { items: Array<CertificateBody & { courseTitle: string }> }).items.find(
      (item) => item.courseTitle === title,
    );
    expect(certificate, list.text).to.not.equal(undefined);
    return certificate as CertificateBody;
  }

  /** The PDF is produced by the job; wait until the holder's list says it is ready. */
  async function waitForPdf(holder: SignedIn, certificateId: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await getRequest(holder, `/certificates/${certificateId}`);
      expect(response.status, response.text).to.equal(200);
      if ((response.body as CertificateBody).pdfReady) return;
      if (Date.now() > deadline) throw new Error("certificate PDF never ready");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const cardOf = (page: Page, title: string) => page.getByRole("article").filter({ hasText: title });

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: an applicant finds a session by city, enrols, joins a waiting list, cancels, and verifies a certificate`, async () => {
      const t = TEXTS[language];
      const tr = t.training;
      const cast = CASTS[language];

      // --- People and sessions, by the API ---------------------------------------------------------
      const trainerUser = await createUser({
        role: "trainer",
        fullName: cast.trainer,
        email: uniqueEmail("formatrice"),
      });
      const applicant: User = await createUser({
        role: "applicant",
        fullName: cast.applicant,
        email: uniqueEmail("dirigeant"),
        locale: language,
      });
      const otherUser = await createUser({ role: "applicant", fullName: cast.other, email: uniqueEmail("autre") });
      const trainer = await signIn(prepare.app, trainerUser.email, TEST_PASSWORD);
      const applicantApi = await signIn(prepare.app, applicant.email, TEST_PASSWORD);
      const otherApi = await signIn(prepare.app, otherUser.email, TEST_PASSWORD);

      const certificate = await certificateFor(trainerUser, applicantApi, cast.certified, cast.certificateCity);
      await createSession(trainer, cast.open, cast.city, 16);
      const full = await createSession(trainer, cast.full, cast.city, 18, 1);
      const late = await createSession(trainer, cast.late, cast.city, 20);
      await createSession(trainer, cast.elsewhere, cast.otherCity, 17);
      await enrolByApi(otherApi, full.id);

      // --- The public list, from the header, filtered by city -------------------------------------
      const page = await openSite(language);
      await signInAt(page, language, applicant.email, "/mon-compte");
      await page.getByRole("banner").getByRole("link", { name: tr.nav.sessions, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: tr.sessions.title }).waitFor();
      await page.locator("#sessions-city").fill(cast.city);
      await page.getByRole("button", { name: tr.sessions.apply, exact: true }).click();
      await page.waitForURL(/ville=/);
      // The previous list stays on screen until the filtered one arrives.
      await cardOf(page, cast.elsewhere).waitFor({ state: "detached" });
      await cardOf(page, cast.open).waitFor();
      expect(await cardOf(page, cast.certified).count()).to.equal(0);
      expect(await cardOf(page, cast.full).textContent()).to.contain(tr.full);
      expect(await cardOf(page, cast.open).textContent()).to.contain(cast.city);
      // 08:00 UTC is 09:00 in Casablanca (UTC+1 outside Ramadan).
      expect(await cardOf(page, cast.open).textContent()).to.contain("09:00");
      await screenshot(page, `sessions-${language}`);
      await expectAccessible(page);

      // The filter lives in the address: reloading keeps it.
      await page.reload();
      expect(await page.locator("#sessions-city").inputValue()).to.equal(cast.city);
      await cardOf(page, cast.open).waitFor();

      // --- One session: enrol -----------------------------------------------------------------------
      await cardOf(page, cast.open).getByRole("link", { name: cast.open }).click();
      await page.getByRole("heading", { level: 1, name: cast.open }).waitFor();
      expect(await page.getByRole("main").textContent()).to.contain(cast.trainer);
      await expectAccessible(page);
      await page.getByRole("button", { name: tr.session.applicant.submit, exact: true }).click();
      await announced(page, tr.session.result.enrolled);
      await page.getByText(tr.status.enrolled, { exact: true }).waitFor();
      await page.getByRole("button", { name: tr.session.cancel.open }).waitFor();
      await screenshot(page, `session-enrolled-${language}`);
      await expectAccessible(page);

      // --- My training: the enrolment is there ------------------------------------------------------
      await page.getByRole("banner").getByRole("button", { name: cast.applicant }).click();
      await page.getByRole("menuitem", { name: tr.nav.mine }).click();
      await page.getByRole("heading", { level: 1, name: tr.mine.title }).waitFor();
      const openRow = page.getByRole("row").filter({ hasText: cast.open });
      await openRow.getByText(tr.status.enrolled, { exact: true }).waitFor();

      // --- A full session: the waiting list ---------------------------------------------------------
      await page.goto(`${running.baseUrl}/formations/${full.id}`);
      await page.getByRole("heading", { level: 1, name: cast.full }).waitFor();
      await page.getByText(tr.session.fullNote).waitFor();
      await page.getByRole("button", { name: tr.session.applicant.submitWaitlist, exact: true }).click();
      await announced(page, fill(tr.session.result.waitlisted, { position: 1 }));
      await page
        .getByText(fill(tr.waitlistPosition, { position: 1 }), { exact: true })
        .first()
        .waitFor();
      await screenshot(page, `session-waitlisted-${language}`);
      await expectAccessible(page);

      // --- Cancel, behind a confirmation: the enrol button comes back -------------------------------
      await page.getByRole("button", { name: tr.session.cancel.open }).click();
      const dialog = page.getByRole("dialog", { name: tr.session.cancel.title });
      await dialog.waitFor();
      await settled(page);
      await expectAccessible(page);
      await dialog.getByRole("button", { name: tr.session.cancel.confirm }).click();
      await announced(page, tr.session.cancel.done);
      await page.getByRole("button", { name: tr.session.applicant.submitWaitlist, exact: true }).waitFor();

      // --- A refusal in the server's words: enrolled elsewhere meanwhile (409) ----------------------
      await page.goto(`${running.baseUrl}/formations/${late.id}`);
      await page.getByRole("heading", { level: 1, name: cast.late }).waitFor();
      const submit = page.getByRole("button", { name: tr.session.applicant.submit, exact: true });
      await submit.waitFor();
      await enrolByApi(applicantApi, late.id);
      await submit.click();
      const summary = summaryOf(page);
      await summary.waitFor();
      expect(await summary.getByRole("heading").textContent()).to.equal(tr.session.refused);
      const serverText = SERVER_TEXTS[language]["training.already-enrolled"];
      expect(await summary.textContent()).to.contain(fill(serverText, { name: cast.applicant }));
      await screenshot(page, `session-refused-${language}`);
      await expectAccessible(page);

      // --- My training: cancel from the table, and the certificate ----------------------------------
      await waitForPdf(applicantApi, certificate.id);
      await page.goto(`${running.baseUrl}/mes-formations`);
      await page.getByRole("heading", { level: 1, name: tr.mine.title }).waitFor();
      const lateRow = page.getByRole("row").filter({ hasText: cast.late });
      await lateRow.getByRole("button", { name: tr.enrolments.cancel }).click();
      const rowDialog = page.getByRole("dialog", { name: tr.enrolments.cancelTitle });
      await rowDialog.waitFor();
      await rowDialog.getByRole("button", { name: tr.enrolments.cancelConfirm }).click();
      await announced(page, fill(tr.enrolments.cancelDone, { name: cast.applicant, title: cast.late }));
      await lateRow.getByText(tr.status.cancelled, { exact: true }).waitFor();
      await page
        .getByRole("row")
        .filter({ hasText: cast.full })
        .getByText(tr.status.cancelled, { exact: true })
        .waitFor();
      await page
        .getByRole("row")
        .filter({ hasText: cast.certified })
        .getByText(tr.status.passed, { exact: true })
        .waitFor();

      const card = page.getByRole("article").filter({ hasText: certificate.number });
      await card.getByText(tr.certificateStatus.valid, { exact: true }).waitFor();
      expect(await card.textContent()).to.contain(cast.certified);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        card.getByRole("link", { name: tr.certificate.pdf }).click(),
      ]);
      expect(download.suggestedFilename()).to.equal(`permis-numerique-${certificate.number}.pdf`);
      const credentialHref = await card.getByRole("link", { name: tr.certificate.credential }).getAttribute("href");
      expect(credentialHref).to.equal(`/api/v1/certificates/${certificate.id}/credential`);
      const credential = await page.request.get(`${running.baseUrl}${credentialHref ?? ""}`);
      expect(credential.status()).to.equal(200);
      expect(credential.headers()["content-type"]).to.contain("json");
      expect(await card.getByRole("textbox", { name: tr.certificate.link }).inputValue()).to.equal(
        certificate.verificationUrl,
      );
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: running.baseUrl });
      await card.getByRole("button", { name: tr.certificate.copy }).click();
      await announced(page, tr.certificate.copied);
      expect(await page.evaluate("navigator.clipboard.readText()")).to.equal(certificate.verificationUrl);
      await screenshot(page, `mine-${language}`);
      await expectAccessible(page);

      // --- Public verification, signed out: valid, then an unknown code -----------------------------
      const visitor = await openSite(language);
      await visitor.goto(certificate.verificationUrl);
      await visitor.getByRole("heading", { level: 2, name: tr.verify.valid }).waitFor();
      const verdict = visitor.locator(".verdict");
      const verdictText = (await verdict.textContent()) ?? "";
      expect(verdictText).to.contain(certificate.number);
      expect(verdictText).to.contain(cast.applicant);
      expect(verdictText).to.contain(cast.certified);
      // Nothing else about the holder: no e-mail address.
      expect(await visitor.getByRole("main").textContent()).to.not.contain(applicant.email);
      await screenshot(visitor, `verify-valid-${language}`);
      await expectAccessible(visitor);

      await visitor.goto(`${running.baseUrl}/verify`);
      await visitor.getByRole("heading", { level: 1, name: tr.verify.title }).waitFor();
      await visitor.getByRole("button", { name: tr.verify.submit, exact: true }).click();
      await visitor.getByText(tr.verify.codeRequired).waitFor();
      await visitor.locator("#verify-code").fill("AAAAAAAAAAAAAAAAAAAAAA");
      await visitor.getByRole("button", { name: tr.verify.submit, exact: true }).click();
      await visitor.waitForURL(`${running.baseUrl}/verify/AAAAAAAAAAAAAAAAAAAAAA`);
      await visitor.getByRole("heading", { level: 2, name: tr.verify.notFound }).waitFor();
      await screenshot(visitor, `verify-unknown-${language}`);
      await expectAccessible(visitor);

      // A pasted link works as well as the bare code.
      await visitor.locator("#verify-code").fill(certificate.verificationUrl);
      await visitor.getByRole("button", { name: tr.verify.submit, exact: true }).click();
      await visitor.waitForURL(`${running.baseUrl}/verify/${certificate.verificationCode}`);
      await visitor.getByRole("heading", { level: 2, name: tr.verify.valid }).waitFor();

      // --- Revoked by an admin: the verdict says so, in red and in words -----------------------------
      const adminUser = await createUser({ role: "admin", email: uniqueEmail("admin") });
      const admin = await signIn(prepare.app, adminUser.email, TEST_PASSWORD);
      const revoked = await postRequest(admin, `/certificates/${certificate.id}/revoke`, {
        reason: "Certificat émis par erreur",
      });
      expect(revoked.status, revoked.text).to.equal(200);
      await visitor.reload();
      const revokedHeading = visitor.getByRole("heading", { level: 2 }).filter({
        hasText: tr.verify.revoked.replace("{{date}}", "").trim(),
      });
      await revokedHeading.waitFor();
      expect(await visitor.locator(".verdict--revoked").count()).to.equal(1);
      await screenshot(visitor, `verify-revoked-${language}`);
      await expectAccessible(visitor);

      await visitor.context().close();
      await page.context().close();
    });
  }
  for (const language of ["fr", "ar"] as const) {
    it(`${language}: a prescriber enrols the manager of a client company, and is refused a second time in the server's words`, async () => {
      const t = TEXTS[language];
      const tr = t.training;
      const cast = CASTS[language];
      const trainerUser = await createUser({ role: "trainer", email: uniqueEmail("formateur") });
      const trainer = await signIn(prepare.app, trainerUser.email, TEST_PASSWORD);
      const prescriber = await createUser({
        role: "prescriber",
        fullName: cast.prescriber,
        email: uniqueEmail("comptable"),
        locale: language,
      });
      // A company the prescriber registered, not claimed yet: its named manager is enrolled.
      const company = await createCompany({
        owner: null,
        createdBy: prescriber,
        name: cast.clientCompany,
        managerName: cast.clientManager,
        managerEmail: uniqueEmail("gerant"),
      });
      await createMandate({ company, prescriber });
      const session = await createSession(trainer, cast.prescriberSession, cast.prescriberCity, 22);

      const page = await openSite(language);
      await signInAt(page, language, prescriber.email, `/formations/${session.id}`);
      await page.getByRole("heading", { level: 1, name: cast.prescriberSession }).waitFor();
      const submit = page.getByRole("button", { name: tr.session.prescriber.submit, exact: true });

      // No company chosen: the form says so, on the field.
      await submit.click();
      await summaryOf(page).getByText(tr.session.prescriber.companyRequired).waitFor();

      const select = page.getByRole("combobox", { name: tr.session.prescriber.company });
      await select.selectOption({ label: cast.clientCompany });
      await submit.click();
      await announced(
        page,
        fill(tr.session.result.clientEnrolled, { name: cast.clientManager, company: cast.clientCompany }),
      );
      const row = page.getByRole("row").filter({ hasText: cast.clientManager });
      await row.getByText(tr.status.enrolled, { exact: true }).waitFor();
      expect(await row.textContent()).to.contain(cast.clientCompany);
      await screenshot(page, `prescriber-enrolled-${language}`);
      await expectAccessible(page);

      // The same manager again: 409, said by the server.
      await select.selectOption({ label: cast.clientCompany });
      await submit.click();
      const summary = summaryOf(page);
      await summary.getByRole("heading", { name: tr.session.refused }).waitFor();
      const serverText = SERVER_TEXTS[language]["training.already-enrolled"];
      expect(await summary.textContent()).to.contain(fill(serverText, { name: cast.clientManager }));
      await expectAccessible(page);

      // "Mes formations" lists what the prescriber did for their clients (no certificates section).
      await page.getByRole("banner").getByRole("button", { name: cast.prescriber }).click();
      await page.getByRole("menuitem", { name: tr.nav.mine }).click();
      await page.getByRole("heading", { level: 2, name: tr.mine.enrolmentsTitlePrescriber }).waitFor();
      await page.getByRole("row").filter({ hasText: cast.clientManager }).waitFor();
      expect(await page.getByRole("heading", { name: tr.mine.certificatesTitle }).count()).to.equal(0);
      await expectAccessible(page);
      await page.context().close();
    });
  }
});
