import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import pg from "pg";
import { createBackup } from "../../server/backup/createBackup.js";
import { documentPath } from "../../server/backup/files.js";
import { readManifest, type Manifest } from "../../server/backup/manifest.js";
import { chooseTool, findPgTools, parsePgVersion, type PgTool } from "../../server/backup/pgTools.js";
import type { ProgressEvent } from "../../server/backup/progress.js";
import { BackupIntegrityError, restoreBackup } from "../../server/backup/restoreBackup.js";
import { EMBEDDED_DATABASE_NAME, migrateDatabase } from "../../server/db/connection.js";
import { createSequelize } from "../../server/db/database.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embeddedPostgres.js";
import { verifyAuditChain, type AuditChainReport } from "../../server/services/auditChain.js";
import { createDocumentStore, type DocumentStore } from "../../server/storage/documentStore.js";
import { S3Store } from "../../server/storage/s3Store.js";
import { createCall } from "../factories/reference.js";
import { fileInStatus, freshCompany, player, type ReviewCast } from "../factories/review.js";
import {
  AFTER_DEFAULT_START,
  certificatesOf,
  createTrainingSession,
  issueCertificates,
  passedEnrolments,
  trainingPlayer,
} from "../factories/training.js";
import { clearRateLimits } from "../helpers/auth.js";
import { expectLedgerHolds } from "../helpers/ledger.js";
import { startS3Server, type TestS3Server } from "../helpers/s3Server.js";
import { TEST_DOCUMENTS_DIRECTORY, testConfig, useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, testLogger } from "../helpers/testDatabase.js";

const SECTOR = "textile-habillement";
/** 166,666.67 × 60 % = 100,000.00 approved. */
const LINE_FOR_100K = [{ category: "software", label: "ERP confection", amountExclTax: "166666.67", vatRate: "0.20" }];
const TSX = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");

const ownerUrl = (): string => process.env.TEST_DATABASE_URL ?? "";
const applicationUrl = (): string => process.env.TEST_APP_DATABASE_URL ?? ownerUrl();

function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run db:backup` / `db:restore` as the operator runs them: a child process, its env as configuration. */
function runCli(args: string[], environment: Record<string, string | undefined>): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", STORAGE_DRIVER: "local" };
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "server/cli/backup.ts", ...args], {
      cwd: process.cwd(),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What must survive a round trip, read with SQL written here (not the backup's own queries):
 * every table's rows, the ledger rows and envelopes as JSON text in id order, the audit chain.
 */
interface World {
  tables: Record<string, number>;
  ledgerRows: string[];
  envelopes: string[];
  auditHead: string | null;
  chain: AuditChainReport;
}

async function worldOf(url: string): Promise<World> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sequelize = createSequelize({ url, poolMax: 1, applicationName: "moussanada-test-backup" });
  try {
    await client.query("SET TIME ZONE 'UTC'");
    const { rows: tableRows } = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'graphile_worker') AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
    );
    const tables: Record<string, number> = {};
    for (const { schema, name } of tableRows) {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) AS count FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`,
      );
      tables[`${schema}.${name}`] = Number(rows[0]?.count);
    }
    const ledger = await client.query<{ row: string }>(
      "SELECT row_to_json(l)::text AS row FROM budget_ledger l ORDER BY l.id",
    );
    const envelopes = await client.query<{ row: string }>(
      `SELECT json_build_object('id', e.id, 'amount', e.amount::text, 'committed', e.committed::text, 'paid', e.paid::text,
                'ledger', (SELECT json_object_agg(kind, total ORDER BY kind) FROM (
                   SELECT kind, sum(amount)::text AS total FROM budget_ledger WHERE envelope_id = e.id GROUP BY kind) s)
              )::text AS row
         FROM envelopes e ORDER BY e.id`,
    );
    const head = await client.query<{ head: string }>(
      "SELECT position || ':' || hash AS head FROM audit_events ORDER BY position DESC LIMIT 1",
    );
    return {
      tables,
      ledgerRows: ledger.rows.map((row) => row.row),
      envelopes: envelopes.rows.map((row) => row.row),
      auditHead: head.rows[0]?.head ?? null,
      chain: await verifyAuditChain(sequelize),
    };
  } finally {
    await client.end();
    await sequelize.close();
  }
}

