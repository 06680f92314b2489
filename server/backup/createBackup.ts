import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { DocumentStore } from "../storage/documentStore.js";
import {
  collectDatabaseFacts,
  connect,
  listTables,
  referencedDocuments,
  serverVersionOf,
  type DatabaseFacts,
  type ReferencedDocument,
} from "./databaseFacts.js";
import {
  documentPath,
  forEachConcurrently,
  PRIVATE_DIRECTORY_MODE,
  PRIVATE_FILE_MODE,
  sha256OfFile,
  syncFile,
  writeStreamToFile,
} from "./files.js";
import {
  DUMP_FILE,
  MANIFEST_FORMAT,
  writeManifest,
  type BackedUpDocument,
  type Manifest,
  type MissingDocument,
} from "./manifest.js";
import { BackupError, libpqTarget, requireTool, runPgTool, type PgTool } from "./pgTools.js";
import { counter, silentProgress, type ProgressReporter } from "./progress.js";

export interface BackupOptions {
  /** The schema owner's connection (it alone may read graphile-worker's tables). */
  ownerUrl: string;
  store: DocumentStore;
  /** The backup becomes a new folder in here, created if needed. */
  parentDir: string;
  /** Names the folder `moussanada-<instant>`; now by default. */
  now?: Date;
  /** Documents copied at once (S3 round trips overlap). */
  concurrency?: number;
  progress?: ProgressReporter;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
  /** Documents the database references that the store lost, or whose bytes differ from its record. */
  problems: string[];
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function applicationVersion(): { name: string; version: string } {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  return { name: manifest.name, version: manifest.version };
}

/** "2026-11-24T03:00:12.345Z" → "moussanada-2026-11-24T030012Z": sortable, and legal on every disk. */
export function backupName(now: Date): string {
  const iso = now.toISOString();
  return `moussanada-${iso.slice(0, 10)}T${iso.slice(11, 19).replace(/:/g, "")}Z`;
}

async function prepareFolders(parentDir: string, name: string): Promise<{ finalDir: string; workDir: string }> {
  if (!existsSync(parentDir)) {
    await fs.mkdir(parentDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    // Backups hold personal data: a folder created inside a working copy must never be committed.
    await fs.writeFile(path.join(parentDir, ".gitignore"), "*\n", { mode: 0o644 });
  }
  const finalDir = path.join(parentDir, name);
  if (existsSync(finalDir)) throw new BackupError(`${finalDir} already exists`);
  // Built under another name and renamed once complete: a half-written backup never looks whole.
  const workDir = `${finalDir}.partial`;
  await fs.rm(workDir, { recursive: true, force: true });
  await fs.mkdir(path.join(workDir, "documents"), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  return { finalDir, workDir };
}

interface Snapshot {
  facts: DatabaseFacts;
  referenced: Map<string, ReferencedDocument>;
}

/**
 * pg_dump and our own counts read one exported snapshot, so the manifest describes exactly the
 * dump: its row counts, audit head and ledger totals are those of the same instant.
 */
async function dumpDatabase(
  client: pg.Client,
  pgDump: PgTool,
  ownerUrl: string,
  dumpFile: string,
  progress: ProgressReporter,
): Promise<Snapshot> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  try {
    const { rows } = await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
    const snapshotId = rows[0]?.id;
    if (!snapshotId) throw new Error("pg_export_snapshot() returned nothing");
    const tick = counter(progress, "tables dumped", (await listTables(client)).length);
    const { dbname, env } = libpqTarget(ownerUrl);
    const dumped = runPgTool(
      pgDump,
      ["--format=custom", `--snapshot=${snapshotId}`, "--verbose", `--file=${dumpFile}`, `--dbname=${dbname}`],
      env,
      (line) => {
        if (/dumping contents of table/.test(line)) tick();
      },
    );
    const counted = (async () => ({
      facts: await collectDatabaseFacts(client),
      referenced: await referencedDocuments(client),
    }))();
    // Both settle before the transaction ends: pg_dump needs the exported snapshot until it is done.
    const [dump, facts] = await Promise.allSettled([dumped, counted]);
    if (dump.status === "rejected") throw dump.reason;
    if (facts.status === "rejected") throw facts.reason;
    await client.query("COMMIT");
    return facts.value;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * Copies every stored object after the dump. Objects are written once under fresh random keys and
 * never rewritten, and a row's object is deleted only after the row (removeDocument, a lost
 * certificate race): every key the dump references is still there unless deleted since, and an
 * object newer than the dump is only unreferenced.
 */
async function copyDocuments(
  store: DocumentStore,
  workDir: string,
  referenced: Map<string, ReferencedDocument>,
  concurrency: number,
  progress: ProgressReporter,
): Promise<{ files: BackedUpDocument[]; problems: string[] }> {
  const keys = await store.keys();
  const tick = counter(progress, "documents copied", keys.length);
  const files: BackedUpDocument[] = [];
  const problems: string[] = [];
  await forEachConcurrently(keys, concurrency, async (key) => {
    const file = documentPath(workDir, key);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    const digest = await writeStreamToFile(await store.open(key), file);
    const record = referenced.get(key);
    if (record?.sha256 && record.sha256 !== digest.sha256) {
      problems.push(`document ${key}: the store's bytes (sha256 ${digest.sha256}) differ from the database's record`);
    }
    files.push({ key, ...digest, contentType: record?.contentType ?? "application/octet-stream" });
    tick();
  });
  return { files: files.sort((a, b) => a.key.localeCompare(b.key)), problems };
}

/** Keys referenced at the dump but not copied: still referenced now means the store lost them. */
async function missingDocuments(
  client: pg.Client,
  referenced: Map<string, ReferencedDocument>,
  copied: Set<string>,
): Promise<MissingDocument[]> {
  const absent = [...referenced.keys()].filter((key) => !copied.has(key)).sort();
  if (absent.length === 0) return [];
  const now = await referencedDocuments(client);
  return absent.map((key) => ({ key, reason: now.has(key) ? "absent-from-store" : "deleted-after-dump" }));
}

/** Fills `workDir`: the dump and our figures of one snapshot, then the documents, then the manifest. */
async function writeBackup(
  client: pg.Client,
  pgDump: PgTool,
  workDir: string,
  options: BackupOptions & { now: Date; progress: ProgressReporter },
): Promise<{ manifest: Manifest; problems: string[] }> {
  const dumpFile = path.join(workDir, DUMP_FILE);
  const { facts, referenced } = await dumpDatabase(client, pgDump, options.ownerUrl, dumpFile, options.progress);
  // pg_dump creates it under the umask; the dump holds personal data.
  await fs.chmod(dumpFile, PRIVATE_FILE_MODE);
  await syncFile(dumpFile);
  const dump = await sha256OfFile(dumpFile);
  const concurrency = options.concurrency ?? 8;
  const { files, problems } = await copyDocuments(options.store, workDir, referenced, concurrency, options.progress);
  const missing = await missingDocuments(client, referenced, new Set(files.map((file) => file.key)));
  for (const entry of missing) {
    if (entry.reason === "absent-from-store") {
      problems.push(`document ${entry.key}: referenced by the database but absent from the store`);
    }
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    createdAt: options.now.toISOString(),
    app: applicationVersion(),
    database: { ...facts, pgDumpVersion: pgDump.version, dump: { file: DUMP_FILE, ...dump } },
    documents: {
      driver: options.store.driver,
      count: files.length,
      totalBytes: files.reduce((total, file) => total + file.bytes, 0),
      files,
      missing,
    },
  };
  await writeManifest(workDir, manifest);
  return { manifest, problems };
}

/**
 * `npm run db:backup`: one folder holding database.dump (pg_dump custom format), documents/ (every
 * stored object, in the local store's layout) and manifest.json (what a restore must find again,
 * and a SHA-256 of every file).
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const settings = { ...options, now: options.now ?? new Date(), progress: options.progress ?? silentProgress };
  const client = await connect(options.ownerUrl, "moussanada-backup");
  try {
    const server = await serverVersionOf(client);
    const pgDump = await requireTool("pg_dump", server.major, `dumping a PostgreSQL ${server.version} server`);
    const { finalDir, workDir } = await prepareFolders(path.resolve(options.parentDir), backupName(settings.now));
    try {
      const { manifest, problems } = await writeBackup(client, pgDump, workDir, settings);
      await fs.rename(workDir, finalDir);
      return { dir: finalDir, manifest, problems };
    } catch (error) {
      await fs.rm(workDir, { recursive: true, force: true });
      throw error;
    }
  } finally {
    await client.end();
  }
}
