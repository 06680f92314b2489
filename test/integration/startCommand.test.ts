import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { findFreePort } from "../../server/db/embeddedPostgres.js";

/** Command lines of the running processes that mention `needle` (Linux /proc). */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (commandLine.includes(needle)) found.push(`${entry}: ${commandLine}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; output:\n${output}`));
    });
  });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

describe("npm start (scripts/run.mjs start)", function () {
  this.timeout(180_000);
  let dataDir = "";
  let port = 0;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "moussanada-start-"));
    await chmod(dataDir, 0o755);
    port = await findFreePort();
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function environmentFor(): NodeJS.ProcessEnv {
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    };
    delete environment.DATABASE_URL;
    delete environment.MIGRATION_DATABASE_URL;
    return environment;
  }

  function start(): ChildProcess {
    return spawn(process.execPath, ["scripts/run.mjs", "start"], {
      cwd: process.cwd(),
      env: environmentFor(),
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  it("serves the client and /readyz, survives a restart, and leaves no PostgreSQL behind after SIGINT", async () => {
    for (const round of ["first start", "second start"]) {
      const child = start();
      let everything = "";
      child.stdout?.on("data", (chunk: Buffer) => (everything += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (everything += chunk.toString()));
      const output = await waitForOutput(child, /Moussanada Numérique is running/, 150_000);
      expect(output, round).to.include(`http://localhost:${port}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status, round).to.equal(200);
      const home = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" } });
      expect(home.status, round).to.equal(200);
      expect(await home.text(), round).to.include('<div id="root">');
      expect(processesMentioning(path.join(dataDir, "postgres")), round).to.have.length.greaterThan(0);

      if (round === "second start") {
        // A chore from another terminal (npm run db:seed) uses the running database, never stops it.
        const chore = spawn(process.execPath, ["--import", "tsx", "server/cli/db.ts", "seed"], {
          cwd: process.cwd(),
          env: { ...environmentFor(), LOG_LEVEL: "warn" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let choreOutput = "";
        chore.stdout?.on("data", (chunk: Buffer) => (choreOutput += chunk.toString()));
        chore.stderr?.on("data", (chunk: Buffer) => (choreOutput += chunk.toString()));
        expect(await waitForExit(chore), `db:seed beside npm start: ${choreOutput}`).to.equal(0);
        expect(choreOutput).to.include("Seeded reference data");
        const stillReady = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(stillReady.status, "the app's database after db:seed").to.equal(200);
      }

      child.kill("SIGINT");
      expect(await waitForExit(child), `${round}, output:\n${everything}`).to.equal(0);
      expect(processesMentioning(path.join(dataDir, "postgres")), round).to.deep.equal([]);
    }
  });
});
