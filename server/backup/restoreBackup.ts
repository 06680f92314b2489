import { execFile } from "node:child_process";
import { isDeepStrictEqual, promisify } from "node:util";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { verifyLedger } from "../commands/budget.js";
import { APPLICATION_ROLE } from "../db/connection.js";
import { createSequelize } from "../db/database.js";
import { listShippedMigrations } from "../db/migrator.js";
import { verifyAuditChain } from "../services/auditChain.js";
import type { DocumentStore } from "../storage/documentStore.js";
import {
  APPLICATION_SCHEMAS,
  collectDatabaseFacts,
  connect,
  listTables,
  referencedDocuments,
  serverVersionOf,
  type DatabaseFacts,
} from "./databaseFacts.js";
import { documentPath, forEachConcurrently, sha256OfFile, sha256OfStream } from "./files.js";
import { DUMP_FILE, readManifest, type BackedUpDocument, type Manifest } from "./manifest.js";
import {
  BackupError,
  describeUrl,
  libpqTarget,
  parsePgVersion,
  requireTool,
  runPgTool,
  type PgTool,
} from "./pgTools.js";
import { counter, silentProgress, type ProgressReporter } from "./progress.js";

const run = promisify(execFile);

export interface RestoreOptions {
  backupDir: string;
  /** The schema owner's connection to the database to restore into (it will own every object). */
  ownerUrl: string;
  store: DocumentStore;
  /** Replace a database that already holds the application's tables (--yes). */
  replace: boolean;
  /**
   * The application's own connection, asked for once the database is restored (the embedded
   * server gives the role its login then); null skips the check that it can read.
   */
  applicationUrl?: () => Promise<string | null>;
  concurrency?: number;
  progress?: ProgressReporter;
}

export interface RestoreCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface RestoreReport {
  manifest: Manifest;
  target: string;
  replaced: boolean;
  documentsWritten: number;
  documentsAlreadyPresent: number;
  checks: RestoreCheck[];
  ok: boolean;
}

/** The backup is not what its manifest says (damaged or altered): nothing was touched. */
export class BackupIntegrityError extends BackupError {
  constructor(readonly mismatches: string[]) {
    super(
      `the backup does not match its manifest, nothing was restored:\n  ${mismatches.slice(0, 10).join("\n  ")}` +
        (mismatches.length > 10 ? `\n  … and ${mismatches.length - 10} more` : ""),
    );
    this.name = "BackupIntegrityError";
  }
}

/** Every file the manifest lists, hashed again, before anything is written anywhere. */
export async function verifyBackupFiles(
  backupDir: string,
  manifest: Manifest,
  progress: ProgressReporter = silentProgress,
): Promise<void> {
  const mismatches: string[] = [];
  const check = async (label: string, file: string, expected: { bytes: number; sha256: string }) => {
    try {
      const actual = await sha256OfFile(file);
      if (actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) {
        mismatches.push(`${label}: sha256 ${actual.sha256} (${actual.bytes} bytes), manifest says ${expected.sha256}`);
      }
    } catch (error) {
      mismatches.push(`${label}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : String(error)}`);
    }
  };
  const tick = counter(progress, "backup files verified", manifest.documents.files.length + 1);
  await check(DUMP_FILE, path.join(backupDir, DUMP_FILE), manifest.database.dump);
  tick();
  await forEachConcurrently(manifest.documents.files, 4, async (document) => {
    await check(`document ${document.key}`, documentPath(backupDir, document.key), document);
    tick();
  });
  if (mismatches.length > 0) throw new BackupIntegrityError(mismatches);
}

/** Refusals that need no connection: a backup of a newer application, a pg_restore too old to read it. */
async function checkCompatibility(manifest: Manifest): Promise<PgTool> {
  const shipped = new Set(listShippedMigrations());
  const unknown = manifest.database.migrations.filter((name) => !shipped.has(name));
  if (unknown.length > 0) {
    throw new BackupError(
      `the backup was made by a newer version of the application (migrations unknown here: ${unknown.join(", ")}); ` +
        `restore it with version ${manifest.app.version} or later`,
    );
  }
  const dumpMajor = parsePgVersion(manifest.database.pgDumpVersion)?.major ?? manifest.database.serverMajor;
  return requireTool("pg_restore", dumpMajor, `reading a dump written by pg_dump ${manifest.database.pgDumpVersion}`);
}