/** key → SHA-256 of every object in a store, read back through the store. */
async function storeContents(store: DocumentStore): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  for (const key of await store.keys()) {
    const hash = createHash("sha256");
    for await (const chunk of await store.open(key)) hash.update(chunk as Buffer);
    contents[key] = hash.digest("hex");
  }
  return contents;
}

async function flipMiddleByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  const index = Math.floor(bytes.length / 2);
  bytes[index] = (bytes[index] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("backup and restore: npm run db:backup / db:restore (issue 9)", function () {
  this.timeout(240_000);

  const context = useTestApp();
  let work = "";
  const databases: string[] = [];
  let backupDir = "";
  let manifest: Manifest;
  let source: World;
  let sourceDocuments: Record<string, string>;
  const sourceStore = (): DocumentStore => createDocumentStore(testConfig().storage);

  /** A new, empty database on the test server, dropped at the end. */
  async function freshDatabase(): Promise<{ name: string; ownerUrl: string; applicationUrl: string }> {
    const name = `moussanada_restore_${process.pid}_${databases.length + 1}`;
    await ownerSequelize().query(`CREATE DATABASE "${name}"`);
    databases.push(name);
    return { name, ownerUrl: onDatabase(ownerUrl(), name), applicationUrl: onDatabase(applicationUrl(), name) };
  }

  /**
   * A small but complete world through the API and the factories: files closed (committed, paid,
   * released), approved and submitted, each with its uploaded documents; a training session whose
   * certificates the worker issued as signed PDFs; every step audited.
   */
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "moussanada-backup-"));
    // The embedded PostgreSQL of the last suite runs as its own user and must enter this folder.
    await chmod(work, 0o755);
    await clearRateLimits();
    const app = context().app;
    const cast: ReviewCast = {
      owner: await player(app, "applicant", "Rachid Tazi"),
      officerA: await player(app, "officer", "Officier Examinateur"),
      officerB: await player(app, "officer", "Officier Payeur"),
      admin: await player(app, "admin", "Directrice du programme"),
    };
    const { call } = await createCall({ envelope: "10000000.00", envelopeBySector: { [SECTOR]: "5000000.00" } });
    for (const status of ["closed", "approved", "submitted"]) {
      const company = await freshCompany(cast.owner.user);
      await fileInStatus(cast, status, { company, callId: call.id, payload: { lines: LINE_FOR_100K } });
    }
    await expectLedgerHolds();

    const trainer = await trainingPlayer(context(), "trainer", "Nadia Formatrice");
    const session = await createTrainingSession({ trainer: trainer.user, capacity: 100 });
    await passedEnrolments(session, 3);
    context().clock.set(AFTER_DEFAULT_START);
    await issueCertificates(trainer.session, session.id, context().clock);
    const certificates = await certificatesOf(session.id);
    expect(certificates.map((certificate) => certificate.pdfKey !== null)).to.deep.equal([true, true, true]);

    source = await worldOf(ownerUrl());
    sourceDocuments = await storeContents(sourceStore());
  });

  after(async () => {
    for (const name of databases) await ownerSequelize().query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await rm(work, { recursive: true, force: true });
  });

  it("the world to back up is real: ledger rows, a verified audit chain, uploaded documents and certificate PDFs", () => {
    expect(source.ledgerRows.length, "commitments, payment, release").to.be.at.least(4);
    expect(source.chain.ok).to.equal(true);
    expect(source.chain.checked).to.be.greaterThan(30);
    expect(source.tables["public.documents"], "quotes, declarations, invoices, proofs, reports").to.equal(9);
    expect(source.tables["public.certificates"]).to.equal(3);
    expect(Object.keys(sourceDocuments).length, "the documents and the PDFs").to.be.at.least(12);
  });

  it("the CLI (child process) backs up the live database, app connected: one folder of dump, documents and manifest", async () => {
    const parent = path.join(work, "backups");
    const run = await runCli(["backup", "--dir", parent], {
      DATABASE_URL: applicationUrl(),
      MIGRATION_DATABASE_URL: ownerUrl(),
      STORAGE_DIR: TEST_DOCUMENTS_DIRECTORY,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    const written = /Backup written to (.+)/.exec(run.stdout)?.[1]?.trim() ?? "";
    backupDir = path.resolve(written);
    expect(path.basename(backupDir)).to.match(/^moussanada-\d{4}-\d{2}-\d{2}T\d{6}Z$/);
    expect(run.stdout).to.match(/documents copied \d+\/\d+/);
    manifest = await readManifest(backupDir);

    expect(manifest.database.tables).to.deep.equal(source.tables);
    expect(manifest.database.serverMajor).to.equal(15);
    expect(manifest.database.migrations.length).to.be.greaterThan(0);
    expect(`${manifest.database.audit.headPosition}:${manifest.database.audit.headHash}`).to.equal(source.auditHead);
    expect(manifest.database.audit.events).to.equal(source.chain.checked);
    expect(manifest.database.ledger.rows).to.equal(source.ledgerRows.length);
    expect(manifest.database.ledger.envelopes.length).to.equal(source.envelopes.length);
    expect(manifest.database.applicationRole?.objects["table public.audit_events"]).to.equal("SELECT,INSERT");
    const listed = Object.fromEntries(manifest.documents.files.map((file) => [file.key, file.sha256]));
    expect(listed).to.deep.equal(sourceDocuments);
    expect(manifest.documents.missing).to.deep.equal([]);
    for (const file of manifest.documents.files) {
      const bytes = await readFile(documentPath(backupDir, file.key));
      expect(createHash("sha256").update(bytes).digest("hex"), file.key).to.equal(file.sha256);
    }
    const dump = await readFile(path.join(backupDir, "database.dump"));
    expect(dump.subarray(0, 5).toString()).to.equal("PGDMP");
    expect(createHash("sha256").update(dump).digest("hex")).to.equal(manifest.database.dump.sha256);
    for (const file of ["database.dump", "manifest.json"]) {
      expect((await stat(path.join(backupDir, file))).mode & 0o777, file).to.equal(0o600);
    }
    expect((await stat(backupDir)).mode & 0o777).to.equal(0o700);
    expect(await readFile(path.join(parent, ".gitignore"), "utf8")).to.equal("*\n");
  });

  it("the CLI restores it into a FRESH database and documents folder: tables, ledger, audit chain and bytes identical", async () => {
    const target = await freshDatabase();
    const documents = path.join(work, "restored-documents");
    const run = await runCli(["restore", backupDir], {
      DATABASE_URL: target.applicationUrl,
      MIGRATION_DATABASE_URL: target.ownerUrl,
      STORAGE_DIR: documents,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    expect(run.stdout).to.include("Restore verified.");
    expect(run.stdout).not.to.include("FAIL");
    expect(run.stdout).to.match(/documents restored (\d+)\/\1/);

    const restored = await worldOf(target.ownerUrl);
    expect(restored.tables, "every table's row count").to.deep.equal(source.tables);
    expect(restored.ledgerRows, "ledger rows, byte for byte, in id order").to.deep.equal(source.ledgerRows);
    expect(restored.envelopes, "each envelope's totals and ledger sums").to.deep.equal(source.envelopes);
    expect(restored.chain).to.deep.equal({ ok: true, checked: source.chain.checked, firstBroken: null });
    expect(restored.auditHead, "same head hash").to.equal(source.auditHead);
    const restoredStore = createDocumentStore({ driver: "local", directory: documents });
    expect(await storeContents(restoredStore), "every document's bytes").to.deep.equal(sourceDocuments);
  });

  it("the restored database works for the application role: reads, appends to the audit chain and queues jobs, may not rewrite history", async () => {
    const target = onDatabase(applicationUrl(), databases[0] ?? "");
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const { rows } = await client.query<{ user: string; documents: string }>(
        "SELECT current_user AS user, (SELECT count(*) FROM documents)::text AS documents",
      );
      expect(rows[0]).to.deep.equal({
        user: new URL(applicationUrl()).username,
        documents: String(source.tables["public.documents"]),
      });
      await client.query(
        `INSERT INTO audit_events (action, entity_type, position, previous_hash, hash)
         VALUES ('backup.restored', 'system', 0, '', '')`,
      );
      await client.query("SELECT queue_job('backup-smoke-test', '{}'::json, 1)");
      if (applicationUrl() !== ownerUrl()) {
        const refused = await rejectionOf(client.query("UPDATE audit_events SET action = 'edited'"));
        expect((refused as { code?: string }).code, "permission denied").to.equal("42501");
        const ledger = await rejectionOf(client.query("DELETE FROM budget_ledger"));
        expect((ledger as { code?: string }).code, "permission denied").to.equal("42501");
      }
    } finally {
      await client.end();
    }
    const after = await worldOf(onDatabase(ownerUrl(), databases[0] ?? ""));
    expect(after.chain).to.deep.equal({ ok: true, checked: source.chain.checked + 1, firstBroken: null });
  });

  const TAMPERINGS: Array<{ what: string; tamper: (dir: string) => Promise<void>; names: () => string }> = [
    {
      what: "one byte of the dump changed",
      tamper: (dir) => flipMiddleByte(path.join(dir, "database.dump")),
      names: () => "database.dump: sha256",
    },
    {
      what: "one byte of a document changed",
      tamper: (dir) => flipMiddleByte(documentPath(dir, manifest.documents.files[0]?.key ?? "")),
      names: () => `document ${manifest.documents.files[0]?.key}: sha256`,
    },
    {
      what: "a document deleted",
      tamper: (dir) => rm(documentPath(dir, manifest.documents.files[1]?.key ?? "")),
      names: () => `document ${manifest.documents.files[1]?.key}: missing`,
    },
  ];

  for (const { what, tamper, names } of TAMPERINGS) {
    it(`a tampered backup (${what}) is refused before anything is touched, even with --yes`, async () => {
      const copy = path.join(work, `tampered-${TAMPERINGS.findIndex((entry) => entry.what === what)}`);
      await cp(backupDir, copy, { recursive: true });
      await tamper(copy);
      const target = onDatabase(ownerUrl(), databases[0] ?? "");
      const before = await worldOf(target);
      const emptyStore = createDocumentStore({ driver: "local", directory: path.join(copy, "untouched-store") });

      const error = await rejectionOf(
        restoreBackup({ backupDir: copy, ownerUrl: target, store: emptyStore, replace: true }),
      );
      expect(error).to.be.instanceOf(BackupIntegrityError);
      expect((error as BackupIntegrityError).mismatches).to.have.length(1);
      expect((error as BackupIntegrityError).mismatches[0]).to.include(names());
      expect(await worldOf(target), "the database is untouched").to.deep.equal(before);
      expect(await emptyStore.keys(), "the store is untouched").to.deep.equal([]);
    });
  }

  it("a database holding data is refused without --yes (CLI exits 2, nothing changed); --yes replaces it and verifies", async () => {
    const name = databases[0] ?? "";
    const target = { ownerUrl: onDatabase(ownerUrl(), name), applicationUrl: onDatabase(applicationUrl(), name) };
    const documents = path.join(work, "restored-documents");
    const stray = new pg.Client({ connectionString: target.ownerUrl });
    await stray.connect();
    await stray.query("CREATE TABLE public.stray_marker (id integer); INSERT INTO public.stray_marker VALUES (1)");
    await stray.end();
    const before = await worldOf(target.ownerUrl);

    const refused = await runCli(["restore", backupDir], {
      DATABASE_URL: target.applicationUrl,
      MIGRATION_DATABASE_URL: target.ownerUrl,
      STORAGE_DIR: documents,
    });
    expect(refused.code, refused.stdout).to.equal(2);
    expect(refused.stderr).to.match(/is not empty .* nothing was changed: re-run with --yes/);
    expect(await worldOf(target.ownerUrl)).to.deep.equal(before);

    const events: ProgressEvent[] = [];
    const report = await restoreBackup({
      backupDir,
      ownerUrl: target.ownerUrl,
      store: createDocumentStore({ driver: "local", directory: documents }),
      replace: true,
      applicationUrl: async () => target.applicationUrl,
      progress: (event) => events.push(event),
    });
    expect(report.checks.filter((check) => !check.ok)).to.deep.equal([]);
    expect(report).to.deep.include({ ok: true, replaced: true, documentsWritten: 0 });
    expect(report.documentsAlreadyPresent).to.equal(manifest.documents.count);
    const replaced = await worldOf(target.ownerUrl);
    expect(replaced.tables).to.deep.equal(source.tables);
    expect(replaced.tables).not.to.have.property("public.stray_marker");
    expect(replaced.ledgerRows).to.deep.equal(source.ledgerRows);
    expect(replaced.auditHead).to.equal(source.auditHead);
    const tables = events.filter((event) => event.step === "tables restored");
    expect(tables.at(-1)).to.deep.equal({
      step: "tables restored",
      done: Object.keys(source.tables).length,
      total: Object.keys(source.tables).length,
    });
  });

  describe("with the S3 document store", () => {
    let s3: TestS3Server;
    const stores: S3Store[] = [];

    before(async () => {
      s3 = await startS3Server({ prefix: "documents/" });
    });

    after(async () => {
      for (const store of stores) store.destroy();
      await s3?.close();
    });

    it("backs up by listing the bucket's prefix and restores into another prefix, every object identical", async () => {
      const bucket = new S3Store(s3.config, { listPageSize: 5 });
      const restoredBucket = new S3Store({ ...s3.config, prefix: "restored/" });
      stores.push(bucket, restoredBucket);
      for (const key of Object.keys(sourceDocuments)) {
        await bucket.putFile(key, path.join(TEST_DOCUMENTS_DIRECTORY, key.slice(0, 2), key), "application/pdf");
      }
      const backup = await createBackup({ ownerUrl: ownerUrl(), store: bucket, parentDir: path.join(work, "s3") });
      expect(backup.problems).to.deep.equal([]);
      expect(backup.manifest.documents.driver).to.equal("s3");
      expect(Object.fromEntries(backup.manifest.documents.files.map((file) => [file.key, file.sha256]))).to.deep.equal(
        sourceDocuments,
      );

      const target = await freshDatabase();
      const events: ProgressEvent[] = [];
      const report = await restoreBackup({
        backupDir: backup.dir,
        ownerUrl: target.ownerUrl,
        store: restoredBucket,
        replace: false,
        applicationUrl: async () => target.applicationUrl,
        progress: (event) => events.push(event),
      });
      expect(report.checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(report.documentsWritten).to.equal(Object.keys(sourceDocuments).length);
      expect(await storeContents(restoredBucket)).to.deep.equal(sourceDocuments);
      expect(await storeContents(bucket), "the source prefix is left as it was").to.deep.equal(sourceDocuments);
      const documents = events.filter((event) => event.step === "documents restored");
      expect(documents.at(-1)).to.deep.include({ done: report.documentsWritten, total: report.documentsWritten });
      const restored = await worldOf(target.ownerUrl);
      expect(restored.tables).to.deep.equal(source.tables);
      expect(restored.ledgerRows).to.deep.equal(source.ledgerRows);
      expect(restored.auditHead).to.equal(source.auditHead);
    });
  });

  describe("with the embedded PostgreSQL (no DATABASE_URL)", () => {
    let embedded: EmbeddedDatabase | null = null;
    let dataDir = "";

    before(async () => {
      dataDir = path.join(work, "embedded-data");
      await mkdir(dataDir, { recursive: true });
      embedded = await startEmbeddedPostgres({
        clusterDir: path.join(dataDir, "postgres"),
        databaseName: EMBEDDED_DATABASE_NAME,
        persistent: true,
        logger: testLogger,
      });
      await migrateDatabase(embedded.url);
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      await client.query(
        `INSERT INTO audit_events (action, entity_type, position, previous_hash, hash)
         VALUES ('one', 'system', 0, '', ''), ('two', 'system', 0, '', '')`,
      );
      await client.end();
    });

    after(async () => {
      await embedded?.stop();
    });

    const pidOf = async () =>
      (await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0];

    it("backs up the cluster `npm start` runs (port from postmaster.pid) and leaves it running, refuses to restore under the app; stopped, starts and stops its own", async () => {
      const running = embedded;
      if (!running) throw new Error("no embedded server");
      const pid = await pidOf();
      const environment = {
        DATABASE_URL: undefined,
        MIGRATION_DATABASE_URL: undefined,
        DATA_DIR: dataDir,
        STORAGE_DIR: path.join(work, "embedded-documents"),
      };
      const first = await runCli(["backup", "--dir", path.join(work, "embedded-backups", "1")], environment);
      expect(first.code, `${first.stdout}\n${first.stderr}`).to.equal(0);
      expect(first.stdout).to.include(`running, port ${running.port}`);
      expect(await pidOf(), "the same server still runs").to.equal(pid);
      // The application, as `npm start` leaves it: connected.
      const client = new pg.Client({ connectionString: running.url, application_name: "moussanada-app" });
      await client.connect();
      try {
        const head = async () =>
          (await client.query<{ head: string }>("SELECT hash AS head FROM audit_events WHERE position = 2")).rows[0]
            ?.head;
        const firstDir = /Backup written to (.+)/.exec(first.stdout)?.[1]?.trim() ?? "";
        const firstManifest = await readManifest(firstDir);
        expect(firstManifest.database.audit).to.deep.equal({ events: 2, headPosition: "2", headHash: await head() });

        const restore = await runCli(["restore", firstDir, "--yes"], environment);
        expect(restore.code, restore.stdout).to.equal(2);
        expect(restore.stderr).to.match(/is in use \(moussanada-app × 1\): stop the application and the worker first/);
        expect(await head(), "nothing was changed").to.equal(firstManifest.database.audit.headHash);
      } finally {
        await client.end();
      }

      await running.stop();
      embedded = null;
      const second = await runCli(["backup", "--dir", path.join(work, "embedded-backups", "2")], environment);
      expect(second.code, `${second.stdout}\n${second.stderr}`).to.equal(0);
      expect(second.stdout).to.include("started for this command");
      const secondManifest = await readManifest(/Backup written to (.+)/.exec(second.stdout)?.[1]?.trim() ?? "");
      expect(secondManifest.database.audit.events).to.equal(2);
      expect(await pidOf(), "stopped again afterwards").to.equal("");
    });
  });

  describe("pg_dump / pg_restore versions", () => {
    const tool = (version: string, where = "/usr/bin/pg_dump"): PgTool => ({
      name: "pg_dump",
      path: where,
      version,
      major: Number(version.split(".")[0]),
    });
    const CASES: Array<{ installed: string[]; server: number; chosen?: string; refusal?: RegExp }> = [
      { installed: [], server: 15, refusal: /^pg_dump not found .*postgresql-client-15/ },
      {
        installed: ["15.18"],
        server: 16,
        refusal:
          /^pg_dump 15\.18 \(\/usr\/bin\/pg_dump\) is too old: .* needs pg_dump 16 or later; install postgresql-client-16/,
      },
      {
        installed: ["14.9"],
        server: 18,
        refusal: /pg_dump 14\.9 .* needs pg_dump 18 or later; install postgresql-client-18/,
      },
      { installed: ["15.18"], server: 15, chosen: "15.18" },
      { installed: ["17.2", "15.18"], server: 15, chosen: "17.2" },
      { installed: ["17.2", "16.4"], server: 16, chosen: "17.2" },
    ];
    for (const { installed, server, chosen, refusal } of CASES) {
      it(`installed [${installed.join(", ")}], server ${server} → ${chosen ?? "refused"}`, () => {
        const tools = installed.map((version) => tool(version));
        if (refusal) {
          expect(() => chooseTool(tools, "pg_dump", server, `dumping a PostgreSQL ${server} server`)).to.throw(refusal);
          return;
        }
        expect(chooseTool(tools, "pg_dump", server, "dumping").version).to.equal(chosen);
      });
    }

    const VERSIONS: Array<[string, { version: string; major: number } | null]> = [
      ["pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", { version: "15.18", major: 15 }],
      ["pg_restore (PostgreSQL) 17.2", { version: "17.2", major: 17 }],
      ["pg_dump (PostgreSQL) 18beta1", { version: "18", major: 18 }],
      ["16.4", { version: "16.4", major: 16 }],
      ["command not found", null],
    ];
    for (const [text, expected] of VERSIONS) {
      it(`reads ${JSON.stringify(text)} as ${JSON.stringify(expected)}`, () => {
        expect(parsePgVersion(text)).to.deep.equal(expected);
      });
    }

    it("searches PATH and /usr/lib/postgresql/*/bin, highest major first", async () => {
      const folder = path.join(work, "fake-bin");
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, "pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 99.1'\n", { mode: 0o755 });
      const found = await findPgTools("pg_dump", `${folder}${path.delimiter}${process.env.PATH ?? ""}`);
      expect(found[0]).to.deep.equal({
        name: "pg_dump",
        path: path.join(folder, "pg_dump"),
        version: "99.1",
        major: 99,
      });
      expect(found.slice(1).every((entry) => entry.major <= 99)).to.equal(true);
      expect(
        found.some((entry) => entry.major >= 15),
        "the PostgreSQL 15 client this suite dumps with",
      ).to.equal(true);
    });
  });
});
