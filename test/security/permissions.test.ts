import { expect } from "chai";
import { randomUUID } from "node:crypto";
import request, { type Response } from "supertest";
import { apiPost, sessionPayload, type SessionBody } from "../factories/training.js";
import { anonymousSession, type BrowserSession, type UserBody } from "../helpers/auth.js";
import { buildTestApp, testConfig, useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import {
  EXEMPTIONS,
  GROUPS,
  isSuccess,
  type Cell,
  type Group,
  type HttpCall,
  type Prepared,
} from "./permissionMatrix.js";
import { openApiKey, registeredRoutes, routeMatches } from "./permissionRoutes.js";
import {
  ACTOR_COLUMNS,
  ACTOR_ROLES,
  ACTORS,
  buildWorld,
  changedTables,
  SIGNED_IN_ACTORS,
  stateFingerprint,
  type ActorKey,
  type World,
} from "./permissionWorld.js";

/**
 * The full permission matrix (issue 9): every route the app registers × every actor × the records
 * that matter (own, under a live / revoked / expired mandate, a stranger's; four-eyes; a declared
 * conflict; own vs another trainer's session), each cell the status the product must answer. A
 * refused call that could change something must change nothing; the `permissions` each record
 * carries to the client must say what the endpoint then does. A route without rows fails the suite.
 */

interface RowResult {
  group: Group;
  actor: ActorKey;
  expected: Cell;
  status: number;
  call: HttpCall;
  caller: BrowserSession;
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HAS_UUID = new RegExp(UUIDS.source, "i");

function perform(caller: BrowserSession, call: HttpCall): request.Test {
  const { agent } = caller;
  const started =
    call.method === "GET"
      ? agent.get(call.path)
      : call.method === "POST"
        ? agent.post(call.path)
        : call.method === "PATCH"
          ? agent.patch(call.path)
          : agent.delete(call.path);
  const test = call.method === "GET" ? started : started.set("X-CSRF-Token", caller.csrfToken);
  if (call.headers) test.set(call.headers);
  if (call.upload) {
    const { file } = call.upload;
    return test
      .field("type", call.upload.type)
      .attach("file", file.bytes, { filename: file.filename, contentType: file.contentType });
  }
  return call.body ? test.send(call.body) : test;
}

/** What a caller is told it may do matches what the endpoint does: a 422 is about the input, not the right. */
const permitted = (status: number) => (status >= 200 && status < 300) || status === 422;

const cellText = (cell: Cell) => (typeof cell === "number" ? String(cell) : cell === "L" ? "200 listed" : "200 hidden");

function brief(response: Response): string {
  const text =
    response.type === "application/problem+json" || response.type === "application/json" ? response.text : "";
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe("Security: the permission matrix of every endpoint", function () {
  const context = useTestApp({
    config: {
      // Dozens of sign-ins and a few registrations from one address: the limits have their own tests.
      rateLimits: {
        ...testConfig().rateLimits,
        loginPerMinute: 10_000,
        registrationsPerHour: 1_000,
        passwordResetsPerHour: 1_000,
      },
    },
  });
  let world: World;
  const results: RowResult[] = [];
  const counters = { abilityChecks: 0, unchangedChecks: 0, changedChecks: 0, unknownIdProbes: 0, probes: 0 };
  let walked: string[] = [];

  // Every row's record, prepared before any row runs (throw-away records in parallel): the rows
  // then run one at a time, so that the state fingerprint around each sees only its own call.
  const prepared = new Map<Group, Promise<Prepared[]>>();

  before(async function () {
    this.timeout(300_000);
    world = await buildWorld(context());
    walked = registeredRoutes(context().app);
    await eachLimited(GROUPS, 4, async (group) => {
      const rows = Promise.all(
        ACTORS.map((actor) =>
          group.prepare(world, actor, group.mutates && actor !== "anonymous" && isSuccess(group.cells[actor])),
        ),
      );
      prepared.set(group, rows);
      // A failure belongs to the group's own test, which awaits the same promise.
      await rows.catch(() => undefined);
    });
  });

  describe("every route has its permissions written down", () => {
    it("finds the routes by walking the app's router (and the walk itself finds the API)", () => {
      expect(walked.length).to.be.greaterThan(60);
      expect(walked).to.include.members(["GET /healthz", "POST /api/v1/applications/:id/approve", "USE /api"]);
    });

    it("has rows in the matrix, or a listed public-by-design exemption, for every registered route", () => {
      const inMatrix = new Set(GROUPS.map((group) => group.route));
      const exempt = new Set(EXEMPTIONS.map((exemption) => exemption.route));
      const missing = walked.filter((route) => !inMatrix.has(route) && !exempt.has(route));
      expect(missing, "routes with no permission rows: add them to GROUPS in permissionMatrix.ts").to.deep.equal([]);
      const stale = [...inMatrix, ...exempt].filter((route) => !walked.includes(route));
      expect(stale, "rows or exemptions for routes the app does not register").to.deep.equal([]);
      const both = [...inMatrix].filter((route) => exempt.has(route));
      expect(both, "routes both in the matrix and exempt").to.deep.equal([]);
    });

    it("agrees with the OpenAPI document: the same operations under /api/v1", async () => {
      const response = await request(context().app).get("/api/openapi.json").expect(200);
      const paths = (response.body as { paths: Record<string, Record<string, unknown>> }).paths;
      const documented = Object.entries(paths)
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
        .sort();
      const served = walked
        .filter((route) => route.split(" ")[1]?.startsWith("/api/v1/"))
        .map((route) => {
          const [method = "", path = ""] = route.split(" ");
          return `${method} ${openApiKey(path)}`;
        })
        .sort();
      expect(served).to.deep.equal(documented);
    });

    it("registers the development mail routes only outside production", () => {
      const production = registeredRoutes(buildTestApp({ config: { isProduction: true } }).app);
      const development = walked.filter((route) => route.includes("/dev/"));
      expect(development).to.have.length.greaterThan(0);
      expect(production).to.deep.equal(walked.filter((route) => !route.includes("/dev/")));
    });

    it("serves every exempt route to an anonymous caller", async () => {
      const failures: string[] = [];
      for (const exemption of EXEMPTIONS) {
        if (!exemption.probe) continue;
        const { call, status } = exemption.probe(world);
        counters.probes += 1;
        const response = await perform(await anonymousSession(context().app), call);
        if (response.status !== status) {
          failures.push(`${exemption.route}: ${call.method} ${call.path} → ${response.status}, expected ${status}`);
        }
      }
      expect(failures).to.deep.equal([]);
    });
  });

  describe(`the matrix (columns: ${ACTOR_COLUMNS})`, () => {
    for (const group of GROUPS) {
      it(`${group.route} — ${group.record}`, async function () {
        this.timeout(60_000);
        const rows = await prepared.get(group);
        if (!rows) throw new Error("the group was not prepared");
        const problems: string[] = [];
        let fingerprint: string | null = null;
        for (const [index, actor] of ACTORS.entries()) {
          const row = rows[index];
          if (!row) throw new Error("a row was not prepared");
          const expected = group.cells[actor];
          const caller = row.caller ?? world.callers[actor];
          if (!routeMatches(group.route, row.call.method, row.call.path)) {
            problems.push(`${actor}: ${row.call.method} ${row.call.path} does not hit ${group.route}`);
          }
          // The client only gets `permissions` for records it may see.
          const flag =
            row.ability && actor !== "anonymous" && expected !== 401 && expected !== 404
              ? await row.ability(caller)
              : null;
          // Reading the permissions may audit a mandate's use: then the state is read again.
          const before = group.mutates
            ? flag === null && fingerprint !== null
              ? fingerprint
              : await stateFingerprint()
            : null;
          const response = await perform(caller, row.call);
          const after = group.mutates ? await stateFingerprint() : null;
          fingerprint = after;
          results.push({ group, actor, expected, status: response.status, call: row.call, caller });

          const expectedStatus = typeof expected === "number" ? expected : 200;
          if (response.status !== expectedStatus) {
            problems.push(`${actor}: ${response.status}, expected ${cellText(expected)} ${brief(response)}`);
          } else if (typeof expected === "string" && row.listed && row.listed(response.body) !== (expected === "L")) {
            problems.push(`${actor}: the record is ${expected === "L" ? "missing from" : "shown in"} the list`);
          }
          if (before !== null && after !== null) {
            const changed = changedTables(before, after);
            if (!isSuccess(expected)) {
              counters.unchangedChecks += 1;
              if (changed.length > 0) problems.push(`${actor}: refused, yet changed ${changed.join(", ")}`);
            } else if (!group.silent && response.status === expectedStatus) {
              counters.changedChecks += 1;
              if (changed.length === 0) problems.push(`${actor}: allowed, yet the fingerprint saw no change`);
            }
          }
          if (flag !== null) {
            counters.abilityChecks += 1;
            if (flag !== permitted(response.status)) {
              problems.push(
                `${actor}: permissions say ${group.abilityName}=${flag}, the endpoint answered ${response.status}`,
              );
            }
          }
        }
        expect(problems, `${group.route} — ${group.record}`).to.deep.equal([]);
      });
    }
  });

  describe("what the client is told agrees with what the server does", () => {
    // Role capabilities of /auth/me against the matrix's answers. `reviewApplications` is the role's:
    // a declared conflict refuses one company's files, so the conflicted officer is left out of it.
    const CAPABILITIES: Array<{ capability: string; route: string; except?: ActorKey[] }> = [
      { capability: "manageUsers", route: "GET /api/v1/users" },
      { capability: "manageProgramme", route: "GET /api/v1/audit" },
      { capability: "manageTraining", route: "POST /api/v1/training/sessions" },
      { capability: "applyForSubsidy", route: "POST /api/v1/companies" },
      { capability: "reviewApplications", route: "POST /api/v1/applications/:id/start-review", except: ["conflicted"] },
    ];

    it("every capability of GET /auth/me matches the endpoint it unlocks, for every signed-in actor", async () => {
      const problems: string[] = [];
      for (const actor of SIGNED_IN_ACTORS) {
        const me = await world.callers[actor].agent.get("/api/v1/auth/me").expect(200);
        const capabilities = (me.body as { user: UserBody }).user.permissions;
        for (const { capability, route, except } of CAPABILITIES) {
          if (except?.includes(actor)) continue;
          const row = results.find((result) => result.group.route === route && result.actor === actor);
          if (!row) throw new Error(`no matrix row for ${route} × ${actor}`);
          counters.abilityChecks += 1;
          if (capabilities[capability] !== permitted(row.status)) {
            problems.push(
              `${actor}: ${capability}=${String(capabilities[capability])}, ${route} answered ${row.status}`,
            );
          }
        }
      }
      expect(problems).to.deep.equal([]);
    });

    it("a trainer naming another trainer creates its own session (only the admin assigns)", async () => {
      const response = await apiPost(
        world.callers.trainer2,
        "/training/sessions",
        sessionPayload(TEST_NOW, { trainerId: world.users.trainer.id }),
      );
      expect(response.status, response.text).to.equal(201);
      expect((response.body as SessionBody).trainer.id).to.equal(world.users.trainer2.id);
    });
  });

  describe("unknown ids", () => {
    it("answer 401 to anonymous callers before any lookup, and 404 to allowed callers", async () => {
      const problems: string[] = [];
      const routes = [...new Set(GROUPS.map((group) => group.route))].filter((route) => route.includes(":"));
      for (const route of routes) {
        const rows = results.filter((result) => result.group.route === route && HAS_UUID.test(result.call.path));
        const anonymous = rows.find((result) => result.actor === "anonymous");
        const allowed = rows.find((result) => result.actor !== "anonymous" && isSuccess(result.expected));
        for (const row of [anonymous, allowed]) {
          if (!row) continue;
          const call = { ...row.call, path: row.call.path.replace(UUIDS, () => randomUUID()) };
          const expected = row.actor === "anonymous" && row.expected === 401 ? 401 : 404;
          counters.unknownIdProbes += 1;
          const response = await perform(row.caller, call);
          if (response.status !== expected) {
            problems.push(
              `${row.actor}: ${call.method} ${route} with unknown ids → ${response.status}, expected ${expected}`,
            );
          }
        }
      }
      expect(problems).to.deep.equal([]);
    });
  });

  after(() => {
    const routesInMatrix = new Set(GROUPS.map((group) => group.route)).size;
    const roles = new Set(Object.values(ACTOR_ROLES)).size;
    process.stdout.write(
      `\n      permission matrix: ${walked.length} registered routes (${routesInMatrix} in the matrix, ` +
        `${EXEMPTIONS.length} public by design, ${counters.probes} probed anonymously); ${GROUPS.length} records; ` +
        `${results.length} rows (${ACTORS.length} actors, ${roles} roles with anonymous); ` +
        `${counters.unchangedChecks} refused calls changed nothing, ${counters.changedChecks} allowed ones did; ` +
        `${counters.abilityChecks} permission flags checked; ${counters.unknownIdProbes} unknown-id probes\n`,
    );
  });
});
