/**
 * Pieces shared by the HTTP benchmarks (bench/stats.ts, bench/app.ts): listening on a free port,
 * a cookie jar, signing in through the API as the web client does, and one autocannon run in its
 * own process (bench/load.ts).
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { LoadOptions, LoadResult } from "./load.js";

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(benchDir, "..");
export const resultsDir = path.join(benchDir, "results");

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A port nobody listens on right now (for a server started in another process). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

/** The cookie(s) a response sets, merged into `previous`, as a Cookie header. */
export function cookiesOf(response: Response, previous = ""): string {
  const jar = new Map(
    previous
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const),
  );
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";")[0] ?? "";
    jar.set(pair.slice(0, pair.indexOf("=")), pair);
  }
  return [...jar.values()].join("; ");
}

/** An anonymous session and its CSRF token (GET /auth/csrf), as the web client starts. */
export async function csrfSession(baseUrl: string): Promise<{ cookie: string; csrfToken: string }> {
  const csrf = await fetch(`${baseUrl}/api/v1/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return { cookie: cookiesOf(csrf), csrfToken };
}

/** Signs in as the web client does: CSRF token first, then the login. Returns the Cookie header. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const { cookie, csrfToken } = await csrfSession(baseUrl);
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken, cookie },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`POST /auth/login (${email}) answered ${login.status}: ${await login.text()}`);
  return cookiesOf(login, cookie);
}

/** autocannon in a child process (never on this process's event loop, where servers may run). */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(benchDir, "load.ts"), JSON.stringify(options)],
      { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`load.ts exited with ${code}`));
      else resolve(JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as LoadResult);
    });
  });
}

async function committedTransactions(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ count: string }>(
    "SELECT xact_commit AS count FROM pg_stat_database WHERE datname = current_database()",
  );
  return Number(rows[0]?.count ?? 0);
}

/**
 * The run, with how many statements each request cost the database: every statement outside an
 * explicit transaction commits one, so committed transactions per request count round trips.
 */
export async function withStatementCount(
  ownerUrl: string,
  work: () => Promise<LoadResult>,
): Promise<LoadResult & { statementsPerRequest: number }> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "moussanada-bench-counter" });
  await client.connect();
  try {
    await client.query("SELECT pg_stat_clear_snapshot()");
    const before = await committedTransactions(client);
    const result = await work();
    // Backends report their counters within a second of going idle.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await client.query("SELECT pg_stat_clear_snapshot()");
    const after = await committedTransactions(client);
    const requests = result.requests + result.warmupRequests;
    // Minus the two statements of this counter itself.
    return { ...result, statementsPerRequest: Math.round(((after - before - 2) / Math.max(1, requests)) * 10) / 10 };
  } finally {
    await client.end();
  }
}
