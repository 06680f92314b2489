/**
 * Benchmark of the statistics overview (issue 8): GET /api/v1/stats/overview on a million
 * generated applications, against a baseline measured in the same run.
 *
 *   npx tsx bench/stats.ts [--applications 1000000] [--companies 200000] [--certificates 10000]
 *     [--seed 8] [--connections 10] [--duration 20] [--warmup 5]
 *
 * 1. A PostgreSQL: BENCH_DATABASE_URL (the schema owner's connection), or an embedded one in a
 *    temporary folder, deleted at the end. Migrations and reference data as the app runs them.
 * 2. Generated data (bench/generate.ts); skipped when the database already holds it.
 * 3. The statistics refreshed (refreshStatistics, timed), then each aggregate's defining query run
 *    on the live tables (the "cold" overview the materialised views replace, timed, with plans).
 * 4. The real app (createApp with the services server/main.ts builds, no job worker) on a free
 *    port, an officer signed in through the API (CSRF token, session cookie).
 * 5. autocannon (its own process) against the overview, then against the baseline: a bare
 *    node:http server in this process answering one plain SQL query through `pg` that reads the
 *    same aggregates. Same connections, same duration, each after a warm-up.
 *
 * Absolute times on a shared machine are noise: the figures that matter are the ratios to the
 * baseline. Results go to bench/results/stats.json (plans to bench/results/stats-plans.txt).
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createApp } from "../server/app.js";
import { hashPassword } from "../server/auth/passwords.js";
import { refreshStatistics } from "../server/commands/statistics.js";
import { loadConfig } from "../server/config/index.js";
import { enableApplicationLogin, openDatabase } from "../server/db/connection.js";
import { createSequelize } from "../server/db/database.js";
import { systemClock } from "../server/domain/calendar.js";
import { createServices } from "../server/services/container.js";
import { signerFromPem } from "../server/signing/keys.js";
import { benchLogger, prepareDatabase, startBenchDatabase } from "./database.js";
import { BENCH_EMAIL_DOMAIN, generate, generatedApplications, parseFlags, type GenerateSummary } from "./generate.js";
import { close, listen, resultsDir, runLoad, signIn, withStatementCount } from "./http.js";
import type { LoadResult } from "./load.js";

const OFFICER_EMAIL = `bench-load-officer@${BENCH_EMAIL_DOMAIN}`;
const OFFICER_PASSWORD = "Benchmark officer 2026";
const OVERVIEW_PATH = "/api/v1/stats/overview";

interface LoadFlags {
  connections: number;
  duration: number;
  warmup: number;
}

function parseLoadFlags(argv: readonly string[]): LoadFlags {
  const flags: LoadFlags = { connections: 10, duration: 20, warmup: 5 };
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
const seconds = (ms: number) => Math.round(ms) / 1000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

// ---------------------------------------------------------------------------------------------
// Data

interface ColdQuery {
  view: string;
  ms: number;
  rows: number;
}

/**
 * What the overview would cost without materialisation: each aggregate's own defining query,
 * run on the live tables (after the refresh has read them, so from a warm cache), with its plan.
 */
async function coldQueries(ownerUrl: string): Promise<{ queries: ColdQuery[]; plans: string }> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "moussanada-bench-cold" });
  await client.connect();
  try {
    const views = await client.query<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_viewdef(c.oid, true) AS definition
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'm' AND n.nspname = 'public' AND c.relname LIKE 'stats\\_%'
        ORDER BY c.relname`,
    );
    const queries: ColdQuery[] = [];
    const plans: string[] = [];
    for (const view of views.rows) {
      const sql = view.definition.trim().replace(/;$/, "");
      const run = await timed(() => client.query(sql));
      queries.push({ view: view.name, ms: Math.round(run.ms * 10) / 10, rows: run.value.rowCount ?? 0 });
      const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
      plans.push(
        `=== ${view.name} (${queries.at(-1)?.ms} ms)\n${plan.rows.map((row) => row["QUERY PLAN"]).join("\n")}\n`,
      );
    }
    return { queries, plans: plans.join("\n") };
  } finally {
    await client.end();
  }
}

async function createOfficer(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (role, full_name, email, locale, password_hash, email_verified_at)
       VALUES ('officer', 'Chargée de benchmark', $1, 'fr', $2, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled_at = NULL`,
      [OFFICER_EMAIL, await hashPassword(OFFICER_PASSWORD)],
    );
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

/**
 * The baseline: node:http and one plain SQL query through pg over the same materialised
 * aggregates the overview reads (and the envelopes, for the budget), serialised by PostgreSQL.
 */
