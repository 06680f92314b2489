import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import { createCompany, createMandate } from "../factories/companies.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
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
import { resetDatabase } from "../helpers/testDatabase.js";

const TEXTS = { fr, ar } as const;

const CLIENTS: Record<Language, { company: string; sector: string; manager: string; prescriber: string }> = {
  fr: {
    company: "Maroquinerie Idrissi SARL",
    sector: "cuir",
    manager: "Karim Idrissi",
    prescriber: "Nadia Cherkaoui",
  },
  ar: {
    company: "معامل الأطلس للمواد الغذائية",
    sector: "agroalimentaire",
    manager: "سعيد العلوي",
    prescriber: "ليلى بنكيران",
  },
};

/** A minimal but well-formed one-page PDF (header, objects, cross-reference table, trailer). */
function minimalPdf(title: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
  ];
  const stream = `BT /F1 12 Tf 72 770 Td (${title}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** Digits only: amounts are compared whatever the locale's separators and currency sign. */
const digits = (text: string | null) => (text ?? "").replace(/[^\d]/g, "");

/** Matches an amount written with these digits and any separators or currency sign ("72.000,30 MAD"). */
const amountPattern = (expected: string) => new RegExp(`^\\D*${expected.split("").join("\\D*")}\\D*$`);

/** The plural form i18next picks ("title_two" in Arabic, "title_other" in French for 2). */
function plural(texts: Record<string, unknown>, key: string, count: number, language: Language): string {
  const form = new Intl.PluralRules(language).select(count);
  const text = texts[`${key}_${form}`] ?? texts[`${key}_other`];
  if (typeof text !== "string") throw new Error(`no plural text for ${key}`);
  return fill(text, { count });
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ""));

describe("browser: applications — simulator, wizard, upload, submission and receipt (fr and ar)", function () {
  this.timeout(300_000);
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

  // On a failure, the page as it was: the picture usually says what went wrong.
  afterEach(async function () {
    await watch.screenshotOnFailure(this.currentTest, "applications-FAILED");
    watch.expectClean();
  });

  const openSite = (language: Language): Promise<Page> =>
    openBrowserSite(browser, running.baseUrl, language, watch, { acceptDownloads: true });
  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, `applications-${name}`);

  /** The step's heading and "Étape N sur 6", once its data is on screen. */
  async function expectStep(page: Page, language: Language, step: keyof typeof fr.applications.wizard.titles) {
    const t = TEXTS[language];
    await page.getByRole("heading", { level: 1, name: t.applications.wizard.titles[step] }).waitFor();
    const current = page
      .getByRole("navigation", { name: t.applications.wizard.stepsLabel })
      .locator("[aria-current=step]");
    expect(await current.textContent()).to.contain(t.applications.wizard.steps[step]);
  }

  const summaryOf = (page: Page): Locator => page.getByRole("alert").filter({ has: page.getByRole("heading") });

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: a prescriber simulates, fills the wizard for a client, uploads, submits and downloads the receipt`, async () => {
      const t = TEXTS[language];
      const a = t.applications;
      const client = CLIENTS[language];
      const owner = await createUser({
        role: "applicant",
        fullName: client.manager,
        email: uniqueEmail("dirigeant"),
        locale: language,
      });
      const prescriber = await createUser({
        role: "prescriber",
        fullName: client.prescriber,
        email: uniqueEmail("comptable"),
        locale: language,
        prescriber: { kind: "accountant", registrationNumber: "OEC-CASA-0107", organisation: "Cabinet Conseil" },
      });
      const company = await createCompany({
        owner,
        name: client.company,
        sectorCode: client.sector,
        foundedOn: "2016-04-12",
        annualTurnover: "8500000.00",
      });
      await createMandate({ company, prescriber });

      // --- The public simulator, linked from the header ---------------------------------------
      const page = await openSite(language);
      await page.getByRole("banner").getByRole("link", { name: t.nav.simulator }).click();
      await page.getByRole("heading", { level: 1, name: t.simulator.title }).waitFor();
      await page.locator("#simulator-sectorCode").selectOption(client.sector);
      // A comma is refused by the server, which says so next to the field as the person types.
      await page.locator("#simulator-lines-0-amountExclTax").fill("12,50");
      const amountError = page.locator("#simulator-lines-0-amountExclTax-error");
      await amountError.waitFor();
      const serverMessage = (await amountError.textContent())?.replace(t.forms.errorPrefix.trim(), "").trim() ?? "";
      expect(serverMessage).to.not.equal("");
      await page.getByRole("button", { name: t.simulator.form.submit }).click();
      const simulatorSummary = summaryOf(page);
      await simulatorSummary.waitFor();
      expect(await isFocused(simulatorSummary)).to.equal(true);
      expect(await simulatorSummary.getByRole("link").first().textContent()).to.contain(serverMessage);
      await screenshot(page, `simulator-error-${language}`);
      await expectAccessible(page);

      // Two lines: 100,000.00 of software at 20 % VAT and 20,000.50 of training without VAT.
      await page.locator("#simulator-lines-0-amountExclTax").fill("100000");
      await page.getByRole("button", { name: a.lines.add }).click();
      await page.locator("#simulator-lines-1-category").selectOption("training");
      await page.locator("#simulator-lines-1-amountExclTax").fill("20000.50");
      await page.locator("#simulator-lines-1-vatRate").selectOption("0.00");
      const result = page.getByRole("region", { name: t.simulator.result.title });
      const grant = result.locator(".fact--highlight .fact__value");
      // 60 % of 120,000.50 = 72,000.30; VAT 20,000.00; own share 120,000.50 + 20,000.00 − 72,000.30.
      await grant.filter({ hasText: amountPattern("7200030") }).waitFor();
      expect(digits(await grant.textContent())).to.equal("7200030");
      expect(digits(await result.locator(".amount").nth(3).locator(".fact__value").textContent())).to.equal("6800020");
      await result.getByText(t.simulator.result.sectorEligible.split("«")[0]?.trim() ?? "").waitFor();
      await screenshot(page, `simulator-${language}`);
      await expectAccessible(page);

      // "Déposer un dossier" asks a visitor to sign in, then leads to the first step of the wizard.
      await page.getByRole("link", { name: t.simulator.cta.button }).click();
      await page.waitForURL(/\/connexion\?next=/);
      await page.locator("#login-email").fill(prescriber.email);
      await page.locator("#login-password").fill(TEST_PASSWORD);
      await page.getByRole("main").getByRole("button", { name: t.login.submit }).click();
      await page.waitForURL(`${running.baseUrl}/dossiers/nouveau`);

      // --- Step 1: the client company (the only one, already chosen) and the open call ---------
      await expectStep(page, language, "company");
      const companyChoice = page.getByRole("radio", { name: client.company });
      await companyChoice.waitFor();
      expect(await companyChoice.isChecked()).to.equal(true);
      await screenshot(page, `step1-company-${language}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: a.wizard.continue }).click();

      // --- Step 2: the sector (the company's), a catalogue solution, a description ------------
      await page.waitForURL(/\/dossiers\/[0-9a-f-]{36}\/modifier\?etape=2$/);
      const applicationId = /\/dossiers\/([0-9a-f-]{36})\//.exec(page.url())?.[1] ?? "";
      await expectStep(page, language, "solution");
      expect(await page.locator("#solution-sectorCode").inputValue()).to.equal(client.sector);
      const firstSolution = page.locator("#solution-solutionIds");
      await firstSolution.waitFor();
      await firstSolution.check();
      await page
        .locator("#solution-description")
        .fill(
          language === "fr"
            ? "Informatiser la gestion des stocks de cuir et la facturation de l'atelier."
            : "حوسبة تدبير المخزون والفوترة في الوحدة الإنتاجية.",
        );
      await screenshot(page, `step2-solution-${language}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: a.wizard.continue }).click();

      // --- Step 3: the costs. Empty, "Continuer" lists what is missing, in screen order --------
      await page.waitForURL(/etape=3$/);
      await expectStep(page, language, "costs");
      await page.getByRole("button", { name: a.wizard.continue }).click();
      const costsSummary = summaryOf(page);
      await costsSummary.waitFor();
      expect(await isFocused(costsSummary)).to.equal(true);
      const v = a.lines.validation;
      expect(await costsSummary.getByRole("link").allTextContents()).to.deep.equal([
        v.labelRequired,
        v.categoryRequired,
        v.amountRequired,
      ]);
      await screenshot(page, `step3-costs-empty-${language}`);
      await expectAccessible(page);

      // A comma again: the server's message shows at the field and, on "Continuer", in the summary.
      await page.locator("#costs-lines-0-category").selectOption("software");
      await page
        .locator("#costs-lines-0-label")
        .fill(language === "fr" ? "Logiciel de gestion, 5 postes" : "برنامج تدبير، 5 مناصب");
      await page.locator("#costs-lines-0-supplierId").selectOption({ index: 1 });
      await page.locator("#costs-lines-0-amountExclTax").fill("12,50");
      await page.locator("#costs-lines-0-amountExclTax-error").waitFor();
      await page.getByRole("button", { name: a.wizard.continue }).click();
      await costsSummary.getByRole("link", { name: serverMessage }).waitFor();
      await screenshot(page, `step3-costs-server-error-${language}`);

      await page.locator("#costs-lines-0-amountExclTax").fill("100000.00");
      await page.getByRole("button", { name: a.lines.add }).click();
      await page.locator("#costs-lines-1-category").selectOption("training");
      await page.locator("#costs-lines-1-label").fill(language === "fr" ? "Formation des vendeurs" : "تكوين البائعين");
      await page.locator("#costs-lines-1-amountExclTax").fill("20000.50");
      await page.locator("#costs-lines-1-vatRate").selectOption("0.00");
      // Saved as the person types: the totals are the server's.
      const totals = page.getByRole("region", { name: a.costs.totalsTitle });
      await totals
        .locator(".fact--highlight .fact__value")
        .filter({ hasText: amountPattern("7200030") })
        .waitFor();
      expect(digits(await totals.locator(".amount").nth(1).locator(".fact__value").textContent())).to.equal("2000000");
      await screenshot(page, `step3-costs-${language}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: a.wizard.continue }).click();

      // --- Step 4: documents, each sent at once with a progress bar ---------------------------
      await page.waitForURL(/etape=4$/);
      await expectStep(page, language, "documents");
      // Submitting now is refused: the summary lists the missing documents, each linking to this step.
      await page
        .getByRole("navigation", { name: a.wizard.stepsLabel })
        .getByRole("link", { name: a.wizard.steps.submit })
        .click();
      await expectStep(page, language, "submit");
      await page.getByRole("checkbox", { name: a.submit.certify }).check();
      await page.getByRole("button", { name: a.submit.button }).click();
      const refusedSummary = summaryOf(page);
      await refusedSummary.getByRole("heading", { name: plural(a.submit, "ineligibleTitle", 2, language) }).waitFor();
      expect(await isFocused(refusedSummary)).to.equal(true);
      expect(await refusedSummary.getByRole("link").count()).to.equal(2);
      await screenshot(page, `step6-ineligible-${language}`);
      await expectAccessible(page);
      await refusedSummary.getByRole("link").first().click();
      await page.waitForURL(/etape=4$/);
      await expectStep(page, language, "documents");

      await page.locator("#document-quote").setInputFiles({
        name: "devis-logiciel.pdf",
        mimeType: "application/pdf",
        buffer: minimalPdf("Devis 2026-118"),
      });
      const quoteBlock = page.locator(".document-block").filter({ has: page.locator("#document-quote") });
      await quoteBlock.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
      await quoteBlock.getByRole("link", { name: /devis-logiciel\.pdf/ }).waitFor();

      // Not a PDF, whatever its name says: the server's refusal shows at the control and on top.
      await page.locator("#document-other").setInputFiles({
        name: "plan.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("this is plain text, not a PDF\n"),
      });
      const uploadSummary = summaryOf(page);
      await uploadSummary.waitFor();
      const refusal = page.locator("#document-other-error");
      await refusal.waitFor();
      const refusalText = (await refusal.textContent())?.replace(t.forms.errorPrefix.trim(), "").trim() ?? "";
      expect(await uploadSummary.getByRole("link").first().textContent()).to.equal(refusalText);
      await screenshot(page, `step4-documents-refused-${language}`);
      await expectAccessible(page);

      // A document sent by mistake is deleted from the list (and the server).
      await page.locator("#document-rc_extract").setInputFiles({
        name: "extrait-rc.pdf",
        mimeType: "application/pdf",
        buffer: minimalPdf("Modele J"),
      });
      const rcBlock = page.locator(".document-block").filter({ has: page.locator("#document-rc_extract") });
      await rcBlock.getByRole("link", { name: /extrait-rc\.pdf/ }).waitFor();
      await rcBlock.getByRole("button", { name: /extrait-rc\.pdf/ }).click();
      await page
        .getByRole("status")
        .filter({ hasText: fill(a.documents.deleted, { name: "extrait-rc.pdf" }) })
        .waitFor();
      expect(await rcBlock.getByRole("link", { name: /extrait-rc\.pdf/ }).count()).to.equal(0);

      await page.locator("#document-sworn_declaration").setInputFiles({
        name: "declaration-honneur.pdf",
        mimeType: "application/pdf",
        buffer: minimalPdf("Declaration sur l'honneur"),
      });
      const swornBlock = page.locator(".document-block").filter({ has: page.locator("#document-sworn_declaration") });
      await swornBlock.locator('[role="progressbar"][aria-valuenow="100"]').waitFor();
      await swornBlock.getByRole("link", { name: /declaration-honneur\.pdf/ }).waitFor();
      // Both required criteria now ticked (the application was read again from the server).
      const required = page.getByRole("region", { name: a.documents.requiredTitle });
      await required.locator(".checklist__item--ok").nth(1).waitFor();
      expect(await required.locator(".checklist__item--ko").count()).to.equal(0);
      await screenshot(page, `step4-documents-${language}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: a.wizard.continue }).click();

      // --- Step 5: review, every criterion met --------------------------------------------------
      await page.waitForURL(/etape=5$/);
      await expectStep(page, language, "review");
      await page.getByText(a.eligibility.allOk).waitFor();
      expect(await page.locator(".checklist__item--ko").count()).to.equal(0);
      expect(await page.getByRole("link", { name: a.review.change }).count()).to.equal(4);
      await screenshot(page, `step5-review-${language}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: a.wizard.continue }).click();

      // --- Step 6: the sworn statement is required, then a double click submits once -----------
      await page.waitForURL(/etape=6$/);
      await expectStep(page, language, "submit");
      await page.getByRole("button", { name: a.submit.button }).click();
      const submitSummary = summaryOf(page);
      await submitSummary.getByRole("link", { name: a.submit.certifyRequired }).waitFor();
      await screenshot(page, `step6-submit-unchecked-${language}`);
      await expectAccessible(page);
      await page.getByRole("checkbox", { name: a.submit.certify }).check();
      await page.getByRole("button", { name: a.submit.button }).dblclick();

      // --- The application page: reference, receipt, timeline ----------------------------------
      await page.waitForURL(`${running.baseUrl}/dossiers/${applicationId}`);
      const confirmation = page.getByRole("status").filter({ hasText: a.detail.submittedTitle });
      await confirmation.waitFor();
      const reference = (await confirmation.locator("strong").textContent())?.trim() ?? "";
      expect(reference).to.match(/^MS-\d{4}-\d{5}$/);
      await page.getByRole("heading", { level: 1, name: fill(a.detail.title, { reference }) }).waitFor();
      const receiptLink = confirmation.getByRole("link", { name: a.detail.receipt });
      const receiptHref = (await receiptLink.getAttribute("href")) ?? "";
      expect(receiptHref).to.contain(`locale=${language}`);
      const receipt = await page.context().request.get(`${running.baseUrl}${receiptHref}`);
      expect(receipt.status()).to.equal(200);
      expect(receipt.headers()["content-type"]).to.match(/^application\/pdf/);
      expect((await receipt.body()).subarray(0, 5).toString("latin1")).to.equal("%PDF-");

      const history = page.getByRole("region", { name: a.history.title });
      await history.getByText(a.status.submitted, { exact: true }).waitFor();
      // Submitted once, whatever the double click.
      expect(await history.locator(".timeline__item").filter({ hasText: a.status.submitted }).count()).to.equal(1);
      expect(await page.getByRole("link", { name: a.detail.continue }).count()).to.equal(0);
      await screenshot(page, `detail-${language}`);
      await expectAccessible(page);

      // --- Withdrawing asks first, in a dialog that says what it means --------------------------
      await page.getByRole("button", { name: a.withdraw.open }).click();
      const dialog = page.getByRole("dialog", { name: a.withdraw.title });
      await dialog.getByText(a.withdraw.text).waitFor();
      await screenshot(page, `withdraw-dialog-${language}`);
      await expectAccessible(page);
      await dialog.getByRole("button", { name: a.withdraw.confirm }).click();
      await page.getByRole("status").filter({ hasText: a.withdraw.done }).waitFor();
      await dialog.waitFor({ state: "detached" });
      await page.locator(".application-status").first().filter({ hasText: a.status.withdrawn }).waitFor();
      expect(await page.getByRole("button", { name: a.withdraw.open }).count()).to.equal(0);

      // --- The prescriber's list of its clients' files ------------------------------------------
      await page.getByRole("banner").getByRole("button", { name: prescriber.fullName }).click();
      await page.getByRole("menuitem", { name: t.nav.applicationsClients }).click();
      await page.getByRole("heading", { level: 1, name: a.list.clients.title }).waitFor();
      const row = page.getByRole("row").filter({ hasText: reference });
      await row.getByText(a.status.withdrawn, { exact: true }).waitFor();
      await screenshot(page, `list-${language}`);
      await expectAccessible(page);

      // --- The company page lists it too ---------------------------------------------------------
      await page.goto(`${running.baseUrl}/entreprises/${company.id}`);
      const companyFiles = page.getByRole("region", { name: t.companies.applications.title, exact: true });
      await companyFiles.getByRole("link", { name: reference }).waitFor();
      await screenshot(page, `company-${language}`);
      await expectAccessible(page);

      await page.context().close();
    });
  }
});
