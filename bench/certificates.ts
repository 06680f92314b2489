/**
 * `npm run bench:certificates` (issue 9): the throughput of a certificate batch, goal 10,000
 * certificates in under 60 s, against baselines measured in the same run.
 *
 *   npx tsx bench/certificates.ts [--count 10000] [--cpu-prof] [--worker-root DIR] [--label NAME]
 *     [--render-baseline 500]
 *
 * 1. A PostgreSQL: BENCH_DATABASE_URL (the schema owner's connection) or an embedded one in a
 *    temporary folder, deleted at the end; migrated and seeded with reference data, then filled by
 *    bench/generate.ts with companies, their owners and applications (so the fast-track update the
 *    batch makes touches real rows), no certificates.
 * 2. One training session with `--count` passed enrolments, by bulk SQL: 97 % of holders are
 *    company owners (their account's language picks the e-mail's), one name in three is written
 *    in Arabic, every name differs. The session's capacity (at most 1,000) is the application's
 *    rule for enrolling, which bulk SQL bypasses; the batch does not look at it.
 * 3. The batch is requested as the API does (requestCertificateBatch: job row, keyed job queued)
 *    and run by a real worker process, `node --import tsx server/workerMain.ts`, as `npm run worker`
 *    starts it in production: its own process, so its memory and CPU are its own, and the job
 *    goes through graphile-worker as it would. WORKER_CONCURRENCY=1: the e-mails the batch queues
 *    wait for it (they are measured as queued, not sent; elsewhere other instances send them).
 *    Timed from the job's started_at to its finished_at (the database's clock); the worker's
 *    RSS (VmRSS) is sampled every 200 ms; CPU time of the worker (all its threads) and of the
 *    PostgreSQL server (postmaster, its exited children and live backends) is read from /proc.
 *    `--cpu-prof` writes V8 profiles of the worker (one per thread), summarised by phase and by
 *    function. `--worker-root` runs the worker (and the render baseline) from another copy of the
 *    repository, e.g. the previous commit, for a before/after comparison on the same machine.
 * 4. Checks: every certificate has its PDF (size and SHA-256 match the stored file), numbers run
 *    without gap, one e-mail and one audit event per certificate, the audit chain verifies
 *    (verifyAuditChain); a sample passes qpdf --check and pdftotext prints the holder's name
 *    (Latin and Arabic).
 * 5. Baselines, same run, same database: (a) the same certificates rendered by the PDF module
 *    alone, one after the other in this process, no database and no file; (b) the least the
 *    database must write for the batch: the same number of certificate, audit and outbox rows
 *    inserted by multi-row statements, one committed transaction per chunk, into copies of the
 *    tables (no trigger, no job queue).
 *
 * Results: bench/results/certificates.json and bench/results/certificates.md (with `--label x`:
 * certificates-x.*). The summary compares with certificates-before.json when it exists.
 */
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { benchLogger, prepareDatabase, startBenchDatabase } from "./database.js";
import { generate } from "./generate.js";
import { projectRoot, resultsDir } from "./http.js";
import { procStat, rssMb, type ProcStat } from "./proc.js";
import { enableApplicationLogin } from "../server/db/connection.js";
import { createSequelize } from "../server/db/database.js";
import { requestCertificateBatch } from "../server/commands/certificates.js";
import { SYSTEM_ACTOR } from "../server/commands/actor.js";
import { systemClock } from "../server/domain/calendar.js";
import { verifyAuditChain } from "../server/services/auditChain.js";
import { initModels, User } from "../server/models/index.js";
import type { CertificatePdfData } from "../server/pdf/certificate.js";

const run = promisify(execFile);
const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const PUBLIC_URL = "https://moussanada-numerique.example.ma";
const GOAL = { certificates: 10_000, seconds: 60 };
/** Rows per transaction in the database baseline: the batch's chunk. */
const FLOOR_CHUNK = 100;

