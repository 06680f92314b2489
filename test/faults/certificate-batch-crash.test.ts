import { spawn, type ChildProcess } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { QueryTypes } from "sequelize";
import { requestCertificateBatch } from "../../server/commands/certificates.js";
import { SYSTEM_ACTOR } from "../../server/commands/actor.js";
import { localDate } from "../../server/domain/calendar.js";
import { CertificateJob, TrainingSession } from "../../server/models/index.js";
import { createUser } from "../factories/users.js";
import { TEST_DOCUMENTS_DIRECTORY, useTestApp } from "../helpers/testApp.js";
import { testSequelize } from "../helpers/testDatabase.js";

const run = promisify(execFile);
const BATCH = 1_000;

/** A real worker process, as `npm run worker` starts it, on the test database and document folder. */
function startWorkerProcess(keyFile: string, publicUrl: string): ChildProcess {
  const ownerUrl = process.env.TEST_DATABASE_URL;
  const appUrl = process.env.TEST_APP_DATABASE_URL;
  if (!ownerUrl || !appUrl) throw new Error("the test database URLs are not set");
  const child = spawn(process.execPath, ["--import", "tsx", "server/workerMain.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: ownerUrl,
      STORAGE_DRIVER: "local",
      STORAGE_DIR: TEST_DOCUMENTS_DIRECTORY,
      CERTIFICATE_KEY_FILE: keyFile,
      CERTIFICATE_JOB_STALE_AFTER_MS: "1500",
      WORKER_CONCURRENCY: "2",
      WORKER_POLL_INTERVAL_MS: "100",
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`));
  return child;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

describe("certificate batch: a worker killed in the middle (SIGKILL) and another one taking over", function () {
  this.timeout(240_000);
  const context = useTestApp();
  let keyFolder: string;
  const workers: ChildProcess[] = [];

  before(async () => {
    keyFolder = await mkdtemp(path.join(os.tmpdir(), "moussanada-worker-key-"));
  });

  after(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await Promise.all(workers.map(exited));
    await rm(keyFolder, { recursive: true, force: true });
  });

  it(`ends with exactly ${BATCH} certificates, numbered without gap or duplicate, every PDF complete`, async () => {
    const { clock } = context();
    const sequelize = testSequelize();
    const trainer = await createUser({ role: "trainer" });
    // The session took place yesterday; a thousand managers attended and passed.
    const session = await TrainingSession.create({
      title: "Initiation au numérique — promotion nationale",
      city: "Rabat",
      venue: "Palais des congrès",
      onlineUrl: null,
      startsAt: new Date(clock.now().getTime() - 30 * 60 * 60 * 1000),
      endsAt: new Date(clock.now().getTime() - 22 * 60 * 60 * 1000),
      capacity: BATCH,
      trainerId: trainer.id,
      createdBy: trainer.id,
    });
    await sequelize.query(
      `INSERT INTO enrolments (session_id, holder_name, holder_email, enrolled_by, status, attended, score)
       SELECT :sessionId, 'Dirigeant ' || n, 'dirigeant' || n || '@pme.ma', :trainerId, 'passed', true, 70 + n % 31
       FROM generate_series(1, :count) AS n`,
      { replacements: { sessionId: session.id, trainerId: trainer.id, count: BATCH } },
    );
    const job = await requestCertificateBatch(
      { sequelize, clock, publicUrl: "http://localhost:3000" },
      session.id,
      trainer,
      SYSTEM_ACTOR,
    );
    expect(job.total).to.equal(BATCH);

    const keyFile = path.join(keyFolder, "signing.pem");
    await writeFile(
      keyFile,
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      { mode: 0o600 },
    );
    const progress = async () => {
      await job.reload();
      return job;
    };

    const first = startWorkerProcess(keyFile, "http://localhost:3000");
    workers.push(first);
    const doneAtKill = await waitFor(
      "the first worker to be well into the batch",
      async () => ((await progress()).done >= 150 ? job.done : null),
      120_000,
    );
    first.kill("SIGKILL");
    await exited(first);
    await progress();
    expect(job.status, "the killed worker's batch is still marked running").to.equal("running");
    expect(job.done).to.be.within(doneAtKill, BATCH - 1);

    const second = startWorkerProcess(keyFile, "http://localhost:3000");
    workers.push(second);
    await waitFor(
      "the second worker to finish the batch",
      async () => {
        const current = await progress();
        if (current.status === "failed") throw new Error(`the batch failed: ${current.error ?? ""}`);
        return current.status === "succeeded" ? current : null;
      },
      180_000,
    );
    second.kill("SIGTERM");
    await exited(second);

    expect(job.done).to.equal(BATCH);
    expect(job.total).to.equal(BATCH);

    const certificates = await sequelize.query<{
      number: string;
      pdf_key: string | null;
      pdf_sha256: string | null;
      pdf_size: number | null;
      enrolment_id: string;
    }>("SELECT number, pdf_key, pdf_sha256, pdf_size, enrolment_id FROM certificates ORDER BY number", {
      type: QueryTypes.SELECT,
    });
    expect(certificates).to.have.length(BATCH);
    // The worker process runs on the real clock.
    const year = localDate(new Date()).slice(0, 4);
    expect(certificates.map((certificate) => certificate.number)).to.deep.equal(
      Array.from({ length: BATCH }, (_, index) => `PN-${year}-${String(index + 1).padStart(6, "0")}`),
    );
    expect(new Set(certificates.map((certificate) => certificate.enrolment_id)).size).to.equal(BATCH);

    // Every recorded PDF is the complete file that was rendered: same size, same SHA-256, and it
    // ends with the PDF trailer.
    for (const certificate of certificates) {
      expect(certificate.pdf_key, certificate.number).to.be.a("string");
      const key = certificate.pdf_key ?? "";
      const bytes = await readFile(path.join(TEST_DOCUMENTS_DIRECTORY, key.slice(0, 2), key));
      expect(bytes.length, certificate.number).to.equal(certificate.pdf_size);
      expect(createHash("sha256").update(bytes).digest("hex"), certificate.number).to.equal(certificate.pdf_sha256);
      expect(bytes.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
      expect(bytes.subarray(-16).toString("latin1")).to.contain("%%EOF");
    }
    // A structural check by qpdf on the certificates around the kill and a sample of the others.
    const around = Math.min(Math.max(doneAtKill - 5, 0), BATCH - 20);
    const sample = [...certificates.slice(around, around + 20), ...certificates.filter((_, index) => index % 97 === 0)];
    for (const certificate of sample) {
      const key = certificate.pdf_key ?? "";
      await run("qpdf", ["--check", path.join(TEST_DOCUMENTS_DIRECTORY, key.slice(0, 2), key)]);
    }

    // One e-mail per certificate, whatever happened in between.
    const [mails] = await sequelize.query<{ count: string }>(
      "SELECT count(*) AS count FROM outbox_messages WHERE template = 'certificate-issued'",
      { type: QueryTypes.SELECT },
    );
    expect(Number(mails?.count)).to.equal(BATCH);

    // Nothing half-written sits under a final name: the store's only other files are its own
    // dot-prefixed temporaries or complete PDFs nobody references (rendered, never recorded).
    const referenced = new Set(certificates.map((certificate) => certificate.pdf_key));
    for (const shard of await readdir(TEST_DOCUMENTS_DIRECTORY)) {
      for (const name of await readdir(path.join(TEST_DOCUMENTS_DIRECTORY, shard)).catch(() => [])) {
        if (name.startsWith(".") || referenced.has(name)) continue;
        const bytes = await readFile(path.join(TEST_DOCUMENTS_DIRECTORY, shard, name));
        if (bytes.subarray(0, 5).toString("latin1") !== "%PDF-") continue;
        expect(bytes.subarray(-16).toString("latin1"), `orphan ${name}`).to.contain("%%EOF");
      }
    }
    expect(await CertificateJob.count({ where: { status: ["queued", "running"] } })).to.equal(0);
  });
});