async function startBaseline(appUrl: string, poolMax: number): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: poolMax, application_name: "moussanada-bench-baseline" });
  const programme = await pool.query<{ id: string }>(
    "SELECT programme_id AS id FROM calls ORDER BY opens_on DESC LIMIT 1",
  );
  const programmeId = programme.rows[0]?.id;
  if (!programmeId) throw new Error("no call, no programme");
  const sql = `
    SELECT json_build_object(
      'totals', (SELECT json_build_array(generated_at, applicant_accounts) FROM stats_totals),
      'funnel', (SELECT json_agg(json_build_array(region_code, sector_code, companies, drafts, submitted, approved, paid))
                   FROM stats_funnel WHERE programme_id = $1),
      'equipped', (SELECT json_agg(json_build_array(year, region_code, sector_code, companies))
                     FROM stats_equipped WHERE programme_id = $1),
      'permits', (SELECT json_agg(json_build_array(year, region_code, sector_code, status, certificates)) FROM stats_permits),
      'delays', (SELECT json_build_array(decision_median_days, decision_count, payment_median_days, payment_count)
                   FROM stats_delays WHERE programme_id = $1),
      'applications', (SELECT json_build_array(sum(submitted), sum(approved), sum(submitted_via_mandate), sum(approved_via_mandate))
                         FROM stats_applications WHERE programme_id = $1),
      'top', (SELECT json_agg(json_build_array(organisation, submitted, approved)) FROM (
          SELECT COALESCE(u.prescriber_organisation, u.full_name) AS organisation,
                 sum(p.submitted)::integer AS submitted, sum(p.approved)::integer AS approved
            FROM stats_prescribers p JOIN users u ON u.id = p.prescriber_id
           WHERE p.programme_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10) t),
      'budget', (SELECT json_agg(json_build_array(c.code, e.sector_code, e.amount, e.committed, e.paid)
                                 ORDER BY c.opens_on, e.sector_code NULLS FIRST)
                   FROM calls c JOIN envelopes e ON e.call_id = c.id WHERE c.programme_id = $1)
    )::text AS body`;
  const server = createServer((req, res) => {
    pool.query<{ body: string }>(sql, [programmeId]).then(
      (result) => {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(result.rows[0]?.body ?? "{}");
      },
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      await close(server);
      await pool.end();
    },
  };
}

interface LevelRun {
  connections: number;
  overview: LoadResult & { statementsPerRequest: number };
  baseline: LoadResult & { statementsPerRequest: number };
  ratios: { requestsPerSecond: number; p50: number; p95: number; p99: number };
}

// ---------------------------------------------------------------------------------------------

function ratio(value: number, baseline: number): number {
  return Math.round((value / baseline) * 100) / 100;
}

