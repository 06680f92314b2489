/**
 * `npm run bench` (issue 9): the application's hot endpoints under load, each against a bare
 * baseline measured in the same run, with the server's memory.
 *
 *   npx tsx bench/app.ts [--connections 50] [--duration 10] [--warmup 3] [--cpu-prof]
 *     [--applications 100000] [--companies 50000] [--certificates 10000] [--seed 9]
 *
 * 1. A PostgreSQL: BENCH_DATABASE_URL (the schema owner's connection) or an embedded one in a
 *    temporary folder, deleted at the end; migrated and seeded with reference data.
 * 2. The `npm run bench:seed` volumes (bench/generate.ts with documents metadata), unless the
 *    database already holds generated data. An officer and one company owner get a password.
 * 3. The application as production runs it, in its own process: `node --import tsx
 *    server/main.ts`, no job worker, LOG_LEVEL=warn, NODE_ENV=test (production would need its
 *    secrets and SMTP; test skips the demo accounts and changes nothing on these routes) and
 *    RATE_LIMIT_VERIFICATIONS_PER_MINUTE raised so the public verification is not refused with
 *    429 (every request still goes through the PostgreSQL-backed limiter). Its RSS is read from
 *    /proc/<pid>/status (VmRSS) every 200 ms while each run lasts.
 * 4. The baseline: a bare node:http server in this process answering each route with one SQL
 *    statement through `pg` (no session, no authorisation, no validation): the least any server
 *    could do for the same answer.
 * 5. autocannon in its own process (bench/load.ts), application then baseline, for each target:
 *    the application's detail as its owner and as an officer, the officers' queue, the public
 *    verification of a certificate and the simulator. Requests rotate over many ids, pages and
 *    codes rather than repeating one.
 *
 * Results: bench/results/bench.json and bench/results/bench.md (the summary table).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { hashPassword } from "../server/auth/passwords.js";
import { enableApplicationLogin } from "../server/db/connection.js";
import { benchLogger, prepareDatabase, startBenchDatabase } from "./database.js";
import {
  BENCH_EMAIL_DOMAIN,
  generate,
  generatedApplications,
  parseFlags,
  SEED_OPTIONS,
  type GenerateSummary,
} from "./generate.js";
import {
  close,
  csrfSession,
  freePort,
  listen,
  projectRoot,
  resultsDir,
  runLoad,
  signIn,
  withStatementCount,
} from "./http.js";
import type { LoadOptions, LoadResult } from "./load.js";
import { procStat, rssMb } from "./proc.js";

const OFFICER_EMAIL = `bench-http-officer@${BENCH_EMAIL_DOMAIN}`;
const OFFICER_PASSWORD = "Benchmark officer 2026";
const OWNER_PASSWORD = "Benchmark owner 2026";
/** Per IP and minute; the default (60) would answer 429 after the first second of load. */
const VERIFICATIONS_PER_MINUTE = 100_000_000;
const GOALS = { readRatio: 0.5, p99Ms: 50, rssMb: 250 };

interface Flags {
  connections: number;
  duration: number;
  warmup: number;
  cpuProf: boolean;
  /** Target names to run (all when empty), e.g. `--only applicationDetailOwner,verification`. */
  only: string[];
}

