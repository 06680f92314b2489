/**
 * `npm run test:sqlmap` (issue 9, security suite): sqlmap against the filter, sort and pagination
 * parameters of every list endpoint, a few path parameters and JSON bodies, signed in as each role
 * that reads those lists. A script, not a mocha test: it needs sqlmap and takes minutes.
 *
 *   npm run test:sqlmap [-- --only <label substring>] [--keep-logs]
 *
 * 1. Checks that `sqlmap` is on PATH (Debian: `apt-get install -y sqlmap`); installs nothing.
 * 2. Starts an embedded PostgreSQL in a temporary folder (migrated, with the application role's
 *    login, as bench/app.ts does), then the application on it as `npm start` does, in its own
 *    process: NODE_ENV=development (the seeds create the demo accounts), a free port, the rate
 *    limits of sign-in and verification raised so sqlmap is answered, not throttled.
 * 3. Gives the lists something to find: the demo manager uploads the demo draft's documents and
 *    submits it, an officer starts its review, the demo trainer issues the demo certificate.
 * 4. Signs in as the officer, the admin, the applicant, the prescriber and the trainer (session
 *    cookie + CSRF token), then runs sqlmap on each target in turn:
 *      --batch --level=2 --risk=1 --dbms=PostgreSQL --technique=BEUSTQ --threads=4 --time-sec=2
 *    with -p naming the query parameters (so the session cookie itself is not fuzzed), or `*`
 *    marks in a JSON body. --dbms=PostgreSQL: the back end is known, so sqlmap skips the payloads
 *    of other databases, which cannot apply and would double the run.
 * 5. First a control: the same options against a route of this script that pastes its parameter
 *    into SQL on the same database. sqlmap must report it, or the run fails: clean results are
 *    only worth something if the same setup catches a real injection.
 * 6. Reads sqlmap's output: "is vulnerable", "appears to be … injectable", "might be injectable",
 *    "identified the following injection point", HTTP 500 answers, or a run that never reached its
 *    verdict are failures. Prints the table of URLs × parameters, and exits 1 on any failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { close, cookiesOf, csrfSession, freePort, listen } from "../../bench/http.js";
import { enableApplicationLogin, migrateDatabase } from "../../server/db/connection.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embeddedPostgres.js";
import { createLogger } from "../../server/logger.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEMO_PASSWORD = "Demo-2026!";
const API = "/api/v1";

const SQLMAP_OPTIONS = [
  "--batch",
  "--level=2",
  "--risk=1",
  "--dbms=PostgreSQL",
  "--technique=BEUSTQ",
  "--threads=4",
  "--time-sec=2",
  "--timeout=20",
  "--retries=1",
  "--disable-coloring",
  "--flush-session",
  "--skip-waf",
];

const say = (line: string) => process.stdout.write(`${line}\n`);

// ——— The application in its own process ———

interface RunningApp {
  baseUrl: string;
  stop(): Promise<void>;
}

const logger = createLogger({ logLevel: "warn", isProduction: false });

/**
 * An embedded PostgreSQL of our own, migrated, with the application role's login: the app runs on
 * it as in production (application role), and the control target reads it too.
 */
