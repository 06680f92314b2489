import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import { refreshStatistics } from "../../server/commands/statistics.js";
import { CallRules, type Call } from "../../server/models/index.js";
import { seededCall } from "../factories/applications.js";
import { examinedFile, fileInStatus, freshCompany, player, type ReviewCast } from "../factories/review.js";
import { createTrainingSession, passedEnrolments } from "../factories/training.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import { signIn } from "../helpers/auth.js";
import {
  expectAccessible,
  openSite as openBrowserSite,
  launchBrowser,
  PageWatch,
  screenshot as fullPageScreenshot,
  serveAppWithWorker,
  skipUnlessChromium,
  type BrowserApp,
  type Language,
  type RunningApp,
} from "../helpers/browser.js";
import { buildTestApp, type TestContext } from "../helpers/testApp.js";
import { ownerSequelize, resetDatabase } from "../helpers/testDatabase.js";

const TEXTS = { fr, ar } as const;

/** Digits only: counts are compared whatever the locale's separators. */
const digits = (text: string | null) => (text ?? "").replace(/[^\d]/g, "");

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ""));

/** The words of a template before its first placeholder ("Statistiques actualisées : chiffres…"). */
const prefixOf = (template: string) => template.split("{{")[0] ?? template;

const CSV_HEADER =
  "mois,code_region,region,code_secteur,secteur,dossiers_deposes,dossiers_accordes,dossiers_payes,montant_accorde_mad,montant_paye_mad";

const NAMES = {
  casablanca: { fr: "Casablanca-Settat", ar: "الدار البيضاء سطات" },
  fes: { fr: "Fès-Meknès", ar: "فاس مكناس" },
  unknown: { fr: "Non renseignée", ar: "غير محددة" },
} as const;

const ORGANISATION = "Cabinet Benali Expertise";

/**
 * The dataset, small enough to know every figure:
 * - two companies paid (Casablanca-Settat textile, Fès-Meknès agri-food): 2 equipped SMEs, decided
 *   12 days and paid 40 days after submission;
 * - one file of Casablanca-Settat textile approved, filed by a prescriber through a mandate;
 * - five examined files of Casablanca-Settat textile (written to the database): with the two
 *   above, that open-data cell has 7 submitted (shown), 2 approved and 1 paid (withheld: "< 5");
 * - four certificates: 2 valid for the Casablanca company, 1 valid without company ("unknown"),
 *   1 revoked.
 */
