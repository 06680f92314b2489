import { expect } from "chai";
import { QueryTypes } from "sequelize";
import { displayMoney } from "../../server/i18n/format.js";
import { Envelope, type Company } from "../../server/models/index.js";
import { applicationPayload, createDraft, pdfFile, uploadDocument, uploadRequest } from "../factories/applications.js";
import { createCall } from "../factories/reference.js";
import {
  budgetOf,
  claimOf,
  claimRequest,
  deliveredMails,
  fileInStatus,
  freshCompany,
  getApplication,
  getRequest,
  invoicePayload,
  payRequest,
  player,
  postRequest,
  statusOf,
  transition,
  transitionRequest,
  uploadClaimDocuments,
  verifyRequest,
  type BudgetBody,
  type ClaimBody,
  type Player,
  type ReviewCast,
  type ReviewedBody,
  type Verdict,
} from "../factories/review.js";
import { clearRateLimits } from "../helpers/auth.js";
import { envelopesOf, expectLedgerHolds, ledgerRowsOf } from "../helpers/ledger.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize } from "../helpers/testDatabase.js";

const SECTOR = "textile-habillement";
/** 166,666.67 × 60 % = 100,000.002: the file is approved for 100,000.00. */
const LINE_FOR_100K = [{ category: "software", label: "ERP confection", amountExclTax: "166666.67", vatRate: "0.20" }];