function parseLoadFlags(argv: readonly string[]): Flags {
  const onlyIndex = argv.findIndex((arg) => arg === "--only" || arg.startsWith("--only="));
  const onlyValue = onlyIndex < 0 ? "" : (argv[onlyIndex]?.split("=", 2)[1] ?? argv[onlyIndex + 1] ?? "");
  const flags: Flags = {
    connections: 50,
    duration: 10,
    warmup: 3,
    cpuProf: argv.includes("--cpu-prof"),
    only: onlyValue.split(",").filter(Boolean),
  };
  const names = { "--connections": "connections", "--duration": "duration", "--warmup": "warmup" } as const;
  for (let index = 0; index < argv.length; index += 1) {
    const [name, inline] = (argv[index] ?? "").split("=", 2);
    if (!name || !(name in names)) continue;
    const raw = inline ?? argv[(index += 1)];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got ${String(raw)}`);
    flags[names[name as keyof typeof names]] = value;
  }
  return flags;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// Data: accounts that sign in, and the ids, pages and codes the requests rotate over

interface Fixtures {
  generation: GenerateSummary | { reused: true; applications: number };
  ownerEmail: string;
  /** The owner's applications (its company's files). */
  ownerApplicationIds: string[];
  /** Submitted files across the database, for the officer. */
  officerApplicationIds: string[];
  verificationCodes: string[];
  queuePages: number;
}

async function prepareFixtures(ownerUrl: string, generation: Fixtures["generation"]): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "moussanada-bench-fixtures" });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (role, full_name, email, locale, password_hash, email_verified_at)
       VALUES ('officer', 'Chargé de benchmark', $1, 'fr', $2, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled_at = NULL`,
      [OFFICER_EMAIL, await hashPassword(OFFICER_PASSWORD)],
    );
    // A company owner (no mandate given, so no prescriber in the way) with a file under review
    // and its company's other files: the first such company in id order, the same every run.
    const owner = await client.query<{ owner_id: string; email: string }>(
      `SELECT c.owner_id, u.email
         FROM applications a JOIN companies c ON c.id = a.company_id JOIN users u ON u.id = c.owner_id
        WHERE a.status = 'in_review' AND u.email LIKE 'bench-applicant-%'
          AND NOT EXISTS (SELECT 1 FROM mandates m WHERE m.company_id = c.id)
          AND (SELECT count(*) FROM applications o WHERE o.company_id = c.id) >= 2
        ORDER BY a.id LIMIT 1`,
    );
    const ownerRow = owner.rows[0];
    if (!ownerRow) throw new Error("no company owner with a file under review");
    await client.query("UPDATE users SET password_hash = $2, email_verified_at = now() WHERE id = $1", [
      ownerRow.owner_id,
      await hashPassword(OWNER_PASSWORD),
    ]);
    const ownerApplications = await client.query<{ id: string }>(
      "SELECT a.id FROM applications a JOIN companies c ON c.id = a.company_id WHERE c.owner_id = $1 ORDER BY a.id",
      [ownerRow.owner_id],
    );
    const officerApplications = await client.query<{ id: string }>(
      "SELECT id FROM applications WHERE reference IS NOT NULL ORDER BY id LIMIT 1000",
    );
    const codes = await client.query<{ verification_code: string }>(
      "SELECT verification_code FROM certificates ORDER BY id LIMIT 1000",
    );
    return {
      generation,
      ownerEmail: ownerRow.email,
      ownerApplicationIds: ownerApplications.rows.map((row) => row.id),
      officerApplicationIds: officerApplications.rows.map((row) => row.id),
      verificationCodes: codes.rows.map((row) => row.verification_code),
      queuePages: 50,
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The application, in its own process

interface AppProcess {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

async function startApp(options: {
  appUrl: string;
  ownerUrl: string;
  dataDir: string;
  cpuProfDir: string | null;
}): Promise<AppProcess> {
  const port = await freePort();
  const args = [
    ...(options.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfDir] : []),
    "--import",
    "tsx",
    path.join(projectRoot, "server", "main.ts"),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: options.appUrl,
      MIGRATION_DATABASE_URL: options.ownerUrl,
      RUN_WORKER: "false",
      LOG_LEVEL: "warn",
      DATA_DIR: options.dataDir,
      RATE_LIMIT_VERIFICATIONS_PER_MINUTE: String(VERIFICATIONS_PER_MINUTE),
      // The benchmark signs in once per simulated user, all from 127.0.0.1.
      RATE_LIMIT_LOGIN_PER_MINUTE: String(VERIFICATIONS_PER_MINUTE),
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the application exited with ${child.exitCode} at start`);
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("the application was not ready within 120 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (child.pid === undefined) throw new Error("no pid for the application");
  return {
    baseUrl,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      // SIGTERM: the application drains and exits, which is when --cpu-prof writes its profile.
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function appRssMb(pid: number): Promise<number | null> {
  const mb = await rssMb(pid);
  return mb === null ? null : round(mb, 1);
}

/** User + system CPU time of a process, in milliseconds. */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await procStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return stat.cpu * 1000;
}

/**
 * CPU time per answered request: on a machine shared with other work, requests/s and latencies
 * move with the neighbours' load, the CPU a request costs much less.
 */
async function cpuPerRequest<T extends LoadResult>(
  readCpuMs: () => Promise<number>,
  work: () => Promise<T>,
): Promise<{ value: T; cpuMsPerRequest: number }> {
  const before = await readCpuMs();
  const value = await work();
  const spent = (await readCpuMs()) - before;
  return { value, cpuMsPerRequest: round(spent / Math.max(1, value.requests + value.warmupRequests), 3) };
}

interface RssSample {
  /** Highest VmRSS seen during the run (warm-up included). */
  peakMb: number;
  /** Mean over the run. */
  meanMb: number;
  samples: number;
}

/** The work, with the app process's VmRSS sampled every 200 ms while it lasts. */
async function withRss<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; rss: RssSample }> {
  const samples: number[] = [];
  const sample = () => void appRssMb(pid).then((mb) => (mb === null ? undefined : samples.push(mb)));
  sample();
  const timer = setInterval(sample, 200);
  try {
    const value = await work();
    return {
      value,
      rss: {
        peakMb: Math.max(...samples),
        meanMb: round(samples.reduce((sum, mb) => sum + mb, 0) / Math.max(1, samples.length), 1),
        samples: samples.length,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The baseline: one SQL statement per request through pg, served by bare node:http

const DETAIL_SQL = `
  SELECT json_build_object(
    'application', row_to_json(a),
    'company', (SELECT row_to_json(c) FROM companies c WHERE c.id = a.company_id),
    'call', (SELECT row_to_json(k) FROM calls k WHERE k.id = a.call_id),
    'rules', (SELECT row_to_json(r) FROM call_rules r WHERE r.id = a.call_rules_id),
    'lines', (SELECT json_agg(l ORDER BY l.position) FROM application_lines l WHERE l.application_id = a.id),
    'documents', (SELECT json_agg(json_build_object('id', d.id, 'type', d.type, 'originalName', d.original_name,
                    'mimeType', d.mime_type, 'sizeBytes', d.size_bytes, 'verdict', d.verdict, 'createdAt', d.created_at)
                    ORDER BY d.created_at)
                  FROM documents d WHERE d.application_id = a.id),
    'claim', (SELECT row_to_json(cl) FROM claims cl WHERE cl.application_id = a.id)
  )::text AS body
  FROM applications a WHERE a.id = $1`;

const QUEUE_SQL = `
  SELECT json_build_object(
    'items', COALESCE((SELECT json_agg(t) FROM (
        SELECT a.id, a.reference, a.status, a.sector_code, a.grant_amount, a.fast_track, a.submitted_at,
               a.updated_at, c.name AS company_name, c.ice, c.region_code, k.code AS call_code
          FROM applications a JOIN companies c ON c.id = a.company_id JOIN calls k ON k.id = a.call_id
         WHERE a.reference IS NOT NULL
         ORDER BY a.fast_track DESC, a.submitted_at ASC NULLS LAST, a.id
         LIMIT 20 OFFSET $1) t), '[]'),
    'total', (SELECT count(*) FROM applications a WHERE a.reference IS NOT NULL)
  )::text AS body`;

const VERIFY_SQL = `
  WITH found AS (
    SELECT id, number, holder_name, issued_on, course_title, status, revoked_at
      FROM certificates WHERE verification_code = $1
  ), counted AS (
    INSERT INTO certificate_verifications (certificate_id) SELECT id FROM found
  )
  SELECT json_build_object('valid', status = 'valid', 'status', status, 'number', number,
           'holderName', holder_name, 'issuedOn', issued_on, 'courseTitle', course_title,
           'revokedOn', (revoked_at AT TIME ZONE 'Africa/Casablanca')::date)::text AS body
    FROM found`;

const SIMULATE_SQL = `
  SELECT k.id, k.title_fr, k.title_ar, r.rate::text AS rate, r.cap_per_company::text AS cap,
         EXISTS (SELECT 1 FROM call_rule_sectors s WHERE s.call_rules_id = r.id AND s.sector_code = $1) AS eligible
    FROM calls k
    JOIN LATERAL (SELECT * FROM call_rules WHERE call_id = k.id ORDER BY version DESC LIMIT 1) r ON true
   WHERE k.opens_on <= current_date AND k.closes_on >= current_date
     AND EXISTS (SELECT 1 FROM sectors WHERE code = $1 AND active)
   ORDER BY k.opens_on DESC LIMIT 1`;

const ME_SQL = `
  SELECT json_build_object('user', json_build_object('id', id, 'role', role, 'fullName', full_name,
           'email', email, 'locale', locale))::text AS body
    FROM users WHERE email = $1`;

interface SimulationBody {
  sectorCode: string;
  lines: Array<{ category: string; amountExclTax: string; vatRate: string }>;
}

const SIMULATION: SimulationBody = {
  sectorCode: "textile-habillement",
  lines: [
    { category: "software", amountExclTax: "180000.00", vatRate: "0.20" },
    { category: "hardware", amountExclTax: "65000.00", vatRate: "0.20" },
    { category: "training", amountExclTax: "12000.00", vatRate: "0.00" },
  ],
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/** Centimes, as the application counts money (integers, never floats). */
const centimes = (amount: string) => BigInt(Math.round(Number(amount) * 100));
const formatCentimes = (value: bigint) => `${value / 100n}.${String(value % 100n).padStart(2, "0")}`;

async function answerBaseline(pool: pg.Pool, req: IncomingMessage): Promise<{ status: number; body: string }> {
  const url = new URL(req.url ?? "/", "http://baseline");
  const [, route, key] = url.pathname.split("/");
  const one = async (sql: string, values: unknown[]) => {
    const result = await pool.query<{ body: string }>(sql, values);
    const body = result.rows[0]?.body;
    return body === undefined ? { status: 404, body: "{}" } : { status: 200, body };
  };
  if (route === "detail" && key) return one(DETAIL_SQL, [key]);
  if (route === "verify" && key) return one(VERIFY_SQL, [key]);
  if (route === "me") return one(ME_SQL, [OFFICER_EMAIL]);
  if (route === "queue") return one(QUEUE_SQL, [(Number(url.searchParams.get("page") ?? 1) - 1) * 20]);
  if (route === "simulate") {
    const body = JSON.parse(await readBody(req)) as SimulationBody;
    const result = await pool.query<{
      id: string;
      title_fr: string;
      title_ar: string;
      rate: string;
      cap: string;
      eligible: boolean;
    }>(SIMULATE_SQL, [body.sectorCode]);
    const call = result.rows[0];
    if (!call) return { status: 422, body: "{}" };
    const eligible = body.lines.reduce((sum, line) => sum + centimes(line.amountExclTax), 0n);
    const vat = body.lines.reduce(
      (sum, line) => sum + (centimes(line.amountExclTax) * centimes(line.vatRate)) / 100n,
      0n,
    );
    const uncapped = (eligible * centimes(call.rate)) / 100n;
    const cap = centimes(call.cap);
    const grant = uncapped < cap ? uncapped : cap;
    return {
      status: 200,
      body: JSON.stringify({
        callId: call.id,
        callTitleFr: call.title_fr,
        callTitleAr: call.title_ar,
        sectorCode: body.sectorCode,
        sectorEligible: call.eligible,
        eligibleAmount: formatCentimes(eligible),
        vatAmount: formatCentimes(vat),
        grantAmount: formatCentimes(grant),
        ownShare: formatCentimes(eligible + vat - grant),
        rate: call.rate,
        cap: call.cap,
      }),
    };
  }
  return { status: 404, body: "{}" };
}

async function startBaseline(appUrl: string, poolMax: number): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: poolMax, application_name: "moussanada-bench-baseline" });
  const server = createServer((req, res) => {
    answerBaseline(pool, req).then(
      ({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await close(server);
      await pool.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Runs

interface Target {
  name: string;
  label: string;
  /** A read (the ≥ 50 % of the baseline's requests/s goal applies). */
  read: boolean;
  app: Omit<LoadOptions, "connections" | "durationSeconds" | "warmupSeconds">;
  baseline: Omit<LoadOptions, "connections" | "durationSeconds" | "warmupSeconds">;
}

interface TargetRun {
  name: string;
  label: string;
  read: boolean;
  app: LoadResult & { rss: RssSample; cpuMsPerRequest: number; statementsPerRequest: number };
  baseline: LoadResult & { cpuMsPerRequest: number };
  ratios: { requestsPerSecond: number; p50: number; p99: number; cpuPerRequest: number };
  goals: { throughput: boolean | null; p99: boolean; rss: boolean };
}

function describe(label: string, result: LoadResult, rss?: RssSample): string {
  const l = result.latencyMs;
  return (
    `  ${label.padEnd(9)} ${String(result.requestsPerSecond).padStart(8)} req/s   p50 ${l.p50} ms   p99 ${l.p99} ms` +
    `   (${result.requests} requests, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.bytesPerResponse} B each` +
    (rss ? `; RSS peak ${rss.peakMb} MB, mean ${rss.meanMb} MB)` : ")")
  );
}

function check(value: boolean | null): string {
  return value === null ? "n/a" : value ? "yes" : "**no**";
}

function summaryTable(runs: TargetRun[], connections: number): string {
  const lines = [
    `| Endpoint (${connections} connections) | app req/s | baseline req/s | ratio | app p50 | app p99 | baseline p99 | CPU/request app | baseline | SQL/request | RSS peak | ≥ 50 % | p99 < 50 ms | RSS < 250 MB |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :-: | :-: | :-: |",
  ];
  for (const run of runs) {
    lines.push(
      `| ${run.label} | ${Math.round(run.app.requestsPerSecond)} | ${Math.round(run.baseline.requestsPerSecond)} | ` +
        `×${run.ratios.requestsPerSecond} | ${run.app.latencyMs.p50} ms | ${run.app.latencyMs.p99} ms | ` +
        `${run.baseline.latencyMs.p99} ms | ${run.app.cpuMsPerRequest} ms | ${run.baseline.cpuMsPerRequest} ms | ` +
        `${run.app.statementsPerRequest} | ` +
        `${run.app.rss.peakMb} MB | ${check(run.goals.throughput)} | ` +
        `${check(run.goals.p99)} | ${check(run.goals.rss)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const volumes = parseFlags(argv, SEED_OPTIONS);
  const flags = parseLoadFlags(argv);
  const started = Date.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), "moussanada-bench-http-"));
  const database = await startBenchDatabase();
  const cleanups: Array<() => Promise<void>> = [
    () => rm(scratch, { recursive: true, force: true }),
    () => database.stop(),
  ];
  try {
    say(`PostgreSQL: ${database.embedded ? "embedded, in a temporary folder" : "BENCH_DATABASE_URL"}`);
    await prepareDatabase(database.ownerUrl);
    const existing = await generatedApplications(database.ownerUrl);
    let generation: Fixtures["generation"];
    if (existing === null) {
      generation = await generate(database.ownerUrl, { ...volumes, log: say });
      say(`Generated in ${generation.seconds.toFixed(1)} s`);
    } else {
      generation = { reused: true, applications: existing };
      say(`The database already holds generated data (${existing.toLocaleString("en")} applications): reused`);
    }
    const fixtures = await prepareFixtures(database.ownerUrl, generation);
    const appUrl = await enableApplicationLogin(database.ownerUrl);

    const cpuProfDir = flags.cpuProf ? path.join(resultsDir, "profiles") : null;
    if (cpuProfDir) await mkdir(cpuProfDir, { recursive: true });
    const app = await startApp({ appUrl, ownerUrl: database.ownerUrl, dataDir: scratch, cpuProfDir });
    cleanups.unshift(() => app.stop());
    const idleRss = await appRssMb(app.pid);
    say(`Application: pid ${app.pid} on ${app.baseUrl}, RSS ${idleRss} MB after start`);

    // One session per connection, as many users would have: a single session shared by every
    // connection serialises the requests on its row (each request touches it: rolling cookie).
    const sessions = async (sign: () => Promise<string>) => {
      const cookies: string[] = [];
      for (let index = 0; index < flags.connections; index += 1) cookies.push(await sign());
      return cookies;
    };
    const officerCookies = await sessions(() => signIn(app.baseUrl, OFFICER_EMAIL, OFFICER_PASSWORD));
    const ownerCookies = await sessions(() => signIn(app.baseUrl, fixtures.ownerEmail, OWNER_PASSWORD));
    const anonymous = await csrfSession(app.baseUrl);
    say(`Signed in: ${officerCookies.length} officer sessions, ${ownerCookies.length} owner sessions`);
    const baseline = await startBaseline(appUrl, 10);
    cleanups.unshift(() => baseline.stop());

    const pages = Array.from({ length: fixtures.queuePages }, (_, index) => index + 1);
    const simulation = JSON.stringify(SIMULATION);
    const targets: Target[] = [
      {
        name: "applicationDetailOwner",
        label: "Application detail, owner",
        read: true,
        app: {
          url: app.baseUrl,
          cookies: ownerCookies,
          paths: fixtures.ownerApplicationIds.map((id) => `/api/v1/applications/${id}`),
        },
        baseline: { url: baseline.url, paths: fixtures.ownerApplicationIds.map((id) => `/detail/${id}`) },
      },
      {
        name: "applicationDetailOfficer",
        label: "Application detail, officer",
        read: true,
        app: {
          url: app.baseUrl,
          cookies: officerCookies,
          paths: fixtures.officerApplicationIds.map((id) => `/api/v1/applications/${id}`),
        },
        baseline: { url: baseline.url, paths: fixtures.officerApplicationIds.map((id) => `/detail/${id}`) },
      },
      {
        name: "officerQueue",
        label: `Officer queue, pages 1–${fixtures.queuePages}`,
        read: true,
        app: {
          url: app.baseUrl,
          cookies: officerCookies,
          paths: pages.map((page) => `/api/v1/applications?page=${page}`),
        },
        baseline: { url: baseline.url, paths: pages.map((page) => `/queue?page=${page}`) },
      },
      {
        name: "verification",
        label: "Certificate verification",
        read: true,
        app: { url: app.baseUrl, paths: fixtures.verificationCodes.map((code) => `/api/v1/verify/${code}`) },
        baseline: { url: baseline.url, paths: fixtures.verificationCodes.map((code) => `/verify/${code}`) },
      },
      {
        // What every signed-in request pays before its own work: session, user, CSRF, headers, logs.
        name: "signedInFloor",
        label: "Signed-in floor (GET /auth/me)",
        read: true,
        app: { url: app.baseUrl, cookies: officerCookies, paths: ["/api/v1/auth/me"] },
        baseline: { url: baseline.url, paths: ["/me"] },
      },
      {
        name: "simulator",
        label: "Simulator (POST)",
        read: false,
        app: {
          url: `${app.baseUrl}/api/v1/simulate`,
          method: "POST",
          body: simulation,
          headers: {
            cookie: anonymous.cookie,
            "x-csrf-token": anonymous.csrfToken,
            "content-type": "application/json",
          },
        },
        baseline: {
          url: `${baseline.url}/simulate`,
          method: "POST",
          body: simulation,
          headers: { "content-type": "application/json" },
        },
      },
    ];

    const unknown = flags.only.filter((name) => !targets.some((target) => target.name === name));
    if (unknown.length > 0) {
      throw new Error(`--only: unknown target ${unknown.join(", ")}; known: ${targets.map((t) => t.name).join(", ")}`);
    }
    const selected = flags.only.length === 0 ? targets : targets.filter((target) => flags.only.includes(target.name));

    // One request of each first: a wrong answer should stop the run, not be measured.
    for (const target of selected) {
      for (const side of [target.app, target.baseline]) {
        const url = new URL(side.paths?.[0] ?? "", side.url);
        const cookie = side.cookies?.[0];
        const response = await fetch(url, {
          method: side.method ?? "GET",
          headers: { ...side.headers, ...(cookie ? { cookie } : {}) },
          ...(side.body === undefined ? {} : { body: side.body }),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${target.name}: ${url.pathname} answered ${response.status}: ${text}`);
      }
    }
    say(
      `Targets checked. autocannon: ${flags.connections} connections, ${flags.duration} s after a ${flags.warmup} s warm-up, ` +
        "application then baseline for each",
    );

    const common = { connections: flags.connections, durationSeconds: flags.duration, warmupSeconds: flags.warmup };
    const runs: TargetRun[] = [];
    for (const target of selected) {
      say(target.label);
      const measured = await withRss(app.pid, () =>
        cpuPerRequest(
          () => processCpuMs(app.pid),
          () => withStatementCount(database.ownerUrl, () => runLoad({ ...common, ...target.app })),
        ),
      );
      const appResult = { ...measured.value.value, rss: measured.rss, cpuMsPerRequest: measured.value.cpuMsPerRequest };
      say(`  SQL statements per request (committed transactions): ${appResult.statementsPerRequest}`);
      say(describe("app", appResult, measured.rss));
      const bareRun = await cpuPerRequest(
        async () => {
          const usage = process.cpuUsage();
          return (usage.user + usage.system) / 1000;
        },
        () => runLoad({ ...common, ...target.baseline }),
      );
      const bare = { ...bareRun.value, cpuMsPerRequest: bareRun.cpuMsPerRequest };
      say(describe("baseline", bare));
      say(`  CPU per request: app ${appResult.cpuMsPerRequest} ms, baseline ${bare.cpuMsPerRequest} ms`);
      const ratios = {
        requestsPerSecond: round(appResult.requestsPerSecond / bare.requestsPerSecond),
        p50: round(appResult.latencyMs.p50 / bare.latencyMs.p50),
        p99: round(appResult.latencyMs.p99 / bare.latencyMs.p99),
        cpuPerRequest: round(appResult.cpuMsPerRequest / bare.cpuMsPerRequest),
      };
      const goals = {
        throughput: target.read ? ratios.requestsPerSecond >= GOALS.readRatio : null,
        p99: appResult.latencyMs.p99 < GOALS.p99Ms,
        rss: measured.rss.peakMb < GOALS.rssMb,
      };
      say(`  ratio: req/s ×${ratios.requestsPerSecond}, p50 ×${ratios.p50}, p99 ×${ratios.p99}`);
      runs.push({
        name: target.name,
        label: target.label,
        read: target.read,
        app: appResult,
        baseline: bare,
        ratios,
        goals,
      });
    }
    const finalRss = await appRssMb(app.pid);

    const table = summaryTable(runs, flags.connections);
    say(`\n${table}`);
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
      database: database.embedded ? "embedded PostgreSQL (temporary folder)" : "BENCH_DATABASE_URL",
      volumes,
      generation,
      load: flags,
      app: {
        command: "node --import tsx server/main.ts",
        env: {
          NODE_ENV: "test",
          RUN_WORKER: "false",
          LOG_LEVEL: "warn",
          RATE_LIMIT_VERIFICATIONS_PER_MINUTE: VERIFICATIONS_PER_MINUTE,
        },
        rssMb: { afterStart: idleRss, atEnd: finalRss, peak: Math.max(...runs.map((run) => run.app.rss.peakMb)) },
      },
      goals: GOALS,
      runs,
      totalSeconds: Math.round((Date.now() - started) / 1000),
      notes: [
        "p50/p99 are nearest-rank percentiles of every response's latency (autocannon's 'response' events).",
        "Ratios: the application's figure divided by the baseline's, measured in the same run, one after the other.",
        "Baseline: bare node:http in the benchmark's process, one SQL statement per request through pg (pool of 10, as the app), no session, no authorisation.",
        "RSS: VmRSS of the application process, sampled every 200 ms during its run (warm-up included).",
        "NODE_ENV=test: production refuses to start without its secrets and SMTP; nothing on these routes depends on it.",
      ],
    };
    await mkdir(resultsDir, { recursive: true });
    // A partial run (--only) must not replace the full run's figures.
    const stem = flags.only.length === 0 ? "bench" : "bench-partial";
    await writeFile(path.join(resultsDir, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(path.join(resultsDir, `${stem}.md`), table);
    say(`Written: bench/results/${stem}.json, bench/results/${stem}.md (${results.totalSeconds} s in all)`);
  } finally {
    for (const cleanup of cleanups) {
      await cleanup().catch((error: unknown) => benchLogger.warn({ err: error }, "benchmark cleanup failed"));
    }
    if (flags.cpuProf) say("CPU profile of the application: bench/results/profiles/*.cpuprofile");
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
