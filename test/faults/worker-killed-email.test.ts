import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Runner } from "graphile-worker";
import { QueryTypes } from "sequelize";
import { findFreePort } from "../../server/db/embeddedPostgres.js";
import { queueEmail } from "../../server/mail/outbox.js";
import { OutboxMessage } from "../../server/models/index.js";
import { systemClock } from "../../server/domain/calendar.js";
import { smtpTransport } from "../../server/mail/transport.js";
import { workerContext } from "../../server/services/container.js";
import { createDocumentStore } from "../../server/storage/documentStore.js";
import { startWorker } from "../../server/worker.js";
import { TEST_DOCUMENTS_DIRECTORY, TEST_SIGNER, testConfig, useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, testLogger, testSequelize } from "../helpers/testDatabase.js";
import {
  duplicatesOf,
  exited,
  sleep,
  startProductProcess,
  startSlowSmtpServer,
  waitFor,
  type SlowSmtpServer,
} from "./faultHelpers.js";

const MAILS = 24;
const CONCURRENCY = 2;
/** The relay answers 250 this long after the final dot: the kill lands inside that window. */
const ACCEPT_DELAY_MS = 400;
const KILL_AT_MESSAGE = 8;
/** Both workers' stale delay: a worker silent this long is dead and its jobs go back to the queue. */
const STALE_AFTER_MS = 3_000;
const PUBLIC_URL = "http://localhost:3000";
const FROM = "Moussanada <no-reply@moussanada.ma>";

interface LockedJob {
  messageId: string;
  lockedBy: string;
  /** Until graphile-worker hands the job to another worker (its locks last 4 hours). */
  secondsUntilReleased: number;
}

async function lockedEmailJobs(): Promise<LockedJob[]> {
  return ownerSequelize().query<LockedJob>(
    `SELECT j.payload ->> 'messageId' AS "messageId", j.locked_by AS "lockedBy",
            extract(epoch FROM j.locked_at + interval '4 hours' - now())::float AS "secondsUntilReleased"
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'send_email' AND j.locked_at IS NOT NULL`,
    { type: QueryTypes.SELECT },
  );
}