describe("claims (demandes de versement): invoices, verification, payment, closure", function () {
  this.timeout(120_000);

  const context = useTestApp();
  let cast: ReviewCast;
  let prescriber: Player;
  let officerC: Player;
  let stranger: Player;

  before(async () => {
    await clearRateLimits();
    const app = context().app;
    cast = {
      owner: await player(app, "applicant", "Rachid Tazi"),
      officerA: await player(app, "officer", "Officier Examinateur"),
      officerB: await player(app, "officer", "Officier Payeur"),
      admin: await player(app, "admin", "Directrice du programme"),
    };
    prescriber = await player(app, "prescriber", "Cabinet Alami");
    officerC = await player(app, "officer", "Officier en conflit");
    stranger = await player(app, "applicant", "Inconnu");
  });

  afterEach(expectLedgerHolds);

  /** A call of its own (10 M, and 5 M for the sector), so each test reads exact balances. */
  async function ownCall() {
    return createCall({ envelope: "10000000.00", envelopeBySector: { [SECTOR]: "5000000.00" } });
  }

  /** A file approved for 100,000.00 at 60 % in a call of its own. */
  async function approvedFile(
    options: { target?: Company; callId?: string } = {},
  ): Promise<{ file: ReviewedBody; callId: string; company: Company }> {
    const callId = options.callId ?? (await ownCall()).call.id;
    const company = options.target ?? (await freshCompany(cast.owner.user, prescriber.user));
    const file = await fileInStatus(cast, "approved", {
      company,
      callId,
      payload: { lines: LINE_FOR_100K },
    });
    expect(file.review.approvedAmount).to.equal("100000.00");
    return { file, callId, company };
  }

  /** Uploads the documents and submits a claim of `amounts` (one invoice each); expects 201. */
  async function claimed(applicationId: string, amounts: string[]): Promise<ClaimBody> {
    const documents = await uploadClaimDocuments(cast.owner.session, applicationId, { invoiceCount: amounts.length });
    const response = await claimRequest(
      cast.owner.session,
      applicationId,
      documents.invoices.map((document, index) => invoicePayload(document, amounts[index]!, index)),
    );
    expect(response.status, response.text).to.equal(201);
    return response.body as ClaimBody;
  }

  const budgetLine = (budget: BudgetBody) => ({
    committed: budget.committed,
    paid: budget.paid,
    available: budget.available,
    sector: budget.bySector.find((line) => line.sectorCode === SECTOR),
  });

  describe("documents of a claim", () => {
    it("invoices, payment proofs and acceptance reports are accepted only once approved; a quote then → 422", async () => {
      const callId = (await ownCall()).call.id;
      const company = await freshCompany(cast.owner.user, prescriber.user);
      const draft = await createDraft(
        cast.owner.session,
        applicationPayload(company.id, callId, { lines: LINE_FOR_100K }),
      );
      for (const type of ["invoice", "payment_proof", "acceptance_report"]) {
        const problem = expectProblem(
          await uploadRequest(cast.owner.session, draft.id, type),
          422,
          "validation-failed",
        );
        expect(
          problem.errors?.map((error) => error.path),
          type,
        ).to.deep.equal(["type"]);
      }

      const { file } = await approvedFile();
      const problem = expectProblem(
        await uploadRequest(cast.owner.session, file.id, "quote", pdfFile("devis-tardif.pdf")),
        422,
        "validation-failed",
      );
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["type"]);
      for (const type of ["invoice", "payment_proof", "acceptance_report"]) {
        const document = await uploadDocument(cast.owner.session, file.id, type, pdfFile(`${type}.pdf`));
        expect(document.type).to.equal(type);
      }
      // The prescriber may add them too.
      await uploadDocument(prescriber.session, file.id, "invoice", pdfFile("facture-prescripteur.pdf"));
      // An officer may not.
      expectProblem(await uploadRequest(cast.officerB.session, file.id, "invoice"), 403, "forbidden");
    });

    it("once the claim is submitted, the file takes no more documents (409)", async () => {
      const { file } = await approvedFile();
      await claimed(file.id, ["100000.00"]);
      expectProblem(await uploadRequest(cast.owner.session, file.id, "invoice"), 409, "conflict");
    });
  });

  describe("POST /applications/:id/claims", () => {
    it("answers 201 with the claim and its invoices; the file is claim_submitted, its documents belong to the claim", async () => {
      const { file } = await approvedFile();
      const documents = await uploadClaimDocuments(cast.owner.session, file.id, { invoiceCount: 2 });
      const response = await claimRequest(cast.owner.session, file.id, [
        invoicePayload(documents.invoices[0]!, "120000.00", 0),
        invoicePayload(documents.invoices[1]!, "30000.50", 1),
      ]);
      expect(response.status, response.text).to.equal(201);
      const claim = response.body as ClaimBody;
      expect(claim).to.deep.include({
        applicationId: file.id,
        status: "submitted",
        verifiedAmount: null,
        paymentAmount: null,
      });
      expect(claim.id).to.be.a("string");
      expect(
        claim.invoices.map((invoice) => [invoice.documentId, invoice.amountExclTax, invoice.verdict]),
      ).to.have.deep.members([
        [documents.invoices[0]!.id, "120000.00", "pending"],
        [documents.invoices[1]!.id, "30000.50", "pending"],
      ]);
      expect(await statusOf(file.id)).to.equal("claim_submitted");
      const answer = await getApplication(cast.owner.session, file.id);
      for (const document of answer.documents.filter((candidate) =>
        ["invoice", "payment_proof", "acceptance_report"].includes(candidate.type),
      )) {
        expect((document as unknown as { claimId: string | null }).claimId, document.type).to.equal(claim.id);
      }
      expect(answer.permissions).to.deep.include({ submitClaim: false, uploadDocument: false });
      // The officer and the company read the same claim.
      expect((await claimOf(cast.officerB.session, file.id)).id).to.equal(claim.id);
      expect((await claimOf(prescriber.session, file.id)).id).to.equal(claim.id);
      expectProblem(await getRequest(stranger.session, `/applications/${file.id}/claim`), 404, "not-found");
      // No money moves on a claim: only the commitment of the approval.
      expect((await ledgerRowsOf(file.id)).map((row) => row.kind)).to.deep.equal(["commitment", "commitment"]);
    });

    it("a mandated prescriber may claim for the company", async () => {
      const { file } = await approvedFile();
      const documents = await uploadClaimDocuments(prescriber.session, file.id);
      const response = await claimRequest(prescriber.session, file.id, [
        invoicePayload(documents.invoices[0]!, "1000.00"),
      ]);
      expect(response.status, response.text).to.equal(201);
    });

    it("without a payment proof → 422 on paymentProof; without an acceptance report → 422 on acceptanceReport", async () => {
      const { file } = await approvedFile();
      const invoiceOnly = await uploadClaimDocuments(cast.owner.session, file.id, {
        paymentProof: false,
        acceptanceReport: false,
      });
      const invoices = [invoicePayload(invoiceOnly.invoices[0]!, "100000.00")];
      let problem = expectProblem(await claimRequest(cast.owner.session, file.id, invoices), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.have.members(["paymentProof", "acceptanceReport"]);

      await uploadDocument(cast.owner.session, file.id, "acceptance_report", pdfFile("pv.pdf"));
      problem = expectProblem(await claimRequest(cast.owner.session, file.id, invoices), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["paymentProof"]);

      const other = await approvedFile();
      const noReport = await uploadClaimDocuments(cast.owner.session, other.file.id, { acceptanceReport: false });
      problem = expectProblem(
        await claimRequest(cast.owner.session, other.file.id, [invoicePayload(noReport.invoices[0]!, "100000.00")]),
        422,
        "validation-failed",
      );
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["acceptanceReport"]);
      for (const id of [file.id, other.file.id]) expect(await statusOf(id)).to.equal("approved");
    });

    it("a document that is not an invoice of this file → 422 on invoices.N.documentId", async () => {
      const { file } = await approvedFile();
      const documents = await uploadClaimDocuments(cast.owner.session, file.id);
      const elsewhere = await approvedFile();
      const foreign = await uploadClaimDocuments(cast.owner.session, elsewhere.file.id);
      const quote = file.documents.find((document) => document.type === "quote")!;
      const cases: Array<[string, string]> = [
        ["the payment proof", documents.paymentProof!.id],
        ["the acceptance report", documents.acceptanceReport!.id],
        ["the file's quote", quote.id],
        ["another file's invoice", foreign.invoices[0]!.id],
        ["an unknown id", "00000000-0000-4000-8000-000000000000"],
      ];
      for (const [label, documentId] of cases) {
        const problem = expectProblem(
          await claimRequest(cast.owner.session, file.id, [
            invoicePayload(documents.invoices[0]!, "50000.00", 0),
            invoicePayload({ id: documentId }, "50000.00", 1),
          ]),
          422,
          "validation-failed",
        );
        expect(
          problem.errors?.map((error) => error.path),
          label,
        ).to.deep.equal(["invoices.1.documentId"]);
      }
      expect(await statusOf(file.id)).to.equal("approved");
    });

    describe("refuses malformed invoices (422) and keeps the file approved", () => {
      let file: ReviewedBody;
      let invoiceDocumentId: string;
      before(async () => {
        file = (await approvedFile()).file;
        invoiceDocumentId = (await uploadClaimDocuments(cast.owner.session, file.id)).invoices[0]!.id;
      });
      const invoice = () => invoicePayload({ id: invoiceDocumentId }, "1000.00");
      const CASES: Array<[string, () => unknown[], string]> = [
        ["no invoice", () => [], "invoices"],
        ["an amount of 0.00", () => [{ ...invoice(), amountExclTax: "0.00" }], "invoices.0.amountExclTax"],
        ["a negative amount", () => [{ ...invoice(), amountExclTax: "-5.00" }], "invoices.0.amountExclTax"],
        ["a float amount", () => [{ ...invoice(), amountExclTax: 1000 }], "invoices.0.amountExclTax"],
        ["a date that does not exist", () => [{ ...invoice(), invoiceDate: "2026-02-30" }], "invoices.0.invoiceDate"],
        ["no invoice number", () => [{ ...invoice(), invoiceNumber: "" }], "invoices.0.invoiceNumber"],
        ["the same document twice", () => [invoice(), { ...invoice(), invoiceNumber: "FAC-2" }], "invoices.1"],
      ];
      for (const [label, invoices, path] of CASES) {
        it(label, async () => {
          const response = await postRequest(cast.owner.session, `/applications/${file.id}/claims`, {
            invoices: invoices(),
          });
          const problem = expectProblem(response, 422, "validation-failed");
          expect(problem.errors?.map((error) => error.path).join(","), label).to.include(path);
          expect(await statusOf(file.id)).to.equal("approved");
        });
      }
    });

    it("a second claim → 409; a claim before approval → 409; an officer claiming → 403", async () => {
      const { file } = await approvedFile();
      expectProblem(
        await claimRequest(cast.officerB.session, file.id, [
          invoicePayload({ id: "00000000-0000-4000-8000-000000000000" }, "10.00"),
        ]),
        403,
        "forbidden",
      );
      const claim = await claimed(file.id, ["100000.00"]);
      expectProblem(
        await claimRequest(cast.owner.session, file.id, [
          invoicePayload({ id: claim.invoices[0]!.documentId }, "10.00"),
        ]),
        409,
        "conflict",
      );
      const company = await freshCompany(cast.owner.user);
      const examined = await fileInStatus(cast, "examined", { company, callId: (await ownCall()).call.id });
      expectProblem(
        await claimRequest(cast.owner.session, examined.id, [
          invoicePayload({ id: examined.documents[0]!.id }, "10.00"),
        ]),
        409,
        "conflict",
      );
    });
  });

  describe("verification (POST /claims/:id/verify)", () => {
    it("accepts an invoice for a lower amount and rejects another with its reason; the claim's verified amount is their sum", async () => {
      const { file } = await approvedFile();
      const claim = await claimed(file.id, ["120000.00", "30000.00"]);
      const [first, second] = claim.invoices.sort((left, right) =>
        left.invoiceNumber.localeCompare(right.invoiceNumber),
      );
      const response = await verifyRequest(cast.officerB.session, claim.id, [
        { id: first!.id, verdict: "accepted", verifiedAmount: "90000.00" },
        { id: second!.id, verdict: "rejected", reason: "Facture d'un fournisseur hors catalogue." },
      ]);
      expect(response.status, response.text).to.equal(200);
      const verified = response.body as ClaimBody;
      expect(verified).to.deep.include({ status: "verified", verifiedAmount: "90000.00", paymentAmount: null });
      const byId = new Map(verified.invoices.map((invoice) => [invoice.id, invoice]));
      expect(byId.get(first!.id)).to.deep.include({ verdict: "accepted", verifiedAmount: "90000.00" });
      expect(byId.get(second!.id)).to.deep.include({
        verdict: "rejected",
        verifiedAmount: "0.00",
        verdictReason: "Facture d'un fournisseur hors catalogue.",
      });
      expect((await getApplication(cast.officerB.session, file.id)).permissions).to.deep.include({
        verifyClaim: false,
        payClaim: true,
      });
      // Verified once: a second verification → 409.
      expectProblem(
        await verifyRequest(cast.officerB.session, claim.id, [{ id: first!.id, verdict: "accepted" }]),
        409,
        "conflict",
      );
    });

    it("refuses (422, nothing recorded) a rejection without reason, an amount above the invoice, an invoice left without verdict, an unknown invoice", async () => {
      const { file } = await approvedFile();
      const claim = await claimed(file.id, ["50000.00", "20000.00"]);
      const [first, second] = claim.invoices.sort((left, right) =>
        left.invoiceNumber.localeCompare(right.invoiceNumber),
      );
      const cases: Array<[string, Verdict[], string[]]> = [
        [
          "a rejection without reason",
          [
            { id: first!.id, verdict: "accepted" },
            { id: second!.id, verdict: "rejected" },
          ],
          ["invoices.1.reason"],
        ],
        [
          "a rejection with a blank reason",
          [
            { id: first!.id, verdict: "accepted" },
            { id: second!.id, verdict: "rejected", reason: "   " },
          ],
          ["invoices.1.reason"],
        ],
        [
          "a verified amount above the invoice",
          [
            { id: first!.id, verdict: "accepted", verifiedAmount: "50000.01" },
            { id: second!.id, verdict: "accepted" },
          ],
          ["invoices.0.verifiedAmount"],
        ],
        ["an invoice left without verdict", [{ id: first!.id, verdict: "accepted" }], [`invoices.${second!.id}`]],
        [
          "an invoice of no claim",
          [
            { id: first!.id, verdict: "accepted" },
            { id: second!.id, verdict: "accepted" },
            { id: "00000000-0000-4000-8000-000000000000", verdict: "accepted" },
          ],
          ["invoices.2.id"],
        ],
      ];
      for (const [label, verdicts, paths] of cases) {
        const problem = expectProblem(
          await verifyRequest(cast.officerB.session, claim.id, verdicts),
          422,
          "validation-failed",
        );
        expect(
          problem.errors?.map((error) => error.path),
          label,
        ).to.deep.equal(paths);
      }
      const unchanged = await claimOf(cast.officerB.session, file.id);
      expect(unchanged.status).to.equal("submitted");
      expect(unchanged.invoices.map((invoice) => invoice.verdict)).to.deep.equal(["pending", "pending"]);
    });

    it("who verifies: not the company (403), not an officer with a declared conflict (403), not a stranger (404)", async () => {
      const { file, company } = await approvedFile();
      const claim = await claimed(file.id, ["100000.00"]);
      const verdicts: Verdict[] = [{ id: claim.invoices[0]!.id, verdict: "accepted" }];
      expectProblem(await verifyRequest(cast.owner.session, claim.id, verdicts), 403, "forbidden");
      expectProblem(await verifyRequest(prescriber.session, claim.id, verdicts), 403, "forbidden");
      expectProblem(await verifyRequest(stranger.session, claim.id, verdicts), 404, "not-found");
      const declared = await postRequest(officerC.session, "/conflicts", {
        companyId: company.id,
        reason: "Client du cabinet familial",
      });
      expect(declared.status, declared.text).to.equal(201);
      expectProblem(await verifyRequest(officerC.session, claim.id, verdicts), 403, "forbidden");
      expectProblem(
        await verifyRequest(cast.officerB.session, "00000000-0000-4000-8000-000000000000", verdicts),
        404,
        "not-found",
      );
      expect((await verifyRequest(cast.officerB.session, claim.id, verdicts)).status).to.equal(200);
      expectProblem(await payRequest(officerC.session, claim.id), 403, "forbidden");
      expectProblem(await payRequest(cast.owner.session, claim.id), 403, "forbidden");
      expect((await payRequest(cast.officerB.session, claim.id)).status).to.equal(200);
      expectProblem(await transitionRequest(officerC.session, file.id, "close"), 403, "forbidden");
    });
  });

  describe("payment = min(approved, floor(rate × verified)), then closure releases the rest", () => {
    const CASES: Array<{
      label: string;
      invoices: string[];
      verdicts: (ids: string[]) => Array<Omit<Verdict, "id">>;
      verified: string;
      payment: string;
    }> = [
      {
        label: "verified 100,000.00 → 60,000.00",
        invoices: ["100000.00"],
        verdicts: () => [{ verdict: "accepted" }],
        verified: "100000.00",
        payment: "60000.00",
      },
      {
        label: "verified 200,000.00 → 100,000.00 (capped by the commitment)",
        invoices: ["150000.00", "50000.00"],
        verdicts: () => [{ verdict: "accepted" }, { verdict: "accepted" }],
        verified: "200000.00",
        payment: "100000.00",
      },
      {
        label: "verified 0.05 → 0.03 (floored to the centime)",
        invoices: ["1000.00"],
        verdicts: () => [{ verdict: "accepted", verifiedAmount: "0.05" }],
        verified: "0.05",
        payment: "0.03",
      },
      {
        label: "all rejected → 0.00",
        invoices: ["80000.00", "20000.00"],
        verdicts: () => [
          { verdict: "rejected", reason: "Facture antérieure à l'approbation." },
          { verdict: "rejected", reason: "Facture sans cachet du fournisseur." },
        ],
        verified: "0.00",
        payment: "0.00",
      },
      {
        label: "one accepted for less, one rejected: verified 90,000.00 → 54,000.00",
        invoices: ["120000.00", "30000.00"],
        verdicts: () => [
          { verdict: "accepted", verifiedAmount: "90000.00" },
          { verdict: "rejected", reason: "Prestation de formation non réalisée." },
        ],
        verified: "90000.00",
        payment: "54000.00",
      },
      {
        label: "verified 166,666.66 → 99,999.99",
        invoices: ["166666.66"],
        verdicts: () => [{ verdict: "accepted" }],
        verified: "166666.66",
        payment: "99999.99",
      },
    ];

    const minus = (left: string, right: string) => {
      const toCentimes = (amount: string) => {
        const [units = "0", fraction = "00"] = amount.split(".");
        return BigInt(units) * 100n + BigInt(fraction);
      };
      const result = toCentimes(left) - toCentimes(right);
      return `${result / 100n}.${String(result % 100n).padStart(2, "0")}`;
    };

    for (const testCase of CASES) {
      it(testCase.label, async () => {
        const { file, callId } = await approvedFile();
        const approvedBudget = budgetLine(await budgetOf(cast.officerB.session, callId));
        expect(approvedBudget).to.deep.include({ committed: "100000.00", paid: "0.00", available: "9900000.00" });
        expect(approvedBudget.sector).to.deep.include({
          committed: "100000.00",
          paid: "0.00",
          available: "4900000.00",
        });

        const claim = await claimed(file.id, testCase.invoices);
        const ordered = [...claim.invoices].sort((left, right) =>
          left.invoiceNumber.localeCompare(right.invoiceNumber),
        );
        const verdicts = testCase.verdicts(ordered.map((invoice) => invoice.id));
        const verified = await verifyRequest(
          cast.officerB.session,
          claim.id,
          ordered.map((invoice, index) => ({ id: invoice.id, ...verdicts[index]! })),
        );
        expect(verified.status, verified.text).to.equal(200);
        expect((verified.body as ClaimBody).verifiedAmount).to.equal(testCase.verified);

        const paid = await payRequest(cast.officerB.session, claim.id, "VIR-BP-2026-0042");
        expect(paid.status, paid.text).to.equal(200);
        expect(paid.body).to.deep.include({
          status: "paid",
          verifiedAmount: testCase.verified,
          paymentAmount: testCase.payment,
          paymentReference: "VIR-BP-2026-0042",
        });
        const afterPayment = await getApplication(cast.owner.session, file.id);
        expect(afterPayment.status).to.equal("paid");
        expect(afterPayment.review).to.deep.include({ approvedAmount: "100000.00", paidAmount: testCase.payment });

        // The payment moves from committed to paid, on the call's and the sector's envelopes.
        const held = minus("100000.00", testCase.payment);
        const paidBudget = budgetLine(await budgetOf(cast.officerB.session, callId));
        expect(paidBudget).to.deep.include({ committed: held, paid: testCase.payment, available: "9900000.00" });
        expect(paidBudget.sector).to.deep.include({ committed: held, paid: testCase.payment, available: "4900000.00" });
        const paymentRows = (await ledgerRowsOf(file.id)).filter((row) => row.kind === "payment");
        expect(paymentRows.map((row) => [row.sectorCode, row.amount])).to.deep.equal(
          testCase.payment === "0.00"
            ? []
            : [
                [null, testCase.payment],
                [SECTOR, testCase.payment],
              ],
        );

        // Paying again, or verifying again, is refused.
        expectProblem(await payRequest(cast.officerB.session, claim.id), 409, "conflict");
        expectProblem(
          await verifyRequest(cast.officerB.session, claim.id, [{ id: ordered[0]!.id, verdict: "accepted" }]),
          409,
          "conflict",
        );

        // Closing releases what was committed and not paid.
        const closed = await transition(cast.officerB.session, file.id, "close", "closed");
        expect(closed.review).to.deep.include({ approvedAmount: "100000.00", paidAmount: testCase.payment });
        const releases = (await ledgerRowsOf(file.id)).filter((row) => row.kind === "release");
        expect(releases.map((row) => [row.sectorCode, row.amount])).to.deep.equal(
          held === "0.00"
            ? []
            : [
                [null, held],
                [SECTOR, held],
              ],
        );
        const closedBudget = budgetLine(await budgetOf(cast.officerB.session, callId));
        const available = minus("10000000.00", testCase.payment);
        expect(closedBudget).to.deep.include({ committed: "0.00", paid: testCase.payment, available });
        expect(closedBudget.sector).to.deep.include({
          committed: "0.00",
          paid: testCase.payment,
          available: minus("5000000.00", testCase.payment),
        });
        const envelopes = await envelopesOf(callId);
        expect(envelopes.map((envelope) => envelope.committed)).to.deep.equal(["0.00", "0.00"]);
        // Closed is final.
        expectProblem(await transitionRequest(cast.officerB.session, file.id, "close"), 409, "conflict");
      });
    }

    it("paying before verification → 409, and nothing moves", async () => {
      const { file, callId } = await approvedFile();
      const claim = await claimed(file.id, ["100000.00"]);
      expectProblem(await payRequest(cast.officerB.session, claim.id), 409, "conflict");
      expect(await statusOf(file.id)).to.equal("claim_submitted");
      expect((await ledgerRowsOf(file.id)).map((row) => row.kind)).to.deep.equal(["commitment", "commitment"]);
      expect(budgetLine(await budgetOf(cast.officerB.session, callId))).to.deep.include({
        committed: "100000.00",
        paid: "0.00",
      });
      // Closing before payment → 409 too.
      expectProblem(await transitionRequest(cast.officerB.session, file.id, "close"), 409, "conflict");
      expectProblem(await payRequest(cast.officerB.session, "00000000-0000-4000-8000-000000000000"), 404, "not-found");
      expectProblem(await payRequest(cast.officerB.session, "not-a-uuid"), 404, "not-found");
      const noReference = await postRequest(cast.officerB.session, `/claims/${claim.id}/pay`, {});
      expectProblem(noReference, 422, "validation-failed");
    });

    it("the application-paid e-mail reaches the owner and the filing prescriber with the amount and the payment reference", async () => {
      const company = await freshCompany(cast.owner.user, prescriber.user);
      const callId = (await ownCall()).call.id;
      const file = await fileInStatus(cast, "approved", {
        filer: prescriber.session,
        company,
        callId,
        payload: { lines: LINE_FOR_100K },
      });
      const claim = await claimed(file.id, ["100000.00"]);
      expect(
        (await verifyRequest(cast.officerB.session, claim.id, [{ id: claim.invoices[0]!.id, verdict: "accepted" }]))
          .status,
      ).to.equal(200);
      expect((await payRequest(cast.officerB.session, claim.id, "VIR-2026-777")).status).to.equal(200);
      for (const address of [cast.owner.user.email, prescriber.user.email]) {
        const mails = await deliveredMails(address, "application-paid", file.reference!);
        expect(mails, `application-paid to ${address}`).to.have.length(1);
        expect(mails[0]!.textBody).to.include(displayMoney(6_000_000n, "fr"));
        expect(mails[0]!.textBody).to.include("VIR-2026-777");
      }
    });
  });

  describe("under concurrency", () => {
    const histogram = (statuses: number[]) => {
      const counts: Record<string, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      return counts;
    };

    it("10 parallel claims on one file: one 201, nine 409, one claim", async () => {
      const { file } = await approvedFile();
      const documents = await uploadClaimDocuments(cast.owner.session, file.id);
      const invoices = [invoicePayload(documents.invoices[0]!, "100000.00")];
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_unused, index) =>
          claimRequest(index % 2 === 0 ? cast.owner.session : prescriber.session, file.id, invoices),
        ),
      );
      expect(histogram(responses.map((response) => response.status))).to.deep.equal({ 201: 1, 409: 9 });
      for (const response of responses.filter((candidate) => candidate.status === 409)) {
        expectProblem(response, 409, "conflict");
      }
      const [row] = await ownerSequelize().query<{ count: string }>(
        "SELECT count(*) AS count FROM claims WHERE application_id = :id",
        { type: QueryTypes.SELECT, replacements: { id: file.id } },
      );
      expect(Number(row?.count)).to.equal(1);
    });

    it("10 parallel payments of one claim, then 10 parallel closures: one of each, the money moved once", async () => {
      const { file, callId } = await approvedFile();
      const claim = await claimed(file.id, ["100000.00"]);
      expect(
        (await verifyRequest(cast.officerB.session, claim.id, [{ id: claim.invoices[0]!.id, verdict: "accepted" }]))
          .status,
      ).to.equal(200);
      const payments = await Promise.all(
        Array.from({ length: 10 }, (_unused, index) =>
          payRequest(index % 2 === 0 ? cast.officerB.session : cast.officerA.session, claim.id, `VIR-${index}-2026`),
        ),
      );
      expect(histogram(payments.map((response) => response.status))).to.deep.equal({ 200: 1, 409: 9 });
      const closures = await Promise.all(
        Array.from({ length: 10 }, () => transitionRequest(cast.officerB.session, file.id, "close")),
      );
      expect(histogram(closures.map((response) => response.status))).to.deep.equal({ 200: 1, 409: 9 });
      expect((await ledgerRowsOf(file.id)).map((row) => [row.kind, row.sectorCode, row.amount])).to.deep.equal([
        ["commitment", null, "100000.00"],
        ["commitment", SECTOR, "100000.00"],
        ["payment", null, "60000.00"],
        ["payment", SECTOR, "60000.00"],
        ["release", null, "40000.00"],
        ["release", SECTOR, "40000.00"],
      ]);
      expect(budgetLine(await budgetOf(cast.officerB.session, callId))).to.deep.include({
        committed: "0.00",
        paid: "60000.00",
        available: "9940000.00",
      });
    });

    it("an admin's cancellation racing the company's claim: exactly one wins, and the ledger agrees", async () => {
      for (let round = 0; round < 3; round += 1) {
        const { file, callId } = await approvedFile();
        const documents = await uploadClaimDocuments(cast.owner.session, file.id);
        const [claimResponse, cancelResponse] = await Promise.all([
          claimRequest(cast.owner.session, file.id, [invoicePayload(documents.invoices[0]!, "100000.00")]),
          transitionRequest(cast.admin.session, file.id, "cancel"),
        ]);
        const outcome = [claimResponse.status, cancelResponse.status].sort();
        // The claim first (the cancellation finds a claimed file), or the cancellation first
        // (the claim finds a cancelled file).
        expect(
          [
            [201, 409],
            [200, 409],
          ],
          `${claimResponse.text}\n${cancelResponse.text}`,
        ).to.deep.include(outcome);
        const status = await statusOf(file.id);
        expect(status).to.equal(claimResponse.status === 201 ? "claim_submitted" : "cancelled");
        const budget = budgetLine(await budgetOf(cast.admin.session, callId));
        expect(budget.committed).to.equal(status === "cancelled" ? "0.00" : "100000.00");
        await expectLedgerHolds();
      }
    });
  });

  describe("envelopes that change after an approval", () => {
    // The programme manager sets the envelopes (SPEC.md, admin: "budget envelopes"); here a sector
    // envelope appears after the approval, as an admin would add it (written by the models).
    async function approvedThenSectorEnvelopeAdded() {
      const { call } = await createCall({ envelope: "10000000.00" });
      const { file } = await approvedFile({ callId: call.id });
      expect((await ledgerRowsOf(file.id)).map((row) => row.sectorCode)).to.deep.equal([null]);
      await Envelope.create({ callId: call.id, sectorCode: SECTOR, amount: "2000000.00" });
      return { file, callId: call.id };
    }

    it("payment and closure move money on the envelope that holds the commitment, not on one added since", async () => {
      const { file, callId } = await approvedThenSectorEnvelopeAdded();
      const claim = await claimed(file.id, ["100000.00"]);
      expect(
        (await verifyRequest(cast.officerB.session, claim.id, [{ id: claim.invoices[0]!.id, verdict: "accepted" }]))
          .status,
      ).to.equal(200);
      const paid = await payRequest(cast.officerB.session, claim.id);
      expect(paid.status, paid.text).to.equal(200);
      await transition(cast.officerB.session, file.id, "close", "closed");
      const budget = budgetLine(await budgetOf(cast.officerB.session, callId));
      expect(budget).to.deep.include({ committed: "0.00", paid: "60000.00", available: "9940000.00" });
      expect(budget.sector).to.deep.include({ committed: "0.00", paid: "0.00", available: "2000000.00" });
    });

    it("a cancellation releases the commitment where it was made, not on an envelope added since", async () => {
      const { file, callId } = await approvedThenSectorEnvelopeAdded();
      const cancelled = await transitionRequest(cast.admin.session, file.id, "cancel");
      expect(cancelled.status, cancelled.text).to.equal(200);
      const budget = budgetLine(await budgetOf(cast.admin.session, callId));
      expect(budget).to.deep.include({ committed: "0.00", available: "10000000.00" });
      expect(budget.sector).to.deep.include({ committed: "0.00", available: "2000000.00" });
    });
  });

  describe("the company's cap after closure", () => {
    it("a closed file counts for what was paid, not what was approved, in another call of the same programme", async () => {
      const company = await freshCompany(cast.owner.user, prescriber.user);
      const { file } = await approvedFile({ target: company });
      const otherCall = (await ownCall()).call;
      const bigLines = [{ category: "software", label: "ERP intégré", amountExclTax: "1000000.00", vatRate: "0.20" }];
      const draft = await createDraft(
        cast.owner.session,
        applicationPayload(company.id, otherCall.id, { lines: bigLines }),
      );
      expect(draft).to.deep.include({ capUsed: "100000.00", grantAmount: "300000.00" });

      const claim = await claimed(file.id, ["100000.00"]);
      await verifyRequest(cast.officerB.session, claim.id, [{ id: claim.invoices[0]!.id, verdict: "accepted" }]);
      expect((await payRequest(cast.officerB.session, claim.id)).status).to.equal(200);
      // Paid but not closed: the whole approval still counts.
      expect(await getApplication(cast.owner.session, draft.id)).to.deep.include({
        capUsed: "100000.00",
        grantAmount: "300000.00",
      });
      await transition(cast.officerB.session, file.id, "close", "closed");
      expect(await getApplication(cast.owner.session, draft.id)).to.deep.include({
        capUsed: "60000.00",
        grantAmount: "340000.00",
      });
    });
  });
});
