import path from "node:path";
import { createBackup, type BackupResult } from "../backup/createBackup.js";
import { openDatabaseTarget } from "../backup/databaseTarget.js";
import { BackupError } from "../backup/pgTools.js";
import type { ProgressReporter } from "../backup/progress.js";
import { restoreBackup, type RestoreReport } from "../backup/restoreBackup.js";
import { loadConfig } from "../config/index.js";
import { createLogger } from "../logger.js";
import { createDocumentStore } from "../storage/documentStore.js";

const USAGE = `usage: npm run db:backup [-- --dir <folder>]          (default folder: backups)
       npm run db:restore -- <backup folder> [--yes]   (--yes replaces a database that holds data)`;

const EXIT_MISMATCH = 1;
const EXIT_REFUSED = 2;
const EXIT_USAGE = 64;

const out = (line: string) => process.stdout.write(`${line}\n`);

/** In place on a terminal; in a log, one line per tenth of the way, so a long copy shows life. */
function progressPrinter(): ProgressReporter & { end(): void } {
  const tty = process.stdout.isTTY === true;
  let open = false;
  let lastTenth = new Map<string, number>();
  const reporter = ({ step, done = 0, total = 0 }: { step: string; done?: number; total?: number }) => {
    const line = `  ${step} ${Math.min(done, total)}/${total}`;
    if (tty) {
      process.stdout.write(`\r${line}\u001b[K`);
      open = done < total;
      if (!open) process.stdout.write("\n");
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
    if (lastTenth.get(step) === tenth) return;
    lastTenth.set(step, tenth);
    if (done === 0 && total > 0) return;
    out(line);
  };
  return Object.assign(reporter, {
    end: () => {
      if (open) process.stdout.write("\n");
      open = false;
      lastTenth = new Map();
    },
  });
}

const progress = progressPrinter();

const shown = (dir: string) => {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") ? relative : dir;
};

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

function printBackup(result: BackupResult): void {
  const { database, documents } = result.manifest;
  const rows = Object.values(database.tables).reduce((total, count) => total + count, 0);
  out(`Backup written to ${shown(result.dir)}`);
  out(
    `  database   PostgreSQL ${database.serverVersion} (pg_dump ${database.pgDumpVersion}), ` +
      `${database.migrations.length} migrations, ${Object.keys(database.tables).length} tables, ${rows} rows, ` +
      `dump ${megabytes(database.dump.bytes)}`,
  );
  out(
    `  audit      ${database.audit.events} events, head #${database.audit.headPosition ?? "-"} ` +
      `${database.audit.headHash ?? "-"}`,
  );
  out(`  ledger     ${database.ledger.rows} rows, ${database.ledger.envelopes.length} envelopes`);
  out(`  documents  ${documents.count} files, ${megabytes(documents.totalBytes)} (${documents.driver} store)`);
  const deleted = documents.missing.filter((entry) => entry.reason === "deleted-after-dump").length;
  if (deleted > 0) out(`  note       ${deleted} document(s) deleted by the app during the backup (not needed)`);
  for (const problem of result.problems) out(`  PROBLEM    ${problem}`);
}

function printRestore(report: RestoreReport, backupDir: string): void {
  const { manifest } = report;
  out(
    `Restored ${backupDir} (made ${manifest.createdAt} by ${manifest.app.name} ${manifest.app.version}) ` +
      `into ${report.target}${report.replaced ? ", replacing its contents" : ""}`,
  );
  out(`  documents written ${report.documentsWritten}, already in the store ${report.documentsAlreadyPresent}`);
  for (const check of report.checks) out(`  ${check.ok ? "OK  " : "FAIL"}  ${check.name.padEnd(17)} ${check.detail}`);
  const failed = report.checks.filter((check) => !check.ok).length;
  out(report.ok ? "Restore verified." : `Restore done but ${failed} check(s) FAILED: do not start the app on it.`);
}

/** `backup [--dir <folder>]` or `restore <folder> [--yes]`; null when the arguments are not one of those. */
function parseArguments(
  command: string | undefined,
  args: string[],
): { command: "backup"; parentDir: string } | { command: "restore"; backupDir: string; replace: boolean } | null {
  if (command === "backup") {
    if (args.length === 0) return { command, parentDir: path.resolve("backups") };
    if (args.length === 2 && args[0] === "--dir" && args[1] && !args[1].startsWith("--")) {
      return { command, parentDir: path.resolve(args[1]) };
    }
    return null;
  }
  if (command !== "restore") return null;
  const folders = args.filter((arg) => !arg.startsWith("--"));
  const flags = args.filter((arg) => arg.startsWith("--"));
  if (folders.length !== 1 || flags.some((flag) => flag !== "--yes")) return null;
  return { command, backupDir: folders[0] ?? "", replace: flags.includes("--yes") };
}

async function main(command: string | undefined, args: string[]): Promise<number> {
  const parsed = parseArguments(command, args);
  if (!parsed) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_USAGE;
  }
  const config = loadConfig();
  const logger = createLogger({ ...config, logLevel: "warn" });
  const target = await openDatabaseTarget(config, logger, parsed.command);
  try {
    const store = createDocumentStore(config.storage);
    if (parsed.command === "backup") {
      out(`Backing up ${target.description} and the ${config.storage.driver} document store…`);
      const result = await createBackup({ ownerUrl: target.ownerUrl, store, parentDir: parsed.parentDir, progress });
      progress.end();
      printBackup(result);
      return result.problems.length === 0 ? 0 : EXIT_MISMATCH;
    }
    out(
      `Restoring ${shown(parsed.backupDir)} into ${target.description} and the ${config.storage.driver} document store…`,
    );
    const report = await restoreBackup({
      backupDir: parsed.backupDir,
      ownerUrl: target.ownerUrl,
      store,
      replace: parsed.replace,
      applicationUrl: () => target.applicationUrl(),
      progress,
    });
    progress.end();
    printRestore(report, shown(path.resolve(parsed.backupDir)));
    return report.ok ? 0 : EXIT_MISMATCH;
  } finally {
    await target.release();
  }
}

const [command, ...args] = process.argv.slice(2);
main(command, args).then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress.end();
    const name = command === "restore" ? "db:restore" : "db:backup";
    // Refusals and failed tools explain themselves; anything else is a bug worth its stack.
    const detail = error instanceof BackupError ? error.message : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`${name}: ${detail}\n`);
    process.exit(EXIT_REFUSED);
  },
);
