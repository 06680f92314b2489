import { expect } from "chai";
import {
  Application,
  ApplicationLine,
  AuditEvent,
  CallRules,
  Mandate,
  Solution,
  type Call,
  type Company,
  type User,
} from "../../server/models/index.js";
import {
  applicationPayload,
  createApplicationRequest,
  createDraft,
  idempotencyKey,
  pdfFile,
  readyApplication,
  seededCall,
  submitRequest,
  uploadDocument,
  uploadRequest,
  type ApplicationBody,
  type ApplicationPayload,
} from "../factories/applications.js";
import { createCall, createSupplier } from "../factories/reference.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import { anonymousSession, clearRateLimits, signIn, UUID, type SignedIn } from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { auditActionsOf, companyWithMandate, forceApplication, getBinary, solutionId } from "./applicationsApi.js";
import { deleteJson, getJson, patchJson, postJson } from "./companiesApi.js";

const FORGED_ID = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";

const RULE_ORDER = [
  "call_open",
  "sector",
  "company_age",
  "turnover",
  "investment",
  "quote",
  "tax_and_cnss",
  "no_other_open_application",
];

const ARABIC = /[\u0600-\u06FF]/;

function fieldErrors(response: Parameters<typeof expectProblem>[0]) {
  const problem = expectProblem(response, 422, "validation-failed");
  return problem.errors ?? [];
}