async function buildDataset(prepare: TestContext, call: Call): Promise<void> {
  const owner = await player(prepare.app, "applicant", "Hicham Berrada");
  const cast: ReviewCast = {
    owner,
    officerA: await player(prepare.app, "officer", "Samira Alaoui"),
    officerB: await player(prepare.app, "officer", "Omar Tazi"),
    admin: await player(prepare.app, "admin", "Meryem Lahlou"),
  };
  const prescriberUser = await createUser({
    role: "prescriber",
    fullName: "Karim Benali",
    email: uniqueEmail("prescripteur"),
    prescriber: { kind: "accountant", registrationNumber: "OEC-CASA-0042", organisation: ORGANISATION },
  });
  const prescriber = await signIn(prepare.app, prescriberUser.email, TEST_PASSWORD);

  const casablanca = await freshCompany(owner.user, null, {
    name: "Confection Berrada SARL",
    regionCode: "casablanca-settat",
    sectorCode: "textile-habillement",
  });
  const fes = await freshCompany(owner.user, null, {
    name: "Conserves du Saïss SARL",
    regionCode: "fes-meknes",
    sectorCode: "agroalimentaire",
  });
  const mandated = await freshCompany(owner.user, prescriberUser, {
    name: "Tissages du Rif SA",
    regionCode: "casablanca-settat",
    sectorCode: "textile-habillement",
  });
  const paid = [
    await fileInStatus(cast, "paid", { company: casablanca, callId: call.id }),
    await fileInStatus(cast, "paid", {
      company: fes,
      callId: call.id,
      payload: { sectorCode: "agroalimentaire" },
    }),
  ];
  const approved = await fileInStatus(cast, "approved", { company: mandated, callId: call.id, filer: prescriber });
  const rules = await CallRules.findOne({ where: { callId: call.id } });
  if (!rules) throw new Error("the seeded call has no rules");
  for (let index = 0; index < 5; index += 1) {
    await examinedFile({
      callId: call.id,
      callRulesId: rules.id,
      owner: owner.user,
      examiner: cast.officerA.user,
      lineAmount: "100000.00",
      grantAmount: "60000.00",
      sectorCode: "textile-habillement",
    });
  }

  // The open data dates a file by its first submission's receipt, written at the real time, not
  // on the app's clock: put it back on the clock's day (June 2026), like the file's submitted_at.
  const sql = ownerSequelize();
  await sql.query(
    `UPDATE application_submissions s SET created_at = a.submitted_at
     FROM applications a WHERE a.id = s.application_id AND s.sequence = 1`,
  );
  // Delays with something to read: decided 12 days, paid 40 days after submission.
  const ids = [...paid, approved].map((file) => file.id);
  await sql.query("UPDATE applications SET decided_at = submitted_at + interval '12 days' WHERE id IN (:ids)", {
    replacements: { ids },
  });
  await sql.query(
    `UPDATE claims SET paid_at = a.submitted_at + interval '40 days'
     FROM applications a WHERE a.id = claims.application_id AND a.id IN (:ids)`,
    { replacements: { ids: paid.map((file) => file.id) } },
  );

  // Permis Numérique: three valid certificates (two for the Casablanca company, one without
  // company) and a revoked one, written as the batches would leave them.
  const session = await createTrainingSession();
  const enrolments = await passedEnrolments(session, 4);
  const certificates: Array<{ companyId: string | null; revoked: boolean }> = [
    { companyId: casablanca.id, revoked: false },
    { companyId: casablanca.id, revoked: false },
    { companyId: null, revoked: false },
    { companyId: fes.id, revoked: true },
  ];
  for (const [index, certificate] of certificates.entries()) {
    await sql.query(
      `INSERT INTO certificates (enrolment_id, session_id, number, verification_code, holder_name, holder_email,
         company_id, course_title, issued_at, issued_on, key_id, credential, status, revoked_at, revocation_reason)
       VALUES (:enrolmentId, :sessionId, :number, :code, :name, :email, :companyId, 'Initiation au numérique',
         '2026-06-20T10:00:00Z', '2026-06-20', 'test-key', '{}'::jsonb, :status, :revokedAt, :reason)`,
      {
        replacements: {
          enrolmentId: enrolments[index],
          sessionId: session.id,
          number: `PN-2026-${String(index + 1).padStart(6, "0")}`,
          code: randomBytes(18).toString("base64url"),
          name: `Participant ${index + 1}`,
          email: `participant-${index + 1}-${randomBytes(4).toString("hex")}@example.ma`,
          companyId: certificate.companyId,
          status: certificate.revoked ? "revoked" : "valid",
          revokedAt: certificate.revoked ? "2026-06-25T10:00:00Z" : null,
          reason: certificate.revoked ? "Délivré par erreur" : null,
        },
      },
    );
  }

  expect(await refreshStatistics(sql)).to.equal(true);
}