/** The application's tables already there, or its job queue's schema: the database is not empty. */
async function existingContents(client: pg.Client): Promise<{ tables: number; holdsData: boolean }> {
  const tables = (await listTables(client)).length;
  const { rows } = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker'");
  return { tables, holdsData: tables > 0 || rows.length > 0 };
}

/** The app or its worker writing during a restore would interleave with it: they must be stopped. */
async function refuseIfInUse(client: pg.Client, target: string): Promise<void> {
  const { rows } = await client.query<{ name: string; sessions: string }>(
    `SELECT coalesce(nullif(application_name, ''), usename::text, '?') AS name, count(*)::text AS sessions
       FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
      GROUP BY 1 ORDER BY 1`,
  );
  if (rows.length === 0) return;
  throw new BackupError(
    `${target} is in use (${rows.map((row) => `${row.name} × ${row.sessions}`).join(", ")}): ` +
      "stop the application and the worker first, nothing was changed",
  );
}

/** GRANTs in the dump name the application role: it must exist before pg_restore replays them. */
async function ensureApplicationRole(client: pg.Client): Promise<void> {
  const { rows } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APPLICATION_ROLE]);
  if (rows.length > 0) return;
  try {
    await client.query(`CREATE ROLE ${APPLICATION_ROLE} NOLOGIN`);
  } catch (error) {
    throw new BackupError(
      `role ${APPLICATION_ROLE} does not exist on this server and cannot be created by this login ` +
        `(${error instanceof Error ? error.message : String(error)}): create it as the DBA (README), then run again`,
    );
  }
}

async function restoreDocuments(
  backupDir: string,
  files: BackedUpDocument[],
  store: DocumentStore,
  concurrency: number,
  progress: ProgressReporter,
): Promise<{ written: number; present: number }> {
  const existing = new Set(await store.keys());
  const tick = counter(progress, "documents restored", files.length);
  let written = 0;
  let present = 0;
  await forEachConcurrently(files, concurrency, async (document) => {
    if (existing.has(document.key)) {
      // Keys are random and objects never rewritten: the same key must hold the same bytes.
      const digest = await sha256OfStream(await store.open(document.key));
      if (digest.sha256 !== document.sha256) {
        throw new BackupError(
          `the store already holds document ${document.key} with other bytes (sha256 ${digest.sha256}): ` +
            "restore into an empty store or bucket prefix",
        );
      }
      present += 1;
    } else {
      await store.putFile(document.key, documentPath(backupDir, document.key), document.contentType);
      written += 1;
    }
    tick();
  });
  return { written, present };
}

/** Same statements as db:reset: the target ends as a fresh database before pg_restore fills it. */
async function emptyDatabase(client: pg.Client): Promise<void> {
  await client.query(
    "BEGIN; DROP SCHEMA IF EXISTS graphile_worker CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; COMMIT",
  );
}

const DEFAULT_ACL_ENTRY = /^\d+;\s+\d+\s+\d+\s+DEFAULT ACL\s/;
const FOR_ROLE = /^ALTER DEFAULT PRIVILEGES FOR ROLE (?:"(?:[^"]|"")+"|[^\s"]+) /;

/**
 * pg_restore in one transaction, objects owned by the restoring login (--no-owner), the
 * application role's privileges as dumped. Default privileges name the dumping owner (FOR ROLE
 * postgres…), who may not exist here: they are replayed for the restoring owner instead, so
 * tables that later migrations create still reach the application role.
 */