describe("e-mail delivery: a worker killed (SIGKILL) while sending, and another one taking over", function () {
  this.timeout(180_000);
  useTestApp();
  let keyFolder = "";
  let smtp: SlowSmtpServer | null = null;
  const workers: ChildProcess[] = [];
  let second: Runner | null = null;

  before(async () => {
    keyFolder = await mkdtemp(path.join(os.tmpdir(), "moussanada-worker-key-"));
  });

  after(async () => {
    await second?.stop();
    for (const worker of workers) worker.kill("SIGKILL");
    await Promise.all(workers.map(exited));
    await smtp?.stop();
    await rm(keyFolder, { recursive: true, force: true });
  });

  function startWorkerProcess(port: number): ChildProcess {
    const ownerUrl = process.env.TEST_DATABASE_URL;
    const appUrl = process.env.TEST_APP_DATABASE_URL;
    if (!ownerUrl || !appUrl) throw new Error("the test database URLs are not set");
    const worker = startProductProcess(
      "server/workerMain.ts",
      {
        NODE_ENV: "test",
        DATABASE_URL: appUrl,
        MIGRATION_DATABASE_URL: ownerUrl,
        SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
        STORAGE_DRIVER: "local",
        STORAGE_DIR: TEST_DOCUMENTS_DIRECTORY,
        CERTIFICATE_KEY_FILE: path.join(keyFolder, "signing.pem"),
        WORKER_CONCURRENCY: String(CONCURRENCY),
        WORKER_POLL_INTERVAL_MS: "100",
        CERTIFICATE_JOB_STALE_AFTER_MS: String(STALE_AFTER_MS),
        PUBLIC_URL,
        LOG_LEVEL: "error",
      },
      "worker",
    );
    workers.push(worker);
    return worker;
  }

  it("delivers every e-mail at least once; only the ones in flight at the kill twice", async () => {
    const port = await findFreePort();
    smtp = await startSlowSmtpServer(port, ACCEPT_DELAY_MS);
    const queued = await testSequelize().transaction(async (transaction) => {
      const messages: OutboxMessage[] = [];
      for (let index = 1; index <= MAILS; index += 1) {
        messages.push(
          await queueEmail(transaction, {
            to: `dirigeant${index}@pme.ma`,
            template: "verify-email",
            locale: index % 2 === 0 ? "ar" : "fr",
            data: { fullName: `Dirigeant ${index}`, verifyUrl: `${PUBLIC_URL}/verifier-email?token=t${index}` },
          }),
        );
      }
      return messages;
    });
    const expectedIds = queued.map((message) => `<${message.id}@localhost>`).sort();

    // The first worker is killed the moment the relay holds a complete message it has not yet
    // acknowledged: the worker dies without knowing that mail left.
    const first = startWorkerProcess(port);
    smtp.onMessage = (mail) => {
      if (smtp?.accepted.length === KILL_AT_MESSAGE) {
        first.kill("SIGKILL");
        expect(mail.messageId).to.be.a("string");
      }
    };
    await exited(first);
    smtp.onMessage = null;
    const killedAt = Date.now();
    const acceptedBeforeKill = smtp.accepted.length;
    expect(acceptedBeforeKill, "accepted when the worker died").to.be.within(
      KILL_AT_MESSAGE,
      KILL_AT_MESSAGE + CONCURRENCY,
    );
    // PostgreSQL notices the dead connections and rolls their transactions back; the queue does not.
    const heldByDeadWorker = await lockedEmailJobs();
    const sentAtKill = await OutboxMessage.count({ where: { status: "sent" } });
    expect(heldByDeadWorker.length, "jobs the dead worker held").to.be.within(1, CONCURRENCY);

    // The new worker runs in this process (graphile-worker's real runner, as `npm run worker` runs
    // it): starting a second child process would only add its start-up time.
    const transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
    const config = testConfig({ publicUrl: PUBLIC_URL });
    second = await startWorker({
      connectionString: process.env.TEST_DATABASE_URL ?? "",
      concurrency: CONCURRENCY,
      pollIntervalMs: 100,
      staleJobAfterMs: STALE_AFTER_MS,
      ...workerContext({
        config,
        logger: testLogger,
        clock: systemClock,
        sequelize: testSequelize(),
        transport,
        documentStore: createDocumentStore(config.storage),
        signer: TEST_SIGNER,
      }),
      logger: testLogger,
    });
    const heldIds = new Set(heldByDeadWorker.map((job) => job.messageId));
    await waitFor(
      "the second worker to send every mail the dead one did not hold",
      async () => {
        const pending = await OutboxMessage.findAll({ where: { status: "pending" }, attributes: ["id"] });
        return pending.every((message) => heldIds.has(message.id)) ? true : null;
      },
      90_000,
    );
    const othersDoneInMs = Date.now() - killedAt;
    const othersSent = (await OutboxMessage.count({ where: { status: "sent" } })) - sentAtKill;
    // The dead worker's beat stops: once it is older than the stale delay, the second worker's
    // sweep hands its jobs back to the queue (graphile-worker alone would wait 4 hours).
    await waitFor(
      "every mail to be sent, the dead worker's included",
      async () => ((await OutboxMessage.count({ where: { status: "sent" } })) === MAILS ? true : null),
      60_000,
    );
    const allDoneInMs = Date.now() - killedAt;
    expect(await lockedEmailJobs(), "no e-mail job left locked").to.deep.equal([]);
    await sleep(1_000);
    await second.stop();
    second = null;
    transport.close();

    const received = smtp.accepted.map((mail) => mail.messageId);
    expect([...new Set(received)].sort(), "every mail reached the relay").to.deep.equal(expectedIds);
    const duplicates = duplicatesOf(received);
    // Only a mail the relay had accepted when its worker died can leave twice.
    expect(duplicates.size, "mails sent twice").to.be.at.most(CONCURRENCY);
    for (const [messageId, count] of duplicates) {
      expect(count, messageId).to.equal(2);
      const firstCopy = smtp.accepted.findIndex((mail) => mail.messageId === messageId);
      expect(firstCopy, `${messageId} was first accepted before the kill`).to.be.below(acceptedBeforeKill);
    }
    for (const mail of smtp.accepted) expect(mail.recipients).to.have.length(1);
    process.stdout.write(
      `      worker killed after ${acceptedBeforeKill} of ${MAILS} mails reached the relay ` +
        `(${sentAtKill} marked sent); the second worker sent the ${othersSent} it could take within ` +
        `${othersDoneInMs} ms and the ${heldByDeadWorker.length} the dead worker held within ${allDoneInMs} ms ` +
        `(stale delay ${STALE_AFTER_MS} ms); ${duplicates.size} mail(s) sent twice\n`,
    );
  });
});