interface Flags {
  count: number;
  cpuProf: boolean;
  workerRoot: string;
  label: string | null;
  renderBaseline: number;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { count: 10_000, cpuProf: false, workerRoot: projectRoot, label: null, renderBaseline: 0 };
  for (let index = 0; index < argv.length; index += 1) {
    const [name, inline] = (argv[index] ?? "").split("=", 2);
    const value = () => inline ?? argv[(index += 1)] ?? "";
    if (name === "--cpu-prof") flags.cpuProf = true;
    else if (name === "--worker-root") flags.workerRoot = path.resolve(value());
    else if (name === "--label") flags.label = value();
    else if (name === "--count" || name === "--render-baseline") {
      const raw = value();
      const number = Number(raw.replaceAll("_", ""));
      if (!Number.isInteger(number) || number < 1) throw new Error(`${name} needs a whole number, got ${raw}`);
      if (name === "--count") flags.count = number;
      else flags.renderBaseline = number;
    } else if (name) throw new Error(`unknown flag ${name}`);
  }
  if (flags.renderBaseline === 0) flags.renderBaseline = Math.min(flags.count, 500);
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Processes: CPU time and memory from /proc

/** CPU seconds of a process and of its children (live ones and those that exited), recursively. */
async function treeCpu(root: number): Promise<number> {
  const entries = await readdir("/proc");
  const stats = new Map<number, ProcStat>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await procStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  const total = (pid: number): number => {
    const stat = stats.get(pid);
    if (!stat) return 0;
    let sum = stat.cpu + stat.children;
    for (const [child, childStat] of stats) if (childStat.ppid === pid) sum += total(child);
    return sum;
  };
  return total(root);
}

async function postmasterPid(ownerUrl: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const backend = rows[0]?.pid;
    if (backend === undefined) return null;
    // Only a server on this machine: the backend's parent is the postmaster.
    const stat = await procStat(backend);
    return stat?.ppid ?? null;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Data

const FRENCH_FIRST = [
  "Fatima",
  "Mohamed",
  "Khadija",
  "Youssef",
  "Aïcha",
  "Ahmed",
  "Salma",
  "Omar",
  "Nadia",
  "Karim",
  "Meryem",
  "Hicham",
  "Laïla",
  "Rachid",
  "Imane",
  "Saïd",
  "Zineb",
  "Mehdi",
  "Hanane",
  "Anas",
  "Soukaïna",
  "Ayoub",
  "Ghizlane",
  "Hamza",
  "Loubna",
  "Tarik",
  "Sanaa",
  "Reda",
  "Houda",
  "Ilyas",
];
const FRENCH_LAST = [
  "Alaoui",
  "Bennani",
  "El Amrani",
  "Idrissi",
  "Tazi",
  "Berrada",
  "Chraïbi",
  "Benjelloun",
  "Fassi",
  "El Ouardi",
  "Lahlou",
  "Squalli",
  "Ziani",
  "Bouzid",
  "Naciri",
  "Kettani",
  "Amrani",
  "Sebti",
  "Belkadi",
  "Haddad",
  "Ouazzani",
  "Benkirane",
  "El Khattabi",
  "Mansouri",
  "Skalli",
  "Guessous",
  "Boutaleb",
  "Cherkaoui",
  "Benslimane",
  "El Fassi-Fihri",
];
const ARABIC_FIRST = [
  "فاطمة",
  "محمد",
  "خديجة",
  "يوسف",
  "عائشة",
  "أحمد",
  "سلمى",
  "عمر",
  "نادية",
  "كريم",
  "مريم",
  "هشام",
  "ليلى",
  "رشيد",
  "إيمان",
  "سعيد",
  "زينب",
  "مهدي",
  "حنان",
  "أنس",
  "سكينة",
  "أيوب",
  "غزلان",
  "حمزة",
  "لبنى",
  "طارق",
  "سناء",
  "رضا",
  "هدى",
  "إلياس",
];
const ARABIC_LAST = [
  "العلوي",
  "بناني",
  "العمراني",
  "الإدريسي",
  "التازي",
  "برادة",
  "الشرايبي",
  "بنجلون",
  "الفاسي",
  "الورديغي",
  "لحلو",
  "السقلي",
  "الزياني",
  "بوزيد",
  "الناصري",
  "الكتاني",
  "العمري",
  "السبتي",
  "بلقاضي",
  "الحداد",
  "الوزاني",
  "بنكيران",
  "الخطابي",
  "المنصوري",
  "السقاط",
  "جسوس",
  "بوطالب",
  "الشرقاوي",
  "بنسليمان",
  "الفهري",
];

const sqlArray = (values: readonly string[]) =>
  `(ARRAY[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(",")}])`;

interface Batch {
  sessionId: string;
  jobId: string;
}

/**
 * One session held yesterday and `count` passed enrolments. Names: first, optional second first
 * name, last, drawn by multiplicative hashing of the row number (30 × 31 × 30 combinations per
 * script), so they differ as real names do rather than repeating a short list.
 */
async function createBatch(ownerUrl: string, count: number): Promise<Batch> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "moussanada-bench-certificates" });
  await client.connect();
  let sessionId: string;
  let trainerId: string;
  try {
    const trainer = await client.query<{ id: string }>(
      "SELECT id FROM users WHERE role = 'trainer' ORDER BY email LIMIT 1",
    );
    trainerId = trainer.rows[0]?.id ?? "";
    if (!trainerId) throw new Error("no trainer among the generated users");
    const session = await client.query<{ id: string }>(
      `INSERT INTO training_sessions (title, city, venue, starts_at, ends_at, capacity, trainer_id, created_by)
       VALUES ('Initiation au numérique pour dirigeants de PME — promotion nationale', 'Casablanca',
               'Office des Foires et Expositions de Casablanca', now() - interval '30 hours',
               now() - interval '22 hours', 1000, $1, $1)
       RETURNING id`,
      [trainerId],
    );
    sessionId = session.rows[0]?.id ?? "";
    const name = (first: string[], last: string[]) =>
      `${sqlArray(first)}[1 + (n::bigint * 7919) % ${first.length}]
        || CASE WHEN n % 4 = 0 THEN ' ' || ${sqlArray(first)}[1 + (n::bigint * 104729) % ${first.length}] ELSE '' END
        || ' ' || ${sqlArray(last)}[1 + (n::bigint * 15485863) % ${last.length}]`;
    await client.query(
      `WITH owners AS (
         SELECT DISTINCT ON (co.owner_id) co.id AS company_id, co.owner_id, u.email
         FROM companies co JOIN users u ON u.id = co.owner_id
         ORDER BY co.owner_id, co.id),
       numbered AS (SELECT *, row_number() OVER (ORDER BY company_id) AS rank FROM owners)
       INSERT INTO enrolments (session_id, user_id, company_id, holder_name, holder_email, enrolled_by, status,
                               attended, score, result_recorded_by, result_recorded_at)
       SELECT $1, h.owner_id, h.company_id,
              CASE WHEN n % 3 = 0 THEN ${name(ARABIC_FIRST, ARABIC_LAST)} ELSE ${name(FRENCH_FIRST, FRENCH_LAST)} END,
              coalesce(h.email, 'bench-holder-' || n || '@bench.moussanada.ma'),
              $2, 'passed', true, 70 + n % 31, $2, now() - interval '20 hours'
       FROM generate_series(1, $3::int) AS n
       LEFT JOIN numbered h ON h.rank = n - n / 33 AND n % 33 <> 0
       ORDER BY n`,
      [sessionId, trainerId, count],
    );
    const enrolled = await client.query<{ count: string; companies: string }>(
      "SELECT count(*) AS count, count(company_id) AS companies FROM enrolments WHERE session_id = $1",
      [sessionId],
    );
    say(
      `Session ${sessionId}: ${enrolled.rows[0]?.count} passed enrolments, ${enrolled.rows[0]?.companies} with a company`,
    );
    await client.query("VACUUM (ANALYZE) enrolments");
  } finally {
    await client.end();
  }

  const sequelize = createSequelize({ url: ownerUrl, poolMax: 2, applicationName: "moussanada-bench-request" });
  try {
    initModels(sequelize);
    const trainer = await User.findByPk(trainerId);
    if (!trainer) throw new Error("the trainer is gone");
    const job = await requestCertificateBatch(
      { sequelize, clock: systemClock, publicUrl: PUBLIC_URL },
      sessionId,
      trainer,
      SYSTEM_ACTOR,
    );
    if (job.total !== count) throw new Error(`the batch counts ${job.total} certificates, not ${count}`);
    return { sessionId, jobId: job.id };
  } finally {
    await sequelize.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The worker

interface WorkerRun {
  pid: number;
  batchSeconds: number;
  /** From the worker's start to the batch's end: start-up included. */
  wallSeconds: number;
  workerCpuSeconds: number;
  postgresCpuSeconds: number | null;
  rss: { atStartMb: number | null; peakMb: number; meanMb: number };
  /** The worker's own account of the batch (its "certificate batch finished" log line). */
  report: Record<string, unknown> | null;
  loadAverage: number[];
}

async function runWorker(options: {
  root: string;
  ownerUrl: string;
  appUrl: string;
  scratch: string;
  jobId: string;
  count: number;
  cpuProfDir: string | null;
  postmaster: number | null;
}): Promise<WorkerRun> {
  const keyFile = path.join(options.scratch, "signing.pem");
  await writeFile(
    keyFile,
    generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    { mode: 0o600 },
  );
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...(options.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfDir] : []),
      "--import",
      "tsx",
      path.join(options.root, "server", "workerMain.ts"),
    ],
    {
      cwd: options.root,
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: options.appUrl,
        MIGRATION_DATABASE_URL: options.ownerUrl,
        DATA_DIR: options.scratch,
        STORAGE_DRIVER: "local",
        STORAGE_DIR: path.join(options.scratch, "documents"),
        CERTIFICATE_KEY_FILE: keyFile,
        WORKER_CONCURRENCY: "1",
        WORKER_POLL_INTERVAL_MS: "100",
        PUBLIC_URL: PUBLIC_URL,
        LOG_LEVEL: "info",
      },
    },
  );
  if (child.pid === undefined) throw new Error("the worker did not start");
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let report: Record<string, unknown> | null = null;
  let pending = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.includes("certificate batch finished")) continue;
      try {
        report = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // Not a log line of ours.
      }
    }
  });

  const samples: number[] = [];
  let atStart: number | null = null;
  const sampler = setInterval(
    () =>
      void rssMb(pid).then((raw) => {
        if (raw === null) return;
        const mb = round(raw);
        atStart ??= mb;
        samples.push(mb);
      }),
    200,
  );
  const client = new pg.Client({ connectionString: options.ownerUrl, application_name: "moussanada-bench-watch" });
  await client.connect();
  let workerCpu = 0;
  let workerAtStart: number | null = null;
  let postgresAtStart: number | null = null;
  let postgresAfter: number | null = null;
  let batch: { started_at: Date; finished_at: Date } | undefined;
  try {
    const deadline = Date.now() + 120_000 + options.count * 500;
    let lastSaid = 0;
    for (;;) {
      const { rows } = await client.query<{
        status: string;
        done: number;
        error: string | null;
        started_at: Date | null;
        finished_at: Date | null;
      }>("SELECT status, done, error, started_at, finished_at FROM certificate_jobs WHERE id = $1", [options.jobId]);
      const job = rows[0];
      if (job?.status === "failed") throw new Error(`the batch failed: ${job.error ?? ""}`);
      if (job?.status === "succeeded" && job.started_at && job.finished_at) {
        batch = { started_at: job.started_at, finished_at: job.finished_at };
        break;
      }
      // CPU time is counted from the batch's start: the worker's own start-up (compiling, fonts) is not the batch's.
      if (job?.started_at && workerAtStart === null) {
        workerAtStart = await treeCpu(pid);
        postgresAtStart = options.postmaster === null ? null : await treeCpu(options.postmaster);
      }
      if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("the batch did not finish in time");
      if (Date.now() - lastSaid > 10_000) {
        lastSaid = Date.now();
        say(`  ${job?.done ?? 0} / ${options.count} after ${round((Date.now() - started) / 1000)} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    workerCpu = await treeCpu(pid);
    postgresAfter = options.postmaster === null ? null : await treeCpu(options.postmaster);
  } finally {
    clearInterval(sampler);
    await client.end();
    // SIGTERM: the worker stops cleanly, which is when --cpu-prof writes its profiles.
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  }
  return {
    pid,
    batchSeconds: (batch.finished_at.getTime() - batch.started_at.getTime()) / 1000,
    wallSeconds: (Date.now() - started) / 1000,
    workerCpuSeconds: round(workerCpu - (workerAtStart ?? 0), 2),
    postgresCpuSeconds:
      postgresAtStart === null || postgresAfter === null ? null : round(postgresAfter - postgresAtStart, 2),
    rss: {
      atStartMb: atStart,
      peakMb: Math.max(0, ...samples),
      meanMb: round(samples.reduce((sum, mb) => sum + mb, 0) / Math.max(1, samples.length)),
    },
    report,
    loadAverage: os.loadavg().map((value) => round(value, 2)),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

async function checkResults(ownerUrl: string, batch: Batch, count: number, documents: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      id: string;
      number: string;
      holder_name: string;
      pdf_key: string | null;
      pdf_sha256: string | null;
      pdf_size: number | null;
    }>(
      "SELECT id::text, number, holder_name, pdf_key, pdf_sha256, pdf_size FROM certificates WHERE session_id = $1 ORDER BY number",
      [batch.sessionId],
    );
    if (rows.length !== count) throw new Error(`${rows.length} certificates instead of ${count}`);
    const serials = rows.map((row) => Number(row.number.slice(-6)));
    serials.forEach((serial, index) => {
      if (index > 0 && serial !== (serials[index - 1] ?? 0) + 1) throw new Error(`numbering gap at ${serial}`);
    });
    const mails = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM outbox_messages
       WHERE template = 'certificate-issued' AND data->>'certificateNumber' = ANY($1)`,
      [rows.map((row) => row.number)],
    );
    if (Number(mails.rows[0]?.count) !== count) throw new Error(`${mails.rows[0]?.count} e-mails queued for ${count}`);
    let bytes = 0;
    for (const row of rows) {
      if (!row.pdf_key || !row.pdf_sha256) throw new Error(`${row.number} has no PDF`);
      const file = await readFile(path.join(documents, row.pdf_key.slice(0, 2), row.pdf_key));
      if (file.length !== row.pdf_size || createHash("sha256").update(file).digest("hex") !== row.pdf_sha256) {
        throw new Error(`${row.number}: the stored PDF is not the one recorded`);
      }
      bytes += file.length;
    }
    // Twelve certificates spread over the batch, Latin and Arabic names alike (one in three is Arabic).
    const step = Math.max(1, Math.floor(rows.length / 12));
    const sample = rows.filter((_, index) => index % step === 0).slice(0, 12);
    let textChecked = 0;
    for (const row of sample) {
      const file = path.join(documents, (row.pdf_key ?? "").slice(0, 2), row.pdf_key ?? "");
      const checked = await run("qpdf", ["--check", file]).then(
        () => true,
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
          throw new Error(`${row.number}: qpdf --check failed`);
        },
      );
      if (!checked) break;
      const text = (await run("pdftotext", [file, "-"])).stdout.replace(/[\u202A-\u202C]/g, "");
      // pdftotext gives the words back in logical order, Arabic ones too.
      if (!row.holder_name.split(" ").every((word) => text.includes(word))) {
        throw new Error(`${row.number}: pdftotext does not print ${row.holder_name}`);
      }
      textChecked += 1;
    }
    const audited = await client.query<{ count: string }>(
      "SELECT count(*) AS count FROM audit_events WHERE action = 'certificate.issued' AND entity_id = ANY($1)",
      [rows.map((row) => row.id)],
    );
    if (Number(audited.rows[0]?.count) !== count)
      throw new Error(`${audited.rows[0]?.count} audit events for ${count}`);
    const sequelize = createSequelize({ url: ownerUrl, poolMax: 1, applicationName: "moussanada-bench-audit" });
    const chain = await verifyAuditChain(sequelize).finally(() => sequelize.close());
    if (!chain.ok)
      throw new Error(`the audit chain is broken at event ${chain.firstBroken?.id}: ${chain.firstBroken?.reason}`);
    return {
      certificates: rows.length,
      emailsQueued: Number(mails.rows[0]?.count),
      auditEvents: Number(audited.rows[0]?.count),
      auditChainVerified: chain.checked,
      numbering: `${rows[0]?.number} … ${rows[rows.length - 1]?.number}, no gap`,
      pdfBytesMean: Math.round(bytes / rows.length),
      sampleCheckedWithQpdfAndPdftotext: textChecked,
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Baselines

interface RenderBaseline {
  certificates: number;
  msPerCertificate: number;
  cpuMsPerCertificate: number;
  perSecond: number;
}

/** The same certificates, rendered by the PDF module alone, one after the other. */
async function renderBaseline(ownerUrl: string, root: string, batch: Batch, count: number): Promise<RenderBaseline> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  let data: CertificatePdfData[];
  try {
    const { rows } = await client.query<{
      number: string;
      holder_name: string;
      company_name: string | null;
      course_title: string;
      city: string;
      starts_at: Date;
      ends_at: Date;
      issued_at: Date;
      verification_code: string;
      key_id: string;
    }>(
      `SELECT c.number, c.holder_name, c.company_name, c.course_title, s.city, s.starts_at, s.ends_at,
              c.issued_at, c.verification_code, c.key_id
       FROM certificates c JOIN training_sessions s ON s.id = c.session_id
       WHERE c.session_id = $1 ORDER BY c.number LIMIT $2`,
      [batch.sessionId, count],
    );
    data = rows.map((row) => ({
      number: row.number,
      holderName: row.holder_name,
      companyName: row.company_name,
      courseTitle: row.course_title,
      city: row.city,
      sessionStartsAt: row.starts_at,
      sessionEndsAt: row.ends_at,
      issuedAt: row.issued_at,
      verificationUrl: `${PUBLIC_URL}/verify/${row.verification_code}`,
      verificationCode: row.verification_code,
      keyId: row.key_id,
    }));
  } finally {
    await client.end();
  }
  const module = (await import(path.join(root, "server", "pdf", "certificate.ts"))) as {
    renderCertificatePdf(data: CertificatePdfData): Promise<Buffer>;
  };
  // Fonts parsed and code compiled before the clock starts, as in a running worker.
  for (const item of data.slice(0, 3)) await module.renderCertificatePdf(item);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const item of data) await module.renderCertificatePdf(item);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    certificates: data.length,
    msPerCertificate: round(ms / data.length, 2),
    cpuMsPerCertificate: round((used.user + used.system) / 1000 / data.length, 2),
    perSecond: round((data.length * 1000) / ms),
  };
}

