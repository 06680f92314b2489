import { spawn, type ChildProcess } from "node:child_process";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** Shared by the fault tests: processes of the real product, polling, and a slow SMTP server. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 100 ms until it returns something other than null. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * `node --import tsx <entry>` from the project root, as `npm start` / `npm run worker` run it, with
 * `env` added to this process's environment. Its stderr is echoed with the pid, so a crash shows.
 */
export function startProductProcess(entry: string, env: NodeJS.ProcessEnv, label: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[${label} ${child.pid}] ${chunk.toString()}`));
  return child;
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (!isRunning(child)) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export interface AcceptedMail {
  messageId: string;
  recipients: string[];
  subject: string;
  /** Milliseconds since the server started. */
  at: number;
}

export interface SlowSmtpServer {
  port: number;
  /** Every message the server accepted (answered 250 or was about to), duplicates included. */
  accepted: AcceptedMail[];
  /** Messages whose DATA is being received or held before the 250. */
  inFlight(): number;
  /** Called with each message once its DATA has fully arrived, before the delayed 250. */
  onMessage: ((mail: AcceptedMail) => void) | null;
  stop(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that takes `acceptDelayMs` to answer 250 after the final dot,
 * as a relay writing its queue to disk would. A message counts as accepted as soon as its data is
 * complete: a real relay has queued it by then, even if the sender dies before reading the 250.
 */
export async function startSlowSmtpServer(port: number, acceptDelayMs: number): Promise<SlowSmtpServer> {
  const started = Date.now();
  let inFlight = 0;
  const handle: SlowSmtpServer = {
    port,
    accepted: [],
    inFlight: () => inFlight,
    onMessage: null,
    stop: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      inFlight += 1;
      simpleParser(stream)
        .then(async (parsed) => {
          const mail: AcceptedMail = {
            messageId: parsed.messageId ?? "",
            recipients: session.envelope.rcptTo.map((address) => address.address),
            subject: parsed.subject ?? "",
            at: Date.now() - started,
          };
          handle.accepted.push(mail);
          handle.onMessage?.(mail);
          await sleep(acceptDelayMs);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
        .finally(() => (inFlight -= 1));
    },
  });
  // A client killed mid-session resets its socket: not the server's failure.
  server.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  handle.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return handle;
}

/** How many times each key occurs, for the keys occurring more than once. */
export function duplicatesOf(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}

/** A browser-like HTTP client on a real listening server: cookies kept, CSRF token sent. */
export class HttpSession {
  private readonly cookies = new Map<string, string>();
  csrfToken = "";

  constructor(
    private readonly baseUrl: string,
    /** A request still unanswered after this long counts as hung. */
    private readonly timeoutMs: number,
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    if (method !== "GET") headers["x-csrf-token"] = this.csrfToken;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const separator = pair.indexOf("=");
      if (separator > 0) this.cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    return response;
  }

  async signIn(email: string, password: string): Promise<void> {
    const csrf = await this.request("GET", "/api/v1/auth/csrf");
    if (csrf.status !== 200) throw new Error(`GET /auth/csrf answered ${csrf.status}: ${await csrf.text()}`);
    this.csrfToken = ((await csrf.json()) as { csrfToken: string }).csrfToken;
    const login = await this.request("POST", "/api/v1/auth/login", { email, password });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
    this.csrfToken = ((await login.json()) as { csrfToken: string }).csrfToken;
  }
}
