import { expect } from "chai";
import { DatabaseError, QueryTypes } from "sequelize";
import request, { type Response } from "supertest";
import { fromDatabase } from "../../server/domain/money.js";
import { displayMoney } from "../../server/i18n/format.js";
import type { Call, Company } from "../../server/models/index.js";
import {
  applicationPayload,
  createDraft,
  idempotencyKey,
  pdfFile,
  readyApplication,
  seededCall,
  submitRequest,
  uploadDocument,
  uploadRequest,
} from "../factories/applications.js";
import { createCall } from "../factories/reference.js";
import {
  budgetOf,
  claimRequest,
  deliveredMails,
  fileInStatus,
  forceStatus,
  freshCompany,
  getApplication,
  getRequest,
  invoicePayload,
  patchRequest,
  player,
  postRequest,
  queuedMails,
  statusOf,
  transition,
  transitionRequest,
  uploadClaimDocuments,
  type Player,
  type ReviewCast,
  type ReviewedBody,
} from "../factories/review.js";
import { anonymousSession, clearRateLimits, type BrowserSession, type SignedIn } from "../helpers/auth.js";
import { expectLedgerHolds, ledgerRowsOf } from "../helpers/ledger.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, TEST_NOW } from "../helpers/testDatabase.js";
import { auditActionsOf } from "./applicationsApi.js";

/** The twelve statuses of SPEC.md's status machine. */
const STATUSES = [
  "draft",
  "submitted",
  "in_review",
  "info_requested",
  "examined",
  "approved",
  "rejected",
  "claim_submitted",
  "paid",
  "closed",
  "withdrawn",
  "cancelled",
] as const;
type Status = (typeof STATUSES)[number];

const historyCount = async (applicationId: string) => {
  const [row] = await ownerSequelize().query<{ count: string }>(
    "SELECT count(*) AS count FROM application_status_changes WHERE application_id = :applicationId",
    { type: QueryTypes.SELECT, replacements: { applicationId } },
  );
  return Number(row?.count);
};

interface HistoryItem {
  fromStatus: string | null;
  toStatus: string;
  comment: string | null;
  actorName: string | null;
  actorRole: string | null;
}

async function historyOf(session: BrowserSession, applicationId: string): Promise<HistoryItem[]> {
  const response = await getRequest(session, `/applications/${applicationId}/history`);
  expect(response.status, response.text).to.equal(200);
  return (response.body as { items: HistoryItem[] }).items;
}

