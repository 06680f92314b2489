import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import ar from "../../client/src/i18n/ar.json" with { type: "json" };
import fr from "../../client/src/i18n/fr.json" with { type: "json" };
import serverFr from "../../server/i18n/fr.json" with { type: "json" };
import { Sector, type Call, type User } from "../../server/models/index.js";
import {
  applicationPayload,
  pdfFile,
  pngFile,
  readyApplication,
  seededCall,
  submitRequest,
  uploadDocument,
} from "../factories/applications.js";
import { createCompany } from "../factories/companies.js";
import { createCall } from "../factories/reference.js";
import { budgetOf, postRequest, transition, type BudgetBody } from "../factories/review.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import { signIn, type SignedIn } from "../helpers/auth.js";
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
import { resetDatabase } from "../helpers/testDatabase.js";

const TEXTS = { fr, ar } as const;
const NBSP = "\u00A0";

interface Cast {
  company: string;
  other: string;
  sector: string;
  manager: string;
  officer1: string;
  officer2: string;
}

const CASTS: Record<Language, Cast> = {
  fr: {
    company: "Confection Berrada SARL",
    other: "Tissages du Rif SA",
    sector: "textile-habillement",
    manager: "Hicham Berrada",
    officer1: "Samira Alaoui",
    officer2: "Omar Tazi",
  },
  ar: {
    company: "مصبرات سوس",
    other: "مطاحن الأطلس",
    sector: "agroalimentaire",
    manager: "رشيد أمزيان",
    officer1: "خديجة المنصوري",
    officer2: "يوسف الإدريسي",
  },
};

/** Digits only: amounts are compared whatever the separators and the currency. */
const digits = (text: string | null) => (text ?? "").replace(/[^\d]/g, "");

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ""));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** "60 000,00 MAD" / "60 000,00 درهم": the server's way of writing amounts for people. */
const money = (units: string, language: Language) =>
  `${units.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP)},00${NBSP}${language === "ar" ? "درهم" : "MAD"}`;