function describe(label: string, result: LoadResult & { statementsPerRequest: number }): string {
  const l = result.latencyMs;
  return (
    `  ${label.padEnd(15)} ${String(result.requestsPerSecond).padStart(8)} req/s   p50 ${l.p50} ms   p95 ${l.p95} ms   ` +
    `p99 ${l.p99} ms   (autocannon p97.5 ${l.autocannonP97_5} ms, p99 ${l.autocannonP99} ms; ` +
    `${result.requests} requests, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.bytesPerResponse} B each, ` +
    `${result.statementsPerRequest} SQL statements each)`
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseFlags(argv);
  const load = parseLoadFlags(argv);
  const scratch = await mkdtemp(path.join(os.tmpdir(), "moussanada-bench-app-"));
  const database = await startBenchDatabase();
  const cleanups: Array<() => Promise<void>> = [
    () => rm(scratch, { recursive: true, force: true }),
    () => database.stop(),
  ];
  try {
    say(`PostgreSQL: ${database.embedded ? "embedded, in a temporary folder" : "BENCH_DATABASE_URL"}`);
    const prepared = await timed(() => prepareDatabase(database.ownerUrl));
    say(`Schema migrated and reference data seeded (${seconds(prepared.ms)} s)`);

    let generation: GenerateSummary | null = null;
    const existing = await generatedApplications(database.ownerUrl);
    if (existing === null) {
      generation = await generate(database.ownerUrl, { ...options, log: say });
      say(`Generated in ${generation.seconds.toFixed(1)} s`);
    } else {
      say(`The database already holds generated data (${existing.toLocaleString("en")} applications): reused`);
    }

    const owner = createSequelize({ url: database.ownerUrl, poolMax: 1, applicationName: "moussanada-bench-refresh" });
    cleanups.unshift(() => owner.close());
    say("Refreshing the statistics (refreshStatistics)…");
    const refresh = await timed(() => refreshStatistics(owner));
    say(`  refresh: ${seconds(refresh.ms)} s`);

    say("Running the aggregates' defining queries on the live tables (the cold overview)…");
    const cold = await coldQueries(database.ownerUrl);
    const coldTotal = cold.queries.reduce((sum, query) => sum + query.ms, 0);
    for (const query of cold.queries) say(`  ${query.view.padEnd(20)} ${query.ms} ms (${query.rows} rows)`);
    say(`  total: ${Math.round(coldTotal)} ms`);

    await createOfficer(database.ownerUrl);
    const appUrl = await enableApplicationLogin(database.ownerUrl).catch(() => database.ownerUrl);
    const config = loadConfig({
      NODE_ENV: "development",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
      DATA_DIR: scratch,
      RUN_WORKER: "false",
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: database.ownerUrl,
    });
    const handle = await openDatabase(config, benchLogger, { applicationName: "moussanada-bench-app" });
    cleanups.unshift(() => handle.close());
    const signer = signerFromPem(
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    const container = createServices({
      config,
      logger: benchLogger,
      clock: systemClock,
      sequelize: handle.sequelize,
      databaseUrl: handle.url,
      signer,
    });
    cleanups.unshift(() => container.close());
    const appServer = createServer(createApp(container.services));
    const appPort = await listen(appServer);
    cleanups.unshift(() => close(appServer));
    const baseUrl = `http://127.0.0.1:${appPort}`;
    const cookie = await signIn(baseUrl, OFFICER_EMAIL, OFFICER_PASSWORD);

    const check = await fetch(`${baseUrl}${OVERVIEW_PATH}`, { headers: { cookie } });
    if (!check.ok) throw new Error(`GET ${OVERVIEW_PATH} answered ${check.status}: ${await check.text()}`);
    const overview = (await check.json()) as {
      generatedAt: string | null;
      equipped: { total: number };
      permits: { total: number };
      funnel: { steps: Array<{ step: string; count: number }> };
    };
    say(
      `Overview as an officer: ${overview.equipped.total.toLocaleString("en")} equipped SMEs, ` +
        `${overview.permits.total.toLocaleString("en")} permits, funnel ` +
        overview.funnel.steps.map((step) => `${step.step} ${step.count.toLocaleString("en")}`).join(" → "),
    );

    const baseline = await startBaseline(appUrl, config.databasePoolMax);
    cleanups.unshift(() => baseline.stop());
    const probe = await fetch(baseline.url);
    if (!probe.ok) throw new Error(`baseline answered ${probe.status}: ${await probe.text()}`);
    await probe.arrayBuffer();

    const levels = [...new Set([load.connections, 1])];
    say(
      `autocannon: ${levels.join(" then ")} connection(s), ${load.duration} s after a ${load.warmup} s warm-up, each target in turn`,
    );
    const runs: LevelRun[] = [];
    for (const connections of levels) {
      const common = { connections, durationSeconds: load.duration, warmupSeconds: load.warmup };
      const app = await withStatementCount(database.ownerUrl, () =>
        runLoad({ ...common, url: `${baseUrl}${OVERVIEW_PATH}`, headers: { cookie } }),
      );
      say(describe(`overview c=${connections}`, app));
      const bare = await withStatementCount(database.ownerUrl, () => runLoad({ ...common, url: baseline.url }));
      say(describe(`baseline c=${connections}`, bare));
      const ratios = {
        requestsPerSecond: ratio(app.requestsPerSecond, bare.requestsPerSecond),
        p50: ratio(app.latencyMs.p50, bare.latencyMs.p50),
        p95: ratio(app.latencyMs.p95, bare.latencyMs.p95),
        p99: ratio(app.latencyMs.p99, bare.latencyMs.p99),
      };
      say(
        `  ratios to the baseline: req/s ×${ratios.requestsPerSecond}, p50 ×${ratios.p50}, p95 ×${ratios.p95}, p99 ×${ratios.p99}`,
      );
      say(`  goal p95 < 100 ms: ${app.latencyMs.p95 < 100 ? "met" : "NOT met"} (${app.latencyMs.p95} ms)`);
      runs.push({ connections, overview: app, baseline: bare, ratios });
    }
    const firstRun = runs[0];
    const coldToOverview = firstRun ? ratio(coldTotal, firstRun.overview.latencyMs.p50) : null;
    say(`The cold overview queries take ×${coldToOverview} the overview's p50 at ${firstRun?.connections} connections`);

    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
      database: database.embedded ? "embedded PostgreSQL (temporary folder)" : "BENCH_DATABASE_URL",
      options: { ...options, ...load },
      generation: generation ?? { reused: true, applications: existing },
      refreshSeconds: seconds(refresh.ms),
      coldQueries: { totalMs: Math.round(coldTotal), byView: cold.queries, ratioToOverviewP50: coldToOverview },
      runs,
      notes: [
        "p50/p95/p99 are nearest-rank percentiles of every response's latency (autocannon's 'response' events);",
        "autocannon's own histogram has no p95: its p97.5 and p99 are reported beside them.",
        "Ratios are the overview's figure divided by the baseline's, measured in the same run.",
        "statementsPerRequest: committed transactions on the database during the run (warm-up included) per request.",
      ],
    };
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, "stats.json"), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(path.join(resultsDir, "stats-plans.txt"), cold.plans);
    say(`Written: bench/results/stats.json, bench/results/stats-plans.txt`);
  } finally {
    for (const cleanup of cleanups) {
      await cleanup().catch((error: unknown) => benchLogger.warn({ err: error }, "benchmark cleanup failed"));
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
