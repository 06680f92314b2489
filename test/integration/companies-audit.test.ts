import { expect } from "chai";
import type request from "supertest";
import { AuditEvent, Company, Mandate, type User } from "../../server/models/index.js";
import {
  companyPayload,
  createCompany,
  createMandate,
  type CompanyBody,
  type MandateBody,
} from "../factories/companies.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  clearRateLimits,
  signIn,
  tokenFromLatestMail,
  type BrowserSession,
  type SignedIn,
} from "../helpers/auth.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { auditEventsOf, deleteJson, getJson, patchJson, postJson } from "./companiesApi.js";

/** The address supertest's requests come from, as Express reports it. */
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$/;

/** The keys whose values differ between two snapshots. */
function changedKeys(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((key) => JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key])).sort();
}

/** Every event carries who, from where, and which request. */
function expectTraced(event: AuditEvent | undefined, response: request.Response, actor: User) {
  expect(event, "audit event").to.not.equal(undefined);
  expect(event?.actorId).to.equal(actor.id);
  expect(event?.actorRole).to.equal(actor.role);
  expect(event?.ip).to.match(LOOPBACK);
  expect(event?.requestId).to.be.a("string").and.equal(response.headers["x-request-id"]);
}

describe("companies and mandates: the audit trail", () => {
  const context = useTestApp();
  let ownerUser: User;
  let prescriberUser: User;
  let owner: SignedIn;
  let prescriber: SignedIn;

  before(async () => {
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    prescriberUser = await createUser({ role: "prescriber", fullName: "Karima Bennis" });
    await clearRateLimits();
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
    prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
  });

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  /** A company of the owner with a live mandate for the prescriber. */
  async function mandatedCompany() {
    const company = await createCompany({ owner: ownerUser });
    const mandate = await createMandate({ company, prescriber: prescriberUser });
    return { company, mandate };
  }

  it("company.created: the whole profile after, nothing before", async () => {
    const payload = companyPayload({ annualTurnover: "4500000.5" });
    const response = await postJson(owner, "/companies", { ...payload });
    expect(response.status, response.text).to.equal(201);
    const id = (response.body as CompanyBody).id;
    const [event, ...others] = await auditEventsOf(response);
    expect(others.map((other) => other.action)).to.deep.equal([]);
    expect(event).to.deep.include({ action: "company.created", entityType: "company", entityId: id, before: null });
    expectTraced(event, response, ownerUser);
    expect(event?.after).to.deep.equal({
      ice: payload.ice,
      name: "Atlas Textile SARL",
      legalForm: "SARL",
      rcNumber: "123456",
      rcCourt: "Casablanca",
      ifNumber: "12345678",
      cnssNumber: "1234567",
      sectorCode: "textile-habillement",
      regionCode: "casablanca-settat",
      city: "Casablanca",
      address: "12, rue des Tisserands, Hay Mohammadi",
      foundedOn: "2015-03-01",
      employees: 25,
      annualTurnover: "4500000.50",
      ownerId: ownerUser.id,
      managerName: null,
      managerEmail: null,
    });
  });

  it("a prescriber registering a client: company.created then mandate.granted, in one request", async () => {
    const managerEmail = uniqueEmail("dirigeant");
    const response = await postJson(prescriber, "/companies", {
      ...companyPayload({ managerName: "Hassan Tazi", managerEmail }),
    });
    expect(response.status, response.text).to.equal(201);
    const id = (response.body as CompanyBody).id;
    const mandate = await Mandate.findOne({ where: { companyId: id } });
    const events = await auditEventsOf(response);
    expect(events.map((event) => [event.action, event.entityType, event.entityId])).to.deep.equal([
      ["company.created", "company", id],
      ["mandate.granted", "mandate", mandate?.id],
    ]);
    for (const event of events) expectTraced(event, response, prescriberUser);
    expect(events[0]?.after).to.deep.include({ ownerId: null, managerName: "Hassan Tazi", managerEmail });
    expect(events[1]?.after).to.deep.equal({
      companyId: id,
      prescriberId: prescriberUser.id,
      source: "prescriber-registration",
      expiresOn: null,
      revoked: false,
    });
  });

  it("company.updated by the owner: before and after differ in the changed field only, no mandate.used", async () => {
    const { company } = await mandatedCompany();
    const response = await patchJson(owner, `/companies/${company.id}`, { city: "Fès" });
    expect(response.status, response.text).to.equal(200);
    const [event, ...others] = await auditEventsOf(response);
    expect(
      others.map((other) => other.action),
      "the owner uses no mandate",
    ).to.deep.equal([]);
    expect(event).to.deep.include({ action: "company.updated", entityType: "company", entityId: company.id });
    expectTraced(event, response, ownerUser);
    expect(changedKeys(event?.before ?? null, event?.after ?? null)).to.deep.equal(["city"]);
    expect(event?.before).to.deep.include({ city: "Casablanca", ownerId: ownerUser.id, annualTurnover: "4500000.50" });
    expect(event?.after).to.deep.include({ city: "Fès", ownerId: ownerUser.id, annualTurnover: "4500000.50" });
  });

  it("company.updated of the turnover records both amounts as two-decimal strings", async () => {
    const { company } = await mandatedCompany();
    const response = await patchJson(owner, `/companies/${company.id}`, { annualTurnover: "5000000.5" });
    expect(response.status, response.text).to.equal(200);
    const [event] = await auditEventsOf(response);
    expect(changedKeys(event?.before ?? null, event?.after ?? null)).to.deep.equal(["annualTurnover"]);
    expect(event?.before?.annualTurnover).to.equal("4500000.50");
    expect(event?.after?.annualTurnover).to.equal("5000000.50");
  });

  it("a mandated prescriber's update: company.updated and mandate.used, both with the prescriber as actor", async () => {
    const { company, mandate } = await mandatedCompany();
    const response = await patchJson(prescriber, `/companies/${company.id}`, { employees: 31 });
    expect(response.status, response.text).to.equal(200);
    const events = await auditEventsOf(response);
    expect(events.map((event) => [event.action, event.entityType, event.entityId])).to.deep.equal([
      ["company.updated", "company", company.id],
      ["mandate.used", "mandate", mandate.id],
    ]);
    for (const event of events) expectTraced(event, response, prescriberUser);
    expect(changedKeys(events[0]?.before ?? null, events[0]?.after ?? null)).to.deep.equal(["employees"]);
    expect([events[0]?.before?.employees, events[0]?.after?.employees]).to.deep.equal([25, 31]);
    expect(events[1]?.after).to.deep.equal({ companyId: company.id, purpose: "company.updated" });
  });

  it("a mandated prescriber's reads are uses of the mandate too; the owner's and an officer's are not", async () => {
    const { company, mandate } = await mandatedCompany();
    const read = await getJson(prescriber, `/companies/${company.id}`);
    expect(read.status, read.text).to.equal(200);
    const [readEvent, ...moreReadEvents] = await auditEventsOf(read);
    expect(moreReadEvents).to.deep.equal([]);
    expect(readEvent).to.deep.include({ action: "mandate.used", entityType: "mandate", entityId: mandate.id });
    expect(readEvent?.after).to.deep.equal({ companyId: company.id, purpose: "company.read" });
    expectTraced(readEvent, read, prescriberUser);

    const listed = await getJson(prescriber, `/companies/${company.id}/mandates`);
    expect((await auditEventsOf(listed)).map((event) => event.after)).to.deep.equal([
      { companyId: company.id, purpose: "mandates.read" },
    ]);

    const byOwner = await getJson(owner, `/companies/${company.id}`);
    expect(await auditEventsOf(byOwner)).to.deep.equal([]);
  });

  it("mandate.granted by the owner", async () => {
    const company = await createCompany({ owner: ownerUser });
    const response = await postJson(owner, `/companies/${company.id}/mandates`, {
      prescriberEmail: prescriberUser.email,
      expiresOn: "2026-12-31",
    });
    expect(response.status, response.text).to.equal(201);
    const [event, ...others] = await auditEventsOf(response);
    expect(others).to.deep.equal([]);
    expect(event).to.deep.include({
      action: "mandate.granted",
      entityType: "mandate",
      entityId: (response.body as MandateBody).id,
      before: null,
    });
    expectTraced(event, response, ownerUser);
    expect(event?.after).to.deep.equal({
      companyId: company.id,
      prescriberId: prescriberUser.id,
      source: "owner-grant",
      expiresOn: "2026-12-31",
      revoked: false,
    });
  });

  it("mandate.revoked by the owner, once: the idempotent second DELETE writes nothing", async () => {
    const { company, mandate } = await mandatedCompany();
    const response = await deleteJson(owner, `/mandates/${mandate.id}`);
    expect(response.status, response.text).to.equal(200);
    const [event, ...others] = await auditEventsOf(response);
    expect(others).to.deep.equal([]);
    expect(event).to.deep.include({ action: "mandate.revoked", entityType: "mandate", entityId: mandate.id });
    expectTraced(event, response, ownerUser);
    const snapshot = { companyId: company.id, prescriberId: prescriberUser.id, source: "owner-grant", expiresOn: null };
    expect(event?.before).to.deep.equal({ ...snapshot, revoked: false });
    expect(event?.after).to.deep.equal({ ...snapshot, revoked: true });

    const again = await deleteJson(owner, `/mandates/${mandate.id}`);
    expect(again.status, again.text).to.equal(200);
    expect(await auditEventsOf(again)).to.deep.equal([]);
    expect(await AuditEvent.count({ where: { action: "mandate.revoked", entityId: mandate.id } })).to.equal(1);
  });

  it("company.claimed by the invited manager: only ownerId changes", async () => {
    const managerEmail = uniqueEmail("dirigeant");
    const registered = await postJson(prescriber, "/companies", {
      ...companyPayload({ managerName: "Hassan Tazi", managerEmail }),
    });
    expect(registered.status, registered.text).to.equal(201);
    const companyId = (registered.body as CompanyBody).id;
    const token = await tokenFromLatestMail(managerEmail, "/revendiquer-entreprise");
    const managerUser = await createUser({ role: "applicant", email: managerEmail, fullName: "Hassan Tazi" });
    const manager = await signIn(context().app, managerEmail, TEST_PASSWORD);

    const response = await postJson(manager, "/companies/claim", { token });
    expect(response.status, response.text).to.equal(200);
    const [event, ...others] = await auditEventsOf(response);
    expect(others).to.deep.equal([]);
    expect(event).to.deep.include({ action: "company.claimed", entityType: "company", entityId: companyId });
    expectTraced(event, response, managerUser);
    expect(changedKeys(event?.before ?? null, event?.after ?? null)).to.deep.equal(["ownerId"]);
    expect([event?.before?.ownerId, event?.after?.ownerId]).to.deep.equal([null, managerUser.id]);
  });

  describe("a refused write writes nothing", () => {
    interface Refusal {
      label: string;
      status: number;
      send: (ids: { companyId: string; mandateId: string }) => Promise<request.Response>;
    }

    // Signed in beforehand: a sign-in writes an audit event of its own (auth.login).
    const bystanders = {} as Record<"officer" | "trainer" | "applicant" | "prescriber", SignedIn>;
    let anonymous: BrowserSession;
    before(async () => {
      await clearRateLimits();
      for (const role of ["officer", "trainer", "applicant", "prescriber"] as const) {
        const user = await createUser({ role });
        bystanders[role] = await signIn(context().app, user.email, TEST_PASSWORD);
      }
      anonymous = await anonymousSession(context().app);
    });

    const REFUSALS: Refusal[] = [
      {
        label: "an officer's PATCH",
        status: 403,
        send: ({ companyId }) => patchJson(bystanders.officer, `/companies/${companyId}`, { city: "Fès" }),
      },
      {
        label: "another applicant's PATCH",
        status: 404,
        send: ({ companyId }) => patchJson(bystanders.applicant, `/companies/${companyId}`, { city: "Fès" }),
      },
      {
        label: "another prescriber's PATCH",
        status: 404,
        send: ({ companyId }) => patchJson(bystanders.prescriber, `/companies/${companyId}`, { city: "Fès" }),
      },
      {
        label: "an anonymous PATCH",
        status: 401,
        send: ({ companyId }) => patchJson(anonymous, `/companies/${companyId}`, { city: "Fès" }),
      },
      {
        label: "the owner's PATCH to an unknown sector (refused inside the command)",
        status: 422,
        send: ({ companyId }) => patchJson(owner, `/companies/${companyId}`, { city: "Fès", sectorCode: "inconnu" }),
      },
      {
        label: "the owner's PATCH with a malformed turnover",
        status: 422,
        send: ({ companyId }) => patchJson(owner, `/companies/${companyId}`, { annualTurnover: "1e5" }),
      },
      {
        label: "the owner's PATCH to a taken ICE",
        status: 409,
        send: async ({ companyId }) => {
          const other = await createCompany({ owner: await createUser() });
          return patchJson(owner, `/companies/${companyId}`, { ice: other.ice });
        },
      },
      {
        label: "a registration with an invalid ICE",
        status: 422,
        send: () => postJson(owner, "/companies", { ...companyPayload(), ice: "123456789012345" }),
      },
      {
        label: "a registration with a founding date in the future",
        status: 422,
        send: () => postJson(owner, "/companies", { ...companyPayload({ foundedOn: "2027-01-01" }) }),
      },
      {
        label: "a trainer's registration",
        status: 403,
        send: () => postJson(bystanders.trainer, "/companies", { ...companyPayload() }),
      },
      {
        label: "the mandated prescriber's grant",
        status: 403,
        send: async ({ companyId }) =>
          postJson(prescriber, `/companies/${companyId}/mandates`, {
            prescriberEmail: (await createUser({ role: "prescriber" })).email,
          }),
      },
      {
        label: "the owner's grant to an applicant",
        status: 422,
        send: async ({ companyId }) =>
          postJson(owner, `/companies/${companyId}/mandates`, { prescriberEmail: (await createUser()).email }),
      },
      {
        label: "the owner's second grant to the mandated prescriber",
        status: 409,
        send: ({ companyId }) =>
          postJson(owner, `/companies/${companyId}/mandates`, { prescriberEmail: prescriberUser.email }),
      },
      {
        label: "the mandated prescriber's revocation of its own mandate",
        status: 403,
        send: ({ mandateId }) => deleteJson(prescriber, `/mandates/${mandateId}`),
      },
      {
        label: "another applicant's revocation",
        status: 404,
        send: ({ mandateId }) => deleteJson(bystanders.applicant, `/mandates/${mandateId}`),
      },
      {
        label: "a claim by a prescriber",
        status: 403,
        send: () => postJson(prescriber, "/companies/claim", { token: "x".repeat(43) }),
      },
      {
        label: "a claim with an unknown token",
        status: 400,
        send: () => postJson(bystanders.applicant, "/companies/claim", { token: "x".repeat(43) }),
      },
    ];

    for (const refusal of REFUSALS) {
      it(`${refusal.label} (${refusal.status})`, async () => {
        const { company, mandate } = await mandatedCompany();
        const before = await AuditEvent.count();
        const companyBefore = JSON.stringify((await Company.findByPk(company.id))?.toJSON());
        const response = await refusal.send({ companyId: company.id, mandateId: mandate.id });
        expect(response.status, response.text).to.equal(refusal.status);
        expect(await auditEventsOf(response)).to.deep.equal([]);
        expect(await AuditEvent.count()).to.equal(before);
        expect(JSON.stringify((await Company.findByPk(company.id))?.toJSON())).to.equal(companyBefore);
        expect((await Mandate.findByPk(mandate.id))?.revokedAt).to.equal(null);
        expect(await Mandate.count({ where: { companyId: company.id } })).to.equal(1);
      });
    }
  });
});
