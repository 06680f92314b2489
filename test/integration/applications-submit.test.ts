import { expect } from "chai";
import type { Response } from "supertest";
import { Application, type Call, type Company, type User } from "../../server/models/index.js";
import {
  applicationPayload,
  createDraft,
  idempotencyKey,
  pdfFile,
  readyApplication,
  seededCall,
  submitRequest,
  uploadDocument,
  type ApplicationBody,
  type ApplicationPayload,
} from "../factories/applications.js";
import { createCall } from "../factories/reference.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { anonymousSession, clearRateLimits, signIn, type SignedIn } from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { companyWithMandate, countOf, forceApplication } from "./applicationsApi.js";
import { getJson, postJson } from "./companiesApi.js";

const REFERENCE = /^MS-2026-\d{5}$/;

/** { "200": 1, "409": 49 }: what a batch of parallel requests answered. */
function histogram(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe("application submission (POST /api/v1/applications/:id/submit)", function () {
  // The concurrency cases run 50 requests at once against one transaction lock.
  this.timeout(120_000);

  const context = useTestApp();
  let ownerUser: User;
  let prescriberUser: User;
  let owner: SignedIn;
  let prescriber: SignedIn;
  let call: Call;

  before(async () => {
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    prescriberUser = await createUser({ role: "prescriber", fullName: "Karima Bennis" });
    await clearRateLimits();
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
    prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
    call = await seededCall();
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  async function freshCompany(profile: Parameters<typeof companyWithMandate>[2] = {}): Promise<Company> {
    return (await companyWithMandate(ownerUser, prescriberUser, profile)).company;
  }

  async function readyDraft(
    session: SignedIn = owner,
    overrides: Partial<ApplicationPayload> = {},
    target?: Company,
  ): Promise<ApplicationBody> {
    const company = target ?? (await freshCompany());
    return readyApplication(session, applicationPayload(company.id, call.id, overrides));
  }

  const submissionsOf = (id: string) =>
    countOf("SELECT count(*) AS value FROM application_submissions WHERE application_id = :id", { id });
  const submittedChangesOf = (id: string) =>
    countOf(
      "SELECT count(*) AS value FROM application_status_changes WHERE application_id = :id AND to_status = 'submitted'",
      { id },
    );
  const counterValue = () =>
    countOf("SELECT COALESCE(max(last_value), 0) AS value FROM reference_counters WHERE series = 'MS' AND year = 2026");

  function expectSubmitted(response: Response): ApplicationBody {
    expect(response.status, response.text).to.equal(200);
    const body = response.body as ApplicationBody;
    expect(body.status).to.equal("submitted");
    expect(body.reference).to.match(REFERENCE);
    return body;
  }

  describe("references", () => {
    it("numbers submissions MS-2026-00001, 00002, 00003 with no gap, even across an ineligible attempt", async () => {
      const first = expectSubmitted(await submitRequest(owner, (await readyDraft()).id));
      expect(first.reference).to.equal("MS-2026-00001");

      const incomplete = await createDraft(owner, applicationPayload((await freshCompany()).id, call.id));
      expectProblem(await submitRequest(owner, incomplete.id), 422, "application-ineligible");

      const second = expectSubmitted(await submitRequest(prescriber, (await readyDraft(prescriber)).id));
      expect(second.reference).to.equal("MS-2026-00002");
      const third = expectSubmitted(await submitRequest(owner, (await readyDraft()).id));
      expect(third.reference).to.equal("MS-2026-00003");
      expect(await counterValue()).to.equal(3);
    });
  });

  describe("the Idempotency-Key header", () => {
    const BAD_KEYS: Array<[string, string | null]> = [
      ["missing", null],
      ["empty", ""],
      ["7 characters", "abcdefg"],
      ["129 characters", "k".repeat(129)],
      ["with a space", "abcd efgh"],
      ["with a slash", "abcd/efgh"],
      ["with an accent", "clé-de-dépôt"],
    ];
    for (const [label, key] of BAD_KEYS) {
      it(`refuses a key ${label}: 422 on Idempotency-Key, the file stays a draft`, async () => {
        const draft = await readyDraft();
        const problem = expectProblem(await submitRequest(owner, draft.id, key), 422, "validation-failed");
        expect(problem.errors?.map((error) => error.path)).to.deep.equal(["Idempotency-Key"]);
        expect(problem.errors?.[0]?.message).to.include("Idempotency-Key");
        expect((await Application.findByPk(draft.id))?.status).to.equal("draft");
        expect(await submissionsOf(draft.id)).to.equal(0);
      });
    }

    it("answers who may submit before looking at the header: 401 signed out, 404 for a stranger", async () => {
      const draft = await readyDraft();
      const visitor = await anonymousSession(context().app);
      expectProblem(await submitRequest(visitor, draft.id, null), 401, "unauthenticated");
      const stranger = await createUser({ role: "applicant" });
      await clearRateLimits();
      const strangerSession = await signIn(context().app, stranger.email, TEST_PASSWORD);
      expectProblem(await submitRequest(strangerSession, draft.id, null), 404, "not-found");
      expect((await Application.findByPk(draft.id))?.status).to.equal("draft");
    });

    for (const key of ["abcdefgh", "K".repeat(128), "0f8e-4c2a_B9"]) {
      it(`accepts the key ${key.length > 20 ? `of ${key.length} characters` : JSON.stringify(key)}`, async () => {
        expectSubmitted(await submitRequest(owner, (await readyDraft()).id, key));
      });
    }
  });

  describe("an eligible file", () => {
    it("is submitted: 200 with status submitted, a reference, submittedAt, one submission row and one history row", async () => {
      const draft = await readyDraft();
      const counter = await counterValue();
      const key = idempotencyKey();
      const response = await submitRequest(owner, draft.id, key);
      const body = expectSubmitted(response);
      expect(response.headers["idempotent-replayed"]).to.equal(undefined);
      expect(body.submittedAt).to.equal(new Date(TEST_NOW).toISOString());
      expect(body.eligible).to.equal(true);
      expect(body.eligibility.every((entry) => entry.ok)).to.equal(true);
      expect(body.grantAmount).to.equal("60000.00");
      expect(body.reference).to.equal(`MS-2026-${String(counter + 1).padStart(5, "0")}`);
      expect(await submissionsOf(draft.id)).to.equal(1);
      expect(await submittedChangesOf(draft.id)).to.equal(1);
      const stored = await Application.findByPk(draft.id);
      expect(stored?.status).to.equal("submitted");
      expect(stored?.reference).to.equal(body.reference);
      expect(stored?.submittedAt?.toISOString()).to.equal(new Date(TEST_NOW).toISOString());
      expect(
        await countOf("SELECT count(*) AS value FROM application_submissions WHERE idempotency_key = :key", { key }),
      ).to.equal(1);
      const read = await getJson(owner, `/applications/${draft.id}`);
      expect((read.body as ApplicationBody).reference).to.equal(body.reference);
    });

    it("replays the same key: 200, the identical body, header Idempotent-Replayed: true, nothing new stored", async () => {
      const draft = await readyDraft();
      const key = idempotencyKey();
      const first = expectSubmitted(await submitRequest(owner, draft.id, key));
      context().clock.set("2026-06-15T10:05:00Z");
      const again = await submitRequest(owner, draft.id, key);
      expect(again.status, again.text).to.equal(200);
      expect(again.headers["idempotent-replayed"]).to.equal("true");
      expect(again.body).to.deep.equal(first);
      expect(await submissionsOf(draft.id)).to.equal(1);
      expect(await submittedChangesOf(draft.id)).to.equal(1);
    });

    it("answers 409 to a second submission with a different key, and stores nothing", async () => {
      const draft = await readyDraft();
      const first = expectSubmitted(await submitRequest(owner, draft.id, idempotencyKey()));
      const counter = await counterValue();
      const other = await submitRequest(owner, draft.id, idempotencyKey());
      expectProblem(other, 409, "conflict");
      expect(await submissionsOf(draft.id)).to.equal(1);
      expect(await counterValue()).to.equal(counter);
      expect((await Application.findByPk(draft.id))?.reference).to.equal(first.reference);
    });

    it("keeps the reference when resubmitted after a request for information, with a second submission row", async () => {
      const draft = await readyDraft();
      const first = expectSubmitted(await submitRequest(owner, draft.id, idempotencyKey()));
      await forceApplication(draft.id, { status: "info_requested" });
      const counter = await counterValue();
      const again = expectSubmitted(await submitRequest(owner, draft.id, idempotencyKey()));
      expect(again.reference).to.equal(first.reference);
      expect(await counterValue()).to.equal(counter);
      expect(await submissionsOf(draft.id)).to.equal(2);
      expect(
        await countOf("SELECT max(sequence) AS value FROM application_submissions WHERE application_id = :id", {
          id: draft.id,
        }),
      ).to.equal(2);
    });

    it("accepts a tax certificate and a CNSS certificate instead of a sworn declaration", async () => {
      const company = await freshCompany();
      const draft = await createDraft(owner, applicationPayload(company.id, call.id));
      await uploadDocument(owner, draft.id, "quote");
      await uploadDocument(owner, draft.id, "tax_certificate", pdfFile("attestation-fiscale.pdf"));
      await uploadDocument(owner, draft.id, "cnss_certificate", pdfFile("attestation-cnss.pdf"));
      expectSubmitted(await submitRequest(owner, draft.id));
    });

    it("accepts a company exactly 2 years old on the submission date, and a turnover exactly at the maximum", async () => {
      const company = await freshCompany({ foundedOn: "2024-06-15", annualTurnover: "100000000.00" });
      expectSubmitted(await submitRequest(owner, (await readyDraft(owner, {}, company)).id));
    });

    it("accepts a submission on the call's last day (Casablanca time)", async () => {
      const draft = await readyDraft();
      // 31 December 2026, 23:30 in Casablanca (UTC+1) is 22:30 UTC.
      context().clock.set("2026-12-31T22:30:00Z");
      await clearRateLimits();
      const late = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
      expectSubmitted(await submitRequest(late, draft.id));
    });
  });

  describe("an ineligible file: 422 application-ineligible, one error per failed criterion", () => {
    async function expectIneligible(session: SignedIn, id: string, rules: string[]) {
      const counter = await counterValue();
      const response = await submitRequest(session, id);
      const problem = expectProblem(response, 422, "application-ineligible");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(rules.map((rule) => `eligibility.${rule}`));
      // Each message is the sentence the file shows for that criterion.
      const read = await getJson(session, `/applications/${id}`);
      const details = new Map(
        (read.body as ApplicationBody).eligibility.map((entry) => [`eligibility.${entry.rule}`, entry.detail]),
      );
      for (const error of problem.errors ?? []) {
        expect(error.message, error.path).to.equal(details.get(error.path));
      }
      const stored = await Application.findByPk(id);
      expect(stored?.status).to.equal("draft");
      expect(stored?.reference).to.equal(null);
      expect(await submissionsOf(id)).to.equal(0);
      expect(await counterValue()).to.equal(counter);
      return problem;
    }

    async function draftWith(documents: string[], companyProfile = {}, overrides: Partial<ApplicationPayload> = {}) {
      const company = await freshCompany(companyProfile);
      const draft = await createDraft(owner, applicationPayload(company.id, call.id, overrides));
      for (const type of documents) await uploadDocument(owner, draft.id, type, pdfFile(`${type}.pdf`));
      return draft;
    }

    it("no quote → eligibility.quote", async () => {
      const problem = await expectIneligible(owner, (await draftWith(["sworn_declaration"])).id, ["quote"]);
      expect(problem.errors?.[0]?.message).to.equal("Joignez au moins un devis du fournisseur.");
    });

    it("no tax or CNSS certificate and no sworn declaration → eligibility.tax_and_cnss", async () => {
      await expectIneligible(owner, (await draftWith(["quote"])).id, ["tax_and_cnss"]);
    });

    it("only the tax certificate → eligibility.tax_and_cnss naming the missing CNSS certificate", async () => {
      const problem = await expectIneligible(owner, (await draftWith(["quote", "tax_certificate"])).id, [
        "tax_and_cnss",
      ]);
      expect(problem.errors?.[0]?.message).to.include("CNSS");
    });

    it("a company one day short of 2 years → eligibility.company_age", async () => {
      const draft = await draftWith(["quote", "sworn_declaration"], { foundedOn: "2024-06-16" });
      const problem = await expectIneligible(owner, draft.id, ["company_age"]);
      expect(problem.errors?.[0]?.message).to.include("2 ans");
    });

    it("a turnover 0.01 above the maximum → eligibility.turnover", async () => {
      const draft = await draftWith(["quote", "sworn_declaration"], { annualTurnover: "100000000.01" });
      await expectIneligible(owner, draft.id, ["turnover"]);
    });

    it("a sector the call does not cover → eligibility.sector", async () => {
      const { call: commerceOnly } = await createCall({ sectorCodes: ["commerce"] });
      const company = await freshCompany();
      const draft = await createDraft(owner, applicationPayload(company.id, commerceOnly.id));
      await uploadDocument(owner, draft.id, "quote");
      await uploadDocument(owner, draft.id, "sworn_declaration");
      await expectIneligible(owner, draft.id, ["sector"]);
    });

    it("no investment line → eligibility.investment", async () => {
      await expectIneligible(owner, (await draftWith(["quote", "sworn_declaration"], {}, { lines: [] })).id, [
        "investment",
      ]);
    });

    it("lines of 0.00 only → eligibility.investment", async () => {
      const lines = [{ category: "software" as const, label: "Gratuit", amountExclTax: "0.00", vatRate: "0.20" }];
      await expectIneligible(owner, (await draftWith(["quote", "sworn_declaration"], {}, { lines })).id, [
        "investment",
      ]);
    });

    it("a call not yet open → eligibility.call_open", async () => {
      const { call: upcoming } = await createCall({ opensOn: "2026-07-01", closesOn: "2026-12-31" });
      const company = await freshCompany();
      const draft = await readyApplication(owner, applicationPayload(company.id, upcoming.id));
      await expectIneligible(owner, draft.id, ["call_open"]);
    });

    it("the call closed since (clock moved to 1 January 2027, Casablanca) → eligibility.call_open", async () => {
      const draft = await readyDraft();
      context().clock.set("2026-12-31T23:30:00Z");
      await clearRateLimits();
      const nextYear = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
      const problem = await expectIneligible(nextYear, draft.id, ["call_open"]);
      expect(problem.errors?.[0]?.message).to.match(/clos depuis le 31 décembre 2026/);
    });

    it("another file of the company already submitted in the call → eligibility.no_other_open_application, naming it", async () => {
      const company = await freshCompany();
      const first = expectSubmitted(await submitRequest(owner, (await readyDraft(owner, {}, company)).id));
      const second = await readyDraft(owner, {}, company);
      const problem = await expectIneligible(owner, second.id, ["no_other_open_application"]);
      expect(problem.errors?.[0]?.message).to.include(first.reference ?? "missing");
    });

    it("a withdrawn earlier file does not block a new one", async () => {
      const company = await freshCompany();
      const first = await readyDraft(owner, {}, company);
      expectSubmitted(await submitRequest(owner, first.id));
      const withdrawn = await postJson(owner, `/applications/${first.id}/withdraw`, {});
      expect(withdrawn.status, withdrawn.text).to.equal(200);
      expectSubmitted(await submitRequest(owner, (await readyDraft(owner, {}, company)).id));
    });

    it("everything wrong at once → every failed criterion, in the contract's order", async () => {
      const { call: commerceOnly } = await createCall({ sectorCodes: ["commerce"], opensOn: "2026-07-01" });
      const company = await freshCompany({ foundedOn: "2025-01-01", annualTurnover: "200000000.00" });
      const draft = await createDraft(owner, applicationPayload(company.id, commerceOnly.id, { lines: [] }));
      await expectIneligible(owner, draft.id, [
        "call_open",
        "sector",
        "company_age",
        "turnover",
        "investment",
        "quote",
        "tax_and_cnss",
      ]);
    });

    it("explains the failures in Arabic with Accept-Language: ar", async () => {
      const draft = await draftWith(["sworn_declaration"]);
      const response = await submitRequest(owner, draft.id).set("Accept-Language", "ar");
      const problem = expectProblem(response, 422, "application-ineligible");
      expect(problem.errors?.[0]).to.deep.equal({
        path: "eligibility.quote",
        message: "أرفقوا عرض أسعار واحداً على الأقل من المورد.",
      });
      expect(problem.title).to.equal("ملف غير مؤهل");
    });
  });

  describe("under concurrency", () => {
    async function deliveredTo(user: User, reference: string): Promise<number> {
      return (await capturedEmailsTo(user.email)).filter((mail) => mail.subject.includes(reference)).length;
    }

    it("50 parallel submits with the SAME key: all 200 with one reference, one submission, one status change, one e-mail each", async () => {
      const draft = await readyDraft(prescriber);
      await deliverQueuedEmails();
      const key = idempotencyKey("same");
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) => submitRequest(index % 2 === 0 ? owner : prescriber, draft.id, key)),
      );
      const other = responses.find((response) => response.status !== 200);
      expect(
        responses.map((response) => response.status),
        `${JSON.stringify(histogram(responses.map((response) => response.status)))} ${other?.text ?? ""}`,
      ).to.deep.equal(Array.from({ length: 50 }, () => 200));
      const references = new Set(responses.map((response) => (response.body as ApplicationBody).reference));
      expect(references.size).to.equal(1);
      const [reference] = [...references];
      expect(reference).to.match(REFERENCE);
      expect(responses.filter((response) => response.headers["idempotent-replayed"] === "true")).to.have.length(49);
      expect(await submissionsOf(draft.id)).to.equal(1);
      expect(await submittedChangesOf(draft.id)).to.equal(1);
      expect(
        await countOf(
          "SELECT count(*) AS value FROM audit_events WHERE action = 'application.submitted' AND entity_id = :id",
          { id: draft.id },
        ),
      ).to.equal(1);
      await deliverQueuedEmails();
      expect(await deliveredTo(ownerUser, reference ?? "")).to.equal(1);
      expect(await deliveredTo(prescriberUser, reference ?? "")).to.equal(1);
    });

    it("50 parallel submits with 50 DIFFERENT keys: exactly one 200, 49 × 409, one submission row, one reference used", async () => {
      const draft = await readyDraft();
      const counter = await counterValue();
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          submitRequest(index % 2 === 0 ? owner : prescriber, draft.id, idempotencyKey(`k${index}`)),
        ),
      );
      const statuses = responses.map((response) => response.status);
      const other = responses.find((response) => response.status !== 200 && response.status !== 409);
      const summary = `${JSON.stringify(histogram(statuses))} ${other?.text ?? ""}`;
      expect(
        statuses.filter((status) => status === 200),
        summary,
      ).to.have.length(1);
      expect(
        statuses.filter((status) => status === 409),
        summary,
      ).to.have.length(49);
      for (const refused of responses.filter((response) => response.status === 409)) {
        expectProblem(refused, 409, "conflict");
      }
      expect(await submissionsOf(draft.id)).to.equal(1);
      expect(await submittedChangesOf(draft.id)).to.equal(1);
      expect(await counterValue()).to.equal(counter + 1);
      await deliverQueuedEmails();
      const winner = responses.find((response) => response.status === 200)?.body as ApplicationBody;
      expect(await deliveredTo(ownerUser, winner.reference ?? "")).to.equal(1);
    });

    for (const round of [1, 2, 3]) {
      it(`two drafts of one company in one call submitted at once: one 200, one 422 no_other_open_application (round ${round})`, async () => {
        const company = await freshCompany();
        const [first, second] = await Promise.all([
          readyDraft(owner, {}, company),
          readyDraft(prescriber, {}, company),
        ]);
        const counter = await counterValue();
        const responses = await Promise.all([
          submitRequest(owner, first?.id ?? ""),
          submitRequest(prescriber, second?.id ?? ""),
        ]);
        const statuses = responses.map((response) => response.status).sort();
        expect(statuses, responses.map((response) => response.text).join("\n")).to.deep.equal([200, 422]);
        const refused = responses.find((response) => response.status === 422);
        const problem = expectProblem(refused as Response, 422, "application-ineligible");
        expect(problem.errors?.map((error) => error.path)).to.deep.equal(["eligibility.no_other_open_application"]);
        expect(problem.errors?.[0]?.message).to.be.a("string").and.not.equal("");
        expect(
          await countOf(
            "SELECT count(*) AS value FROM applications WHERE company_id = :companyId AND status = 'submitted'",
            { companyId: company.id },
          ),
        ).to.equal(1);
        // The loser's transaction gave its number back: the next reference follows without a gap.
        expect(await counterValue()).to.equal(counter + 1);
      });
    }

    it("references stay gapless and unique after all the races", async () => {
      const references = await ownerSequelizeReferences();
      const numbers = references.map((reference) => Number(reference.slice(-5))).sort((a, b) => a - b);
      expect(numbers).to.deep.equal(Array.from({ length: numbers.length }, (_, index) => index + 1));
      expect(await counterValue()).to.equal(numbers.length);
    });
  });

  async function ownerSequelizeReferences(): Promise<string[]> {
    const rows = await Application.findAll({ attributes: ["reference"] });
    return rows.map((row) => row.reference).filter((reference): reference is string => reference !== null);
  }
});
