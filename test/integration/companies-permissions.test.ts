import { expect } from "chai";
import type request from "supertest";
import { localDate } from "../../server/domain/calendar.js";
import { Company, Mandate, type User } from "../../server/models/index.js";
import {
  companyPayload,
  createCompany,
  createMandate,
  type CompanyBody,
  type MandateBody,
} from "../factories/companies.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import { anonymousSession, clearRateLimits, signIn, type BrowserSession } from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { addDays, deleteJson, getJson, patchJson, postJson } from "./companiesApi.js";

/**
 * The permission matrix of companies and mandates: every actor × every endpoint, on a fresh
 * company per cell (owned by "applicant owner", with a live mandate for "mandated prescriber", a
 * revoked one and an expired one). Records an actor may not even read answer 404.
 */

const ACTORS = [
  "anonymous",
  "applicant owner",
  "other applicant",
  "mandated prescriber",
  "other prescriber",
  "prescriber, mandate revoked",
  "prescriber, mandate expired",
  "officer",
  "trainer",
  "admin",
] as const;
type Actor = (typeof ACTORS)[number];
type SignedInActor = Exclude<Actor, "anonymous">;

const ENDPOINTS = [
  "GET /companies/:id",
  "PATCH /companies/:id",
  "GET /companies/:id/mandates",
  "POST /companies/:id/mandates",
  "DELETE /mandates/:id",
  "GET /companies",
  "POST /companies",
] as const;
type Endpoint = (typeof ENDPOINTS)[number];

/** GET /companies answers 200 to these; the cell says whether the company is among the items. */
const LISTED = "200, listed";
const ABSENT = "200, not listed";
type Cell = number | typeof LISTED | typeof ABSENT;

// DELETE /mandates/:id targets the mandated prescriber's live mandate on the company.
// prettier-ignore
const MATRIX: Record<Actor, [Cell, Cell, Cell, Cell, Cell, Cell, Cell]> = {
  //                              GET    PATCH  GET       POST      DELETE    GET          POST
  //                              /:id   /:id   mandates  mandate   mandate   /companies   /companies
  "anonymous":                   [401,   401,   401,      401,      401,      401,         401],
  "applicant owner":             [200,   200,   200,      201,      200,      LISTED,      201],
  "other applicant":             [404,   404,   404,      404,      404,      ABSENT,      201],
  "mandated prescriber":         [200,   200,   200,      403,      403,      LISTED,      201],
  "other prescriber":            [404,   404,   404,      404,      404,      ABSENT,      201],
  "prescriber, mandate revoked": [404,   404,   404,      404,      404,      ABSENT,      201],
  "prescriber, mandate expired": [404,   404,   404,      404,      404,      ABSENT,      201],
  "officer":                     [200,   403,   200,      403,      403,      LISTED,      403],
  "trainer":                     [404,   404,   404,      404,      404,      403,         403],
  "admin":                       [200,   403,   200,      403,      403,      LISTED,      403],
};

/** No endpoint yet (applications come later); the block already announces it. */
const CREATES_APPLICATIONS: ReadonlySet<Actor> = new Set<Actor>(["applicant owner", "mandated prescriber"]);

function cell(actor: Actor, endpoint: Endpoint): Cell {
  const value = MATRIX[actor][ENDPOINTS.indexOf(endpoint)];
  if (value === undefined) throw new Error(`no cell for ${actor} × ${endpoint}`);
  return value;
}

function statusOf(value: Cell): number {
  return typeof value === "number" ? value : 200;
}

/** What GET /companies/:id should announce in `permissions`, read off the matrix. */
function expectedPermissions(actor: Actor): Record<string, boolean> {
  return {
    read: cell(actor, "GET /companies/:id") === 200,
    update: cell(actor, "PATCH /companies/:id") === 200,
    listMandates: cell(actor, "GET /companies/:id/mandates") === 200,
    grantMandate: cell(actor, "POST /companies/:id/mandates") === 201,
    revokeMandate: cell(actor, "DELETE /mandates/:id") === 200,
    createApplication: CREATES_APPLICATIONS.has(actor),
  };
}

const PROBLEM_CODE = { 401: "unauthenticated", 403: "forbidden", 404: "not-found" } as const;