async function startDatabase(folder: string): Promise<{ embedded: EmbeddedDatabase; appUrl: string }> {
  const embedded = await startEmbeddedPostgres({
    clusterDir: path.join(folder, "postgres"),
    databaseName: "moussanada_sqlmap",
    persistent: false,
    logger,
  });
  try {
    await migrateDatabase(embedded.url, logger);
    return { embedded, appUrl: await enableApplicationLogin(embedded.url) };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

async function startApplication(dataDir: string, ownerUrl: string, appUrl: string): Promise<RunningApp> {
  const port = await freePort();
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    // Development: the seeds create the demo accounts, printed by npm start.
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: appUrl,
    MIGRATION_DATABASE_URL: ownerUrl,
    LOG_LEVEL: "warn",
    RATE_LIMIT_LOGIN_PER_MINUTE: "1000000",
    RATE_LIMIT_VERIFICATIONS_PER_MINUTE: "1000000",
    RATE_LIMIT_REGISTRATIONS_PER_HOUR: "1000000",
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(projectRoot, "server", "main.ts")],
    {
      cwd: projectRoot,
      env: environment,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the application exited with ${child.exitCode} at start:\n${errors}`);
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the application was not ready within 180 s:\n${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    baseUrl,
    stop: async () => {
      if (child.exitCode !== null) return;
      // SIGTERM: the application drains, then stops its embedded PostgreSQL.
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ——— Signed-in clients ———

interface Client {
  who: string;
  cookie: string;
  csrfToken: string;
  userId: string;
}

async function signIn(baseUrl: string, email: string): Promise<Client> {
  const { cookie, csrfToken } = await csrfSession(baseUrl);
  const login = await fetch(`${baseUrl}${API}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken, cookie },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`POST /auth/login (${email}) answered ${login.status}: ${await login.text()}`);
  const body = (await login.json()) as { csrfToken: string; user: { id: string } };
  return { who: email, cookie: cookiesOf(login, cookie), csrfToken: body.csrfToken, userId: body.user.id };
}

async function anonymous(baseUrl: string): Promise<Client> {
  const { cookie, csrfToken } = await csrfSession(baseUrl);
  return { who: "anonymous", cookie, csrfToken, userId: "" };
}

async function call<T>(baseUrl: string, client: Client, method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${API}${url}`, {
    method,
    headers: {
      cookie: client.cookie,
      "x-csrf-token": client.csrfToken,
      ...(body === undefined || body instanceof FormData ? {} : { "content-type": "application/json" }),
      ...(url.endsWith("/submit") ? { "idempotency-key": `sqlmap-${Date.now()}` } : {}),
    },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} as ${client.who} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

// ——— Data for the lists to find ———

/** The smallest file the upload takes as a PDF (typed by its first bytes). */
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
    "trailer << /Root 1 0 R >>\n%%EOF\n",
);

interface Facts {
  applicationId: string;
  companyId: string;
  companyName: string;
  callId: string;
  sectorCode: string;
  regionCode: string;
  reference: string;
  sessionId: string;
  city: string;
  verificationCode: string;
  programme: string;
}

interface Listed<T> {
  items: T[];
}

async function prepareData(baseUrl: string, clients: Record<string, Client>): Promise<Facts> {
  const applicant = clients.applicant as Client;
  const officer = clients.officer as Client;
  const trainer = clients.trainer as Client;
  const drafts = await call<Listed<{ id: string; status: string }>>(baseUrl, applicant, "GET", "/applications");
  const draft = drafts.items.find((item) => item.status === "draft");
  if (!draft) throw new Error("the demo seeds made no draft application (is a call open today?)");
  for (const type of ["quote", "sworn_declaration"]) {
    const form = new FormData();
    form.append("type", type);
    form.append("file", new Blob([PDF], { type: "application/pdf" }), `${type}.pdf`);
    await call(baseUrl, applicant, "POST", `/applications/${draft.id}/documents`, form);
  }
  await call(baseUrl, applicant, "POST", `/applications/${draft.id}/submit`, {});
  await call(baseUrl, officer, "POST", `/applications/${draft.id}/start-review`, {});
  const application = await call<{
    id: string;
    reference: string;
    sectorCode: string;
    company: { id: string; name: string; regionCode: string };
    call: { id: string; code: string };
  }>(baseUrl, officer, "GET", `/applications/${draft.id}`);

  // The demo trainer's session held yesterday, where the demo manager passed: its certificate.
  const sessions = await call<Listed<{ id: string; city: string; hasStarted: boolean }>>(
    baseUrl,
    trainer,
    "GET",
    "/training/sessions?mine=true&pageSize=100",
  );
  const held = sessions.items.find((session) => session.hasStarted);
  if (!held) throw new Error("the demo seeds made no past session");
  const job = await call<{ id: string }>(baseUrl, trainer, "POST", `/training/sessions/${held.id}/certificates`, {});
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await call<{ status: string; error: string | null }>(baseUrl, trainer, "GET", `/jobs/${job.id}`);
    if (state.status === "succeeded") break;
    if (state.status === "failed" || Date.now() > deadline)
      throw new Error(`certificate job ${state.status}: ${state.error}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const certificates = await call<Listed<{ verificationCode: string }>>(
    baseUrl,
    clients.admin as Client,
    "GET",
    `/certificates?sessionId=${held.id}`,
  );
  const certificate = certificates.items[0];
  if (!certificate) throw new Error("no certificate issued");
  const calls = await call<Listed<{ id: string; programme?: { code: string } }>>(baseUrl, officer, "GET", "/calls");
  return {
    applicationId: application.id,
    companyId: application.company.id,
    companyName: application.company.name,
    callId: application.call.id,
    sectorCode: application.sectorCode,
    regionCode: application.company.regionCode,
    reference: application.reference,
    sessionId: held.id,
    city: held.city,
    verificationCode: certificate.verificationCode,
    programme: calls.items[0]?.programme?.code ?? "moussanada-numerique",
  };
}