interface DatabaseFloor {
  rows: number;
  seconds: number;
  perSecond: number;
  postgresCpuSeconds: number | null;
}

/**
 * The least the database must write for the batch: a certificate, an audit event and an outbox
 * message per certificate, multi-row statements, one committed transaction per chunk of 100.
 * Into copies of the tables (columns, defaults, checks and indexes; no trigger, no job queue).
 */
async function databaseFloor(
  ownerUrl: string,
  batch: Batch,
  count: number,
  postmaster: number | null,
): Promise<DatabaseFloor> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "moussanada-bench-floor" });
  await client.connect();
  try {
    await client.query("DROP SCHEMA IF EXISTS bench_floor CASCADE");
    await client.query("CREATE SCHEMA bench_floor");
    for (const table of ["certificates", "audit_events", "outbox_messages"]) {
      await client.query(`CREATE TABLE bench_floor.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT id, enrolment_id, session_id, number, verification_code, holder_user_id, holder_name, holder_email,
              company_id, company_name, course_title, issued_at, issued_on, key_id, credential::text AS credential,
              pdf_key, pdf_sha256, pdf_size
       FROM certificates WHERE session_id = $1 ORDER BY number`,
      [batch.sessionId],
    );
    const postgresBefore = postmaster === null ? null : await treeCpu(postmaster);
    const started = performance.now();
    for (let start = 0; start < Math.min(count, rows.length); start += FLOOR_CHUNK) {
      const chunk = rows.slice(start, start + FLOOR_CHUNK);
      const column = (name: string) => chunk.map((row) => row[name]);
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO bench_floor.certificates (id, enrolment_id, session_id, number, verification_code, holder_user_id,
           holder_name, holder_email, company_id, company_name, course_title, issued_at, issued_on, key_id, credential,
           pdf_key, pdf_sha256, pdf_size)
         SELECT id, enrolment_id, session_id, number, verification_code, holder_user_id, holder_name, holder_email,
           company_id, company_name, course_title, issued_at, issued_on, key_id, credential::jsonb, pdf_key, pdf_sha256, pdf_size
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[],
           $9::uuid[], $10::text[], $11::text[], $12::timestamptz[], $13::date[], $14::text[], $15::text[], $16::text[],
           $17::text[], $18::int[])
           AS t(id, enrolment_id, session_id, number, verification_code, holder_user_id, holder_name, holder_email,
             company_id, company_name, course_title, issued_at, issued_on, key_id, credential, pdf_key, pdf_sha256, pdf_size)`,
        [
          "id",
          "enrolment_id",
          "session_id",
          "number",
          "verification_code",
          "holder_user_id",
          "holder_name",
          "holder_email",
          "company_id",
          "company_name",
          "course_title",
          "issued_at",
          "issued_on",
          "key_id",
          "credential",
          "pdf_key",
          "pdf_sha256",
          "pdf_size",
        ].map(column),
      );
      await client.query(
        `INSERT INTO bench_floor.audit_events (position, action, entity_type, entity_id, after, previous_hash, hash)
         SELECT $1::bigint + ordinality, 'certificate.issued', 'certificate', id::text,
                jsonb_build_object('number', number), repeat('0', 64), repeat('0', 64)
         FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS t(id, number)`,
        [start, column("id"), column("number")],
      );
      await client.query(
        `INSERT INTO bench_floor.outbox_messages (recipient, template, locale, data, attachments)
         SELECT email, 'certificate-issued', 'fr', jsonb_build_object('certificateNumber', number),
                jsonb_build_array(jsonb_build_object('storageKey', key))
         FROM unnest($1::text[], $2::text[], $3::text[]) AS t(email, number, key)`,
        [column("holder_email"), column("number"), column("pdf_key")],
      );
      await client.query("COMMIT");
    }
    const seconds = (performance.now() - started) / 1000;
    const postgresAfter = postmaster === null ? null : await treeCpu(postmaster);
    return {
      rows: Math.min(count, rows.length),
      seconds: round(seconds, 2),
      perSecond: round(Math.min(count, rows.length) / seconds),
      postgresCpuSeconds:
        postgresBefore === null || postgresAfter === null ? null : round(postgresAfter - postgresBefore, 2),
    };
  } finally {
    await client.query("DROP SCHEMA IF EXISTS bench_floor CASCADE").catch(() => undefined);
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profiles: where the worker's time goes

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Buckets, tried in order on each sample's stack from its leaf up: the first frame that matches decides. */
const PHASES: Array<{ phase: string; test: (frame: ProfileNode["callFrame"]) => boolean }> = [
  {
    phase: "PDF render",
    test: (frame) => /\/server\/pdf\/|node_modules\/(pdfkit|fontkit|restructure|qrcode|bidi-js)/.test(frame.url),
  },
  { phase: "number + sign (Ed25519, JCS)", test: (frame) => /\/server\/signing\//.test(frame.url) },
  { phase: "store (document store, files)", test: (frame) => /\/server\/storage\//.test(frame.url) },
  {
    phase: "database client (pg, Sequelize)",
    test: (frame) => /node_modules\/(pg|pg-protocol|sequelize)\//.test(frame.url),
  },
  { phase: "job queue (graphile-worker)", test: (frame) => /node_modules\/graphile-worker\//.test(frame.url) },
  {
    phase: "batch logic (commands/certificates, mail)",
    test: (frame) => /\/server\/(commands|mail)\//.test(frame.url),
  },
  { phase: "module loading (start-up)", test: (frame) => /node:internal\/modules|tsx|esbuild/.test(frame.url) },
];

async function summariseProfiles(directory: string) {
  const files = (await readdir(directory)).filter((name) => name.endsWith(".cpuprofile"));
  const phases = new Map<string, number>();
  const functions = new Map<string, number>();
  const threads: Array<{ file: string; ms: number }> = [];
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(path.join(directory, file), "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const hits = new Map<number, number>();
    profile.samples.forEach((id, index) => hits.set(id, (hits.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
    let fileTotal = 0;
    for (const [id, micros] of hits) {
      const node = byId.get(id);
      if (!node) continue;
      const ms = micros / 1000;
      fileTotal += ms;
      const name = node.callFrame.functionName || "(anonymous)";
      if (name === "(idle)") continue;
      const where = node.callFrame.url
        .replace(/^.*node_modules\//, "")
        .replace(/^file:\/\/.*?\/(server|bench)\//, "$1/");
      const key = `${name} ${where}${where ? `:${node.callFrame.lineNumber + 1}` : ""}`;
      functions.set(key, (functions.get(key) ?? 0) + ms);
      let phase = name === "(garbage collector)" ? "garbage collector" : "other (V8, Node internals)";
      for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
        const frame = byId.get(current)?.callFrame;
        const match = frame ? PHASES.find((candidate) => candidate.test(frame)) : undefined;
        if (match) {
          phase = match.phase;
          break;
        }
      }
      phases.set(phase, (phases.get(phase) ?? 0) + ms);
    }
    const idle = [...hits].reduce(
      (sum, [id, micros]) => (byId.get(id)?.callFrame.functionName === "(idle)" ? sum + micros / 1000 : sum),
      0,
    );
    threads.push({ file, ms: round(fileTotal - idle) });
    total += fileTotal - idle;
  }
  const sorted = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: round((100 * ms) / Math.max(1, total)) }));
  return { busyMs: Math.round(total), threads, phases: sorted(phases, 20), topFunctions: sorted(functions, 25) };
}

// ---------------------------------------------------------------------------------------------

type Summary = Awaited<ReturnType<typeof summariseProfiles>>;

interface Results {
  measuredAt: string;
  label: string | null;
  workerRoot: string;
  machine: { cpus: number; availableParallelism: number; node: string; platform: string; loadAverageAtEnd: number[] };
  count: number;
  goal: typeof GOAL;
  worker: WorkerRun & { certificatesPerSecond: number };
  perCertificate: { workerCpuMs: number; postgresCpuMs: number | null; totalCpuMs: number | null };
  projection: Record<string, unknown>;
  checks: Awaited<ReturnType<typeof checkResults>>;
  baselines: { render: RenderBaseline; database: DatabaseFloor };
  ratios: Record<string, number>;
  profile: Summary | null;
  totalSeconds: number;
  notes: string[];
}

function projection(results: Pick<Results, "worker" | "perCertificate" | "count">) {
  const totalCpuMs = results.perCertificate.totalCpuMs;
  if (totalCpuMs === null) return { note: "PostgreSQL's CPU time could not be read (not on this machine)" };
  const cores = [2, 4, 8, 16];
  return {
    method:
      "CPU time per certificate (worker, all threads, + PostgreSQL) × 10,000 ÷ cores: the time if the batch used every core fully, as render threads or several worker machines would. A lower bound: it leaves out waits and the serial parts.",
    cpuSecondsFor10000: round((totalCpuMs * 10_000) / 1000),
    secondsFor10000ByCores: Object.fromEntries(cores.map((n) => [n, round((totalCpuMs * 10_000) / 1000 / n)])),
    coresNeededFor60s: Math.ceil((totalCpuMs * 10_000) / 1000 / GOAL.seconds),
    measuredSecondsFor10000AtThisRate: round(
      (results.count > 0 ? results.worker.batchSeconds / results.count : 0) * 10_000,
    ),
  };
}

function markdown(results: Results, before: Results | null): string {
  const w = results.worker;
  const lines = [
    `# Certificate batch benchmark${results.label ? ` (${results.label})` : ""}`,
    "",
    `Measured ${results.measuredAt} on ${results.machine.cpus} CPUs (${results.machine.platform}, Node ${results.machine.node}); load average at the end ${results.machine.loadAverageAtEnd.join(" / ")} (the machine is shared).`,
    "",
    `Goal: ${GOAL.certificates.toLocaleString("en")} certificates in under ${GOAL.seconds} s. This run: **${results.count.toLocaleString("en")} certificates in ${round(w.batchSeconds)} s** (${w.certificatesPerSecond} per second), ` +
      (results.count >= GOAL.certificates
        ? w.batchSeconds < GOAL.seconds
          ? "goal met."
          : "goal not met on this machine."
        : `${projectionLine(results)}.`),
    "",
    "| | value |",
    "|---|---|",
    `| batch (job started_at → finished_at) | ${round(w.batchSeconds)} s |`,
    `| worker process start → batch end | ${round(w.wallSeconds)} s |`,
    `| throughput | ${w.certificatesPerSecond} certificates/s |`,
    `| worker CPU during the batch (all threads) | ${w.workerCpuSeconds} s, ${results.perCertificate.workerCpuMs} ms per certificate |`,
    `| PostgreSQL CPU during the batch | ${w.postgresCpuSeconds ?? "n/a"} s, ${results.perCertificate.postgresCpuMs ?? "n/a"} ms per certificate |`,
    `| worker RSS | ${w.rss.atStartMb ?? "?"} MB at start, peak ${w.rss.peakMb} MB, mean ${w.rss.meanMb} MB |`,
    `| baseline: PDF module alone, one thread | ${results.baselines.render.msPerCertificate} ms per certificate (${results.baselines.render.cpuMsPerCertificate} ms CPU), ${results.baselines.render.perSecond}/s |`,
    `| baseline: bare inserts (certificate + audit + outbox rows) | ${results.baselines.database.perSecond} certificates/s, ${results.baselines.database.seconds} s for ${results.baselines.database.rows.toLocaleString("en")} |`,
    `| ratio: batch throughput ÷ PDF module alone (one thread) | ${results.ratios.throughputVsRender} |`,
    `| ratio: batch throughput ÷ bare inserts | ${results.ratios.throughputVsDatabaseFloor} |`,
    "",
  ];
  const report = w.report as { phases?: Record<string, number>; renderThreads?: number } | null;
  if (report?.phases) {
    lines.push(
      `Phases as the worker timed them (wall time, ms; render runs on ${report.renderThreads ?? 0} thread(s) while the main thread records):`,
      "",
      "| phase | ms |",
      "|---|---|",
      ...Object.entries(report.phases).map(([phase, ms]) => `| ${phase} | ${Math.round(ms)} |`),
      "",
    );
  }
  if (results.profile) {
    lines.push(
      `CPU profile of the worker (${results.profile.threads.length} profiles: main thread, render threads, module loader threads), busy ${round(results.profile.busyMs / 1000)} s:`,
      "",
      "| phase | ms | % |",
      "|---|---|---|",
      ...results.profile.phases.map((phase) => `| ${phase.name} | ${phase.ms} | ${phase.percent} |`),
      "",
      "| top functions (self time) | ms | % |",
      "|---|---|---|",
      ...results.profile.topFunctions.slice(0, 15).map((fn) => `| \`${fn.name}\` | ${fn.ms} | ${fn.percent} |`),
      "",
    );
  }
  if (before) {
    const b = before.worker;
    lines.push(
      `Before / after (before: ${before.measuredAt}, ${before.count.toLocaleString("en")} certificates, worker from ${before.label ?? "another copy"}):`,
      "",
      "| | before | after |",
      "|---|---|---|",
      `| certificates | ${before.count} | ${results.count} |`,
      `| batch | ${round(b.batchSeconds)} s | ${round(w.batchSeconds)} s |`,
      `| throughput | ${b.certificatesPerSecond}/s | ${w.certificatesPerSecond}/s |`,
      `| worker CPU per certificate | ${before.perCertificate.workerCpuMs} ms | ${results.perCertificate.workerCpuMs} ms |`,
      `| PostgreSQL CPU per certificate | ${before.perCertificate.postgresCpuMs ?? "n/a"} ms | ${results.perCertificate.postgresCpuMs ?? "n/a"} ms |`,
      `| PDF module alone | ${before.baselines.render.cpuMsPerCertificate} ms CPU | ${results.baselines.render.cpuMsPerCertificate} ms CPU |`,
      `| worker RSS peak | ${b.rss.peakMb} MB | ${w.rss.peakMb} MB |`,
      "",
    );
  }
  lines.push(
    "Projection (CPU time per certificate, worker + PostgreSQL):",
    "",
    "```json",
    JSON.stringify(results.projection, null, 2),
    "```",
    "",
    ...results.notes.map((note) => `- ${note}`),
    "",
  );
  return lines.join("\n");
}