describe("browser: review — queue, four-eyes decision, claim, payment and budget (fr and ar)", function () {
  this.timeout(400_000);
  let browser: Browser;
  let running: RunningApp;
  let served: BrowserApp | undefined;
  let prepare: TestContext;
  let call: Call;
  const watch = new PageWatch();

  before(async function () {
    skipUnlessChromium(this);
    await resetDatabase();
    served = await serveAppWithWorker();
    running = served.running;
    // Files are prepared through the API of a second app on the same database, as a company would.
    prepare = buildTestApp();
    call = await seededCall();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  afterEach(async function () {
    await watch.screenshotOnFailure(this.currentTest, "review-FAILED");
    watch.expectClean();
  });

  const openSite = (language: Language): Promise<Page> =>
    openBrowserSite(browser, running.baseUrl, language, watch, { acceptDownloads: true });
  const screenshot = (page: Page, name: string) => fullPageScreenshot(page, `review-${name}`);
  const summaryOf = (page: Page): Locator => page.getByRole("alert").filter({ has: page.getByRole("heading") });

  /** Through the sign-in page, which brings the person back to `next`. */
  async function signInAt(page: Page, language: Language, email: string, next: string): Promise<void> {
    await page.goto(`${running.baseUrl}/connexion?next=${encodeURIComponent(next)}`);
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(TEST_PASSWORD);
    await page.getByRole("main").getByRole("button", { name: TEXTS[language].login.submit }).click();
    await page.waitForURL(`${running.baseUrl}${next}`);
  }

  /** A company of `owner` with a submitted file (quote, sworn declaration, a photo), by the API. */
  async function submittedFile(owner: User, name: string, sector: string, session: SignedIn) {
    const company = await createCompany({ owner, name, sectorCode: sector });
    const draft = await readyApplication(session, applicationPayload(company.id, call.id, { sectorCode: sector }));
    await uploadDocument(session, draft.id, "other", pngFile("photo-atelier.png"));
    const response = await submitRequest(session, draft.id);
    expect(response.status, response.text).to.equal(200);
    const body = response.body as { id: string; reference: string };
    return { company, id: body.id, reference: body.reference };
  }

  /** Once the dialogs' fade-in is over: axe measures contrast on what is fully drawn. */
  const settled = (page: Page) =>
    page.locator("body").evaluate((body) =>
      // `ownerDocument` keeps the DOM types out of the Node tsconfig; a cancelled animation is over too.
      Promise.all(
        body.ownerDocument
          .getAnimations()
          .map((animation: { finished: Promise<unknown> }) => animation.finished.catch(() => undefined)),
      ),
    );

  /** The announcement of the review page, once it says `text`. */
  const announced = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text }).first().waitFor();

  const state: Record<Language, { id: string; reference: string; owner?: User; officer1?: User; officer2?: User }> = {
    fr: { id: "", reference: "" },
    ar: { id: "", reference: "" },
  };

  for (const language of ["fr", "ar"] as const) {
    it(`${language}: officer 1 takes the file from the queue, checks the documents and proposes; officer 2 approves`, async () => {
      const t = TEXTS[language];
      const r = t.review;
      const cast = CASTS[language];
      const owner = await createUser({
        role: "applicant",
        fullName: cast.manager,
        email: uniqueEmail("dirigeant"),
        locale: language,
      });
      const otherOwner = await createUser({ role: "applicant", email: uniqueEmail("autre"), locale: language });
      const officer1 = await createUser({
        role: "officer",
        fullName: cast.officer1,
        email: uniqueEmail("charge"),
        locale: language,
      });
      const officer2 = await createUser({
        role: "officer",
        fullName: cast.officer2,
        email: uniqueEmail("charge"),
        locale: language,
      });
      const ownerSession = await signIn(prepare.app, owner.email, TEST_PASSWORD);
      const otherSession = await signIn(prepare.app, otherOwner.email, TEST_PASSWORD);
      const file = await submittedFile(owner, cast.company, cast.sector, ownerSession);
      await submittedFile(otherOwner, cast.other, cast.sector, otherSession);
      Object.assign(state[language], { id: file.id, reference: file.reference, owner, officer1, officer2 });

      // --- Officer 1: the queue, from the account menu ------------------------------------------
      const page = await openSite(language);
      await signInAt(page, language, officer1.email, "/mon-compte");
      await page.getByRole("banner").getByRole("button", { name: officer1.fullName }).click();
      await page.getByRole("menuitem", { name: t.nav.queue }).click();
      await page.getByRole("heading", { level: 1, name: r.queue.title }).waitFor();
      const row = page.getByRole("row").filter({ hasText: file.reference });
      await row.waitFor();
      await row.getByText(t.applications.status.submitted, { exact: true }).waitFor();
      expect(await row.textContent()).to.contain(cast.company);
      expect(digits(await row.locator("td").last().textContent())).to.equal("6000000");
      await screenshot(page, `queue-${language}`);
      await expectAccessible(page);

      // Filters live in the address, and the exports follow them.
      await page.getByRole("checkbox", { name: t.applications.status.submitted, exact: true }).check();
      await page.locator("#queue-q").fill(file.reference);
      await page.getByRole("button", { name: t.applications.list.apply }).click();
      await page.waitForURL(/statut=submitted/);
      expect(page.url()).to.contain(`q=${encodeURIComponent(file.reference)}`);
      await page.getByRole("row").filter({ hasText: cast.other }).waitFor({ state: "detached" });
      await row.waitFor();
      const csvHref = (await page.getByRole("link", { name: r.exports.csv }).getAttribute("href")) ?? "";
      expect(csvHref).to.match(/^\/api\/v1\/exports\/applications\.csv\?/);
      expect(csvHref).to.contain("status=submitted");
      const csv = await page.context().request.get(`${running.baseUrl}${csvHref}`);
      expect(csv.status()).to.equal(200);
      expect(csv.headers()["content-type"]).to.match(/^text\/csv/);
      const csvText = await csv.text();
      expect(csvText).to.contain(file.reference);
      expect(csvText).to.not.contain(cast.other);
      const xlsxHref = (await page.getByRole("link", { name: r.exports.xlsx }).getAttribute("href")) ?? "";
      expect(xlsxHref).to.contain("applications.xlsx");
      await screenshot(page, `queue-filtered-${language}`);
      await expectAccessible(page);

      // --- The review screen -----------------------------------------------------------------
      await row.getByRole("link", { name: file.reference }).click();
      await page.waitForURL(`${running.baseUrl}/instruction/${file.id}`);
      await page.getByRole("heading", { level: 1, name: `${r.page.title} ${file.reference}` }).waitFor();
      const decision = page.getByRole("region", { name: r.decision.title, exact: true });
      await decision.getByRole("heading", { name: r.decision.startTitle }).waitFor();
      await screenshot(page, `review-submitted-${language}`);
      await expectAccessible(page);
      await decision.getByRole("button", { name: r.decision.start }).click();
      await announced(page, r.decision.started);
      await page.locator(".application-status").first().filter({ hasText: t.applications.status.in_review }).waitFor();

      // The checklist: the photo shows in the viewer (fetched, as a data: image), a PDF is a download.
      const documents = page.getByRole("region", { name: r.documents.title });
      await documents.getByRole("button", { name: `photo-atelier.png${r.documents.show}` }).click();
      const viewer = page.getByRole("region", { name: /photo-atelier\.png/ });
      const preview = viewer.getByRole("img", { name: fill(r.documents.previewAlt, { name: "photo-atelier.png" }) });
      await preview.waitFor();
      expect(await preview.getAttribute("src")).to.match(/^data:image\/png;base64,/);
      expect(await isFocused(page.locator("#document-viewer-title"))).to.equal(true);
      await screenshot(page, `document-image-${language}`);
      await documents.getByRole("button", { name: `devis.pdf${r.documents.show}` }).click();
      const pdfLink = page.getByRole("link", { name: new RegExp(`^${escapeRegExp(r.documents.openPdf)}`) });
      await pdfLink.waitFor();
      const pdf = await page.context().request.get(`${running.baseUrl}${(await pdfLink.getAttribute("href")) ?? ""}`);
      expect(pdf.status()).to.equal(200);
      expect((await pdf.body()).subarray(0, 5).toString("latin1")).to.equal("%PDF-");

      // Rejecting asks for the reason (focused summary when missing), in a dialog.
      await documents
        .getByRole("button", { name: `${r.documents.reject}${fill(r.documents.which, { name: "photo-atelier.png" })}` })
        .click();
      const rejectDialog = page.getByRole("dialog", {
        name: fill(r.documents.rejectTitle, { name: "photo-atelier.png" }),
      });
      await rejectDialog.getByRole("button", { name: r.documents.rejectConfirm }).click();
      const rejectSummary = rejectDialog.getByRole("alert");
      await rejectSummary.getByRole("link", { name: r.documents.rejectReasonRequired }).waitFor();
      expect(await isFocused(rejectSummary)).to.equal(true);
      await settled(page);
      await screenshot(page, `document-reject-dialog-${language}`);
      await expectAccessible(page);
      await rejectDialog
        .getByLabel(r.documents.rejectReason)
        .fill(language === "fr" ? "Photo floue, à refaire." : "صورة غير واضحة، يجب إعادتها.");
      await rejectDialog.getByRole("button", { name: r.documents.rejectConfirm }).click();
      await rejectDialog.waitFor({ state: "detached" });
      await announced(page, fill(r.documents.rejectedAnnounce, { name: "photo-atelier.png" }));

      // Then every document accepted, one by one.
      for (const name of ["devis.pdf", "declaration-sur-l-honneur.pdf", "photo-atelier.png"]) {
        await documents
          .getByRole("button", { name: `${r.documents.accept}${fill(r.documents.which, { name })}` })
          .click();
        await announced(page, fill(r.documents.acceptedAnnounce, { name }));
      }
      expect(await documents.getByText(r.documents.verdicts.accepted, { exact: true }).count()).to.equal(3);
      await screenshot(page, `documents-accepted-${language}`);
      await expectAccessible(page);

      // Examining: empty, the summary lists both questions; then a proposal to approve.
      const examine = decision.getByRole("region", { name: r.decision.examineTitle });
      await examine.getByRole("button", { name: r.decision.examine }).click();
      const examineSummary = summaryOf(page);
      await examineSummary.waitFor();
      expect(await isFocused(examineSummary)).to.equal(true);
      expect(await examineSummary.getByRole("link").allTextContents()).to.deep.equal([
        r.decision.proposalRequired,
        r.decision.commentRequired,
      ]);
      await screenshot(page, `examine-errors-${language}`);
      await expectAccessible(page);
      await examine.getByRole("radio", { name: r.decision.proposeApprove }).check();
      expect(await page.locator("#examine-amount").inputValue()).to.equal("60000.00");
      await page
        .locator("#examine-comment")
        .fill(language === "fr" ? "Dossier complet, devis conformes au catalogue." : "ملف كامل وعروض الأثمان مطابقة.");
      await examine.getByRole("button", { name: r.decision.examine }).click();
      await announced(page, r.decision.examinedApprove);
      await page.locator(".application-status").first().filter({ hasText: t.applications.status.examined }).waitFor();

      // Four-eyes: officer 1 is told why it cannot decide, and is offered no decision.
      await decision.getByText(r.decision.fourEyes).waitFor();
      expect(await decision.getByRole("button", { name: r.decision.approve }).count()).to.equal(0);
      await screenshot(page, `examined-four-eyes-${language}`);
      await expectAccessible(page);
      const history = page.getByRole("region", { name: t.applications.history.title });
      await history.getByText(t.applications.status.examined, { exact: true }).waitFor();
      await page.context().close();

      // --- Officer 2 decides ---------------------------------------------------------------------
      const second = await openSite(language);
      await signInAt(second, language, officer2.email, `/instruction/${file.id}`);
      const decision2 = second.getByRole("region", { name: r.decision.title, exact: true });
      const proposal = decision2.locator(".proposal");
      await proposal.getByText(r.decision.proposeApprove, { exact: true }).waitFor();
      expect(await proposal.textContent()).to.contain(money("60000", language));
      const approve = decision2.getByRole("region", { name: r.decision.approveTitle });
      await approve.waitFor();
      await screenshot(second, `decision-officer2-${language}`);
      await expectAccessible(second);
      // An amount above the computed grant is refused before anything is sent.
      await second.locator("#approve-amount").fill("60000.01");
      await approve.getByRole("button", { name: r.decision.approve, exact: true }).click();
      await summaryOf(second)
        .getByRole("link", { name: fill(r.validation.amountAboveGrant, { grant: money("60000", language) }) })
        .waitFor();
      await second.locator("#approve-amount").fill("");
      await second
        .locator("#approve-comment")
        .fill(language === "fr" ? "Accord du second chargé." : "موافقة المكلف الثاني.");
      await approve.getByRole("button", { name: r.decision.approve, exact: true }).click();
      await announced(second, fill(r.decision.approved, { amount: money("60000", language) }));
      await second.locator(".application-status").first().filter({ hasText: t.applications.status.approved }).waitFor();
      await screenshot(second, `approved-${language}`);
      await expectAccessible(second);

      // --- The budget shows the commitment: the same numbers as the API ---------------------------
      await second.getByRole("banner").getByRole("button", { name: officer2.fullName }).click();
      await second.getByRole("menuitem", { name: t.nav.budget }).click();
      await second.getByRole("heading", { level: 1, name: t.budget.title }).waitFor();
      const officerSession = await signIn(prepare.app, officer2.email, TEST_PASSWORD);
      const budget: BudgetBody = await budgetOf(officerSession, call.id);
      const sectorBudget = budget.bySector.find((line) => line.sectorCode === cast.sector);
      expect(sectorBudget?.committed).to.equal("60000.00");
      const table = second.getByRole("table", { name: new RegExp(t.budget.tableCaption.split("«")[0]?.trim() ?? "") });
      const wholeCall = table.getByRole("row").filter({ hasText: t.budget.wholeCall });
      await wholeCall.waitFor();
      const cells = wholeCall.getByRole("cell");
      expect(digits(await cells.nth(1).textContent())).to.equal(digits(budget.committed));
      const sector = await Sector.findByPk(cast.sector);
      const sectorName = (language === "fr" ? sector?.nameFr : sector?.nameAr) ?? cast.sector;
      const sectorRow = table.getByRole("row").filter({ has: second.getByRole("rowheader", { name: sectorName }) });
      expect(await sectorRow.getByRole("cell").nth(1).textContent()).to.contain(money("60000", language));
      await screenshot(second, `budget-${language}`);
      await expectAccessible(second);

      // --- Conflicts: officer 2 declares a link with the other company ----------------------------
      await second.goto(`${running.baseUrl}/instruction/conflits`);
      await second.getByRole("heading", { level: 1, name: t.conflicts.title }).waitFor();
      await second.getByText(t.conflicts.empty).waitFor();
      await second.locator("#conflict-q").fill(cast.other);
      await second.getByRole("button", { name: t.conflicts.search, exact: true }).click();
      await second.getByRole("radio", { name: cast.other }).check();
      await second
        .locator("#conflict-reason")
        .fill(language === "fr" ? "Mon frère est associé de cette société." : "أخي شريك في هذه الشركة.");
      await second.getByRole("button", { name: t.conflicts.submit }).click();
      const conflictDialog = second.getByRole("dialog", {
        name: fill(r.conflict.dialogTitle, { company: cast.other }),
      });
      await conflictDialog.waitFor();
      await settled(second);
      await screenshot(second, `conflict-dialog-${language}`);
      await expectAccessible(second);
      await conflictDialog.getByRole("button", { name: r.conflict.confirm }).click();
      await conflictDialog.waitFor({ state: "detached" });
      await second
        .getByRole("status")
        .filter({ hasText: fill(r.conflict.done, { company: cast.other }) })
        .waitFor();
      await second.getByRole("row").filter({ hasText: cast.other }).waitFor();
      await screenshot(second, `conflicts-${language}`);
      await expectAccessible(second);
      await second.context().close();

      // --- The company sees "Accordé" and the amount, written as on its invoices -------------------
      const applicant = await openSite(language);
      await signInAt(applicant, language, owner.email, `/dossiers/${file.id}`);
      const granted = applicant.getByRole("region", { name: t.applications.decision.title });
      await applicant
        .locator(".application-status")
        .first()
        .filter({ hasText: t.applications.status.approved })
        .waitFor();
      await granted.getByText(t.applications.decision.text.approved).waitFor();
      expect(await granted.locator(".fact--highlight .fact__value").textContent()).to.equal(money("60000", language));
      await applicant.getByRole("region", { name: t.claims.title }).waitFor();
      await screenshot(applicant, `applicant-approved-${language}`);
      await expectAccessible(applicant);
      await applicant.context().close();
    });

    it(`${language}: the company claims its payment; an officer verifies, pays and closes`, async () => {
      const t = TEXTS[language];
      const c = t.claims;
      const r = t.review;
      const { id, owner, officer1 } = state[language];
      if (!owner || !officer1 || !id) throw new Error("the first test of this language did not run");

      // --- The company uploads its invoice, payment proof and acceptance report --------------------
      const page = await openSite(language);
      await signInAt(page, language, owner.email, `/dossiers/${id}`);
      const claim = page.getByRole("region", { name: c.title });
      await claim.getByRole("button", { name: c.submit }).click();
      const missing = summaryOf(page);
      await missing.waitFor();
      expect(await isFocused(missing)).to.equal(true);
      expect(await missing.getByRole("link").allTextContents()).to.deep.equal([
        c.invoiceMissing,
        c.paymentProofMissing,
        c.acceptanceReportMissing,
      ]);
      await screenshot(page, `claim-empty-${language}`);
      await expectAccessible(page);

      const send = async (type: string, name: string) => {
        await page.locator(`#document-${type}`).setInputFiles({
          name,
          mimeType: "application/pdf",
          buffer: pdfFile(name).bytes,
        });
        const block = page.locator(".document-block").filter({ has: page.locator(`#document-${type}`) });
        await block.getByRole("link", { name: new RegExp(name.replace(".", "\\.")) }).waitFor();
      };
      await send("invoice", "facture-FAC-2026-0042.pdf");
      await send("payment_proof", "avis-virement.pdf");
      await send("acceptance_report", "pv-reception.pdf");
      await page.locator("#claim-0-invoiceNumber").fill("FAC-2026-0042");
      await page.locator("#claim-0-supplierName").fill("Atlas Logiciels SARL");
      await page.locator("#claim-0-invoiceDate").fill("2026-06-10");
      await page.locator("#claim-0-amountExclTax").fill("100000,00");
      await claim.getByRole("button", { name: c.submit }).click();
      await summaryOf(page).getByRole("link", { name: r.validation.amountFormat }).waitFor();
      await page.locator("#claim-0-amountExclTax").fill("100000.00");
      await screenshot(page, `claim-form-${language}`);
      await expectAccessible(page);
      await claim.getByRole("button", { name: c.submit }).click();
      await page.getByRole("status").filter({ hasText: c.submitted }).waitFor();
      await claim.getByText(c.status.submitted, { exact: true }).waitFor();
      await screenshot(page, `claim-submitted-${language}`);
      await expectAccessible(page);
      await page.context().close();

      // --- Officer 1 verifies the invoice, pays, closes ----------------------------------------------
      const officer = await openSite(language);
      await signInAt(officer, language, officer1.email, `/instruction/${id}`);
      const review = officer.getByRole("region", { name: c.reviewTitle });
      await review.getByRole("heading", { name: c.verify.title }).waitFor();
      await review
        .getByRole("button", { name: `${c.showInvoice}${fill(c.invoiceWhich, { number: "FAC-2026-0042" })}` })
        .click();
      await officer.getByRole("region", { name: /facture-FAC-2026-0042\.pdf/ }).waitFor();
      await review.getByRole("button", { name: c.verify.submit }).click();
      await summaryOf(officer).getByRole("link", { name: c.verify.verdictRequired }).waitFor();
      await review.getByRole("radio", { name: c.verify.accept }).check();
      expect(await officer.locator("#verify-0-verifiedAmount").inputValue()).to.equal("100000.00");
      await screenshot(officer, `claim-verify-${language}`);
      await expectAccessible(officer);
      await review.getByRole("button", { name: c.verify.submit }).click();
      await announced(officer, fill(c.verify.done, { amount: money("100000", language) }));

      const pay = review.getByRole("region", { name: c.pay.title });
      expect(await pay.locator(".fact--highlight .fact__value").textContent()).to.equal(money("60000", language));
      await officer.locator("#pay-paymentReference").fill("VIR-2026-000123");
      await screenshot(officer, `claim-pay-${language}`);
      await pay.getByRole("button", { name: c.pay.submit, exact: true }).click();
      await announced(officer, fill(c.pay.done, { amount: money("60000", language), reference: "VIR-2026-000123" }));
      await officer.locator(".application-status").first().filter({ hasText: t.applications.status.paid }).waitFor();
      await screenshot(officer, `paid-${language}`);
      await expectAccessible(officer);

      const decision = officer.getByRole("region", { name: r.decision.title, exact: true });
      await decision.getByRole("button", { name: r.decision.close }).click();
      const closeDialog = officer.getByRole("dialog", { name: r.decision.closeConfirmTitle });
      await closeDialog.getByText(fill(r.decision.closeText, { rest: money("0", language) })).waitFor();
      await settled(officer);
      await screenshot(officer, `close-dialog-${language}`);
      await expectAccessible(officer);
      await closeDialog.getByRole("button", { name: r.decision.closeConfirm }).click();
      await closeDialog.waitFor({ state: "detached" });
      await announced(officer, r.decision.closed);
      await officer.locator(".application-status").first().filter({ hasText: t.applications.status.closed }).waitFor();
      await screenshot(officer, `closed-${language}`);
      await expectAccessible(officer);

      // The queue filtered on "closed" lists it.
      await officer.goto(`${running.baseUrl}/instruction?statut=closed`);
      await officer.getByRole("row").filter({ hasText: state[language].reference }).waitFor();
      expect(
        await officer.getByRole("checkbox", { name: t.applications.status.closed, exact: true }).isChecked(),
      ).to.equal(true);
      await officer.context().close();
    });
  }

  it("fr: refusals are said in the server's words — an envelope too small (409), a declared conflict (403)", async () => {
    const r = fr.review;
    // A call whose "commerce" envelope (50,000.00) cannot take a grant of 60,000.00.
    const { call: smallCall } = await createCall({ envelopeBySector: { commerce: "50000.00" } });
    const owner = await createUser({ role: "applicant", email: uniqueEmail("dirigeant") });
    const otherOwner = await createUser({ role: "applicant", email: uniqueEmail("dirigeant") });
    const examiner = await createUser({ role: "officer", fullName: "Nawal Chraibi", email: uniqueEmail("charge") });
    const decider = await createUser({ role: "officer", fullName: "Karim Bennis", email: uniqueEmail("charge") });
    const examinerSession = await signIn(prepare.app, examiner.email, TEST_PASSWORD);
    const deciderSession = await signIn(prepare.app, decider.email, TEST_PASSWORD);
    const examined = async (applicant: User, name: string) => {
      const session = await signIn(prepare.app, applicant.email, TEST_PASSWORD);
      const company = await createCompany({ owner: applicant, name, sectorCode: "commerce" });
      const draft = await readyApplication(
        session,
        applicationPayload(company.id, smallCall.id, { sectorCode: "commerce" }),
      );
      expect((await submitRequest(session, draft.id)).status).to.equal(200);
      await transition(examinerSession, draft.id, "start-review", "in_review");
      await transition(examinerSession, draft.id, "examine", "examined");
      return { id: draft.id, companyId: company.id };
    };
    const tooBig = await examined(owner, "Bazar Essaouira SARL");
    const linked = await examined(otherOwner, "Droguerie Chaouia SARL");

    const page = await openSite("fr");
    await signInAt(page, "fr", decider.email, `/instruction/${tooBig.id}`);
    const approve = page.getByRole("region", { name: r.decision.approveTitle });
    await approve.getByRole("button", { name: r.decision.approve, exact: true }).click();
    const refusal = summaryOf(page);
    // Titled in plain words (the server's generic "Conflit" would read as a conflict of interest).
    await refusal.getByRole("heading", { name: r.refused }).waitFor();
    expect(await isFocused(refusal)).to.equal(true);
    expect(await refusal.textContent()).to.contain(
      fill(serverFr["budget.sector-insufficient"], {
        available: money("50000", "fr"),
        requested: money("60000", "fr"),
      }),
    );
    // Nothing changed: still examined, still offered to decide.
    await page.locator(".application-status").first().filter({ hasText: fr.applications.status.examined }).waitFor();
    await screenshot(page, "refused-budget-fr");
    await expectAccessible(page);

    // The page of another file is open when the officer declares a link with its company elsewhere.
    await page.goto(`${running.baseUrl}/instruction/${linked.id}`);
    const approveLinked = page.getByRole("region", { name: r.decision.approveTitle });
    await approveLinked.waitFor();
    const declared = await postRequest(deciderSession, "/conflicts", {
      companyId: linked.companyId,
      reason: "Actionnaire familial",
    });
    expect(declared.status, declared.text).to.equal(201);
    await approveLinked.getByRole("button", { name: r.decision.approve, exact: true }).click();
    const forbidden = summaryOf(page);
    await forbidden.getByRole("heading", { name: serverFr["problem.forbidden.title"] }).waitFor();
    expect(await forbidden.textContent()).to.contain(serverFr["review.conflicted"]);
    await screenshot(page, "refused-conflict-fr");
    await expectAccessible(page);

    // Read again, the page says why nothing is offered.
    await page.reload();
    await page.getByText(r.conflict.declaredText).waitFor();
    expect(await page.getByRole("region", { name: r.decision.approveTitle }).count()).to.equal(0);
    expect(await page.getByRole("button", { name: r.conflict.declare }).count()).to.equal(0);
    await screenshot(page, "conflicted-fr");
    await expectAccessible(page);
    await page.context().close();
  });

  it("fr: an officer asks the company for information; the programme manager cancels a grant", async () => {
    const t = fr;
    const r = fr.review;
    const applicant = await createUser({ role: "applicant", email: uniqueEmail("dirigeant") });
    const examiner = await createUser({ role: "officer", fullName: "Ilham Sefrioui", email: uniqueEmail("charge") });
    const decider = await createUser({ role: "officer", fullName: "Anas Kettani", email: uniqueEmail("charge") });
    const admin = await createUser({ role: "admin", fullName: "Meryem Lahlou", email: uniqueEmail("admin") });
    const session = await signIn(prepare.app, applicant.email, TEST_PASSWORD);
    const examinerSession = await signIn(prepare.app, examiner.email, TEST_PASSWORD);
    const deciderSession = await signIn(prepare.app, decider.email, TEST_PASSWORD);
    const incomplete = await submittedFile(applicant, "Chaussures Derb Omar SARL", "cuir", session);
    const granted = await submittedFile(applicant, "Cuirs de Fès SARL", "cuir", session);
    await transition(examinerSession, granted.id, "start-review", "in_review");
    await transition(examinerSession, granted.id, "examine", "examined");
    await transition(deciderSession, granted.id, "approve", "approved");

    // --- Information requested: the message is required, then sent ----------------------------------
    const page = await openSite("fr");
    await signInAt(page, "fr", examiner.email, `/instruction/${incomplete.id}`);
    const decision = page.getByRole("region", { name: r.decision.title, exact: true });
    await decision.getByRole("button", { name: r.decision.start }).click();
    await announced(page, r.decision.started);
    const requestInfo = decision.getByRole("region", { name: r.decision.requestInfoTitle });
    await requestInfo.getByRole("button", { name: r.decision.requestInfo }).click();
    await summaryOf(page).getByRole("link", { name: r.decision.messageRequired }).waitFor();
    await page.locator("#request-info-text").fill("Merci de joindre l'attestation fiscale de moins de trois mois.");
    await requestInfo.getByRole("button", { name: r.decision.requestInfo }).click();
    await announced(page, r.decision.infoRequested);
    await page
      .locator(".application-status")
      .first()
      .filter({ hasText: t.applications.status.info_requested })
      .waitFor();
    await decision.getByText(r.next.info_requested).waitFor();
    await screenshot(page, "info-requested-fr");
    await expectAccessible(page);
    await page.context().close();

    // --- The programme manager cancels a grant: reason asked in a dialog, then the money goes back ----
    const adminPage = await openSite("fr");
    await signInAt(adminPage, "fr", admin.email, `/instruction/${granted.id}`);
    const adminDecision = adminPage.getByRole("region", { name: r.decision.title, exact: true });
    await adminDecision.getByRole("button", { name: r.decision.cancel, exact: true }).click();
    const dialog = adminPage.getByRole("dialog", { name: r.decision.cancelConfirmTitle });
    await dialog.getByText(fill(r.decision.cancelConfirmText, { amount: money("60000", "fr") })).waitFor();
    await dialog.getByRole("button", { name: r.decision.cancelConfirm }).click();
    await dialog.getByRole("alert").getByRole("link", { name: r.decision.reasonRequired }).waitFor();
    await settled(adminPage);
    await screenshot(adminPage, "cancel-dialog-fr");
    await expectAccessible(adminPage);
    await dialog.getByLabel(r.decision.reason).fill("L'entreprise a renoncé à l'investissement.");
    await dialog.getByRole("button", { name: r.decision.cancelConfirm }).click();
    await dialog.waitFor({ state: "detached" });
    await announced(adminPage, r.decision.cancelled);
    await adminPage
      .locator(".application-status")
      .first()
      .filter({ hasText: t.applications.status.cancelled })
      .waitFor();
    await screenshot(adminPage, "cancelled-fr");
    await expectAccessible(adminPage);
    await adminPage.context().close();
  });
});