// ——— Targets ———

interface Target {
  label: string;
  as: string;
  method: "GET" | "POST" | "PATCH";
  /** Path and query under /api/v1; a `*` marks a path parameter to test. */
  url: string;
  /** Query parameters to test (sqlmap -p); none when the URL or body carries `*` marks. */
  parameters?: string[];
  /** A JSON body with `*` after each value to test. */
  data?: string;
  /** What the `*` marks stand for, for the summary. */
  marked?: string[];
  /** More sqlmap options for this target only. */
  options?: string[];
}

function query(values: Record<string, string | number | boolean>): { qs: string; names: string[] } {
  const entries = Object.entries(values);
  return {
    qs: entries.map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join("&"),
    names: entries.map(([name]) => name),
  };
}

function getTarget(label: string, as: string, pathname: string, values: Record<string, string | number | boolean>) {
  const { qs, names } = query(values);
  return { label, as, method: "GET" as const, url: `${pathname}?${qs}`, parameters: names };
}

function targets(facts: Facts, clients: Record<string, Client>): Target[] {
  const word = facts.companyName.split(" ")[0] ?? "Atelier";
  const applicationFilters = {
    status: "in_review",
    sector: facts.sectorCode,
    region: facts.regionCode,
    callId: facts.callId,
    companyId: facts.companyId,
    q: word,
    fastTrack: false,
    minDaysWaiting: 0,
    sort: "queue",
    page: 1,
    pageSize: 20,
  };
  const { page: _page, pageSize: _pageSize, sort: _sort, ...exportFilters } = applicationFilters;
  return [
    getTarget("applications list (officers' queue)", "officer", "/applications", applicationFilters),
    // The same query builder as the officers' list: only what the manager's own scope changes.
    getTarget("applications list (manager)", "applicant", "/applications", {
      companyId: facts.companyId,
      q: word,
      status: "in_review",
      sort: "-updatedAt",
    }),
    getTarget("applications list (prescriber)", "prescriber", "/applications", {
      q: word,
      status: "in_review",
      sort: "reference",
      page: 1,
      pageSize: 20,
    }),
    getTarget("export applications.csv", "officer", "/exports/applications.csv", exportFilters),
    getTarget("export payments.csv", "officer", "/exports/payments.csv", { callId: facts.callId }),
    getTarget("audit log", "admin", "/audit", {
      entityType: "application",
      entityId: facts.applicationId,
      actorId: clients.applicant?.userId ?? "",
      action: "application.submitted",
      from: "2020-01-01T00:00:00Z",
      to: "2100-01-01T00:00:00Z",
      page: 1,
      pageSize: 20,
    }),
    getTarget("users (admin)", "admin", "/users", {
      role: "applicant",
      status: "active",
      q: "demo",
      sort: "-createdAt",
      page: 1,
      pageSize: 20,
    }),
    getTarget("companies (officer)", "officer", "/companies", {
      q: word,
      sector: facts.sectorCode,
      region: facts.regionCode,
      page: 1,
      pageSize: 20,
    }),
    getTarget("companies (prescriber)", "prescriber", "/companies", { q: word, page: 1, pageSize: 20 }),
    getTarget("training sessions (public)", "anonymous", "/training/sessions", {
      city: facts.city,
      from: "2020-01-01",
      to: "2100-12-31",
      page: 1,
      pageSize: 20,
    }),
    getTarget("training sessions (trainer's own)", "trainer", "/training/sessions", { mine: true, city: facts.city }),
    getTarget("enrolments (trainer)", "trainer", "/training/enrolments", {
      sessionId: facts.sessionId,
      status: "passed",
      page: 1,
      pageSize: 20,
    }),
    getTarget("certificates (admin)", "admin", "/certificates", {
      sessionId: facts.sessionId,
      status: "valid",
      q: "PN-",
      page: 1,
      pageSize: 20,
    }),
    getTarget("open data (public)", "anonymous", "/open-data/applications", {
      from: "2020-01",
      to: "2100-12",
      region: facts.regionCode,
      sector: facts.sectorCode,
      page: 1,
      pageSize: 20,
    }),
    getTarget("open data CSV (public)", "anonymous", "/open-data/applications.csv", {
      from: "2020-01",
      to: "2100-12",
      region: facts.regionCode,
      sector: facts.sectorCode,
    }),
    getTarget("statistics overview", "officer", "/stats/overview", { programme: facts.programme }),
    getTarget("catalogue solutions (public)", "anonymous", "/solutions", { sector: facts.sectorCode, page: 1 }),
    getTarget("calls (public)", "anonymous", "/calls", { status: "open", programme: facts.programme }),
    getTarget("captured e-mails (development)", "anonymous", "/dev/mails", { to: "applicant@demo.ma", page: 1 }),
    {
      label: "public verification (path)",
      as: "anonymous",
      method: "GET",
      url: `/verify/${facts.verificationCode}*`,
      marked: ["code (path)"],
    },
    {
      label: "application detail (path)",
      as: "officer",
      method: "GET",
      url: `/applications/${facts.applicationId}*`,
      marked: ["id (path)"],
    },
    {
      label: "simulator (JSON body)",
      as: "anonymous",
      method: "POST",
      url: "/simulate",
      data: JSON.stringify({
        callId: `${facts.callId}*`,
        sectorCode: `${facts.sectorCode}*`,
        lines: [{ category: "software*", amountExclTax: "100000.00*", vatRate: "0.20*" }],
      }),
      marked: ["callId", "sectorCode", "lines[0].category", "lines[0].amountExclTax", "lines[0].vatRate"],
    },
    {
      label: "company profile update (JSON body)",
      as: "applicant",
      method: "PATCH",
      url: `/companies/${facts.companyId}`,
      data: JSON.stringify({ city: "Casablanca*", address: "Zone industrielle, lot 42*" }),
      marked: ["city", "address"],
    },
    {
      label: "sign-in (JSON body, address)",
      as: "anonymous",
      method: "POST",
      url: "/auth/login",
      data: JSON.stringify({ email: "personne@example.ma*", password: "Mot de passe de test" }),
      marked: ["email"],
      // A wrong sign-in is the baseline (401, then 429 once the address is locked); the session
      // must not be replaced by the answers' cookies, or the CSRF token would no longer match.
      options: ["--ignore-code=401,429", "--drop-set-cookie"],
    },
  ];
}