describe("applications (/api/v1/applications)", () => {
  const context = useTestApp();
  let ownerUser: User;
  let prescriberUser: User;
  let officerUser: User;
  let strangerUser: User;
  let owner: SignedIn;
  let prescriber: SignedIn;
  let officer: SignedIn;
  let stranger: SignedIn;
  let lonePrescriber: SignedIn;
  let call: Call;
  let company: Company;

  before(async () => {
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    prescriberUser = await createUser({ role: "prescriber", fullName: "Karima Bennis" });
    officerUser = await createUser({ role: "officer", fullName: "Youssef Chargé" });
    strangerUser = await createUser({ role: "applicant", fullName: "Omar Berrada" });
    const lonePrescriberUser = await createUser({ role: "prescriber", fullName: "Hicham Sans Mandat" });
    await clearRateLimits();
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
    prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
    officer = await signIn(context().app, officerUser.email, TEST_PASSWORD);
    stranger = await signIn(context().app, strangerUser.email, TEST_PASSWORD);
    lonePrescriber = await signIn(context().app, lonePrescriberUser.email, TEST_PASSWORD);
    call = await seededCall();
    ({ company } = await companyWithMandate(ownerUser, prescriberUser, { name: "Atlas Textile SARL" }));
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  /** A fresh company of the owner, mandated to the prescriber: one open file per call each. */
  async function freshCompany(profile: Parameters<typeof companyWithMandate>[2] = {}): Promise<Company> {
    return (await companyWithMandate(ownerUser, prescriberUser, profile)).company;
  }

  const payload = (overrides: Partial<ApplicationPayload> & Record<string, unknown> = {}, target = company) =>
    applicationPayload(target.id, call.id, overrides);

  const line = (amountExclTax: unknown, vatRate: unknown = "0.20") => ({
    category: "software" as const,
    label: "Licence ERP",
    amountExclTax,
    vatRate,
  });

  describe("opening a draft", () => {
    it("the owner opens a draft: 201 with the amounts, the eligibility explained in French, no reference", async () => {
      const response = await createApplicationRequest(owner, payload());
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body.id).to.match(UUID);
      expect(body).to.deep.include({
        status: "draft",
        reference: null,
        sectorCode: "textile-habillement",
        eligibleAmount: "100000.00",
        vatAmount: "20000.00",
        grantAmount: "60000.00",
        ownShare: "60000.00",
        rate: "0.60",
        cap: "400000.00",
        capUsed: "0.00",
        eligible: false,
        fastTrack: false,
        filedViaMandate: false,
        submittedAt: null,
        documents: [],
      });
      expect(body.company).to.deep.include({ id: company.id, name: "Atlas Textile SARL" });
      expect(body.call).to.deep.include({ id: call.id, code: "moussanada-2026", status: "open" });
      expect(body.lines).to.have.length(1);
      expect(body.lines[0]).to.deep.include({
        category: "software",
        label: "Licence ERP confection",
        supplierId: null,
        supplierName: null,
        amountExclTax: "100000.00",
        vatRate: "0.20",
        vatAmount: "20000.00",
      });
      expect(body.eligibility.map((entry) => entry.rule)).to.deep.equal(RULE_ORDER);
      const detail = Object.fromEntries(body.eligibility.map((entry) => [entry.rule, entry]));
      expect(detail.quote).to.deep.equal({
        rule: "quote",
        ok: false,
        detail: "Joignez au moins un devis du fournisseur.",
      });
      expect(detail.tax_and_cnss?.ok).to.equal(false);
      expect(detail.tax_and_cnss?.detail).to.equal(
        "Joignez l'attestation fiscale et l'attestation CNSS, ou une déclaration sur l'honneur qui les remplace.",
      );
      expect(detail.call_open?.ok).to.equal(true);
      expect(detail.call_open?.detail).to.match(/^L'appel à candidatures est ouvert jusqu'au .*2026/);
      expect(detail.investment?.detail).to.match(/^Investissement prévu : 100[\s.]000,00\sMAD hors TVA\.$/);
      for (const entry of body.eligibility) {
        expect(entry.detail, entry.rule).to.be.a("string").and.not.match(ARABIC);
        expect(entry.detail, entry.rule).to.not.match(/\{\{|eligibility\./);
      }
      expect(body.permissions).to.deep.include({
        read: true,
        update: true,
        uploadDocument: true,
        deleteDocument: true,
        submit: true,
        withdraw: true,
        downloadReceipt: false,
      });

      const stored = await Application.findByPk(body.id);
      expect(stored?.status).to.equal("draft");
      expect(stored?.grantAmount).to.equal("60000.00");
      expect(stored?.eligibleAmount).to.equal("100000.00");
      expect(stored?.createdBy).to.equal(ownerUser.id);
      expect(stored?.filedViaMandateId).to.equal(null);

      const read = await getJson(owner, `/applications/${body.id}`);
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal(body);
    });

    it("a mandated prescriber opens a draft for its client: 201, filedViaMandate, a mandate.used audit event", async () => {
      const response = await createApplicationRequest(prescriber, payload());
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body).to.deep.include({ status: "draft", grantAmount: "60000.00", filedViaMandate: true });
      const mandate = await Mandate.findOne({ where: { companyId: company.id, prescriberId: prescriberUser.id } });
      const stored = await Application.findByPk(body.id);
      expect(stored?.filedViaMandateId).to.equal(mandate?.id);
      expect(stored?.createdBy).to.equal(prescriberUser.id);
      const events = await auditActionsOf(response);
      expect(events.map((event) => event.action)).to.deep.equal(["application.created", "mandate.used"]);
      expect(events[0]?.entityId).to.equal(body.id);
      expect(events[0]?.actorId).to.equal(prescriberUser.id);
      expect(events[1]?.entityId).to.equal(mandate?.id);
      expect(events[1]?.after).to.deep.include({ companyId: company.id, purpose: "application.created" });
    });

    it("explains every criterion in Arabic with Accept-Language: ar", async () => {
      const response = await createApplicationRequest(owner, payload()).set("Accept-Language", "ar");
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body.eligibility.map((entry) => entry.rule)).to.deep.equal(RULE_ORDER);
      for (const entry of body.eligibility) {
        expect(entry.detail, entry.rule).to.match(ARABIC);
        expect(entry.detail, entry.rule).to.not.match(/\{\{|eligibility\./);
      }
      expect(body.eligibility.find((entry) => entry.rule === "quote")?.detail).to.equal(
        "أرفقوا عرض أسعار واحداً على الأقل من المورد.",
      );
      // Money stays machine-readable whatever the language.
      expect(body.grantAmount).to.equal("60000.00");
    });

    it("shows the chosen solution and the line's supplier by name", async () => {
      const solution = await solutionId("confection-gpao-atelier");
      const supplier = await createSupplier({ name: "Fournisseur Tissage Numérique" });
      const response = await createApplicationRequest(
        owner,
        payload({
          solutionIds: [solution],
          lines: [{ ...line("25000.50", "0.10"), supplierId: supplier.id }],
        }),
      );
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body.solutionIds).to.deep.equal([solution]);
      expect(body.solutions[0]).to.deep.include({ id: solution, code: "confection-gpao-atelier" });
      expect(body.solutions[0]?.supplierName).to.be.a("string").and.not.equal("");
      expect(body.lines[0]).to.deep.include({
        supplierId: supplier.id,
        supplierName: "Fournisseur Tissage Numérique",
        amountExclTax: "25000.50",
        vatRate: "0.10",
        vatAmount: "2500.05",
      });
      // 60 % of 25,000.50 = 15,000.30; own share 25,000.50 + 2,500.05 − 15,000.30.
      expect(body).to.deep.include({ eligibleAmount: "25000.50", grantAmount: "15000.30", ownShare: "12500.25" });
    });

    it('normalises an amount written with one decimal or none: "12.5" → "12.50", "7" → "7.00"', async () => {
      const response = await createApplicationRequest(owner, payload({ lines: [line("12.5"), line("7", "0.00")] }));
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body.lines.map((entry) => entry.amountExclTax)).to.deep.equal(["12.50", "7.00"]);
      expect(body.eligibleAmount).to.equal("19.50");
      expect(body.grantAmount).to.equal("11.70");
    });

    it("accepts a draft with no line yet: every amount 0.00, investment not ok", async () => {
      const response = await createApplicationRequest(owner, payload({ lines: [] }));
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body).to.deep.include({ eligibleAmount: "0.00", grantAmount: "0.00", ownShare: "0.00" });
      expect(body.eligibility.find((entry) => entry.rule === "investment")?.ok).to.equal(false);
    });

    const BAD_AMOUNTS: Array<[string, unknown, RegExp]> = [
      ["an exponent", "1e5", /point et au plus deux décimales/],
      ["three decimals", "399999.999", /au plus deux chiffres après le point/],
      ["a negative amount", "-1", /ne peut pas être négatif/],
      ["a decimal comma", "12,50", /point et au plus deux décimales/],
      ["a JSON number", 12500, /point et au plus deux décimales/],
      ["an empty string", "", /./],
      ["null", null, /./],
      ["more than NUMERIC(14,2) holds", "1000000000000.00", /trop élevé/],
    ];
    for (const [label, value, message] of BAD_AMOUNTS) {
      it(`refuses amountExclTax as ${label} (${JSON.stringify(value)}): 422 on lines.0.amountExclTax, nothing stored`, async () => {
        const before = await Application.count();
        const errors = fieldErrors(await createApplicationRequest(owner, payload({ lines: [line(value)] })));
        expect(errors.map((error) => error.path)).to.deep.equal(["lines.0.amountExclTax"]);
        expect(errors[0]?.message).to.match(message);
        expect(errors[0]?.message).to.not.match(/"|\{\{|field\./);
        expect(await Application.count()).to.equal(before);
      });
    }

    it("names the line that is wrong: the third line's amount is lines.2.amountExclTax", async () => {
      const errors = fieldErrors(
        await createApplicationRequest(owner, payload({ lines: [line("10.00"), line("20.00"), line("1e5")] })),
      );
      expect(errors.map((error) => error.path)).to.deep.equal(["lines.2.amountExclTax"]);
    });

    const BAD_VAT_RATES: Array<[string, unknown]> = [
      ["19 %, not a Moroccan rate", "0.19"],
      ["a JSON number", 0.2],
      ["a percentage", "20%"],
      ["a rate above 1", "1.20"],
    ];
    for (const [label, value] of BAD_VAT_RATES) {
      it(`refuses vatRate ${label} (${JSON.stringify(value)}): 422 on lines.0.vatRate with the list of rates`, async () => {
        const errors = fieldErrors(await createApplicationRequest(owner, payload({ lines: [line("100.00", value)] })));
        expect(errors.map((error) => error.path)).to.deep.equal(["lines.0.vatRate"]);
        expect(errors[0]?.message).to.equal("Choisissez un taux de TVA : 0 %, 7 %, 10 %, 14 % ou 20 %.");
      });
    }

    it("refuses an unknown category: 422 on lines.0.category", async () => {
      const errors = fieldErrors(
        await createApplicationRequest(owner, payload({ lines: [{ ...line("10.00"), category: "furniture" }] })),
      );
      expect(errors.map((error) => error.path)).to.deep.equal(["lines.0.category"]);
    });

    it("refuses a one-letter label: 422 on lines.0.label", async () => {
      const errors = fieldErrors(
        await createApplicationRequest(owner, payload({ lines: [{ ...line("10.00"), label: "x" }] })),
      );
      expect(errors.map((error) => error.path)).to.deep.equal(["lines.0.label"]);
    });

    it("refuses 51 lines: 422 on lines", async () => {
      const lines = Array.from({ length: 51 }, () => line("1.00"));
      const errors = fieldErrors(await createApplicationRequest(owner, payload({ lines })));
      expect(errors.map((error) => error.path)).to.deep.equal(["lines"]);
    });

    it("accepts 50 lines and sums them to the centime", async () => {
      const lines = Array.from({ length: 50 }, () => line("0.01", "0.00"));
      const response = await createApplicationRequest(owner, payload({ lines }));
      expect(response.status, response.text).to.equal(201);
      expect((response.body as ApplicationBody).eligibleAmount).to.equal("0.50");
      expect((response.body as ApplicationBody).grantAmount).to.equal("0.30");
    });

    it("refuses lines whose total exceeds what NUMERIC(14,2) holds with a 422, not a server error", async () => {
      const before = await Application.count();
      const lines = [line("999999999999.99", "0.00"), line("999999999999.99", "0.00")];
      const response = await createApplicationRequest(owner, payload({ lines }));
      expect(response.status, response.text).to.equal(422);
      expect(await Application.count()).to.equal(before);
    });

    it("refuses an unknown solution: 422 on solutionIds.0", async () => {
      const errors = fieldErrors(await createApplicationRequest(owner, payload({ solutionIds: [FORGED_ID] })));
      expect(errors.map((error) => [error.path, error.message])).to.deep.equal([
        ["solutionIds.0", "Cette solution n'existe pas dans le catalogue ou n'est plus proposée."],
      ]);
    });

    it("refuses a solution of another sector: 422 on solutionIds.1", async () => {
      const textile = await solutionId("confection-gpao-atelier");
      const commerce = await solutionId("commerce-crm-fidelite");
      const errors = fieldErrors(await createApplicationRequest(owner, payload({ solutionIds: [textile, commerce] })));
      expect(errors.map((error) => [error.path, error.message])).to.deep.equal([
        [
          "solutionIds.1",
          "Cette solution appartient à un autre secteur : choisissez une solution du secteur du dossier.",
        ],
      ]);
    });

    it("refuses a solution that is no longer offered: 422 on solutionIds.0", async () => {
      const solution = await solutionId("textile-paie-pointage-cnss");
      const row = await Solution.findByPk(solution);
      await row?.update({ active: false });
      try {
        const errors = fieldErrors(await createApplicationRequest(owner, payload({ solutionIds: [solution] })));
        expect(errors.map((error) => error.path)).to.deep.equal(["solutionIds.0"]);
      } finally {
        await row?.update({ active: true });
      }
    });

    it("refuses an unknown supplier: 422 on lines.1.supplierId", async () => {
      const supplier = await createSupplier();
      const errors = fieldErrors(
        await createApplicationRequest(
          owner,
          payload({
            lines: [
              { ...line("10.00"), supplierId: supplier.id },
              { ...line("10.00"), supplierId: FORGED_ID },
            ],
          }),
        ),
      );
      expect(errors.map((error) => [error.path, error.message])).to.deep.equal([
        ["lines.1.supplierId", "Ce fournisseur n'existe pas dans la liste."],
      ]);
    });

    it("refuses an unknown sector: 422 on sectorCode", async () => {
      const errors = fieldErrors(await createApplicationRequest(owner, payload({ sectorCode: "tourisme-spatial" })));
      expect(errors.map((error) => error.path)).to.deep.equal(["sectorCode"]);
    });

    it("refuses an unknown call: 422 on callId", async () => {
      const errors = fieldErrors(await createApplicationRequest(owner, { ...payload(), callId: FORGED_ID }));
      expect(errors.map((error) => [error.path, error.message])).to.deep.equal([
        ["callId", "Cet appel à candidatures n'existe pas."],
      ]);
    });

    it("refuses a closed call: 422 on callId", async () => {
      const { call: closed } = await createCall({ opensOn: "2025-01-01", closesOn: "2025-12-31" });
      const errors = fieldErrors(await createApplicationRequest(owner, { ...payload(), callId: closed.id }));
      expect(errors.map((error) => [error.path, error.message])).to.deep.equal([
        ["callId", "Cet appel à candidatures est clos : choisissez un appel ouvert."],
      ]);
    });

    it("accepts a draft in an upcoming call, judged not open yet", async () => {
      const { call: upcoming } = await createCall({ opensOn: "2026-09-01", closesOn: "2026-12-31" });
      const response = await createApplicationRequest(owner, { ...payload(), callId: upcoming.id });
      expect(response.status, response.text).to.equal(201);
      const callOpen = (response.body as ApplicationBody).eligibility.find((entry) => entry.rule === "call_open");
      expect(callOpen?.ok).to.equal(false);
      expect((response.body as ApplicationBody).call.status).to.equal("upcoming");
    });

    it("ignores forged fields (status, reference, amounts, fastTrack, createdBy): no mass assignment", async () => {
      const response = await createApplicationRequest(owner, {
        ...payload(),
        id: FORGED_ID,
        status: "approved",
        reference: "MS-2026-99999",
        grantAmount: "400000.00",
        eligibleAmount: "999999.00",
        approvedAmount: "400000.00",
        ownShare: "0.00",
        fastTrack: true,
        createdBy: strangerUser.id,
        filedViaMandateId: FORGED_ID,
        submittedAt: "2026-01-01T00:00:00Z",
      });
      expect(response.status, response.text).to.equal(201);
      const body = response.body as ApplicationBody;
      expect(body.id).to.not.equal(FORGED_ID);
      expect(body).to.deep.include({
        status: "draft",
        reference: null,
        grantAmount: "60000.00",
        eligibleAmount: "100000.00",
        ownShare: "60000.00",
        fastTrack: false,
        filedViaMandate: false,
        submittedAt: null,
      });
      const stored = await Application.findByPk(body.id);
      expect(stored?.approvedAmount).to.equal(null);
      expect(stored?.createdBy).to.equal(ownerUser.id);
    });

    it("answers 404 to an applicant opening a file for another's company (never reveals it)", async () => {
      const before = await Application.count();
      const response = await createApplicationRequest(stranger, payload());
      expectProblem(response, 404, "not-found");
      expect(await Application.count()).to.equal(before);
    });

    it("answers 404 to a prescriber without a mandate for the company", async () => {
      expectProblem(await createApplicationRequest(lonePrescriber, payload()), 404, "not-found");
    });

    it("answers 404 to a prescriber whose mandate was revoked", async () => {
      const target = await freshCompany();
      await Mandate.update(
        { revokedAt: new Date(TEST_NOW), revokedBy: ownerUser.id },
        { where: { companyId: target.id } },
      );
      expectProblem(await createApplicationRequest(prescriber, payload({}, target)), 404, "not-found");
    });

    it("answers 404 to a prescriber whose mandate expired yesterday", async () => {
      const target = await freshCompany();
      await Mandate.update({ expiresOn: "2026-06-14" }, { where: { companyId: target.id } });
      expectProblem(await createApplicationRequest(prescriber, payload({}, target)), 404, "not-found");
    });

    it("answers 404 to an unknown company", async () => {
      expectProblem(await createApplicationRequest(owner, { ...payload(), companyId: FORGED_ID }), 404, "not-found");
    });

    it("answers 403 to an officer", async () => {
      expectProblem(await createApplicationRequest(officer, payload()), 403, "forbidden");
    });

    it("answers 401 to an anonymous visitor", async () => {
      const anonymous = await anonymousSession(context().app);
      expectProblem(await createApplicationRequest(anonymous, payload()), 401, "unauthenticated");
    });
  });

  describe("changing a draft (PATCH)", () => {
    it("replaces the lines and recomputes every amount", async () => {
      const draft = await createDraft(owner, payload());
      const response = await patchJson(owner, `/applications/${draft.id}`, {
        lines: [line("500000.00", "0.20"), { ...line("266666.67", "0.00"), category: "hardware", label: "Serveur" }],
      });
      expect(response.status, response.text).to.equal(200);
      const body = response.body as ApplicationBody;
      expect(body.lines.map((entry) => [entry.category, entry.amountExclTax, entry.vatAmount])).to.deep.equal([
        ["software", "500000.00", "100000.00"],
        ["hardware", "266666.67", "0.00"],
      ]);
      expect(body.lines.map((entry) => entry.id)).to.not.include(draft.lines[0]?.id);
      // 60 % of 766,666.67 = 460,000.002: capped at 400,000.00.
      expect(body).to.deep.include({
        eligibleAmount: "766666.67",
        vatAmount: "100000.00",
        grantAmount: "400000.00",
        ownShare: "466666.67",
      });
      expect(await ApplicationLine.count({ where: { applicationId: draft.id } })).to.equal(2);
      const stored = await Application.findByPk(draft.id);
      expect(stored?.grantAmount).to.equal("400000.00");
      expect(stored?.eligibleAmount).to.equal("766666.67");
    });

    it("keeps the lines when only the description changes", async () => {
      const draft = await createDraft(owner, payload());
      const response = await patchJson(owner, `/applications/${draft.id}`, { description: "Nouvelle description" });
      expect(response.status, response.text).to.equal(200);
      const body = response.body as ApplicationBody;
      expect(body.description).to.equal("Nouvelle description");
      expect(body.lines).to.deep.equal(draft.lines);
      expect(body.grantAmount).to.equal("60000.00");
    });

    it("replaces the chosen solutions, and an empty list removes them", async () => {
      const first = await solutionId("confection-gpao-atelier");
      const second = await solutionId("textile-controle-qualite-export");
      const draft = await createDraft(owner, payload({ solutionIds: [first] }));
      const replaced = await patchJson(owner, `/applications/${draft.id}`, { solutionIds: [second] });
      expect(replaced.status, replaced.text).to.equal(200);
      expect((replaced.body as ApplicationBody).solutionIds).to.deep.equal([second]);
      const emptied = await patchJson(owner, `/applications/${draft.id}`, { solutionIds: [] });
      expect((emptied.body as ApplicationBody).solutionIds).to.deep.equal([]);
    });

    it("ignores forged status, reference and amounts in a PATCH", async () => {
      const draft = await createDraft(owner, payload());
      const response = await patchJson(owner, `/applications/${draft.id}`, {
        status: "approved",
        reference: "MS-2026-99999",
        grantAmount: "400000.00",
        companyId: FORGED_ID,
        callId: FORGED_ID,
      });
      expect(response.status, response.text).to.equal(200);
      expect(response.body as ApplicationBody).to.deep.include({
        status: "draft",
        reference: null,
        grantAmount: "60000.00",
      });
      expect((response.body as ApplicationBody).company.id).to.equal(company.id);
    });

    it("refuses a bad amount and changes nothing", async () => {
      const draft = await createDraft(owner, payload());
      const errors = fieldErrors(await patchJson(owner, `/applications/${draft.id}`, { lines: [line("12,50")] }));
      expect(errors.map((error) => error.path)).to.deep.equal(["lines.0.amountExclTax"]);
      const read = await getJson(owner, `/applications/${draft.id}`);
      expect((read.body as ApplicationBody).lines).to.deep.equal(draft.lines);
    });

    it("refuses a sector change that leaves a chosen solution in another sector: 422 on solutionIds.0", async () => {
      const textile = await solutionId("confection-gpao-atelier");
      const draft = await createDraft(owner, payload({ solutionIds: [textile] }));
      const errors = fieldErrors(
        await patchJson(owner, `/applications/${draft.id}`, { sectorCode: "commerce", solutionIds: [textile] }),
      );
      expect(errors.map((error) => error.path)).to.deep.equal(["solutionIds.0"]);
    });

    it("a mandated prescriber may change its client's draft, and the use of the mandate is audited", async () => {
      const draft = await createDraft(owner, payload());
      const response = await patchJson(prescriber, `/applications/${draft.id}`, { description: "Par le cabinet" });
      expect(response.status, response.text).to.equal(200);
      const events = await auditActionsOf(response);
      expect(events.map((event) => event.action)).to.deep.equal(["application.updated", "mandate.used"]);
      expect(events[0]?.before).to.deep.include({ description: draft.description });
      expect(events[0]?.after).to.deep.include({ description: "Par le cabinet" });
    });
  });

  describe("the cumulative cap across the programme's calls", () => {
    it("limits the grant to cap − what the company already obtained in another call of the same programme", async () => {
      const target = await freshCompany();
      const { call: earlier } = await createCall({ programmeCode: "moussanada-numerique" });
      const first = await createDraft(owner, applicationPayload(target.id, earlier.id));
      await forceApplication(first.id, { status: "approved", reference: "MS-2026-90001", approvedAmount: "350000.00" });

      const response = await createApplicationRequest(owner, payload({}, target));
      expect(response.status, response.text).to.equal(201);
      expect(response.body as ApplicationBody).to.deep.include({
        eligibleAmount: "100000.00",
        grantAmount: "50000.00",
        capUsed: "350000.00",
        ownShare: "70000.00",
      });
    });

    it("counts an approved file of the same call too", async () => {
      const target = await freshCompany();
      const first = await createDraft(owner, payload({}, target));
      await forceApplication(first.id, { status: "approved", reference: "MS-2026-90002", approvedAmount: "399999.99" });
      const second = await createDraft(owner, payload({}, target));
      expect(second).to.deep.include({ grantAmount: "0.01", capUsed: "399999.99" });
      // The approved file's own amounts do not count against itself.
      const read = await getJson(owner, `/applications/${first.id}`);
      expect((read.body as ApplicationBody).capUsed).to.equal("0.00");
    });

    it("sums every granted status: the approved amount while open, what was paid once closed", async () => {
      const target = await freshCompany();
      const granted: Array<[string, string, string | null]> = [
        ["approved", "50000.00", null],
        ["claim_submitted", "50000.00", null],
        ["paid", "50000.00", "50000.00"],
        // Closed after paying 20,000.00 of 50,000.00: the other 30,000.00 went back.
        ["closed", "50000.00", "20000.00"],
      ];
      for (const [index, [status, approvedAmount, paidAmount]] of granted.entries()) {
        const { call: other } = await createCall({ programmeCode: "moussanada-numerique" });
        const file = await createDraft(owner, applicationPayload(target.id, other.id));
        await forceApplication(file.id, { status, reference: `MS-2026-9010${index}`, approvedAmount, paidAmount });
      }
      const draft = await createDraft(owner, payload({}, target));
      expect(draft).to.deep.include({ capUsed: "170000.00", grantAmount: "60000.00" });
      const big = await patchJson(owner, `/applications/${draft.id}`, { lines: [line("1000000.00")] });
      expect(big.body as ApplicationBody).to.deep.include({ capUsed: "170000.00", grantAmount: "230000.00" });
    });

    it("gives 0.00, never a negative grant, once the cap is used up (or exceeded after a rule change)", async () => {
      const target = await freshCompany();
      const { call: other } = await createCall({ programmeCode: "moussanada-numerique" });
      const file = await createDraft(owner, applicationPayload(target.id, other.id));
      await forceApplication(file.id, { status: "approved", reference: "MS-2026-90201", approvedAmount: "450000.00" });
      const draft = await createDraft(owner, payload({}, target));
      expect(draft).to.deep.include({ grantAmount: "0.00", capUsed: "450000.00", ownShare: "120000.00" });
    });

    it("ignores a grant of another programme", async () => {
      const target = await freshCompany();
      const { call: foreign } = await createCall({ programmeCode: "autre-programme" });
      const file = await createDraft(owner, applicationPayload(target.id, foreign.id));
      await forceApplication(file.id, { status: "approved", reference: "MS-2026-90301", approvedAmount: "350000.00" });
      const draft = await createDraft(owner, payload({}, target));
      expect(draft).to.deep.include({ grantAmount: "60000.00", capUsed: "0.00" });
    });

    it("ignores cancelled, rejected and withdrawn files, and submitted ones not yet approved", async () => {
      const target = await freshCompany();
      const cases: Array<[string, string | null]> = [
        ["cancelled", "MS-2026-90401"],
        ["rejected", "MS-2026-90402"],
        ["withdrawn", null],
        ["submitted", "MS-2026-90403"],
      ];
      for (const [status, reference] of cases) {
        const { call: other } = await createCall({ programmeCode: "moussanada-numerique" });
        const file = await createDraft(owner, applicationPayload(target.id, other.id));
        await forceApplication(file.id, { status, reference, approvedAmount: "300000.00" });
      }
      const draft = await createDraft(owner, payload({}, target));
      expect(draft).to.deep.include({ grantAmount: "60000.00", capUsed: "0.00" });
    });

    it("ignores another company's grants", async () => {
      const neighbour = await freshCompany();
      const { call: other } = await createCall({ programmeCode: "moussanada-numerique" });
      const file = await createDraft(owner, applicationPayload(neighbour.id, other.id));
      await forceApplication(file.id, { status: "approved", reference: "MS-2026-90501", approvedAmount: "400000.00" });
      const target = await freshCompany();
      expect(await createDraft(owner, payload({}, target))).to.deep.include({
        grantAmount: "60000.00",
        capUsed: "0.00",
      });
    });
  });

  describe("versioned call rules", () => {
    async function publishRules(callId: string, version: number, rate: string): Promise<void> {
      const rules = await CallRules.create({
        callId,
        version,
        rate,
        capPerCompany: "400000.00",
        minCompanyAgeYears: 2,
        maxTurnover: "100000000.00",
      });
      await rules.sequelize
        .getQueryInterface()
        .bulkInsert("call_rule_sectors", [{ call_rules_id: rules.id, sector_code: "textile-habillement" }]);
    }

    it("judges a draft by its call's newest rules, and a submitted file by the rules frozen at submission", async () => {
      const { call: versioned } = await createCall({ sectorCodes: ["textile-habillement"] });
      const target = await freshCompany();
      const draft = await readyApplication(owner, applicationPayload(target.id, versioned.id));
      expect(draft).to.deep.include({ rate: "0.60", grantAmount: "60000.00" });

      await publishRules(versioned.id, 2, "0.5000");
      const beforeSubmission = await getJson(owner, `/applications/${draft.id}`);
      expect(beforeSubmission.body as ApplicationBody).to.deep.include({ rate: "0.50", grantAmount: "50000.00" });

      const submitted = await submitRequest(owner, draft.id);
      expect(submitted.status, submitted.text).to.equal(200);
      expect(submitted.body as ApplicationBody).to.deep.include({ rate: "0.50", grantAmount: "50000.00" });

      await publishRules(versioned.id, 3, "0.4000");
      const afterChange = await getJson(owner, `/applications/${draft.id}`);
      expect(afterChange.body as ApplicationBody).to.deep.include({ rate: "0.50", grantAmount: "50000.00" });
      expect((await Application.findByPk(draft.id))?.grantAmount).to.equal("50000.00");
    });
  });

  describe("submission, withdrawal, history, audit, receipt and e-mails", () => {
    it("answers 409 to a receipt before submission, then a PDF in French and in Arabic once submitted", async () => {
      const target = await freshCompany();
      const draft = await readyApplication(owner, payload({}, target));
      expectProblem(await getJson(owner, `/applications/${draft.id}/receipt.pdf`), 409, "conflict");

      const submitted = await submitRequest(owner, draft.id);
      expect(submitted.status, submitted.text).to.equal(200);
      expect((submitted.body as ApplicationBody).permissions.downloadReceipt).to.equal(true);

      for (const locale of ["fr", "ar"]) {
        const pdf = await getBinary(owner, `/applications/${draft.id}/receipt.pdf?locale=${locale}`);
        expect(pdf.status, `${locale}: ${String(pdf.status)}`).to.equal(200);
        expect(pdf.headers["content-type"]).to.match(/^application\/pdf/);
        expect(pdf.headers["content-disposition"]).to.match(/^attachment;/);
        const bytes = pdf.body as Buffer;
        expect(bytes.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
        expect(bytes.length).to.be.greaterThan(1000);
      }
      const arabicByHeader = await getBinary(owner, `/applications/${draft.id}/receipt.pdf`).set(
        "Accept-Language",
        "ar",
      );
      expect(arabicByHeader.status).to.equal(200);
      expect(arabicByHeader.headers["content-disposition"]).to.include("-ar.pdf");
      // The officer and the mandated prescriber may download it too.
      expect((await getBinary(officer, `/applications/${draft.id}/receipt.pdf`)).status).to.equal(200);
      expect((await getBinary(prescriber, `/applications/${draft.id}/receipt.pdf`)).status).to.equal(200);
    });

    it("withdraws a draft: 200 withdrawn; withdrawing again answers 409", async () => {
      const draft = await createDraft(owner, payload());
      const response = await postJson(owner, `/applications/${draft.id}/withdraw`, { comment: "Projet reporté" });
      expect(response.status, response.text).to.equal(200);
      const body = response.body as ApplicationBody;
      expect(body.status).to.equal("withdrawn");
      expect(body.permissions).to.deep.include({
        update: false,
        submit: false,
        withdraw: false,
        uploadDocument: false,
      });
      expectProblem(await postJson(owner, `/applications/${draft.id}/withdraw`, {}), 409, "conflict");
      expectProblem(await patchJson(owner, `/applications/${draft.id}`, { description: "encore" }), 409, "conflict");
      expectProblem(await submitRequest(owner, draft.id), 409, "conflict");
    });

    it("a submitted file can no longer be changed (PATCH → 409) and keeps its answers", async () => {
      const target = await freshCompany();
      const draft = await readyApplication(owner, payload({}, target));
      expect((await submitRequest(owner, draft.id)).status).to.equal(200);
      const response = await patchJson(owner, `/applications/${draft.id}`, { lines: [line("1.00")] });
      const problem = expectProblem(response, 409, "conflict");
      expect(problem.detail).to.include("Déposé");
      const read = await getJson(owner, `/applications/${draft.id}`);
      expect((read.body as ApplicationBody).eligibleAmount).to.equal("100000.00");
      expect((read.body as ApplicationBody).permissions).to.deep.include({
        update: false,
        uploadDocument: false,
        deleteDocument: false,
        submit: false,
        withdraw: true,
        downloadReceipt: true,
      });
    });

    it("tells the whole story: history draft → submitted → withdrawn with actor names, audit events, mandate uses", async () => {
      const target = await freshCompany();
      const created = await createApplicationRequest(prescriber, payload({}, target));
      expect(created.status, created.text).to.equal(201);
      const id = (created.body as ApplicationBody).id;
      const updated = await patchJson(prescriber, `/applications/${id}`, { description: "Mise à jour" });
      const quote = await uploadRequest(prescriber, id, "quote", pdfFile("devis.pdf"));
      const sworn = await uploadRequest(prescriber, id, "sworn_declaration", pdfFile("declaration.pdf"));
      expect([updated.status, quote.status, sworn.status]).to.deep.equal([200, 201, 201]);
      context().clock.set("2026-06-15T11:00:00Z");
      const submitted = await submitRequest(prescriber, id);
      expect(submitted.status, submitted.text).to.equal(200);
      context().clock.set("2026-06-15T12:00:00Z");
      const withdrawn = await postJson(owner, `/applications/${id}/withdraw`, { comment: "Nous renonçons" });
      expect(withdrawn.status, withdrawn.text).to.equal(200);

      const history = await getJson(owner, `/applications/${id}/history`);
      expect(history.status, history.text).to.equal(200);
      const items = (history.body as { items: Array<Record<string, unknown>> }).items;
      expect(
        items.map((item) => [item.fromStatus, item.toStatus, item.actorName, item.actorRole, item.comment]),
      ).to.deep.equal([
        [null, "draft", "Karima Bennis", "prescriber", null],
        ["draft", "submitted", "Karima Bennis", "prescriber", null],
        ["submitted", "withdrawn", "Fatima Zahra Alaoui", "applicant", "Nous renonçons"],
      ]);
      for (const item of items) {
        expect(item.id).to.match(UUID);
        expect(item.at).to.be.a("string");
      }

      const byRequest = async (response: Parameters<typeof auditActionsOf>[0]) =>
        (await auditActionsOf(response)).map((event) => event.action);
      expect(await byRequest(created)).to.deep.equal(["application.created", "mandate.used"]);
      expect(await byRequest(updated)).to.deep.equal(["application.updated", "mandate.used"]);
      expect(await byRequest(quote)).to.deep.equal(["document.uploaded", "mandate.used"]);
      expect(await byRequest(sworn)).to.deep.equal(["document.uploaded", "mandate.used"]);
      expect(await byRequest(submitted)).to.deep.equal(["application.submitted", "mandate.used"]);
      expect(await byRequest(withdrawn)).to.deep.equal(["application.withdrawn"]);

      const uploaded = (await auditActionsOf(quote))[0];
      expect(uploaded?.entityType).to.equal("document");
      expect(uploaded?.after).to.deep.include({ applicationId: id, type: "quote", mimeType: "application/pdf" });
      const submission = (await auditActionsOf(submitted))[0];
      expect(submission?.entityId).to.equal(id);
      expect(submission?.before).to.deep.equal({ status: "draft" });
      expect(submission?.after).to.deep.include({ status: "submitted", submission: 1 });
      const withdrawal = (await auditActionsOf(withdrawn))[0];
      expect(withdrawal?.actorId).to.equal(ownerUser.id);
      expect(withdrawal?.before).to.deep.equal({ status: "submitted" });

      // Each prescriber action used the mandate once, with its purpose.
      const uses = await AuditEvent.findAll({
        where: { action: "mandate.used", actorId: prescriberUser.id },
        order: [["position", "ASC"]],
      });
      const purposes = uses
        .filter((event) => (event.after as { companyId?: string } | null)?.companyId === target.id)
        .map((event) => (event.after as { purpose: string }).purpose);
      expect(purposes).to.deep.equal([
        "application.created",
        "application.updated",
        "document.uploaded",
        "document.uploaded",
        "application.submitted",
      ]);
    });

    it("a prescriber reading its client's file uses its mandate: mandate.used with purpose application.read", async () => {
      const draft = await createDraft(owner, payload());
      const read = await getJson(prescriber, `/applications/${draft.id}`);
      expect(read.status).to.equal(200);
      const events = await auditActionsOf(read);
      expect(
        events.map((event) => [event.action, (event.after as { purpose?: string } | null)?.purpose]),
      ).to.deep.equal([["mandate.used", "application.read"]]);
      // The owner reading its own file writes nothing.
      expect(await auditActionsOf(await getJson(owner, `/applications/${draft.id}`))).to.deep.equal([]);
    });

    it("sends one confirmation to the owner when the owner submits, with the reference and the link to the file", async () => {
      const target = await freshCompany({ name: "Confection du Détroit" });
      const draft = await readyApplication(owner, payload({}, target));
      await deliverQueuedEmails();
      const before = (await capturedEmailsTo(ownerUser.email)).length;
      const prescriberBefore = (await capturedEmailsTo(prescriberUser.email)).length;
      const submitted = await submitRequest(owner, draft.id);
      expect(submitted.status, submitted.text).to.equal(200);
      const reference = (submitted.body as ApplicationBody).reference ?? "";
      await deliverQueuedEmails();
      const mails = (await capturedEmailsTo(ownerUser.email)).filter((mail) => mail.subject.includes(reference));
      expect(mails).to.have.length(1);
      expect((await capturedEmailsTo(ownerUser.email)).length).to.equal(before + 1);
      const mail = mails[0];
      expect(mail?.subject).to.equal(`Dossier ${reference} déposé — Confection du Détroit`);
      expect(mail?.textBody).to.include(reference);
      expect(mail?.textBody).to.include("Fatima Zahra Alaoui");
      expect(mail?.links.map((link) => new URL(link).pathname)).to.include(`/dossiers/${draft.id}`);
      // The prescriber the company mandates follows its files: it gets its own copy, in its language.
      const prescriberMails = await capturedEmailsTo(prescriberUser.email);
      expect(prescriberMails.length).to.equal(prescriberBefore + 1);
      expect(prescriberMails.filter((copy) => copy.subject.includes(reference))).to.have.length(1);
    });

    it("sends one confirmation to the owner and one to the prescriber when the prescriber submits", async () => {
      const target = await freshCompany({ name: "Cuirs de Fès" });
      const draft = await readyApplication(prescriber, payload({}, target));
      const submitted = await submitRequest(prescriber, draft.id);
      expect(submitted.status, submitted.text).to.equal(200);
      const reference = (submitted.body as ApplicationBody).reference ?? "";
      await deliverQueuedEmails();
      for (const [user, name] of [
        [ownerUser, "Fatima Zahra Alaoui"],
        [prescriberUser, "Karima Bennis"],
      ] as const) {
        const mails = (await capturedEmailsTo(user.email)).filter((mail) => mail.subject.includes(reference));
        expect(mails, user.email).to.have.length(1);
        expect(mails[0]?.textBody).to.include(name);
        expect(mails[0]?.links.map((link) => new URL(link).pathname)).to.include(`/dossiers/${draft.id}`);
      }
    });

    it("writes the confirmation in the recipient's language (Arabic for an Arabic-speaking owner)", async () => {
      const arabicOwner = await createUser({ role: "applicant", fullName: "سعاد الإدريسي", locale: "ar" });
      await clearRateLimits();
      const session = await signIn(context().app, arabicOwner.email, TEST_PASSWORD);
      const { company: target } = await companyWithMandate(arabicOwner, null);
      const draft = await readyApplication(session, payload({}, target));
      const submitted = await submitRequest(session, draft.id);
      expect(submitted.status, submitted.text).to.equal(200);
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(arabicOwner.email);
      expect(mail?.subject).to.match(ARABIC);
      expect(mail?.subject).to.include((submitted.body as ApplicationBody).reference ?? "missing");
    });
  });

  describe("who may do what on one file", () => {
    let draft: ApplicationBody;
    let submitted: ApplicationBody;
    let submittedDocumentId: string;
    let draftDocumentId: string;

    before(async () => {
      const target = await freshCompany();
      draft = await createDraft(owner, payload());
      draftDocumentId = (await uploadDocument(owner, draft.id, "quote")).id;
      const ready = await readyApplication(owner, payload({}, target));
      const response = await submitRequest(owner, ready.id);
      expect(response.status, response.text).to.equal(200);
      submitted = response.body as ApplicationBody;
      submittedDocumentId = submitted.documents[0]?.id ?? "";
    });

    type Session = () => SignedIn;
    const ACTIONS: Array<{
      name: string;
      read: boolean;
      run: (session: SignedIn, id: string, documentId: string) => Promise<{ status: number }>;
    }> = [
      { name: "GET /applications/:id", read: true, run: (s, id) => getJson(s, `/applications/${id}`) },
      { name: "GET /applications/:id/history", read: true, run: (s, id) => getJson(s, `/applications/${id}/history`) },
      {
        name: "GET /applications/:id/documents/:docId",
        read: true,
        run: (s, id, doc) => getBinary(s, `/applications/${id}/documents/${doc}`),
      },
      {
        name: "PATCH /applications/:id",
        read: false,
        run: (s, id) => patchJson(s, `/applications/${id}`, { description: "tentative" }),
      },
      {
        name: "POST /applications/:id/documents",
        read: false,
        run: (s, id) => uploadRequest(s, id, "other", pdfFile("autre.pdf")),
      },
      {
        name: "DELETE /applications/:id/documents/:docId",
        read: false,
        run: (s, id, doc) => deleteJson(s, `/applications/${id}/documents/${doc}`),
      },
      {
        name: "POST /applications/:id/submit",
        read: false,
        run: (s, id) => submitRequest(s, id, idempotencyKey("matrix")),
      },
      {
        name: "POST /applications/:id/withdraw",
        read: false,
        run: (s, id) => postJson(s, `/applications/${id}/withdraw`, {}),
      },
    ];

    const ACTORS: Array<[string, Session]> = [
      ["another applicant", () => stranger],
      ["a prescriber without mandate", () => lonePrescriber],
    ];

    for (const action of ACTIONS) {
      for (const [label, session] of ACTORS) {
        it(`${action.name}: ${label} → 404 on a draft and on a submitted file`, async () => {
          expect((await action.run(session(), draft.id, draftDocumentId)).status).to.equal(404);
          expect((await action.run(session(), submitted.id, submittedDocumentId)).status).to.equal(404);
        });
      }

      it(`${action.name}: an officer → 404 on a draft`, async () => {
        const response = await action.run(officer, draft.id, draftDocumentId);
        expect(response.status).to.equal(404);
      });

      it(`${action.name}: an officer → ${action.read ? 200 : 403} on a submitted file`, async () => {
        const response = (await action.run(officer, submitted.id, submittedDocumentId)) as {
          status: number;
          text?: string;
        };
        expect(response.status, response.text).to.equal(action.read ? 200 : 403);
      });

      it(`${action.name}: an unknown id → 404, a malformed id → 404`, async () => {
        expect((await action.run(owner, FORGED_ID, FORGED_ID)).status).to.equal(404);
        expect((await action.run(owner, "not-a-uuid", "x")).status).to.equal(404);
      });
    }

    it("a document id of another file answers 404, even to the owner of both", async () => {
      const response = await getBinary(owner, `/applications/${draft.id}/documents/${submittedDocumentId}`);
      expect(response.status).to.equal(404);
    });

    it("the officer sees what it may do on a submitted file: read only", async () => {
      const response = await getJson(officer, `/applications/${submitted.id}`);
      expect(response.status, response.text).to.equal(200);
      // deep.include: the officer's own actions (start-review, …) come with issue 6.
      expect((response.body as ApplicationBody).permissions).to.deep.include({
        read: true,
        update: false,
        uploadDocument: false,
        deleteDocument: false,
        downloadDocument: true,
        submit: false,
        withdraw: false,
        readHistory: true,
        downloadReceipt: true,
      });
    });

    it("a revoked mandate closes the file to the prescriber at once", async () => {
      const target = await freshCompany();
      const file = await createDraft(prescriber, payload({}, target));
      expect((await getJson(prescriber, `/applications/${file.id}`)).status).to.equal(200);
      const mandate = await Mandate.findOne({ where: { companyId: target.id, prescriberId: prescriberUser.id } });
      const revoked = await deleteJson(owner, `/mandates/${mandate?.id ?? FORGED_ID}`);
      expect(revoked.status, revoked.text).to.equal(200);
      expect((await getJson(prescriber, `/applications/${file.id}`)).status).to.equal(404);
      expect((await patchJson(prescriber, `/applications/${file.id}`, { description: "x" })).status).to.equal(404);
      expect((await submitRequest(prescriber, file.id)).status).to.equal(404);
      const list = await getJson(prescriber, `/applications?companyId=${target.id}`);
      expect((list.body as ListBody<{ id: string }>).total).to.equal(0);
    });
  });
});

describe("applications list (GET /api/v1/applications)", () => {
  const context = useTestApp();
  let owner: SignedIn;
  let prescriber: SignedIn;
  let officer: SignedIn;
  let admin: SignedIn;
  let stranger: SignedIn;
  let trainer: SignedIn;
  let ownerUser: User;
  let prescriberUser: User;
  let mandated: Company;
  let unmandated: Company;
  let foreign: Company;
  const ids: Record<string, string> = {};
  const references: Record<string, string> = {};

  interface Summary {
    id: string;
    reference: string | null;
    status: string;
    company: { id: string; name: string; ice: string; regionCode: string; sectorCode: string };
    sectorCode: string;
    eligibleAmount: string;
    grantAmount: string;
    filedViaMandate: boolean;
    submittedAt: string | null;
    updatedAt: string;
  }

  before(async () => {
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    prescriberUser = await createUser({ role: "prescriber", fullName: "Karima Bennis" });
    const strangerUser = await createUser({ role: "applicant", fullName: "Omar Berrada" });
    await clearRateLimits();
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
    prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
    officer = await signIn(context().app, (await createUser({ role: "officer" })).email, TEST_PASSWORD);
    admin = await signIn(context().app, (await createUser({ role: "admin" })).email, TEST_PASSWORD);
    trainer = await signIn(context().app, (await createUser({ role: "trainer" })).email, TEST_PASSWORD);
    stranger = await signIn(context().app, strangerUser.email, TEST_PASSWORD);
    const call = await seededCall();
    ({ company: mandated } = await companyWithMandate(ownerUser, prescriberUser, {
      name: "Atlas Textile SARL",
      regionCode: "casablanca-settat",
      sectorCode: "textile-habillement",
    }));
    ({ company: unmandated } = await companyWithMandate(ownerUser, null, {
      name: "Tannerie Chouara",
      regionCode: "fes-meknes",
      sectorCode: "cuir",
    }));
    ({ company: foreign } = await companyWithMandate(strangerUser, null, {
      name: "Souss Agro",
      regionCode: "souss-massa",
      sectorCode: "agroalimentaire",
    }));
    // mandated: a draft (by the prescriber) and a submitted file (by the owner)
    ids.mandatedDraft = (await createDraft(prescriber, applicationPayload(mandated.id, call.id))).id;
    const ready = await readyApplication(
      owner,
      applicationPayload(mandated.id, call.id, {
        lines: [{ category: "software", label: "ERP", amountExclTax: "200000.00", vatRate: "0.20" }],
      }),
    );
    const submitted = await submitRequest(owner, ready.id);
    expect(submitted.status, submitted.text).to.equal(200);
    ids.mandatedSubmitted = ready.id;
    references.mandatedSubmitted = (submitted.body as ApplicationBody).reference ?? "";
    // unmandated: a submitted cuir file
    const leather = await readyApplication(
      owner,
      applicationPayload(unmandated.id, call.id, {
        sectorCode: "cuir",
        lines: [{ category: "hardware", label: "Machine", amountExclTax: "50000.00", vatRate: "0.20" }],
      }),
    );
    const leatherSubmitted = await submitRequest(owner, leather.id);
    expect(leatherSubmitted.status, leatherSubmitted.text).to.equal(200);
    ids.unmandatedSubmitted = leather.id;
    references.unmandatedSubmitted = (leatherSubmitted.body as ApplicationBody).reference ?? "";
    // foreign: one draft
    ids.foreignDraft = (
      await createDraft(stranger, applicationPayload(foreign.id, call.id, { sectorCode: "agroalimentaire" }))
    ).id;
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  async function listIds(session: SignedIn, query = ""): Promise<string[]> {
    const response = await getJson(session, `/applications${query}`);
    expect(response.status, response.text).to.equal(200);
    return (response.body as ListBody<Summary>).items.map((item) => item.id).sort();
  }

  const sorted = (...names: string[]) => names.map((name) => ids[name] ?? name).sort();

  it("the owner sees the files of all its companies, drafts included", async () => {
    expect(await listIds(owner)).to.deep.equal(sorted("mandatedDraft", "mandatedSubmitted", "unmandatedSubmitted"));
  });

  it("the prescriber sees only its mandated clients' files", async () => {
    expect(await listIds(prescriber)).to.deep.equal(sorted("mandatedDraft", "mandatedSubmitted"));
  });

  it("another applicant sees only its own", async () => {
    expect(await listIds(stranger)).to.deep.equal(sorted("foreignDraft"));
  });

  it("an officer sees only submitted files, never drafts", async () => {
    expect(await listIds(officer)).to.deep.equal(sorted("mandatedSubmitted", "unmandatedSubmitted"));
  });

  it("an admin sees only submitted files too", async () => {
    expect(await listIds(admin)).to.deep.equal(sorted("mandatedSubmitted", "unmandatedSubmitted"));
  });

  it("a trainer is refused: 403", async () => {
    expectProblem(await getJson(trainer, "/applications"), 403, "forbidden");
  });

  it("an anonymous visitor is refused: 401", async () => {
    const anonymous = await anonymousSession(context().app);
    expectProblem(await getJson(anonymous, "/applications"), 401, "unauthenticated");
  });

  it("answers summaries with money as two-decimal strings", async () => {
    const response = await getJson(officer, `/applications?q=${references.mandatedSubmitted}`);
    const body = response.body as ListBody<Summary>;
    expect(body).to.deep.include({ total: 1, page: 1 });
    expect(body.items[0]).to.deep.include({
      id: ids.mandatedSubmitted,
      reference: references.mandatedSubmitted,
      status: "submitted",
      sectorCode: "textile-habillement",
      eligibleAmount: "200000.00",
      grantAmount: "120000.00",
      filedViaMandate: false,
    });
    expect(body.items[0]?.company).to.deep.include({ id: mandated.id, name: "Atlas Textile SARL" });
    expect(body.items[0]?.submittedAt).to.equal(new Date(TEST_NOW).toISOString());
  });

  const FILTERS: Array<[string, () => SignedIn, () => string, string[]]> = [
    ["status=draft (owner)", () => owner, () => "?status=draft", ["mandatedDraft"]],
    ["status=submitted (owner)", () => owner, () => "?status=submitted", ["mandatedSubmitted", "unmandatedSubmitted"]],
    [
      "status=draft&status=submitted (owner)",
      () => owner,
      () => "?status=draft&status=submitted",
      ["mandatedDraft", "mandatedSubmitted", "unmandatedSubmitted"],
    ],
    ["status=draft (officer): still no draft", () => officer, () => "?status=draft", []],
    ["sector=cuir (officer)", () => officer, () => "?sector=cuir", ["unmandatedSubmitted"]],
    ["region=fes-meknes (owner)", () => owner, () => "?region=fes-meknes", ["unmandatedSubmitted"]],
    [
      "region=casablanca-settat (owner)",
      () => owner,
      () => "?region=casablanca-settat",
      ["mandatedDraft", "mandatedSubmitted"],
    ],
    ["q=company name, any case (officer)", () => officer, () => "?q=tannerie", ["unmandatedSubmitted"]],
    ["q=the ICE (owner)", () => owner, () => `?q=${mandated.ice}`, ["mandatedDraft", "mandatedSubmitted"]],
    ["q=reference (owner)", () => owner, () => `?q=${references.unmandatedSubmitted}`, ["unmandatedSubmitted"]],
    ["q=a wildcard is literal (owner)", () => owner, () => "?q=%25", []],
    ["companyId (owner)", () => owner, () => `?companyId=${unmandated.id}`, ["unmandatedSubmitted"]],
    [
      "companyId of a company it has no mandate for (prescriber)",
      () => prescriber,
      () => `?companyId=${unmandated.id}`,
      [],
    ],
    ["companyId of another's company (applicant)", () => stranger, () => `?companyId=${mandated.id}`, []],
    [
      "fastTrack=false (owner)",
      () => owner,
      () => "?fastTrack=false",
      ["mandatedDraft", "mandatedSubmitted", "unmandatedSubmitted"],
    ],
    ["fastTrack=true (owner)", () => owner, () => "?fastTrack=true", []],
    ["q and status together (owner)", () => owner, () => "?q=atlas&status=draft", ["mandatedDraft"]],
  ];
  for (const [label, session, query, expected] of FILTERS) {
    it(`filters by ${label}`, async () => {
      expect(await listIds(session(), query())).to.deep.equal(sorted(...expected));
    });
  }

  it("paginates: pageSize 1 gives one item per page, total stays the same, no item twice", async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const response = await getJson(owner, `/applications?pageSize=1&page=${page}&sort=updatedAt`);
      expect(response.status, response.text).to.equal(200);
      const body = response.body as ListBody<Summary>;
      expect(body).to.deep.include({ total: 3, page, pageSize: 1 });
      expect(body.items).to.have.length(1);
      seen.push(body.items[0]?.id ?? "");
    }
    expect(seen.slice().sort()).to.deep.equal(sorted("mandatedDraft", "mandatedSubmitted", "unmandatedSubmitted"));
    const beyond = await getJson(owner, "/applications?pageSize=1&page=4");
    expect((beyond.body as ListBody<Summary>).items).to.deep.equal([]);
    expect((beyond.body as ListBody<Summary>).total).to.equal(3);
  });

  it("sorts by reference and by grant amount", async () => {
    const byReference = await getJson(officer, "/applications?sort=reference");
    expect((byReference.body as ListBody<Summary>).items.map((item) => item.reference)).to.deep.equal(
      [references.mandatedSubmitted, references.unmandatedSubmitted].sort(),
    );
    const byGrant = await getJson(officer, "/applications?sort=-grantAmount");
    expect((byGrant.body as ListBody<Summary>).items.map((item) => item.grantAmount)).to.deep.equal([
      "120000.00",
      "30000.00",
    ]);
  });

  it("sorts by -submittedAt with drafts last", async () => {
    const response = await getJson(owner, "/applications?sort=-submittedAt");
    const items = (response.body as ListBody<Summary>).items;
    expect(items.map((item) => item.submittedAt === null)).to.deep.equal([false, false, true]);
    expect(items[2]?.id).to.equal(ids.mandatedDraft);
  });

  const BAD_QUERIES = ["?pageSize=101", "?pageSize=0", "?page=0", "?status=approuve", "?sort=name", "?callId=abc"];
  for (const query of BAD_QUERIES) {
    it(`refuses ${query}: 422`, async () => {
      expectProblem(await getJson(owner, `/applications${query}`), 422, "validation-failed");
    });
  }

  it("a revoked mandate removes the client's files from the prescriber's list at once", async () => {
    const mandate = await Mandate.findOne({ where: { companyId: mandated.id, prescriberId: prescriberUser.id } });
    const response = await deleteJson(owner, `/mandates/${mandate?.id ?? FORGED_ID}`);
    expect(response.status, response.text).to.equal(200);
    expect(await listIds(prescriber)).to.deep.equal([]);
    expect((await getJson(prescriber, `/applications/${ids.mandatedDraft}`)).status).to.equal(404);
    // The owner still sees everything.
    expect(await listIds(owner)).to.have.length(3);
  });

  it("an expired mandate hides the files too", async () => {
    const { company: other } = await companyWithMandate(ownerUser, prescriberUser, { name: "Expirée SARL" });
    const call = await seededCall();
    const draft = await createDraft(prescriber, applicationPayload(other.id, call.id));
    expect(await listIds(prescriber)).to.deep.equal([draft.id]);
    await Mandate.update({ expiresOn: "2026-06-15" }, { where: { companyId: other.id } });
    expect(await listIds(prescriber)).to.deep.equal([draft.id]);
    context().clock.set("2026-06-16T10:00:00Z");
    // A day later the session itself has expired (12 h): sign in again.
    await clearRateLimits();
    const nextDay = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
    expect(await listIds(nextDay)).to.deep.equal([]);
    expect((await getJson(nextDay, `/applications/${draft.id}`)).status).to.equal(404);
  });
});