describe("officer review (SPEC.md status machine, four-eyes, conflicts of interest)", function () {
  this.timeout(120_000);

  const context = useTestApp();
  let cast: ReviewCast;
  let prescriber: Player;
  /** A third officer, for conflicts of interest. */
  let officerC: Player;
  /** An applicant with no link to any file of this suite. */
  let stranger: Player;
  let trainer: Player;
  let call: Call;

  before(async () => {
    await clearRateLimits();
    const app = context().app;
    cast = {
      owner: await player(app, "applicant", "Fatima Zahra Alaoui"),
      officerA: await player(app, "officer", "Youssef Examinateur"),
      officerB: await player(app, "officer", "Salma Décideuse"),
      admin: await player(app, "admin", "Directrice du programme"),
    };
    prescriber = await player(app, "prescriber", "Karima Bennis");
    officerC = await player(app, "officer", "Omar Tiers");
    stranger = await player(app, "applicant", "Hicham Étranger");
    trainer = await player(app, "trainer", "Formateur Permis");
    call = await seededCall();
  });

  afterEach(expectLedgerHolds);

  const company = (profile: Parameters<typeof freshCompany>[2] = {}) =>
    freshCompany(cast.owner.user, prescriber.user, profile);
  const fileIn = async (status: Status, options: { filer?: SignedIn; target?: Company } = {}) =>
    fileInStatus(cast, status, {
      company: options.target ?? (await company()),
      callId: call.id,
      ...(options.filer ? { filer: options.filer } : {}),
    });

  describe("the status machine over HTTP: every action × every status", () => {
    type Caller = "owner" | "officerB" | "admin";
    interface ActionSpec {
      name: string;
      caller: Caller;
      legalFrom: readonly Status[];
      to: Status;
      run: (session: BrowserSession, applicationId: string) => request.Test | Promise<Response>;
    }
    const fakeInvoice = {
      documentId: "00000000-0000-4000-8000-000000000001",
      invoiceNumber: "FAC-1",
      supplierName: "Fournisseur",
      invoiceDate: "2026-06-01",
      amountExclTax: "1000.00",
    };
    const ACTIONS: ActionSpec[] = [
      {
        name: "submit",
        caller: "owner",
        legalFrom: ["draft", "info_requested"],
        to: "submitted",
        run: (session, id) => submitRequest(session, id, idempotencyKey("machine")),
      },
      {
        name: "withdraw",
        caller: "owner",
        legalFrom: ["draft", "submitted", "info_requested"],
        to: "withdrawn",
        run: (session, id) => transitionRequest(session, id, "withdraw"),
      },
      {
        name: "start-review",
        caller: "officerB",
        legalFrom: ["submitted"],
        to: "in_review",
        run: (session, id) => transitionRequest(session, id, "start-review"),
      },
      {
        name: "request-info",
        caller: "officerB",
        legalFrom: ["in_review"],
        to: "info_requested",
        run: (session, id) => transitionRequest(session, id, "request-info"),
      },
      {
        name: "examine",
        caller: "officerB",
        legalFrom: ["in_review"],
        to: "examined",
        run: (session, id) => transitionRequest(session, id, "examine"),
      },
      {
        name: "approve",
        caller: "officerB",
        legalFrom: ["examined"],
        to: "approved",
        run: (session, id) => transitionRequest(session, id, "approve"),
      },
      {
        name: "reject",
        caller: "officerB",
        legalFrom: ["examined"],
        to: "rejected",
        run: (session, id) => transitionRequest(session, id, "reject"),
      },
      {
        name: "cancel",
        caller: "admin",
        legalFrom: ["approved"],
        to: "cancelled",
        run: (session, id) => transitionRequest(session, id, "cancel"),
      },
      {
        name: "close",
        caller: "officerB",
        legalFrom: ["paid"],
        to: "closed",
        run: (session, id) => transitionRequest(session, id, "close"),
      },
      {
        name: "claims",
        caller: "owner",
        legalFrom: ["approved"],
        to: "claim_submitted",
        run: async (session, id) => {
          // The legal case sends real documents; an illegal one is refused before they are looked at.
          if ((await statusOf(id)) !== "approved") return claimRequest(session, id, [fakeInvoice]);
          const documents = await uploadClaimDocuments(session, id);
          return claimRequest(session, id, [invoicePayload(documents.invoices[0]!, "100000.00")]);
        },
      },
    ];
    const sessionOf = (caller: Caller) =>
      caller === "owner" ? cast.owner.session : caller === "officerB" ? cast.officerB.session : cast.admin.session;

    /** One file per status, reached by the API; the draft is a submitted file put back to draft by SQL. */
    const files = new Map<Status, ReviewedBody>();

    before(async function () {
      this.timeout(180_000);
      for (const status of STATUSES) {
        if (status === "draft") continue;
        files.set(status, await fileIn(status));
      }
      // A draft has no reference, and officers never see one (404): to meet the status machine
      // itself, a submitted file is put back to draft (with its reference) by SQL.
      const draft = await fileIn("submitted");
      await forceStatus(draft.id, "draft");
      files.set("draft", { ...draft, status: "draft" });
    });

    for (const action of ACTIONS) {
      for (const status of STATUSES) {
        if (action.legalFrom.includes(status)) {
          it(`${action.name} from ${status} (${action.caller}): 2xx → ${action.to}`, async () => {
            const file = await fileIn(status);
            const response = await action.run(sessionOf(action.caller), file.id);
            expect(response.status, response.text).to.be.oneOf([200, 201]);
            expect(await statusOf(file.id)).to.equal(action.to);
          });
        } else {
          it(`${action.name} from ${status} (${action.caller}): 409, nothing changes`, async () => {
            const file = files.get(status);
            if (!file) throw new Error(`no file in ${status}`);
            const before = await historyCount(file.id);
            const ledgerBefore = await ledgerRowsOf(file.id);
            const response = await action.run(sessionOf(action.caller), file.id);
            expectProblem(response, 409, "conflict");
            expect(await statusOf(file.id)).to.equal(status);
            expect(await historyCount(file.id)).to.equal(before);
            expect(await ledgerRowsOf(file.id)).to.deep.equal(ledgerBefore);
          });
        }
      }
    }

    it("a real draft (no reference) is invisible to officers and admins: 404 on every action", async () => {
      const draft = await readyApplication(cast.owner.session, applicationPayload((await company()).id, call.id));
      for (const action of ACTIONS.filter((candidate) => candidate.caller !== "owner")) {
        expectProblem(await action.run(sessionOf(action.caller), draft.id), 404, "not-found");
      }
      expect(await statusOf(draft.id)).to.equal("draft");
    });
  });

  describe("request for information, answered by the applicant", () => {
    it("e-mails the message to the owner and the filing prescriber; the applicant edits and resubmits with a new key", async () => {
      const target = await company({ name: "Bennis Textile SARL" });
      const submitted = await fileIn("submitted", { filer: prescriber.session, target });
      await transition(cast.officerA.session, submitted.id, "start-review", "in_review");
      // In review, the company cannot change its file.
      expectProblem(
        await patchRequest(cast.owner.session, `/applications/${submitted.id}`, { description: "Trop tard" }),
        409,
        "conflict",
      );

      const message = "Merci de joindre l'attestation CNSS à jour et le devis signé du fournisseur.";
      const asked = await transition(cast.officerA.session, submitted.id, "request-info", "info_requested", {
        message,
      });
      expect(asked.reference).to.equal(submitted.reference);

      for (const address of [cast.owner.user.email, prescriber.user.email]) {
        const mails = await deliveredMails(address, "application-info-requested", submitted.reference!);
        expect(mails, `application-info-requested to ${address}`).to.have.length(1);
        expect(mails[0]!.textBody).to.include(message);
        expect(mails[0]!.textBody).to.include(submitted.reference!);
      }

      // The owner changes the file, then resubmits it with a new Idempotency-Key.
      const patched = await patchRequest(cast.owner.session, `/applications/${submitted.id}`, {
        lines: [{ category: "software", label: "Licence ERP confection", amountExclTax: "120000.00", vatRate: "0.20" }],
      });
      expect(patched.status, patched.text).to.equal(200);
      expect((patched.body as ReviewedBody).grantAmount).to.equal("72000.00");
      await uploadDocument(cast.owner.session, submitted.id, "cnss_certificate", pdfFile("cnss.pdf"));

      const resubmitted = await submitRequest(cast.owner.session, submitted.id, idempotencyKey("resubmit"));
      expect(resubmitted.status, resubmitted.text).to.equal(200);
      const body = resubmitted.body as ReviewedBody;
      expect(body.status).to.equal("submitted");
      expect(body.reference).to.equal(submitted.reference);
      expect(body.grantAmount).to.equal("72000.00");

      // (The order of these rows is the subject of the next tests: here, what they say.)
      const history = await historyOf(cast.owner.session, submitted.id);
      expect(history.map((item) => [item.fromStatus, item.toStatus])).to.have.deep.members([
        [null, "draft"],
        ["draft", "submitted"],
        ["submitted", "in_review"],
        ["in_review", "info_requested"],
        ["info_requested", "submitted"],
      ]);
      expect(history.find((item) => item.toStatus === "info_requested")).to.deep.include({
        comment: message,
        actorRole: "officer",
        actorName: "Youssef Examinateur",
      });
      // The officer reads the same history, and the resubmitted file is back in review's hands.
      expect(await historyOf(cast.officerB.session, submitted.id)).to.have.length(5);
      await transition(cast.officerA.session, submitted.id, "start-review", "in_review");
    });

    /** Draft, submission, review, request for information, resubmission; `tick` runs before each step. */
    async function requestInfoRound(tick: (step: number) => void): Promise<string> {
      tick(0);
      const draft = await readyApplication(cast.owner.session, applicationPayload((await company()).id, call.id));
      tick(1);
      expect((await submitRequest(cast.owner.session, draft.id)).status).to.equal(200);
      tick(2);
      await transition(cast.officerA.session, draft.id, "start-review", "in_review");
      tick(3);
      await transition(cast.officerA.session, draft.id, "request-info", "info_requested");
      tick(4);
      expect((await submitRequest(cast.owner.session, draft.id, idempotencyKey("again"))).status).to.equal(200);
      return draft.id;
    }
    const EXPECTED_ORDER = [
      [null, "draft"],
      ["draft", "submitted"],
      ["submitted", "in_review"],
      ["in_review", "info_requested"],
      ["info_requested", "submitted"],
    ];

    it("the history shows draft → submitted → in_review → info_requested → submitted, in that order (a clock that moves)", async () => {
      try {
        const id = await requestInfoRound((step) =>
          context().clock.set(new Date(Date.parse(TEST_NOW) + step * 60_000)),
        );
        const history = await historyOf(cast.owner.session, id);
        expect(history.map((item) => [item.fromStatus, item.toStatus])).to.deep.equal(EXPECTED_ORDER);
      } finally {
        context().clock.set(TEST_NOW);
      }
    });

    it("the history keeps that order when the changes share one instant (the application clock did not move)", async () => {
      const id = await requestInfoRound(() => undefined);
      for (const session of [cast.owner.session, cast.officerB.session]) {
        const history = await historyOf(session, id);
        expect(
          history.map((item) => [item.fromStatus, item.toStatus]),
          "history rows of one instant come back in random (uuid) order",
        ).to.deep.equal(EXPECTED_ORDER);
      }
    });

    it("refuses a request without a message (422), and leaves the file in review", async () => {
      const file = await fileIn("in_review");
      for (const body of [{}, { message: "" }, { message: "abc" }]) {
        const problem = expectProblem(
          await transitionRequest(cast.officerA.session, file.id, "request-info", body),
          422,
          "validation-failed",
        );
        expect(problem.errors?.map((error) => error.path)).to.deep.equal(["message"]);
      }
      expect(await statusOf(file.id)).to.equal("in_review");
    });
  });

  describe("examination (the proposal)", () => {
    it("refuses an amount above the computed grant (422 on amount) and leaves the file in review", async () => {
      const file = await fileIn("in_review");
      expect(file.grantAmount).to.equal("60000.00");
      const problem = expectProblem(
        await transitionRequest(cast.officerA.session, file.id, "examine", {
          proposal: "approve",
          amount: "60000.01",
          comment: "Trop généreux",
        }),
        422,
        "validation-failed",
      );
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["amount"]);
      expect(problem.errors?.[0]?.message).to.include("60");
      expect(await statusOf(file.id)).to.equal("in_review");
    });

    it("refuses a zero amount, an amount with three decimals, an unknown proposal and a missing comment", async () => {
      const file = await fileIn("in_review");
      const cases: Array<[object, string]> = [
        [{ proposal: "approve", amount: "0.00", comment: "Zéro" }, "amount"],
        [{ proposal: "approve", amount: "100.001", comment: "Trois décimales" }, "amount"],
        [{ proposal: "maybe", comment: "Hésitation" }, "proposal"],
        [{ proposal: "approve" }, "comment"],
      ];
      for (const [body, path] of cases) {
        const problem = expectProblem(
          await transitionRequest(cast.officerA.session, file.id, "examine", body),
          422,
          "validation-failed",
        );
        expect(
          problem.errors?.map((error) => error.path),
          JSON.stringify(body),
        ).to.include(path);
      }
      expect(await statusOf(file.id)).to.equal("in_review");
    });

    it("without an amount, proposes the computed grant; the review block shows the proposal", async () => {
      const file = await fileIn("in_review");
      const examined = await transition(cast.officerA.session, file.id, "examine", "examined", {
        proposal: "approve",
        comment: "Dossier complet.",
      });
      expect(examined.review).to.deep.include({
        proposal: "approve",
        proposedAmount: "60000.00",
        proposalComment: "Dossier complet.",
        decidedAt: null,
        approvedAmount: null,
        paidAmount: null,
      });
      expect(examined.review.examinedAt).to.be.a("string");
      // The company sees the proposal too.
      expect((await getApplication(cast.owner.session, file.id)).review.proposedAmount).to.equal("60000.00");
    });

    it("a lower proposed amount is what the second officer approves by default", async () => {
      const file = await fileIn("in_review");
      await transition(cast.officerA.session, file.id, "examine", "examined", {
        proposal: "approve",
        amount: "45000.50",
        comment: "Une ligne de services hors périmètre.",
      });
      const approved = await transition(cast.officerB.session, file.id, "approve", "approved", {});
      expect(approved.review).to.deep.include({ proposedAmount: "45000.50", approvedAmount: "45000.50" });
      expect((await ledgerRowsOf(file.id)).map((row) => [row.sectorCode, row.kind, row.amount])).to.deep.equal([
        [null, "commitment", "45000.50"],
        ["textile-habillement", "commitment", "45000.50"],
      ]);
    });

    it("a proposal to reject carries no amount", async () => {
      const file = await fileIn("in_review");
      const examined = await transition(cast.officerA.session, file.id, "examine", "examined", {
        proposal: "reject",
        amount: "1000.00",
        comment: "Entreprise hors cible.",
      });
      expect(examined.review).to.deep.include({ proposal: "reject", proposedAmount: null });
    });

    it("the approver may grant less than proposed, never more than the grant (422, nothing committed)", async () => {
      const file = await fileIn("examined");
      const problem = expectProblem(
        await transitionRequest(cast.officerB.session, file.id, "approve", { amount: "60000.01" }),
        422,
        "validation-failed",
      );
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["amount"]);
      expect(await statusOf(file.id)).to.equal("examined");
      expect(await ledgerRowsOf(file.id)).to.deep.equal([]);
      const approved = await transition(cast.officerB.session, file.id, "approve", "approved", { amount: "30000.00" });
      expect(approved.review.approvedAmount).to.equal("30000.00");
    });
  });

  describe("four-eyes", () => {
    it("the examiner approving or rejecting its own proposal → 403 and nothing changes; a second officer → 200", async () => {
      const file = await fileIn("examined");
      const before = await historyCount(file.id);
      for (const action of ["approve", "reject"] as const) {
        const problem = expectProblem(
          await transitionRequest(cast.officerA.session, file.id, action),
          403,
          "forbidden",
        );
        expect(problem.detail).to.be.a("string");
      }
      expect(await statusOf(file.id)).to.equal("examined");
      expect(await historyCount(file.id)).to.equal(before);
      expect(await ledgerRowsOf(file.id)).to.deep.equal([]);
      const decided = await ownerSequelize().query<{ decided_by: string | null; approved_amount: string | null }>(
        "SELECT decided_by, approved_amount FROM applications WHERE id = :id",
        { type: QueryTypes.SELECT, replacements: { id: file.id } },
      );
      expect(decided[0]).to.deep.equal({ decided_by: null, approved_amount: null });

      const approved = await transition(cast.officerB.session, file.id, "approve", "approved");
      expect(approved.review.approvedAmount).to.equal("60000.00");
      expect(approved.review.decidedAt).to.be.a("string");
    });

    it("permissions: approve and reject are false for the examiner, true for another officer, false for the company", async () => {
      const file = await fileIn("examined");
      const asExaminer = await getApplication(cast.officerA.session, file.id);
      expect(asExaminer.permissions).to.deep.include({
        approve: false,
        reject: false,
        examine: false,
        startReview: false,
      });
      const asSecond = await getApplication(cast.officerB.session, file.id);
      expect(asSecond.permissions).to.deep.include({ approve: true, reject: true, examine: false, cancel: false });
      const asOwner = await getApplication(cast.owner.session, file.id);
      expect(asOwner.permissions).to.deep.include({ approve: false, reject: false, update: false, submit: false });
      const asAdmin = await getApplication(cast.admin.session, file.id);
      expect(asAdmin.permissions).to.deep.include({ approve: false, cancel: false });
      // Once approved, the admin may cancel it and the officer may not.
      await transition(cast.officerB.session, file.id, "approve", "approved");
      expect((await getApplication(cast.admin.session, file.id)).permissions).to.deep.include({ cancel: true });
      expect((await getApplication(cast.officerB.session, file.id)).permissions).to.deep.include({
        cancel: false,
        approve: false,
      });
      expect((await getApplication(cast.owner.session, file.id)).permissions).to.deep.include({
        submitClaim: true,
        uploadDocument: true,
      });
    });

    it("the examiner may not reject its own proposal either, but a second officer may (with the reason e-mailed)", async () => {
      const target = await company();
      const file = await fileIn("examined", { filer: prescriber.session, target });
      expectProblem(await transitionRequest(cast.officerA.session, file.id, "reject"), 403, "forbidden");
      const reason = "Le devis ne correspond à aucune solution du catalogue sectoriel.";
      const rejected = await transition(cast.officerB.session, file.id, "reject", "rejected", { reason });
      expect(rejected.review.decidedAt).to.be.a("string");
      expect(rejected.review.approvedAmount).to.equal(null);
      const history = await historyOf(cast.owner.session, file.id);
      expect(history.find((item) => item.toStatus === "rejected")).to.deep.include({
        fromStatus: "examined",
        comment: reason,
      });
      for (const address of [cast.owner.user.email, prescriber.user.email]) {
        const mails = await deliveredMails(address, "application-rejected", file.reference!);
        expect(mails, `application-rejected to ${address}`).to.have.length(1);
        expect(mails[0]!.textBody).to.include(reason);
      }
    });

    it("the database refuses a decision by the examiner even if the code let one through (CHECK applications_four_eyes)", async () => {
      const file = await fileIn("examined");
      let failure: unknown = null;
      try {
        await ownerSequelize().query("UPDATE applications SET decided_by = examined_by WHERE id = :id", {
          replacements: { id: file.id },
        });
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(DatabaseError);
      expect(String((failure as DatabaseError).parent)).to.include("applications_four_eyes");
    });
  });

  describe("approval: money and e-mails", () => {
    it("commits the grant on the call's and the sector's envelopes, and e-mails owner and prescriber the amount", async () => {
      const target = await company();
      const file = await fileIn("examined", { filer: prescriber.session, target });
      const before = await budgetOf(cast.officerB.session, call.id);
      const response = await transitionRequest(cast.officerB.session, file.id, "approve", {
        comment: "Accord au vu du rapport d'examen.",
      });
      expect(response.status, response.text).to.equal(200);
      const approved = response.body as ReviewedBody;
      expect(approved.review.approvedAmount).to.equal("60000.00");
      // One audit event for the decision, by the approver, with the amount.
      const events = await auditActionsOf(response);
      const decision = events.find((event) => event.action === "application.approved");
      expect(decision, events.map((event) => event.action).join(", ")).to.not.equal(undefined);
      expect(decision).to.deep.include({ actorId: cast.officerB.user.id, entityId: file.id });
      expect(decision!.after).to.deep.include({ status: "approved", approvedAmount: "60000.00" });

      const after = await budgetOf(cast.officerB.session, call.id);
      expect(fromDatabase(after.committed) - fromDatabase(before.committed)).to.equal(6_000_000n);
      expect(fromDatabase(before.available) - fromDatabase(after.available)).to.equal(6_000_000n);
      const sectorBefore = before.bySector.find((line) => line.sectorCode === "textile-habillement")!;
      const sectorAfter = after.bySector.find((line) => line.sectorCode === "textile-habillement")!;
      expect(fromDatabase(sectorAfter.committed) - fromDatabase(sectorBefore.committed)).to.equal(6_000_000n);
      expect(after.bySector.filter((line) => line.sectorCode !== "textile-habillement")).to.deep.equal(
        before.bySector.filter((line) => line.sectorCode !== "textile-habillement"),
      );
      expect(after.envelope).to.equal("80000000.00");

      const amount = displayMoney(6_000_000n, "fr");
      for (const address of [cast.owner.user.email, prescriber.user.email]) {
        const mails = await deliveredMails(address, "application-approved", file.reference!);
        expect(mails, `application-approved to ${address}`).to.have.length(1);
        expect(mails[0]!.textBody).to.include(amount);
        expect(mails[0]!.textBody).to.include(file.reference!);
      }
      const history = await historyOf(cast.officerA.session, file.id);
      expect(history.find((item) => item.toStatus === "approved")).to.deep.include({
        fromStatus: "examined",
        comment: "Accord au vu du rapport d'examen.",
        actorName: "Salma Décideuse",
      });
    });
  });

  describe("cancellation (the programme manager's)", () => {
    it("is refused to officers (403) and to the company (403); the admin's releases the commitment", async () => {
      const file = await fileIn("approved");
      const before = await budgetOf(cast.admin.session, call.id);
      for (const session of [cast.officerA.session, cast.officerB.session, cast.owner.session]) {
        expectProblem(await transitionRequest(session, file.id, "cancel"), 403, "forbidden");
      }
      expect(await statusOf(file.id)).to.equal("approved");

      const reason = "Fausse déclaration sur l'honneur constatée au contrôle.";
      const cancelled = await transition(cast.admin.session, file.id, "cancel", "cancelled", { reason });
      expect(cancelled.review.approvedAmount).to.equal("60000.00");
      expect((await ledgerRowsOf(file.id)).map((row) => [row.sectorCode, row.kind, row.amount])).to.deep.equal([
        [null, "commitment", "60000.00"],
        ["textile-habillement", "commitment", "60000.00"],
        [null, "release", "60000.00"],
        ["textile-habillement", "release", "60000.00"],
      ]);
      const after = await budgetOf(cast.admin.session, call.id);
      expect(fromDatabase(before.committed) - fromDatabase(after.committed)).to.equal(6_000_000n);
      expect(fromDatabase(after.available) - fromDatabase(before.available)).to.equal(6_000_000n);
      const queued = await queuedMails(cast.owner.user.email, "application-cancelled");
      expect(queued.map((message) => message.data.reason)).to.include(reason);
      // Cancelled is final.
      expectProblem(await transitionRequest(cast.admin.session, file.id, "cancel"), 409, "conflict");
    });

    it("a cancelled grant no longer counts against the company's cap", async () => {
      const target = await company();
      const file = await fileIn("approved", { target });
      const other = await createCall({ envelope: "5000000.00" });
      const draftWhileApproved = await createDraft(
        cast.owner.session,
        applicationPayload(target.id, other.call.id, {
          lines: [{ category: "software", label: "ERP", amountExclTax: "1000000.00", vatRate: "0.20" }],
        }),
      );
      expect(draftWhileApproved.capUsed).to.equal("60000.00");
      expect(draftWhileApproved.grantAmount).to.equal("340000.00");
      await transition(cast.admin.session, file.id, "cancel", "cancelled");
      const after = await getApplication(cast.owner.session, draftWhileApproved.id);
      expect(after.capUsed).to.equal("0.00");
      expect(after.grantAmount).to.equal("400000.00");
    });
  });

  describe("conflicts of interest", () => {
    it("an officer who declared a link with a company may read its files but act on none (403); other companies are unaffected", async () => {
      const linked = await company({ name: "Cousins Confection SARL" });
      const declared = await postRequest(officerC.session, "/conflicts", {
        companyId: linked.id,
        reason: "Mon beau-frère en est le gérant.",
      });
      expect(declared.status, declared.text).to.equal(201);
      expect(declared.body).to.deep.include({ companyId: linked.id, reason: "Mon beau-frère en est le gérant." });
      expect(declared.body.id).to.be.a("string");

      expectProblem(
        await postRequest(officerC.session, "/conflicts", { companyId: linked.id, reason: "Encore une fois" }),
        409,
        "conflict",
      );

      const listed = await getRequest(officerC.session, "/conflicts");
      expect(listed.status, listed.text).to.equal(200);
      expect(listed.body.total).to.equal(1);
      expect(listed.body.items[0]).to.deep.include({
        companyId: linked.id,
        companyName: "Cousins Confection SARL",
        companyIce: linked.ice,
        reason: "Mon beau-frère en est le gérant.",
      });
      // Another officer's list is its own.
      expect((await getRequest(cast.officerA.session, "/conflicts")).body.total).to.equal(0);

      const submitted = await fileIn("submitted", { target: linked });
      expectProblem(await transitionRequest(officerC.session, submitted.id, "start-review"), 403, "forbidden");
      const read = await getApplication(officerC.session, submitted.id);
      expect(read.permissions).to.deep.include({ read: true, startReview: false, examine: false });

      await transition(cast.officerA.session, submitted.id, "start-review", "in_review");
      expectProblem(await transitionRequest(officerC.session, submitted.id, "examine"), 403, "forbidden");
      expectProblem(await transitionRequest(officerC.session, submitted.id, "request-info"), 403, "forbidden");
      const quote = submitted.documents.find((document) => document.type === "quote")!;
      expectProblem(
        await postRequest(officerC.session, `/applications/${submitted.id}/documents/${quote.id}/verdict`, {
          verdict: "accepted",
        }),
        403,
        "forbidden",
      );

      await transition(cast.officerA.session, submitted.id, "examine", "examined");
      for (const action of ["approve", "reject"] as const) {
        expectProblem(await transitionRequest(officerC.session, submitted.id, action), 403, "forbidden");
      }
      expect(await statusOf(submitted.id)).to.equal("examined");
      expect(await ledgerRowsOf(submitted.id)).to.deep.equal([]);
      expect((await getApplication(officerC.session, submitted.id)).permissions).to.deep.include({
        approve: false,
        reject: false,
      });

      // Another company's file: officer C works normally.
      const unrelated = await fileIn("submitted");
      await transition(officerC.session, unrelated.id, "start-review", "in_review");
      await transition(officerC.session, unrelated.id, "examine", "examined");
      await transition(cast.officerB.session, unrelated.id, "approve", "approved");
    });

    it("refuses a declaration for an unknown company (422), without a reason (422), by an applicant (403), anonymous (401)", async () => {
      const unknown = await postRequest(officerC.session, "/conflicts", {
        companyId: "00000000-0000-4000-8000-000000000000",
        reason: "Je ne sais pas",
      });
      expect(expectProblem(unknown, 422, "validation-failed").errors?.map((error) => error.path)).to.deep.equal([
        "companyId",
      ]);
      const target = await company();
      const noReason = await postRequest(officerC.session, "/conflicts", { companyId: target.id });
      expect(expectProblem(noReason, 422, "validation-failed").errors?.map((error) => error.path)).to.deep.equal([
        "reason",
      ]);
      expectProblem(
        await postRequest(cast.owner.session, "/conflicts", { companyId: target.id, reason: "Je suis le gérant" }),
        403,
        "forbidden",
      );
      expectProblem(await getRequest(cast.owner.session, "/conflicts"), 403, "forbidden");
      expectProblem(await request(context().app).get("/api/v1/conflicts"), 401, "unauthenticated");
    });

    it("an administrator with a declared link may not cancel the company's grant", async () => {
      const linked = await company();
      const admin2 = await player(context().app, "admin", "Administrateur lié");
      const declared = await postRequest(admin2.session, "/conflicts", { companyId: linked.id, reason: "Associé" });
      expect(declared.status, declared.text).to.equal(201);
      const file = await fileIn("approved", { target: linked });
      expectProblem(await transitionRequest(admin2.session, file.id, "cancel"), 403, "forbidden");
      expect(await statusOf(file.id)).to.equal("approved");
    });
  });

  describe("who may call the officers' actions", () => {
    const OFFICER_ACTIONS = [
      "start-review",
      "request-info",
      "examine",
      "approve",
      "reject",
      "cancel",
      "close",
    ] as const;

    it("the owner and the mandated prescriber read the file but get 403 on every officer action", async () => {
      const file = await fileIn("submitted");
      for (const session of [cast.owner.session, prescriber.session]) {
        expect((await getRequest(session, `/applications/${file.id}`)).status).to.equal(200);
        for (const action of OFFICER_ACTIONS) {
          expectProblem(await transitionRequest(session, file.id, action), 403, "forbidden");
        }
      }
      expect(await statusOf(file.id)).to.equal("submitted");
    });

    it("an unrelated applicant and a trainer get 404 on the file and on every action", async () => {
      const file = await fileIn("submitted");
      for (const session of [stranger.session, trainer.session]) {
        expectProblem(await getRequest(session, `/applications/${file.id}`), 404, "not-found");
        for (const action of [...OFFICER_ACTIONS, "withdraw"] as const) {
          expectProblem(await transitionRequest(session, file.id, action), 404, "not-found");
        }
      }
      expect(await statusOf(file.id)).to.equal("submitted");
    });

    it("an administrator reads a submitted file but does not instruct it (403)", async () => {
      const file = await fileIn("submitted");
      expect((await getRequest(cast.admin.session, `/applications/${file.id}`)).status).to.equal(200);
      for (const action of ["start-review", "request-info", "examine", "approve", "reject", "close"] as const) {
        expectProblem(await transitionRequest(cast.admin.session, file.id, action), 403, "forbidden");
      }
    });

    it("officers may not submit or withdraw the company's file (403), nor claim (403)", async () => {
      const file = await fileIn("submitted");
      expectProblem(await transitionRequest(cast.officerB.session, file.id, "withdraw"), 403, "forbidden");
      expectProblem(await submitRequest(cast.officerB.session, file.id, idempotencyKey("officer")), 403, "forbidden");
      expectProblem(
        await claimRequest(cast.officerB.session, file.id, [
          invoicePayload({ id: "00000000-0000-4000-8000-000000000002" }, "10.00"),
        ]),
        403,
        "forbidden",
      );
    });

    it("unknown or malformed ids answer 404", async () => {
      for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
        expectProblem(await transitionRequest(cast.officerB.session, id, "start-review"), 404, "not-found");
      }
    });

    it("anonymous callers get 401", async () => {
      const file = await fileIn("submitted");
      const anonymous = await anonymousSession(context().app);
      for (const action of OFFICER_ACTIONS) {
        expectProblem(await transitionRequest(anonymous, file.id, action), 401, "unauthenticated");
      }
    });
  });

  describe("the document checklist", () => {
    it("an officer accepts a document, or rejects it with a reason (422 without); only while the file is reviewed (409)", async () => {
      const file = await fileIn("submitted");
      const quote = file.documents.find((document) => document.type === "quote")!;
      const verdict = (body: object) =>
        postRequest(cast.officerA.session, `/applications/${file.id}/documents/${quote.id}/verdict`, body);
      expectProblem(await verdict({ verdict: "accepted" }), 409, "conflict");
      await transition(cast.officerA.session, file.id, "start-review", "in_review");
      const problem = expectProblem(await verdict({ verdict: "rejected" }), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["reason"]);
      const rejected = await verdict({ verdict: "rejected", reason: "Devis non signé" });
      expect(rejected.status, rejected.text).to.equal(200);
      expect(rejected.body).to.deep.include({ verdict: "rejected", verdictReason: "Devis non signé" });
      const accepted = await verdict({ verdict: "accepted" });
      expect(accepted.body).to.deep.include({ verdict: "accepted", verdictReason: null });
      expectProblem(
        await postRequest(
          cast.officerA.session,
          `/applications/${file.id}/documents/00000000-0000-4000-8000-000000000000/verdict`,
          { verdict: "accepted" },
        ),
        404,
        "not-found",
      );
      expectProblem(
        await postRequest(cast.owner.session, `/applications/${file.id}/documents/${quote.id}/verdict`, {
          verdict: "accepted",
        }),
        403,
        "forbidden",
      );
    });
  });

  describe("the officers' queue (GET /api/v1/applications)", () => {
    let queueCall: Call;
    const ids: Record<string, string> = {};
    const references: Record<string, string> = {};
    const ices: Record<string, string> = {};

    before(async function () {
      this.timeout(120_000);
      queueCall = (await createCall({ envelope: "5000000.00" })).call;
      const make = async (
        key: string,
        status: Status,
        profile: { name: string; regionCode: string },
        sectorCode = "textile-habillement",
      ) => {
        const target = await company(profile);
        ices[key] = target.ice;
        const file = await fileInStatus(cast, status, {
          company: target,
          callId: queueCall.id,
          payload: { sectorCode },
        });
        ids[key] = file.id;
        references[key] = file.reference ?? "";
      };
      await make("alpha", "submitted", { name: "Tissage Alpha SARL", regionCode: "casablanca-settat" });
      await make("beta", "submitted", { name: "Cuirs Beta SA", regionCode: "fes-meknes" }, "cuir");
      await make("gamma", "in_review", { name: "Gamma Confection", regionCode: "casablanca-settat" });
      await make("delta", "withdrawn", { name: "Delta Tex", regionCode: "marrakech-safi" });
      await make("epsilon", "draft", { name: "Epsilon Brouillon", regionCode: "casablanca-settat" });
      const setSubmittedAt = (key: string, at: string) =>
        ownerSequelize().query("UPDATE applications SET submitted_at = :at WHERE id = :id", {
          replacements: { at, id: ids[key] },
        });
      await setSubmittedAt("alpha", "2026-06-01T09:00:00Z");
      await setSubmittedAt("beta", "2026-06-10T09:00:00Z");
      await setSubmittedAt("gamma", "2026-05-20T09:00:00Z");
      await setSubmittedAt("delta", "2026-06-12T09:00:00Z");
      await ownerSequelize().query("UPDATE applications SET fast_track = true WHERE id = :id", {
        replacements: { id: ids.beta },
      });
    });

    interface Summary {
      id: string;
      reference: string | null;
      status: string;
      fastTrack: boolean;
      daysWaiting: number | null;
      submittedAt: string | null;
      company: { name: string; ice: string; regionCode: string };
    }

    async function queue(query = "", session: BrowserSession = cast.officerB.session) {
      const response = await getRequest(session, `/applications?callId=${queueCall.id}${query}`);
      expect(response.status, response.text).to.equal(200);
      return response.body as { items: Summary[]; total: number; page: number; pageSize: number };
    }
    const keysOf = (items: Summary[]) =>
      items.map((item) => Object.keys(ids).find((key) => ids[key] === item.id) ?? item.id);

    it("lists submitted files, fast-track first then the oldest submission, with daysWaiting; never a draft", async () => {
      const body = await queue();
      expect(keysOf(body.items)).to.deep.equal(["beta", "gamma", "alpha", "delta"]);
      expect(body.total).to.equal(4);
      expect(body.items.map((item) => item.daysWaiting)).to.deep.equal([5, 26, 14, null]);
      expect(body.items[0]).to.deep.include({ fastTrack: true, status: "submitted", reference: references.beta });
      expect(body.items[0]!.company).to.deep.include({ name: "Cuirs Beta SA", regionCode: "fes-meknes" });
      // The administrator sees the same queue.
      expect(keysOf((await queue("", cast.admin.session)).items)).to.deep.equal(["beta", "gamma", "alpha", "delta"]);
    });

    const FILTERS: Array<[string, string, string[]]> = [
      ["status=submitted", "&status=submitted", ["beta", "alpha"]],
      ["status=submitted&status=in_review", "&status=submitted&status=in_review", ["beta", "gamma", "alpha"]],
      ["status=draft: still no draft", "&status=draft", []],
      ["sector=cuir", "&sector=cuir", ["beta"]],
      ["sector=textile-habillement", "&sector=textile-habillement", ["gamma", "alpha", "delta"]],
      ["region=casablanca-settat", "&region=casablanca-settat", ["gamma", "alpha"]],
      ["fastTrack=true", "&fastTrack=true", ["beta"]],
      ["fastTrack=false", "&fastTrack=false", ["gamma", "alpha", "delta"]],
      ["minDaysWaiting=10", "&minDaysWaiting=10", ["gamma", "alpha"]],
      ["minDaysWaiting=5", "&minDaysWaiting=5", ["beta", "gamma", "alpha"]],
      ["minDaysWaiting=30", "&minDaysWaiting=30", []],
      ["q=company name, any case", "&q=tISSAGE", ["alpha"]],
      ["q=an epsilon (draft) name finds nothing", "&q=Epsilon", []],
      ["sort=-submittedAt", "&sort=-submittedAt", ["delta", "beta", "alpha", "gamma"]],
    ];
    for (const [label, query, expected] of FILTERS) {
      it(`filters ${label}`, async () => {
        expect(keysOf((await queue(query)).items)).to.deep.equal(expected);
      });
    }

    it("filters q by ICE and by reference", async () => {
      expect(keysOf((await queue(`&q=${ices.beta}`)).items)).to.deep.equal(["beta"]);
      expect(keysOf((await queue(`&q=${references.gamma}`)).items)).to.deep.equal(["gamma"]);
    });

    it("filters by callId: the files of the other calls are not in this call's queue", async () => {
      const everything = await getRequest(cast.officerB.session, "/applications?pageSize=100");
      expect(everything.status).to.equal(200);
      const allIds = (everything.body as { items: Summary[] }).items.map((item) => item.id);
      expect(allIds).to.include.members([ids.alpha, ids.beta]);
      expect(allIds).not.to.include(ids.epsilon);
      expect(keysOf((await queue()).items)).not.to.include("epsilon");
      const otherCall = await getRequest(
        cast.officerB.session,
        `/applications?callId=${call.id}&q=${encodeURIComponent("Tissage Alpha")}`,
      );
      expect((otherCall.body as { items: Summary[] }).items).to.deep.equal([]);
    });

    it("paginates: pageSize=2 gives two pages of the same order, with the total", async () => {
      const first = await queue("&pageSize=2&page=1");
      const second = await queue("&pageSize=2&page=2");
      expect(keysOf(first.items)).to.deep.equal(["beta", "gamma"]);
      expect(keysOf(second.items)).to.deep.equal(["alpha", "delta"]);
      expect([first.total, second.total, first.page, second.page, first.pageSize]).to.deep.equal([4, 4, 1, 2, 2]);
      const beyond = await queue("&pageSize=2&page=3");
      expect(beyond.items).to.deep.equal([]);
      expectProblem(
        await getRequest(cast.officerB.session, `/applications?callId=${queueCall.id}&pageSize=101`),
        422,
        "validation-failed",
      );
    });

    it("minDaysWaiting=N keeps every file whose daysWaiting is N (the filter and the column count days alike)", async () => {
      const ownCall = (await createCall({ envelope: "5000000.00" })).call;
      const file = await fileInStatus(cast, "submitted", { company: await company(), callId: ownCall.id });
      // Submitted on 5 June at 12:00 in Casablanca (11:00 UTC): on 15 June at 11:00 it has waited 10 days.
      await ownerSequelize().query("UPDATE applications SET submitted_at = '2026-06-05T11:00:00Z' WHERE id = :id", {
        replacements: { id: file.id },
      });
      const listed = await getRequest(cast.officerB.session, `/applications?callId=${ownCall.id}`);
      const [summary] = (listed.body as { items: Summary[] }).items;
      expect(summary?.daysWaiting).to.equal(10);
      const filtered = await getRequest(cast.officerB.session, `/applications?callId=${ownCall.id}&minDaysWaiting=10`);
      expect(
        (filtered.body as { items: Summary[] }).items.map((item) => item.id),
        "a file shown as waiting 10 days is missing from minDaysWaiting=10",
      ).to.deep.equal([file.id]);
    });

    it("a draft is never visible to an officer, even by id (404)", async () => {
      expectProblem(await getRequest(cast.officerB.session, `/applications/${ids.epsilon}`), 404, "not-found");
      // The owner sees it.
      const own = await getRequest(cast.owner.session, `/applications?callId=${queueCall.id}&status=draft`);
      expect((own.body as { items: Summary[] }).items.map((item) => item.id)).to.deep.equal([ids.epsilon]);
    });
  });

  describe("the approved budget after this suite", () => {
    it("GET /calls/:id/budget equals the envelopes and the sum of approved amounts in the seeded call", async () => {
      const budget = await budgetOf(cast.officerB.session, call.id);
      const [row] = await ownerSequelize().query<{ held: string }>(
        `SELECT COALESCE(SUM(approved_amount - COALESCE(paid_amount, 0)), 0)::numeric(14, 2)::text AS held
           FROM applications WHERE call_id = :callId AND status IN ('approved', 'claim_submitted', 'paid')`,
        { type: QueryTypes.SELECT, replacements: { callId: call.id } },
      );
      expect(budget.committed).to.equal(row?.held);
      expect(fromDatabase(budget.envelope)).to.equal(
        fromDatabase(budget.committed) + fromDatabase(budget.paid) + fromDatabase(budget.available),
      );
      expect(budget.bySector).to.have.length(5);
      for (const line of budget.bySector) {
        expect(line.envelope).to.equal("16000000.00");
        expect(fromDatabase(line.envelope)).to.equal(
          fromDatabase(line.committed) + fromDatabase(line.paid) + fromDatabase(line.available),
        );
      }
    });
  });

  it("the application's own documents cannot be removed once approved (the quote stays)", async () => {
    const file = await fileIn("approved");
    const quote = file.documents.find((document) => document.type === "quote")!;
    const response = await cast.owner.session.agent
      .delete(`/api/v1/applications/${file.id}/documents/${quote.id}`)
      .set("X-CSRF-Token", cast.owner.session.csrfToken);
    expect(response.status, response.text).to.be.oneOf([409, 422]);
    expect((await getApplication(cast.owner.session, file.id)).documents.map((document) => document.id)).to.include(
      quote.id,
    );
  });

  it("uploading a claim document is refused while the file is in review (409) and a quote after approval (422)", async () => {
    const file = await fileIn("in_review");
    expectProblem(await uploadRequest(cast.owner.session, file.id, "invoice", pdfFile("facture.pdf")), 409, "conflict");
    await transition(cast.officerA.session, file.id, "examine", "examined");
    await transition(cast.officerB.session, file.id, "approve", "approved");
    const problem = expectProblem(
      await uploadRequest(cast.owner.session, file.id, "quote", pdfFile("devis-2.pdf")),
      422,
      "validation-failed",
    );
    expect(problem.errors?.map((error) => error.path)).to.deep.equal(["type"]);
  });
});
