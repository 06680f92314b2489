import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type PgToolName = "pg_dump" | "pg_restore";

export interface PgTool {
  name: PgToolName;
  path: string;
  /** "15.18" */
  version: string;
  major: number;
}

/** A problem the operator fixes (missing client, wrong version, refused target): no stack trace. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → "15.18"; "16beta2" → "16". */
export function parsePgVersion(text: string): { version: string; major: number } | null {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(text) ?? /^(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!match) return null;
  const major = Number(match[1]);
  return { version: match[2] === undefined ? String(major) : `${major}.${match[2]}`, major };
}

/** Where PostgreSQL clients live besides PATH: Debian/Ubuntu keep one folder per major, RHEL too. */
const VERSIONED_ROOTS = [
  { root: "/usr/lib/postgresql", bin: (entry: string) => path.join("/usr/lib/postgresql", entry, "bin") },
  { root: "/usr", bin: (entry: string) => (entry.startsWith("pgsql-") ? path.join("/usr", entry, "bin") : null) },
];

async function candidatePaths(name: PgToolName, searchPath: string): Promise<string[]> {
  const folders = searchPath.split(path.delimiter).filter((folder) => folder !== "");
  for (const { root, bin } of VERSIONED_ROOTS) {
    const entries = await fs.readdir(root).catch(() => [] as string[]);
    for (const entry of entries.sort()) {
      const folder = bin(entry);
      if (folder) folders.push(folder);
    }
  }
  const seen = new Set<string>();
  const found: string[] = [];
  for (const folder of folders) {
    const file = path.join(folder, name);
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    found.push(file);
  }
  return found;
}

/**
 * Every `name` on this machine (PATH first, then /usr/lib/postgresql/<major>/bin and
 * /usr/pgsql-<major>/bin) with its version, highest major first; PATH wins a tie.
 */
export async function findPgTools(name: PgToolName, searchPath = process.env.PATH ?? ""): Promise<PgTool[]> {
  const tools: PgTool[] = [];
  for (const file of await candidatePaths(name, searchPath)) {
    try {
      const { stdout } = await run(file, ["--version"], { timeout: 10_000 });
      const parsed = parsePgVersion(stdout);
      if (parsed) tools.push({ name, path: file, ...parsed });
    } catch {
      // Not executable, or a wrapper with no cluster to pick a version from: not usable.
    }
  }
  // Array.prototype.sort is stable: among equal majors the PATH order is kept.
  return tools.sort((a, b) => b.major - a.major);
}

const INSTALL_HINT = (major: number) =>
  `install postgresql-client-${major} (Debian/Ubuntu: apt-get install postgresql-client-${major}, ` +
  `from apt.postgresql.org when your release does not carry it) or put a ${major}+ client first in PATH`;

/**
 * pg_dump must be at least as new as the server it dumps; pg_restore must read what that pg_dump
 * wrote. Picks the highest installed tool and says exactly what to install when it is too old.
 */
export function chooseTool(tools: PgTool[], name: PgToolName, requiredMajor: number, why: string): PgTool {
  const best = tools[0];
  if (!best) {
    throw new BackupError(
      `${name} not found (looked in PATH and /usr/lib/postgresql/*/bin): ${INSTALL_HINT(requiredMajor)}.`,
    );
  }
  if (best.major < requiredMajor) {
    throw new BackupError(
      `${name} ${best.version} (${best.path}) is too old: ${why} needs ${name} ${requiredMajor} or later; ` +
        `${INSTALL_HINT(requiredMajor)}.`,
    );
  }
  return best;
}

export async function requireTool(name: PgToolName, requiredMajor: number, why: string): Promise<PgTool> {
  return chooseTool(await findPgTools(name), name, requiredMajor, why);
}

/**
 * libpq arguments for a connection URL, the password moved to PGPASSWORD: a command line is
 * visible to every user of the machine (ps), the environment of a process is not.
 */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  else delete env.PGPASSWORD;
  return { dbname: parsed.toString(), env };
}

/** host:port/database of a URL, for messages (never the credentials). */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
}

/**
 * Runs a pg_dump/pg_restore, handing each line of its stderr to `onLine` (their --verbose output is
 * the progress we show) and keeping the last lines for the error message.
 */
export function runPgTool(
  tool: PgTool,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void = () => undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    const tail: string[] = [];
    let pending = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        onLine(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (pending) tail.push(pending);
      if (code === 0) {
        resolve();
        return;
      }
      const errors = tail.filter((line) => !/: (processing|creating|dumping|reading|saving|executing) /.test(line));
      reject(
        new BackupError(
          `${tool.name} failed (${signal ?? `exit ${code}`}):\n  ${(errors.length ? errors : tail).join("\n  ")}`,
        ),
      );
    });
  });
}