async function restoreDatabase(
  pgRestore: PgTool,
  ownerUrl: string,
  client: pg.Client,
  dumpFile: string,
  tableCount: number,
  progress: ProgressReporter,
): Promise<void> {
  const { stdout: contents } = await run(pgRestore.path, ["--list", dumpFile], { maxBuffer: 256 * 1024 * 1024 });
  const lines = contents.split("\n");
  const defaults = lines.filter((line) => DEFAULT_ACL_ENTRY.test(line));
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-restore-"));
  try {
    const mainList = path.join(workDir, "main.list");
    const defaultsList = path.join(workDir, "defaults.list");
    await fs.writeFile(mainList, lines.filter((line) => !DEFAULT_ACL_ENTRY.test(line)).join("\n"));
    await fs.writeFile(defaultsList, defaults.join("\n"));
    const { dbname, env } = libpqTarget(ownerUrl);
    const tick = counter(progress, "tables restored", tableCount);
    await runPgTool(
      pgRestore,
      [
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        "--verbose",
        `--use-list=${mainList}`,
        `--dbname=${dbname}`,
        dumpFile,
      ],
      env,
      (line) => {
        if (/processing data for table/.test(line)) tick();
      },
    );
    if (defaults.length === 0) return;
    const { stdout: script } = await run(pgRestore.path, [`--use-list=${defaultsList}`, "--file=-", dumpFile]);
    const statements = script
      .split("\n")
      .filter((line) => line.startsWith("ALTER DEFAULT PRIVILEGES "))
      .map((line) => line.replace(FOR_ROLE, "ALTER DEFAULT PRIVILEGES "));
    for (const statement of statements) await client.query(statement);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

function tablesCheck(expected: Record<string, number>, actual: Record<string, number>): RestoreCheck {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const differences = names
    .filter((name) => expected[name] !== actual[name])
    .map((name) => `${name}: ${actual[name] ?? "absent"} (backup ${expected[name] ?? "absent"})`);
  const rows = Object.values(actual).reduce((total, count) => total + count, 0);
  return {
    name: "row counts",
    ok: differences.length === 0,
    detail: differences.length === 0 ? `${names.length} tables, ${rows} rows` : differences.join("; "),
  };
}

async function chainCheck(ownerUrl: string, expected: DatabaseFacts["audit"], actual: DatabaseFacts["audit"]) {
  const sequelize = createSequelize({ url: ownerUrl, poolMax: 1, applicationName: "moussanada-restore-verify" });
  try {
    const chain = await verifyAuditChain(sequelize);
    const ledgerProblems = await verifyLedger(sequelize);
    const head = `${actual.events} events, head #${actual.headPosition ?? "-"} ${actual.headHash?.slice(0, 12) ?? "-"}`;
    const audit: RestoreCheck = chain.ok
      ? {
          name: "audit chain",
          ok: isDeepStrictEqual(expected, actual) && chain.checked === expected.events,
          detail: isDeepStrictEqual(expected, actual)
            ? `${head}, verified end to end`
            : `${head}; the backup had ${expected.events} events, head #${expected.headPosition} ${expected.headHash}`,
        }
      : {
          name: "audit chain",
          ok: false,
          detail: `broken at event ${chain.firstBroken?.id} (position ${chain.firstBroken?.position}): ${chain.firstBroken?.reason}`,
        };
    return { audit, ledgerProblems: ledgerProblems.map((problem) => `${problem.envelopeId}: ${problem.problem}`) };
  } finally {
    await sequelize.close();
  }
}

function ledgerCheck(expected: DatabaseFacts["ledger"], actual: DatabaseFacts["ledger"], problems: string[]) {
  const same = isDeepStrictEqual(expected, actual);
  const details: string[] = [];
  if (expected.rows !== actual.rows) details.push(`${actual.rows} rows (backup ${expected.rows})`);
  if (expected.digest !== actual.digest) details.push("ledger rows differ from the backup's");
  if (!isDeepStrictEqual(expected.envelopes, actual.envelopes))
    details.push("envelope totals differ from the backup's");
  details.push(...problems);
  return {
    name: "budget ledger",
    ok: same && problems.length === 0,
    detail:
      details.length === 0
        ? `${actual.rows} rows, ${actual.envelopes.length} envelopes, totals equal, consistent`
        : details.join("; "),
  };
}

async function documentsCheck(client: pg.Client, manifest: Manifest, store: DocumentStore): Promise<RestoreCheck> {
  const files = new Map(manifest.documents.files.map((file) => [file.key, file]));
  const knownMissing = new Set(manifest.documents.missing.map((entry) => entry.key));
  const stored = new Set(await store.keys());
  const problems: string[] = [];
  for (const [key, record] of await referencedDocuments(client)) {
    if (knownMissing.has(key)) continue;
    const file = files.get(key);
    if (!file) problems.push(`${key} is referenced but not in the backup`);
    else if (record.sha256 && record.sha256 !== file.sha256) problems.push(`${key} differs from its database record`);
  }
  for (const key of files.keys()) if (!stored.has(key)) problems.push(`${key} is not in the store`);
  const megabytes = (manifest.documents.totalBytes / 1_000_000).toFixed(1);
  const note = knownMissing.size > 0 ? ` (${knownMissing.size} already missing when backed up)` : "";
  return {
    name: "documents",
    ok: problems.length === 0,
    detail:
      problems.length === 0 ? `${files.size} files, ${megabytes} MB, all in the store${note}` : problems.join("; "),
  };
}

async function applicationCheck(
  expected: DatabaseFacts["applicationRole"],
  actual: DatabaseFacts["applicationRole"],
  applicationUrl: string | null,
): Promise<RestoreCheck> {
  const differences = new Set<string>();
  const objects = new Set([...Object.keys(expected?.objects ?? {}), ...Object.keys(actual?.objects ?? {})]);
  for (const name of objects) {
    if (expected?.objects[name] !== actual?.objects[name]) {
      differences.add(`${name}: ${actual?.objects[name] ?? "absent"} (backup ${expected?.objects[name] ?? "absent"})`);
    }
  }
  if (!isDeepStrictEqual(expected?.defaults ?? [], actual?.defaults ?? [])) differences.add("default privileges");
  let login = "";
  if (applicationUrl) {
    const client = await connect(applicationUrl, "moussanada-restore-verify").catch((error: unknown) => {
      differences.add(`cannot connect as the application: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
    if (client) {
      try {
        await client.query("SELECT count(*) FROM public.schema_migrations");
        login = ", the application logs in and reads";
      } catch (error) {
        differences.add(`the application cannot read: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await client.end();
      }
    }
  }
  return {
    name: "application role",
    ok: differences.size === 0,
    detail:
      differences.size === 0
        ? `${APPLICATION_ROLE}: privileges as in the backup${login}`
        : [...differences].slice(0, 10).join("; "),
  };
}

async function verifyRestored(options: RestoreOptions, client: pg.Client, manifest: Manifest) {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  const facts = await collectDatabaseFacts(client);
  const documents = await documentsCheck(client, manifest, options.store);
  await client.query("COMMIT");
  const expected = manifest.database;
  const { audit, ledgerProblems } = await chainCheck(options.ownerUrl, expected.audit, facts.audit);
  const applicationUrl = options.applicationUrl ? await options.applicationUrl() : null;
  return [
    {
      name: "migrations",
      ok: isDeepStrictEqual(expected.migrations, facts.migrations),
      detail: `${facts.migrations.length} applied, last ${facts.migrations.at(-1) ?? "-"}`,
    },
    tablesCheck(expected.tables, facts.tables),
    audit,
    ledgerCheck(expected.ledger, facts.ledger, ledgerProblems),
    documents,
    await applicationCheck(expected.applicationRole, facts.applicationRole, applicationUrl),
  ];
}

/**
 * `npm run db:restore -- <backup> [--yes]`: checks every file of the backup against its manifest,
 * refuses a database in use or holding data (unless `replace`), writes the documents into the
 * store, restores the dump, then compares the result with the manifest: row counts, the audit
 * chain end to end, the ledger and its totals, the documents, the application role's rights.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const progress = options.progress ?? silentProgress;
  const backupDir = path.resolve(options.backupDir);
  const manifest = await readManifest(backupDir);
  await verifyBackupFiles(backupDir, manifest, progress);
  const pgRestore = await checkCompatibility(manifest);
  const target = describeUrl(options.ownerUrl);
  const client = await connect(options.ownerUrl, "moussanada-restore");
  try {
    const server = await serverVersionOf(client);
    if (server.major < manifest.database.serverMajor) {
      throw new BackupError(
        `${target} runs PostgreSQL ${server.version}, older than the backup's ${manifest.database.serverVersion}: ` +
          "PostgreSQL cannot load a dump into an older major version",
      );
    }
    await refuseIfInUse(client, target);
    const { tables, holdsData } = await existingContents(client);
    if (holdsData && !options.replace) {
      throw new BackupError(
        `${target} is not empty (${tables} tables in ${APPLICATION_SCHEMAS.join(", ")}), nothing was changed: ` +
          "re-run with --yes to replace its contents with the backup",
      );
    }
    if (manifest.database.applicationRole) await ensureApplicationRole(client);
    const documents = await restoreDocuments(
      backupDir,
      manifest.documents.files,
      options.store,
      options.concurrency ?? 8,
      progress,
    );
    if (holdsData) await emptyDatabase(client);
    const dumpFile = path.join(backupDir, DUMP_FILE);
    await restoreDatabase(
      pgRestore,
      options.ownerUrl,
      client,
      dumpFile,
      Object.keys(manifest.database.tables).length,
      progress,
    );
    const checks = await verifyRestored(options, client, manifest);
    return {
      manifest,
      target,
      replaced: holdsData,
      documentsWritten: documents.written,
      documentsAlreadyPresent: documents.present,
      checks,
      ok: checks.every((check) => check.ok),
    };
  } finally {
    await client.end();
  }
}
