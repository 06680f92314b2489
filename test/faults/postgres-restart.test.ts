import type { ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import pg from "pg";
import { hashPassword } from "../../server/auth/passwords.js";
import { enableApplicationLogin, migrateDatabase } from "../../server/db/connection.js";
import { createSequelize } from "../../server/db/database.js";
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embeddedPostgres.js";
import { verifyAuditChain } from "../../server/services/auditChain.js";
import { companyPayload } from "../factories/companies.js";
import { testLogger } from "../helpers/testDatabase.js";
import { HttpSession, isRunning, sleep, startProductProcess, stopProcess, waitFor } from "./faultHelpers.js";

const API = "/api/v1";
const EMAIL = "dirigeante.panne@pme.ma";
const PASSWORD = "Harira du vendredi soir";
/** A request unanswered after this long is a hang (the pool's acquire timeout is 10 s). */
const HANG_BOUND_MS = 30_000;
const OUTAGE_MS = 5_000;
const COMPANY_NAME_PREFIX = "Coupure Atlas";

type Phase = "before" | "stopping" | "down" | "starting" | "after";

interface Outcome {
  loop: string;
  phase: Phase;
  status: number;
  contentType: string;
  code: string | null;
  retryAfter: string | null;
  /** For writes: the ICE sent, to find the row. */
  ice?: string;
}

/** A request that straddles two phases belongs to the transition between them. */
function phaseOf(startedIn: Phase, endedIn: Phase): Phase {
  if (startedIn === endedIn) return endedIn;
  return endedIn === "stopping" || endedIn === "down" ? "stopping" : "starting";
}

/** "loop phase status code" → count, to read a failure. */
function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = `${outcome.loop} ${outcome.phase} ${outcome.status} ${outcome.code ?? outcome.contentType.slice(0, 120)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

interface ProblemJson {
  code?: string;
  status?: number;
  detail?: string;
}

describe("PostgreSQL stopped and started again under load (the app in its own process)", function () {
  this.timeout(300_000);
  let folder = "";
  let clusterDir = "";
  let port = 0;
  let database: EmbeddedDatabase | null = null;
  let ownerUrl = "";
  let app: ChildProcess | null = null;
  let baseUrl = "";

  const startDatabase = async () =>
    startEmbeddedPostgres({ clusterDir, databaseName: "moussanada_fault", persistent: true, port, logger: testLogger });

  before(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), "moussanada-fault-pg-"));
    // postgres runs as its own user when we are root and must enter the folder.
    await chmod(folder, 0o755);
    clusterDir = path.join(folder, "postgres");
    port = await findFreePort();
    database = await startDatabase();
    ownerUrl = database.url;
    await migrateDatabase(ownerUrl);
    const appUrl = await enableApplicationLogin(ownerUrl);
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    await owner.query(
      `INSERT INTO users (role, full_name, email, locale, password_hash, email_verified_at)
       VALUES ('applicant', 'Nadia Berrada', $1, 'fr', $2, now())`,
      [EMAIL, await hashPassword(PASSWORD)],
    );
    await owner.end();

    const appPort = await findFreePort();
    baseUrl = `http://127.0.0.1:${appPort}`;
    app = startProductProcess(
      "server/main.ts",
      {
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        PORT: String(appPort),
        DATABASE_URL: appUrl,
        MIGRATION_DATABASE_URL: ownerUrl,
        DATA_DIR: path.join(folder, "data"),
        STORAGE_DIR: path.join(folder, "documents"),
        CERTIFICATE_KEY_FILE: path.join(folder, "signing.pem"),
        // The worker runs inside the web process, as by default: it must survive the outage too.
        RUN_WORKER: "true",
        WORKER_POLL_INTERVAL_MS: "200",
        LOG_LEVEL: "error",
      },
      "app",
    );
    await waitFor(
      "the application to be ready",
      async () => {
        if (app && !isRunning(app)) throw new Error(`the application exited with ${app.exitCode} at start`);
        const ready = await fetch(`${baseUrl}/readyz`).then(
          (response) => response.ok,
          () => false,
        );
        return ready ? true : null;
      },
      120_000,
    );
  });

  after(async () => {
    if (app) await stopProcess(app);
    await database?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it("answers 503 problems while it is down, never hangs or crashes, and recovers without a restart", async () => {
    if (!app || !database) throw new Error("no app or database");
    const appPid = app.pid;
    const session = new HttpSession(baseUrl, HANG_BOUND_MS);
    await session.signIn(EMAIL, PASSWORD);
    const cookieBeforeOutage = session.cookieHeader;

    let phase: Phase = "before";
    let stopLoad = false;
    const outcomes: Outcome[] = [];
    let writes = 0;

    async function record(loop: string, send: () => Promise<Response>, ice?: string): Promise<void> {
      const startedIn = phase;
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        // A timeout (hang) or a refused connection (the app died): both fail the test below.
        outcomes.push({
          loop,
          phase: phaseOf(startedIn, phase),
          status: 0,
          contentType: `${String(error)} ${String((error as { cause?: unknown }).cause ?? "")}`,
          code: null,
          retryAfter: null,
          ...(ice ? { ice } : {}),
        });
        return;
      }
      const contentType = response.headers.get("content-type") ?? "";
      const text = await response.text();
      const code = contentType.startsWith("application/problem+json")
        ? ((JSON.parse(text) as ProblemJson).code ?? null)
        : null;
      outcomes.push({
        loop,
        phase: phaseOf(startedIn, phase),
        status: response.status,
        contentType,
        code,
        retryAfter: response.headers.get("retry-after"),
        ...(ice ? { ice } : {}),
      });
    }

    const loops: Record<string, () => Promise<void>> = {
      "GET /regions (anonymous)": () =>
        record("regions", () => fetch(`${baseUrl}${API}/regions`, { signal: AbortSignal.timeout(HANG_BOUND_MS) })),
      "GET /auth/me (signed in)": () => record("me", () => session.request("GET", `${API}/auth/me`)),
      "POST /companies (signed in, writes + audit)": async () => {
        writes += 1;
        const payload = companyPayload({ name: `${COMPANY_NAME_PREFIX} ${writes}` });
        await record("write", () => session.request("POST", `${API}/companies`, payload), payload.ice);
      },
    };
    const running = Object.values(loops).map(async (step) => {
      while (!stopLoad) {
        await step();
        await sleep(50);
      }
    });

    const successes = (loop: string, inPhase: Phase) =>
      outcomes.filter((outcome) => outcome.loop === loop && outcome.phase === inPhase && outcome.status < 300).length;
    const everyLoopSucceeded = (inPhase: Phase, count: number) =>
      ["regions", "me", "write"].every((loop) => successes(loop, inPhase) >= count);

    try {
      await waitFor(
        "load to run before the outage",
        async () => (everyLoopSucceeded("before", 5) ? true : null),
        60_000,
      );

      phase = "stopping";
      await database.stop();
      phase = "down";
      const downSince = Date.now();
      const readyWhileDown = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(HANG_BOUND_MS) });
      const readyBody = (await readyWhileDown.json()) as ProblemJson;
      const aliveWhileDown = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(HANG_BOUND_MS) });
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downSince)));

      phase = "starting";
      database = await startDatabase();
      phase = "after";
      const restartedAt = Date.now();
      await waitFor(
        "every loop to succeed again after the restart",
        async () => (everyLoopSucceeded("after", 5) ? true : null),
        90_000,
      );
      const recoveredInMs = Date.now() - restartedAt;
      stopLoad = true;
      await Promise.all(running);

      // Liveness and readiness during the outage.
      expect(readyWhileDown.status, "/readyz while down").to.equal(503);
      expect(readyBody.code).to.equal("service-unavailable");
      expect(readyBody.detail).to.equal("La base de données ne répond pas.");
      expect(aliveWhileDown.status, "/healthz while down").to.equal(200);

      // Every answer, whenever it came, is a success or a clean 503 problem; nothing hung.
      const unclean = outcomes.filter(
        (outcome) =>
          outcome.status >= 300 &&
          !(outcome.status === 503 && outcome.code === "service-unavailable" && outcome.retryAfter !== null),
      );
      expect(unclean, "answers other than 2xx or 503 service-unavailable with Retry-After").to.deep.equal([]);
      const downAnswers = outcomes.filter((outcome) => outcome.phase === "down");
      expect(downAnswers.length, "requests answered while PostgreSQL was down").to.be.greaterThan(0);
      expect(
        downAnswers.filter((outcome) => outcome.status !== 503),
        "answers while down",
      ).to.deep.equal([]);
      for (const loop of ["regions", "me", "write"]) {
        expect(
          downAnswers.filter((outcome) => outcome.loop === loop).length,
          `${loop} requests refused while down`,
        ).to.be.greaterThan(0);
      }

      // Same process, same session: the pools reconnected by themselves.
      expect(isRunning(app), "the app process is alive").to.equal(true);
      expect(app.pid).to.equal(appPid);
      expect(session.cookieHeader, "the session cookie did not change").to.equal(cookieBeforeOutage);
      const me = await session.request("GET", `${API}/auth/me`);
      expect(me.status).to.equal(200);
      expect(((await me.json()) as { user: { email: string } }).user.email).to.equal(EMAIL);
      expect((await fetch(`${baseUrl}/readyz`)).status).to.equal(200);

      // The job worker inside the process came through too: a reset link requested now is mailed
      // (captured in the database: no SMTP_URL in this environment).
      const reset = await session.request("POST", `${API}/auth/password-reset`, { email: EMAIL });
      expect(reset.status).to.equal(202);
      const mailer = new pg.Client({ connectionString: ownerUrl });
      await mailer.connect();
      try {
        await waitFor(
          "the in-process worker to send the reset link after the outage",
          async () => {
            const sent = await mailer.query(
              "SELECT 1 FROM outbox_messages WHERE recipient = $1 AND template = 'password-reset' AND status = 'sent'",
              [EMAIL],
            );
            return sent.rowCount ? true : null;
          },
          30_000,
        );
      } finally {
        await mailer.end();
      }

      // No write half-done: every 201 has its company and its audit event; every company has
      // exactly one creation event, and the chain holds.
      const writeOutcomes = outcomes.filter((outcome) => outcome.loop === "write");
      const acknowledged = writeOutcomes.filter((outcome) => outcome.status === 201).map((outcome) => outcome.ice);
      const check = createSequelize({ url: ownerUrl, poolMax: 1, applicationName: "moussanada-fault-check" });
      try {
        const [rows] = await check.query(
          `SELECT c.ice, (SELECT count(*) FROM audit_events e
                           WHERE e.action = 'company.created' AND e.entity_id = c.id::text)::int AS events
             FROM companies c WHERE c.name LIKE :prefix`,
          { replacements: { prefix: `${COMPANY_NAME_PREFIX} %` } },
        );
        const companies = rows as Array<{ ice: string; events: number }>;
        const stored = new Set(companies.map((company) => company.ice));
        expect(
          acknowledged.filter((ice) => !stored.has(ice ?? "")),
          "acknowledged writes missing",
        ).to.deep.equal([]);
        expect(
          companies.filter((company) => company.events !== 1),
          "companies without exactly one audit event",
        ).to.deep.equal([]);
        const attempted = new Set(writeOutcomes.map((outcome) => outcome.ice));
        expect(companies.filter((company) => !attempted.has(company.ice))).to.deep.equal([]);
        const chain = await verifyAuditChain(check);
        expect(chain.ok, JSON.stringify(chain.firstBroken)).to.equal(true);
        const byPhase = (wanted: Phase) => outcomes.filter((outcome) => outcome.phase === wanted);
        process.stdout.write(
          `      postgres restart: ${outcomes.length} requests (${byPhase("before").length} before, ` +
            `${byPhase("stopping").length} while stopping, ${downAnswers.length} down — all 503, ` +
            `${byPhase("starting").length} while starting, ${byPhase("after").length} after); ` +
            `writes: ${writeOutcomes.length} sent, ${acknowledged.length} acknowledged, ${companies.length} stored; ` +
            `recovered ${recoveredInMs} ms after PostgreSQL was back\n`,
        );
      } finally {
        await check.close();
      }
    } catch (error) {
      process.stdout.write(`      outcomes by loop, phase, status and code: ${JSON.stringify(tally(outcomes))}\n`);
      throw error;
    } finally {
      stopLoad = true;
      await Promise.all(running);
    }
  });
});