function projectionLine(results: Results): string {
  const projected = results.projection as { measuredSecondsFor10000AtThisRate?: number };
  return `${projected.measuredSecondsFor10000AtThisRate ?? "?"} s for 10,000 at this rate`;
}

async function main(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(argv);
  const started = Date.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), "moussanada-bench-certificates-"));
  const database = await startBenchDatabase();
  try {
    say(`PostgreSQL: ${database.embedded ? "embedded, in a temporary folder" : "BENCH_DATABASE_URL"}`);
    await prepareDatabase(database.ownerUrl);
    const companies = Math.ceil(flags.count * 1.25) + 100;
    const generation = await generate(database.ownerUrl, {
      companies,
      applications: companies * 2,
      certificates: 0,
      seed: 9,
      documents: false,
      log: say,
    });
    say(`Generated ${generation.companies} companies, ${generation.applications} applications`);
    const batch = await createBatch(database.ownerUrl, flags.count);
    const appUrl = await enableApplicationLogin(database.ownerUrl);
    const postmaster = database.embedded ? await postmasterPid(database.ownerUrl) : null;

    const cpuProfDir = flags.cpuProf ? path.join(scratch, "profiles") : null;
    if (cpuProfDir) await mkdir(cpuProfDir, { recursive: true });
    say(`Worker: ${path.join(flags.workerRoot, "server", "workerMain.ts")}${flags.cpuProf ? " (--cpu-prof)" : ""}`);
    const worker = await runWorker({
      root: flags.workerRoot,
      ownerUrl: database.ownerUrl,
      appUrl,
      scratch,
      jobId: batch.jobId,
      count: flags.count,
      cpuProfDir,
      postmaster,
    });
    const perSecond = round(flags.count / worker.batchSeconds);
    say(
      `Batch: ${flags.count} certificates in ${round(worker.batchSeconds)} s (${perSecond}/s); worker CPU ${worker.workerCpuSeconds} s, ` +
        `PostgreSQL CPU ${worker.postgresCpuSeconds ?? "n/a"} s, RSS peak ${worker.rss.peakMb} MB`,
    );
    const checks = await checkResults(database.ownerUrl, batch, flags.count, path.join(scratch, "documents"));
    say(`Checked: ${JSON.stringify(checks)}`);
    const profile = cpuProfDir ? await summariseProfiles(cpuProfDir) : null;

    say(`Baseline: the PDF module alone, ${flags.renderBaseline} certificates`);
    const render = await renderBaseline(database.ownerUrl, flags.workerRoot, batch, flags.renderBaseline);
    say(`  ${render.msPerCertificate} ms per certificate (${render.cpuMsPerCertificate} ms CPU)`);
    say("Baseline: bare inserts");
    const floor = await databaseFloor(database.ownerUrl, batch, flags.count, postmaster);
    say(`  ${floor.perSecond} certificates/s`);

    const workerCpuMs = round((worker.workerCpuSeconds * 1000) / flags.count, 2);
    const postgresCpuMs =
      worker.postgresCpuSeconds === null ? null : round((worker.postgresCpuSeconds * 1000) / flags.count, 2);
    const partial = {
      worker: { ...worker, certificatesPerSecond: perSecond },
      perCertificate: {
        workerCpuMs,
        postgresCpuMs,
        totalCpuMs: postgresCpuMs === null ? null : round(workerCpuMs + postgresCpuMs, 2),
      },
      count: flags.count,
    };
    const results: Results = {
      measuredAt: new Date().toISOString(),
      label: flags.label,
      workerRoot: path.relative(projectRoot, flags.workerRoot) || ".",
      machine: {
        cpus: os.cpus().length,
        availableParallelism: os.availableParallelism(),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverageAtEnd: os.loadavg().map((value) => round(value, 2)),
      },
      goal: GOAL,
      ...partial,
      projection: projection(partial),
      checks,
      baselines: { render, database: floor },
      ratios: {
        throughputVsRender: round(perSecond / render.perSecond, 2),
        throughputVsDatabaseFloor: round(perSecond / floor.perSecond, 3),
      },
      profile,
      totalSeconds: Math.round((Date.now() - started) / 1000),
      notes: [
        "Batch time: the job's started_at to finished_at, both from PostgreSQL's clock.",
        "Worker: node --import tsx server/workerMain.ts, NODE_ENV=test, WORKER_CONCURRENCY=1, local document store, LOG_LEVEL=info; e-mails are queued, not sent.",
        "CPU: utime + stime from /proc, for the worker (all threads) and for PostgreSQL (postmaster, its exited children and live backends, so the database's share of the batch).",
        "The machine is shared with other work: wall times vary with its load, CPU times much less.",
        "Render baseline: renderCertificatePdf of the same certificates, in the benchmark's process, one after the other, no database and no file.",
        "Database baseline: multi-row INSERTs into copies of certificates, audit_events and outbox_messages (LIKE … INCLUDING ALL: no trigger, no job queue), one transaction per 100 certificates.",
      ],
    };
    const stem = flags.label ? `certificates-${flags.label}` : "certificates";
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const beforeFile = path.join(resultsDir, "certificates-before.json");
    const before =
      flags.label === "before"
        ? null
        : ((await readFile(beforeFile, "utf8").then(
            (text) => JSON.parse(text) as Results,
            () => null,
          )) ?? null);
    await writeFile(path.join(resultsDir, `${stem}.md`), markdown(results, before));
    say(`\n${markdown(results, before)}`);
    say(`Written: bench/results/${stem}.json and .md (${results.totalSeconds} s in all)`);
  } finally {
    await database.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    benchLogger.error({ err: error }, "certificate benchmark failed");
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