describe("companies and mandates: the permission matrix", () => {
  const context = useTestApp();
  const users = {} as Record<SignedInActor, User>;
  const sessions = {} as Record<Actor, BrowserSession>;
  let worlds = 0;

  before(async () => {
    users["applicant owner"] = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    users["other applicant"] = await createUser({ role: "applicant", fullName: "Omar Berrada" });
    users["mandated prescriber"] = await createUser({ role: "prescriber", fullName: "Karima Expert-Comptable" });
    users["other prescriber"] = await createUser({ role: "prescriber", fullName: "Hicham Autre Cabinet" });
    users["prescriber, mandate revoked"] = await createUser({ role: "prescriber", fullName: "Samir Révoqué" });
    users["prescriber, mandate expired"] = await createUser({ role: "prescriber", fullName: "Laila Expirée" });
    users.officer = await createUser({ role: "officer", fullName: "Youssef Chargé" });
    users.trainer = await createUser({ role: "trainer", fullName: "Nadia Formatrice" });
    users.admin = await createUser({ role: "admin", fullName: "Rachid Admin" });

    // Lists are not empty for the outsiders: each has companies of its own.
    const otherCompany = await createCompany({ owner: users["other applicant"], name: "Autre Entreprise SARL" });
    await createMandate({ company: otherCompany, prescriber: users["other prescriber"] });
    await createMandate({ company: otherCompany, prescriber: users["prescriber, mandate revoked"] });
    await createMandate({ company: otherCompany, prescriber: users["prescriber, mandate expired"] });

    await clearRateLimits();
    sessions.anonymous = await anonymousSession(context().app);
    for (const actor of ACTORS) {
      if (actor !== "anonymous") sessions[actor] = await signIn(context().app, users[actor].email, TEST_PASSWORD);
    }
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  const today = () => localDate(context().clock.now());

  /** A company of the owner with a live, a revoked and an expired mandate (expired yesterday). */
  async function world() {
    worlds += 1;
    const company = await createCompany({ owner: users["applicant owner"], name: `Matrice ${worlds} SARL` });
    const mandate = await createMandate({ company, prescriber: users["mandated prescriber"] });
    const revoked = await createMandate({
      company,
      prescriber: users["prescriber, mandate revoked"],
      revokedAt: new Date(context().clock.now().getTime() - 3600_000),
    });
    const expired = await createMandate({
      company,
      prescriber: users["prescriber, mandate expired"],
      expiresOn: addDays(today(), -1),
    });
    return { company, mandate, allMandateIds: [mandate.id, revoked.id, expired.id].sort() };
  }

  type World = Awaited<ReturnType<typeof world>>;

  /** Performs one cell's request and checks what it did (or did not) change. */
  const PERFORM: Record<Endpoint, (actor: Actor, w: World, expected: Cell) => Promise<request.Response>> = {
    "GET /companies/:id": async (actor, w, expected) => {
      const response = await getJson(sessions[actor], `/companies/${w.company.id}`);
      if (expected === 200) expect((response.body as CompanyBody).id).to.equal(w.company.id);
      return response;
    },

    "PATCH /companies/:id": async (actor, w, expected) => {
      const response = await patchJson(sessions[actor], `/companies/${w.company.id}`, { city: "Fès" });
      await w.company.reload();
      if (expected === 200) {
        expect((response.body as CompanyBody).city).to.equal("Fès");
        expect(w.company.city).to.equal("Fès");
      } else {
        expect(w.company.city, "a refused update changes nothing").to.equal("Casablanca");
      }
      return response;
    },

    "GET /companies/:id/mandates": async (actor, w, expected) => {
      const response = await getJson(sessions[actor], `/companies/${w.company.id}/mandates`);
      if (expected === 200) {
        const ids = (response.body as ListBody<MandateBody>).items.map((item) => item.id).sort();
        // A prescriber sees only its own mandate; the owner and the staff see them all.
        expect(ids).to.deep.equal(actor === "mandated prescriber" ? [w.mandate.id] : w.allMandateIds);
      }
      return response;
    },

    "POST /companies/:id/mandates": async (actor, w, expected) => {
      const grantee = await createUser({ role: "prescriber", email: uniqueEmail("mandataire") });
      const response = await postJson(sessions[actor], `/companies/${w.company.id}/mandates`, {
        prescriberEmail: grantee.email,
      });
      const granted = await Mandate.count({ where: { companyId: w.company.id, prescriberId: grantee.id } });
      if (expected === 201) {
        expect(response.body as MandateBody).to.deep.include({ companyId: w.company.id, status: "active" });
        expect(granted).to.equal(1);
      } else {
        expect(granted, "a refused grant creates no mandate").to.equal(0);
      }
      return response;
    },

    "DELETE /mandates/:id": async (actor, w, expected) => {
      const response = await deleteJson(sessions[actor], `/mandates/${w.mandate.id}`);
      await w.mandate.reload();
      if (expected === 200) {
        expect(response.body as MandateBody).to.deep.include({ id: w.mandate.id, status: "revoked" });
        expect(w.mandate.revokedAt).to.be.instanceOf(Date);
      } else {
        expect(w.mandate.revokedAt, "a refused revocation leaves the mandate live").to.equal(null);
      }
      return response;
    },

    "GET /companies": async (actor, w, expected) => {
      const response = await getJson(sessions[actor], `/companies?q=${w.company.ice}&pageSize=100`);
      if (expected === LISTED || expected === ABSENT) {
        const body = response.body as ListBody<CompanyBody>;
        expect(body.items.map((item) => item.id)).to.deep.equal(expected === LISTED ? [w.company.id] : []);
        expect(body.total).to.equal(expected === LISTED ? 1 : 0);
      }
      return response;
    },

    "POST /companies": async (actor, _w, expected) => {
      const payload = companyPayload({
        name: `Inscrite par ${actor}`,
        managerName: "Dirigeant Invité",
        managerEmail: uniqueEmail("dirigeant"),
      });
      const response = await postJson(sessions[actor], "/companies", { ...payload });
      const stored = await Company.findOne({ where: { ice: payload.ice } });
      if (expected === 201) {
        const body = response.body as CompanyBody;
        expect(body.ice).to.equal(payload.ice);
        expect(stored?.id).to.equal(body.id);
        const actorUser = actor === "anonymous" ? null : users[actor];
        expect(stored?.ownerId).to.equal(actorUser?.role === "applicant" ? actorUser.id : null);
      } else {
        expect(stored, "a refused registration creates no company").to.equal(null);
      }
      return response;
    },
  };

  for (const actor of ACTORS) {
    describe(actor, () => {
      for (const endpoint of ENDPOINTS) {
        const expected = cell(actor, endpoint);
        it(`${endpoint} → ${expected}`, async () => {
          const w = await world();
          const response = await PERFORM[endpoint](actor, w, expected);
          const status = statusOf(expected);
          if (status === 401 || status === 403 || status === 404) {
            expectProblem(response, status, PROBLEM_CODE[status]);
          } else {
            expect(response.status, response.text).to.equal(status);
          }
        });
      }
    });
  }

  describe("the permissions block says what the matrix allows", () => {
    for (const actor of ACTORS.filter((candidate) => cell(candidate, "GET /companies/:id") === 200)) {
      it(`${actor}: GET /companies/:id and GET /companies carry ${JSON.stringify(expectedPermissions(actor))}`, async () => {
        const w = await world();
        const one = await getJson(sessions[actor], `/companies/${w.company.id}`);
        expect(one.status, one.text).to.equal(200);
        expect((one.body as CompanyBody).permissions).to.deep.equal(expectedPermissions(actor));
        const list = await getJson(sessions[actor], `/companies?q=${w.company.ice}`);
        expect(list.status, list.text).to.equal(200);
        const [item] = (list.body as ListBody<CompanyBody>).items;
        expect(item?.permissions).to.deep.equal(expectedPermissions(actor));
      });
    }

    it("mandated prescriber: may update, may not hand out or revoke mandates", async () => {
      const w = await world();
      const response = await getJson(sessions["mandated prescriber"], `/companies/${w.company.id}`);
      expect((response.body as CompanyBody).permissions).to.deep.include({
        update: true,
        grantMandate: false,
        revokeMandate: false,
      });
    });

    // Each listed mandate carries its own block: read, and revoke only where the matrix says 200.
    for (const actor of ACTORS.filter((candidate) => cell(candidate, "GET /companies/:id/mandates") === 200)) {
      it(`${actor}: each mandate of GET /companies/:id/mandates carries {read: true, revoke: ${String(cell(actor, "DELETE /mandates/:id") === 200)}}`, async () => {
        const w = await world();
        const response = await getJson(sessions[actor], `/companies/${w.company.id}/mandates`);
        expect(response.status, response.text).to.equal(200);
        const items = (response.body as ListBody<MandateBody>).items;
        expect(items).to.have.length(actor === "mandated prescriber" ? 1 : 3);
        for (const item of items) {
          expect(item.permissions, `permissions on mandate ${item.id}`).to.deep.equal({
            read: true,
            revoke: cell(actor, "DELETE /mandates/:id") === 200,
          });
        }
      });
    }
  });

  describe("unknown and malformed ids", () => {
    const UNKNOWN = "0b5e4f4e-8f5c-4d7e-9a55-3c1d2b0a9e11";
    for (const id of ["not-a-uuid", "123", UNKNOWN]) {
      it(`answers 404 to the owner on every company endpoint for id ${JSON.stringify(id)}`, async () => {
        const owner = sessions["applicant owner"];
        expectProblem(await getJson(owner, `/companies/${id}`), 404, "not-found");
        expectProblem(await patchJson(owner, `/companies/${id}`, { city: "Fès" }), 404, "not-found");
        expectProblem(await getJson(owner, `/companies/${id}/mandates`), 404, "not-found");
        expectProblem(
          await postJson(owner, `/companies/${id}/mandates`, { prescriberEmail: users["other prescriber"].email }),
          404,
          "not-found",
        );
        expectProblem(await deleteJson(owner, `/mandates/${id}`), 404, "not-found");
      });
    }
  });

  describe("revocation takes effect at once", () => {
    it("a revoked mandate denies the very next request", async () => {
      const w = await world();
      const prescriber = sessions["mandated prescriber"];
      expect((await getJson(prescriber, `/companies/${w.company.id}`)).status).to.equal(200);
      expect((await patchJson(prescriber, `/companies/${w.company.id}`, { employees: 26 })).status).to.equal(200);

      const revoked = await deleteJson(sessions["applicant owner"], `/mandates/${w.mandate.id}`);
      expect(revoked.status, revoked.text).to.equal(200);
      expect((revoked.body as MandateBody).status).to.equal("revoked");

      expectProblem(await getJson(prescriber, `/companies/${w.company.id}`), 404, "not-found");
      expectProblem(await patchJson(prescriber, `/companies/${w.company.id}`, { employees: 27 }), 404, "not-found");
      expectProblem(await getJson(prescriber, `/companies/${w.company.id}/mandates`), 404, "not-found");
      const list = await getJson(prescriber, `/companies?q=${w.company.ice}`);
      expect((list.body as ListBody<CompanyBody>).items).to.deep.equal([]);
      await w.company.reload();
      expect(w.company.employees, "the refused update changed nothing").to.equal(26);
    });
  });

  describe("an expiring mandate lives through its last day, in Casablanca time", () => {
    it("works until 23:59:59 on expiresOn (Casablanca, UTC+1 in June) and not from midnight", async () => {
      // Preconditions on the calendar itself: June 2026 is UTC+1 in Morocco.
      expect(localDate(new Date("2026-06-20T22:59:59Z"))).to.equal("2026-06-20");
      expect(localDate(new Date("2026-06-20T23:00:00Z"))).to.equal("2026-06-21");

      const prescriberUser = await createUser({ role: "prescriber", fullName: "Mandat Échéance" });
      const company = await createCompany({ owner: users["applicant owner"], name: "Échéance SARL" });
      const mandate = await createMandate({ company, prescriber: prescriberUser, expiresOn: "2026-06-20" });

      context().clock.set("2026-06-20T20:00:00Z");
      await clearRateLimits();
      const prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
      const owner = await signIn(context().app, users["applicant owner"].email, TEST_PASSWORD);

      context().clock.set("2026-06-20T22:59:59Z");
      expect((await getJson(prescriber, `/companies/${company.id}`)).status).to.equal(200);
      const lastMinute = await patchJson(prescriber, `/companies/${company.id}`, { employees: 30 });
      expect(lastMinute.status, lastMinute.text).to.equal(200);
      const listed = await getJson(prescriber, `/companies?q=${company.ice}`);
      expect((listed.body as ListBody<CompanyBody>).items.map((item) => item.id)).to.deep.equal([company.id]);

      // Midnight in Casablanca; still the 20th in UTC.
      context().clock.set("2026-06-20T23:00:00Z");
      expectProblem(await getJson(prescriber, `/companies/${company.id}`), 404, "not-found");
      expectProblem(await patchJson(prescriber, `/companies/${company.id}`, { employees: 31 }), 404, "not-found");
      const unlisted = await getJson(prescriber, `/companies?q=${company.ice}`);
      expect((unlisted.body as ListBody<CompanyBody>).items).to.deep.equal([]);

      const mandates = await getJson(owner, `/companies/${company.id}/mandates`);
      const mine = (mandates.body as ListBody<MandateBody>).items.find((item) => item.id === mandate.id);
      expect(mine).to.deep.include({ status: "expired", expiresOn: "2026-06-20", revokedAt: null });
      await company.reload();
      expect(company.employees).to.equal(30);
    });
  });

  describe("a prescriber sees only its own mandate of a company", () => {
    it("lists one mandate to each of two mandated prescribers, both to the owner", async () => {
      const w = await world();
      const second = await createUser({ role: "prescriber" });
      const secondMandate = await createMandate({ company: w.company, prescriber: second });
      await clearRateLimits();
      const secondSession = await signIn(context().app, second.email, TEST_PASSWORD);

      const firstView = await getJson(sessions["mandated prescriber"], `/companies/${w.company.id}/mandates`);
      expect((firstView.body as ListBody<MandateBody>).items.map((item) => item.id)).to.deep.equal([w.mandate.id]);
      const secondView = await getJson(secondSession, `/companies/${w.company.id}/mandates`);
      expect((secondView.body as ListBody<MandateBody>).items.map((item) => item.id)).to.deep.equal([secondMandate.id]);
      const ownerView = await getJson(sessions["applicant owner"], `/companies/${w.company.id}/mandates`);
      expect((ownerView.body as ListBody<MandateBody>).items.map((item) => item.id).sort()).to.deep.equal(
        [...w.allMandateIds, secondMandate.id].sort(),
      );
    });
  });
});