describe("browser: programme statistics and open data (fr and ar)", function () {
  this.timeout(400_000);
  let browser: Browser;
  let running: RunningApp;
  let served: BrowserApp | undefined;
  let prepare: TestContext;
  const watch = new PageWatch();
  /** Signing in switches the site to the person's language: one officer per language. */
  const OFFICERS: Record<Language, { fullName: string; email: string }> = {
    fr: { fullName: "Nawal Chraibi", email: uniqueEmail("charge") },
    ar: { fullName: "خديجة المنصوري", email: uniqueEmail("charge") },
  };
  let applicantEmail = "";

  before(async function () {
    skipUnlessChromium(this);
    await resetDatabase();
    served = await serveAppWithWorker();
    running = served.running;
    prepare = buildTestApp();
    await buildDataset(prepare, await seededCall());
    for (const language of ["fr", "ar"] as const) {
      await createUser({ role: "officer", locale: language, ...OFFICERS[language] });
    }
    applicantEmail = (await createUser({ role: "applicant", fullName: "Rachid Amziane", email: uniqueEmail("pme") }))
      .email;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  afterEach(async function () {
    await watch.screenshotOnFailure(this.currentTest, "statistics-FAILED");
    // No CSP violation (ECharts included) and no script error on any page of the test.
    watch.expectClean();
  });

  const openSite = (language: Language): Promise<Page> =>
    openBrowserSite(browser, running.baseUrl, language, watch, { acceptDownloads: true });
  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, `statistics-${name}`);

  async function signInAt(page: Page, language: Language, email: string, next: string): Promise<void> {
    await page.goto(`${running.baseUrl}/connexion?next=${encodeURIComponent(next)}`);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(TEST_PASSWORD);
    await page.getByRole("main").getByRole("button", { name: TEXTS[language].login.submit }).click();
    await page.waitForURL(`${running.baseUrl}${next}`);
  }

  /** The count cell of a two-column count table, for the row named `label`. */
  const countIn = (page: Page, table: string, label: string): Locator =>
    page
      .getByRole("table", { name: table, exact: true })
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: label, exact: true }) })
      .getByRole("cell");

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: an officer reads the targets, the tables match the dataset, every chart is drawn`, async () => {
      const t = TEXTS[language];
      const s = t.stats;
      const page = await openSite(language);
      await signInAt(page, language, OFFICERS[language].email, "/mon-compte");
      await page.getByRole("banner").getByRole("button", { name: OFFICERS[language].fullName }).click();
      await page.getByRole("menuitem", { name: t.nav.statistics }).click();
      await page.waitForURL(`${running.baseUrl}/statistiques`);
      await page.getByRole("heading", { level: 1, name: s.title }).waitFor();

      // --- The two targets ---------------------------------------------------------------------
      const equipped = page.getByRole("article", { name: s.targets.equipped });
      await equipped.waitFor();
      const equippedBar = equipped.getByRole("progressbar");
      expect(await equippedBar.getAttribute("aria-valuenow")).to.equal("2");
      expect(await equippedBar.getAttribute("aria-valuemax")).to.equal("3000");
      expect(digits(await equipped.locator(".stats-target__count").textContent())).to.equal("2");
      expect(await equipped.textContent()).to.contain(prefixOf(s.targets.missingEquipped));
      expect(digits(await equipped.getByText(prefixOf(s.targets.missingEquipped)).textContent())).to.equal("2998");
      const permits = page.getByRole("article", { name: s.targets.permits });
      expect(await permits.getByRole("progressbar").getAttribute("aria-valuenow")).to.equal("3");
      expect(digits(await permits.getByText(prefixOf(s.targets.missingPermits)).textContent())).to.equal("9997");

      // --- Tables: the same numbers as the dataset ---------------------------------------------
      expect(await countIn(page, s.equipped.byRegion, NAMES.casablanca[language]).textContent()).to.equal("1");
      expect(await countIn(page, s.equipped.byRegion, NAMES.fes[language]).textContent()).to.equal("1");
      expect(await countIn(page, s.equipped.byYear, "2026").textContent()).to.equal("2");
      expect(await countIn(page, s.permits.byRegion, NAMES.casablanca[language]).textContent()).to.equal("2");
      expect(await countIn(page, s.permits.byRegion, NAMES.unknown[language]).textContent()).to.equal("1");
      const revoked = page.locator(".fact").filter({ hasText: s.permits.revoked });
      expect(await revoked.locator(".fact__value").textContent()).to.equal("1");

      const dropOff = page.getByRole("table", { name: s.funnel.dropOffCaption });
      const paidStep = dropOff
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: s.funnel.steps.paid, exact: true }) })
        .getByRole("cell");
      // 2 paid of 3 approved: 1 lost, 66.7 %.
      expect(await paidStep.nth(0).textContent()).to.equal("2");
      expect(await paidStep.nth(1).textContent()).to.equal("1");
      expect(digits(await paidStep.nth(2).textContent())).to.equal("667");

      const delays = page.getByRole("region", { name: s.delays.title });
      expect(await delays.locator(".fact").filter({ hasText: s.delays.decision }).textContent()).to.contain(
        language === "fr" ? "12 jours" : "12 يومًا",
      );
      expect(await delays.locator(".fact").filter({ hasText: s.delays.payment }).textContent()).to.contain(
        language === "fr" ? "40 jours" : "40 يومًا",
      );

      const top = page.getByRole("table", { name: s.prescribers.topCaption });
      const topRow = top.getByRole("row").filter({ has: page.getByRole("rowheader", { name: ORGANISATION }) });
      expect(await topRow.getByRole("cell").allTextContents()).to.deep.equal(["1", "1", "1"]);

      // --- Charts: each container holds a drawn SVG and is named for screen readers -----------------
      const charts = page.locator(".stats-chart");
      const chartCount = await charts.count();
      // Equipped ×3, permits ×3, budget per call and per sector, funnel.
      expect(chartCount).to.equal(9);
      for (let index = 0; index < chartCount; index += 1) {
        const chart = charts.nth(index);
        await chart.locator("svg").first().waitFor();
        expect(await chart.getAttribute("role")).to.equal("img");
        expect(await chart.getAttribute("aria-label")).to.contain(prefixOf(s.chartOf));
        // Bars or funnel steps were really drawn (paths), not an empty frame.
        expect(await chart.locator("svg path").count()).to.be.greaterThan(0);
      }
      // The SVG renderer sets styles through the CSSOM only: no <style> element of its own.
      expect(await charts.locator("style").count()).to.equal(0);
      await screenshot(page, `officer-${language}`);
      await expectAccessible(page);

      // A tooltip, drawn inside the SVG (an HTML one would break the CSP: afterEach checks).
      const funnelChart = page.getByRole("img", { name: fill(s.chartOf, { title: s.funnel.chart }) });
      await funnelChart.hover();
      await page.waitForTimeout(300);

      // On a phone: charts resize with their container, tables scroll sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500);
      const width = await charts.first().evaluate((chart) => chart.getBoundingClientRect().width);
      expect(await charts.first().locator("svg").first().getAttribute("width")).to.equal(String(Math.round(width)));
      // Nothing wider than the phone: wide tables scroll inside their own region.
      expect(await page.evaluate("document.documentElement.scrollWidth")).to.equal(390);
      await screenshot(page, `officer-phone-${language}`);
      await expectAccessible(page);
      await page.setViewportSize({ width: 1280, height: 900 });

      // --- "Actualiser": the worker recomputes, the page polls until the figures are newer ---------
      await page.getByRole("button", { name: s.freshness.refresh }).click();
      await page
        .getByRole("status")
        .filter({ hasText: prefixOf(s.freshness.done) })
        .waitFor({ timeout: 60_000 });
      await screenshot(page, `refreshed-${language}`);
      await page.context().close();
    });

    it(`${language}: a visitor reads the open data, small cells withheld, and downloads the CSV`, async () => {
      const t = TEXTS[language];
      const o = t.openData;
      const page = await openSite(language);
      await page.getByRole("contentinfo").getByRole("link", { name: t.nav.openData }).click();
      await page.waitForURL(`${running.baseUrl}/donnees-ouvertes`);
      await page.getByRole("heading", { level: 1, name: o.title }).waitFor();
      await page.getByText(fill(o.rule, { max: 4, threshold: 5 })).waitFor();

      // Two cells: Casablanca-Settat textile (7 submitted, 2 approved, 1 paid) and Fès-Meknès agri-food.
      const table = page.getByRole("table", { name: fill(o.caption, { from: "1", to: "2", total: "2" }) });
      await table.waitFor();
      const casablanca = table.getByRole("row").filter({ hasText: NAMES.casablanca[language] });
      const cells = casablanca.getByRole("cell");
      expect(await cells.nth(2).textContent()).to.equal("7");
      expect(await cells.nth(3).getByText("< 5", { exact: true }).count()).to.equal(1);
      expect(await cells.nth(4).getByText("< 5", { exact: true }).count()).to.equal(1);
      // Their amounts are withheld too.
      expect(await cells.nth(5).textContent()).to.contain(o.amountHidden);
      expect(await cells.nth(6).textContent()).to.contain(o.amountHidden);
      const fes = table.getByRole("row").filter({ hasText: NAMES.fes[language] });
      expect(await fes.getByRole("cell").nth(2).getByText("< 5", { exact: true }).count()).to.equal(1);
      await screenshot(page, `open-data-${language}`);
      await expectAccessible(page);

      // Filtered on a region: the table and the CSV link follow.
      await page.locator("#open-data-region").selectOption("casablanca-settat");
      await page.locator("#open-data-from").fill("2026-01");
      await page.getByRole("button", { name: o.apply }).click();
      await page.waitForURL(/region=casablanca-settat/);
      await fes.waitFor({ state: "detached" });
      const link = page.getByRole("link", { name: o.download });
      const href = (await link.getAttribute("href")) ?? "";
      expect(href).to.match(/^\/api\/v1\/open-data\/applications\.csv\?/);
      expect(href).to.contain("region=casablanca-settat");
      expect(href).to.contain("from=2026-01");

      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const csv = await readFile(await download.path(), "utf8");
      const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
      expect(lines[0]).to.equal(CSV_HEADER);
      expect(lines[1]).to.match(/^2026-06,casablanca-settat,Casablanca-Settat,textile-habillement,.*,7,<5,<5,,$/);
      expect(lines.filter((line) => line !== "")).to.have.length(2);
      await screenshot(page, `open-data-filtered-${language}`);
      await expectAccessible(page);
      await page.context().close();
    });
  }

  it("fr: an applicant is told the statistics are reserved", async () => {
    const page = await openSite("fr");
    await signInAt(page, "fr", applicantEmail, "/statistiques");
    await page.getByRole("heading", { level: 1, name: fr.accessReserved.title }).waitFor();
    expect(await page.locator(".stats-chart").count()).to.equal(0);
    await page.context().close();
  });
});