// ——— The control: a deliberately injectable endpoint, which sqlmap must catch ———

/**
 * Proves the run can fail: the same sqlmap options, the same output parsing, against a route that
 * pastes its parameter into SQL on the same database. If sqlmap did not report it, the clean
 * results of the real targets would prove nothing.
 */
async function startControl(appUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: 4 });
  const server: Server = createServer((req, res) => {
    const q = new URL(req.url ?? "/", "http://control").searchParams.get("q") ?? "";
    // The mistake the real routes must never make: the value is part of the SQL text.
    pool.query(`SELECT name, city FROM companies WHERE name ILIKE '%${q}%' ORDER BY name`).then(
      (result) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result.rows)),
      (error: unknown) => res.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/control/companies`,
    stop: async () => {
      await close(server);
      await pool.end();
    },
  };
}

// ——— sqlmap ———

interface Outcome {
  target: Target;
  seconds: number;
  tested: string[];
  findings: string[];
  serverErrors: number;
  verdictReached: boolean;
  warnings: string[];
  log: string;
}

const FINDING_LINES = [
  /is vulnerable/i,
  /appears to be .* injectable/i,
  /might be injectable/i,
  /identified the following injection point/i,
];

function runSqlmap(target: Target, client: Client, baseUrl: string, outputDir: string): Promise<Outcome> {
  const args = [
    ...SQLMAP_OPTIONS,
    `--output-dir=${outputDir}`,
    "-u",
    /^https?:/.test(target.url) ? target.url : `${baseUrl}${API}${target.url}`,
    `--method=${target.method}`,
    `--cookie=${client.cookie}`,
    `--headers=X-CSRF-Token: ${client.csrfToken}\nAccept: application/json`,
  ];
  if (target.parameters) args.push(`-p`, target.parameters.join(","));
  if (target.data) args.push(`--data=${target.data}`);
  if (target.options) args.push(...target.options);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("sqlmap", args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = log.split("\n");
      const findings: string[] = [];
      lines.forEach((line, index) => {
        if (!FINDING_LINES.some((pattern) => pattern.test(line))) return;
        // sqlmap re-checks a candidate ("false positive or unexploitable injection point
        // detected") and then concludes that this parameter "does not seem to be injectable".
        const parameter = /parameter '([^']+)' (appears|might)/i.exec(line)?.[1];
        const dismissed =
          parameter !== undefined &&
          lines
            .slice(index + 1)
            .some((next) => next.includes(`parameter '${parameter}' does not seem to be injectable`));
        if (!dismissed) findings.push(line.trim());
      });
      const errors = /HTTP error codes detected during run:\s*\n?([^\n]*)/i.exec(log)?.[1] ?? "";
      const serverErrors = [...errors.matchAll(/5\d\d \([^)]*\) - (\d+) times/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
      const tested = target.parameters ?? target.marked ?? [];
      const verdictReached =
        code === 0 && (/all tested parameters do not appear to be injectable/i.test(log) || findings.length > 0);
      resolve({
        target,
        seconds: Math.round((Date.now() - started) / 100) / 10,
        tested,
        findings,
        serverErrors,
        verdictReached,
        warnings: lines.filter((line) =>
          /might be vulnerable to|\[CRITICAL\](?!.*do not appear to be injectable)/i.test(line),
        ),
        log,
      });
    });
  });
}

function sqlmapAvailable(): boolean {
  const probe = spawnSync("sqlmap", ["--version"], { encoding: "utf8" });
  return probe.status === 0 && /\d+\.\d+/.test(probe.stdout);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
  const keepLogs = argv.includes("--keep-logs");
  if (!sqlmapAvailable()) {
    process.stderr.write(
      "sqlmap is not on PATH: install it first (Debian/Ubuntu: apt-get install -y sqlmap), then run npm run test:sqlmap again.\n",
    );
    return 2;
  }
  const started = Date.now();
  const workDir = await mkdtemp(path.join(os.tmpdir(), "moussanada-sqlmap-"));
  // The embedded PostgreSQL runs initdb as its own user when this runs as root: it must enter here.
  await chmod(workDir, 0o755);
  const dataDir = path.join(workDir, "data");
  const outputDir = path.join(workDir, "sqlmap");
  await mkdir(outputDir, { recursive: true });
  // Outside the work folder (deleted at the end), so a failure's log can be read afterwards.
  const logDir = path.join(os.tmpdir(), "moussanada-sqlmap-logs");
  await mkdir(logDir, { recursive: true });
  let app: RunningApp | null = null;
  let database: EmbeddedDatabase | null = null;
  let control: { url: string; stop(): Promise<void> } | null = null;
  const stopEverything = async () => {
    await control?.stop();
    await app?.stop();
    await database?.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  const stopOnSignal = () => {
    void stopEverything().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    say("Starting PostgreSQL (embedded, migrated) and the application (demo seeds)…");
    const databaseStart = await startDatabase(workDir);
    database = databaseStart.embedded;
    app = await startApplication(dataDir, databaseStart.embedded.url, databaseStart.appUrl);
    control = await startControl(databaseStart.appUrl);
    const baseUrl = app.baseUrl;
    const clients: Record<string, Client> = {
      officer: await signIn(baseUrl, "officer1@demo.ma"),
      admin: await signIn(baseUrl, "admin@demo.ma"),
      applicant: await signIn(baseUrl, "applicant@demo.ma"),
      prescriber: await signIn(baseUrl, "prescriber@demo.ma"),
      trainer: await signIn(baseUrl, "trainer@demo.ma"),
      anonymous: await anonymous(baseUrl),
    };
    const facts = await prepareData(baseUrl, clients);
    say(`Ready at ${baseUrl} in ${Math.round((Date.now() - started) / 1000)} s; sqlmap ${SQLMAP_OPTIONS.join(" ")}`);

    const controlOutcome = await runSqlmap(
      {
        label: "control (deliberately injectable)",
        as: "anonymous",
        method: "GET",
        url: `${control.url}?q=Atelier`,
        parameters: ["q"],
      },
      clients.anonymous as Client,
      baseUrl,
      outputDir,
    );
    say(
      `  control    ${String(controlOutcome.seconds).padStart(6)} s  a route pasting q into its SQL: ${
        controlOutcome.findings.length > 0 ? "caught" : "NOT CAUGHT"
      }`,
    );
    if (controlOutcome.findings.length === 0) {
      const logFile = path.join(logDir, "control.log");
      await writeFile(logFile, controlOutcome.log);
      say(`sqlmap did not catch the deliberate injection: these options or this parsing prove nothing (${logFile}).`);
      return 1;
    }

    const outcomes: Outcome[] = [];
    const queue = targets(facts, clients).filter((item) => !only || item.label.includes(only));
    // Two sqlmap processes at a time: each waits on the server most of the time.
    let runs = 0;
    const worker = async () => {
      for (let target = queue.shift(); target; target = queue.shift()) {
        const client = clients[target.as];
        if (!client) throw new Error(`no client for ${target.as}`);
        // Its own folder: sqlmap keeps one session file per host, which two runs would share.
        runs += 1;
        const outcome = await runSqlmap(target, client, baseUrl, path.join(outputDir, String(runs)));
        outcomes.push(outcome);
        const status =
          outcome.findings.length > 0 || outcome.serverErrors > 0
            ? "FINDING"
            : outcome.verdictReached
              ? "clean"
              : "NO VERDICT";
        say(
          `  ${status.padEnd(10)} ${String(outcome.seconds).padStart(6)} s  ${target.method} ${API}${target.url.split("?")[0]} [${target.as}] ${outcome.tested.join(", ")}`,
        );
        if (keepLogs || status !== "clean") {
          const logFile = path.join(logDir, `${target.label.replace(/\W+/g, "-")}.log`);
          await writeFile(logFile, outcome.log);
          say(`             log: ${logFile}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);

    const failures = outcomes.filter(
      (outcome) => outcome.findings.length > 0 || outcome.serverErrors > 0 || !outcome.verdictReached,
    );
    const parameterCount = outcomes.reduce((sum, outcome) => sum + outcome.tested.length, 0);
    say("");
    say(
      `sqlmap: ${outcomes.length} URLs, ${parameterCount} parameters tested in ${Math.round((Date.now() - started) / 1000)} s (application start included).`,
    );
    for (const outcome of outcomes) {
      for (const warning of outcome.warnings) say(`  note (${outcome.target.label}): ${warning.trim()}`);
    }
    if (failures.length === 0) {
      say("No injection found.");
      return 0;
    }
    for (const failure of failures) {
      say(`FAILED ${failure.target.method} ${API}${failure.target.url} as ${failure.target.as}`);
      for (const finding of failure.findings) say(`    ${finding}`);
      if (failure.serverErrors > 0)
        say(`    ${failure.serverErrors} answers were HTTP 5xx (a payload broke the server)`);
      if (!failure.verdictReached) say("    sqlmap did not reach a verdict (see the log)");
    }
    return 1;
  } finally {
    await stopEverything();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
