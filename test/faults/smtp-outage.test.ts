import { expect } from "chai";
import type { Runner } from "graphile-worker";
import { QueryTypes } from "sequelize";
import { findFreePort } from "../../server/db/embeddedPostgres.js";
import { smtpTransport, type MailTransport } from "../../server/mail/transport.js";
import { OutboxMessage } from "../../server/models/index.js";
import { workerContext } from "../../server/services/container.js";
import { createDocumentStore } from "../../server/storage/documentStore.js";
import { startWorker } from "../../server/worker.js";
import { createUser, uniqueEmail } from "../factories/users.js";
import { anonymousSession, API, attemptRegistration, clearRateLimits } from "../helpers/auth.js";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.js";
import { TEST_SIGNER, testConfig, useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, testLogger, testSequelize } from "../helpers/testDatabase.js";
import { duplicatesOf, sleep, waitFor } from "./faultHelpers.js";

const PASSWORD = "Msemen au miel du matin";
const FROM = "Moussanada <no-reply@moussanada.ma>";
/** Two instances, as two machines running `npm run worker` would be. */
const WORKER_INSTANCES = 2;

interface EmailJob {
  messageId: string;
  attempts: number;
  lastError: string | null;
}

async function emailJobs(): Promise<EmailJob[]> {
  return ownerSequelize().query<EmailJob>(
    `SELECT j.payload ->> 'messageId' AS "messageId", j.attempts, j.last_error AS "lastError"
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'send_email'`,
    { type: QueryTypes.SELECT },
  );
}

describe("SMTP relay down, then back: every e-mail of the real flows delivered exactly once", function () {
  this.timeout(120_000);
  const context = useTestApp();
  const runners: Runner[] = [];
  const transports: MailTransport[] = [];
  let server: TestSmtpServer | null = null;

  before(clearRateLimits);

  after(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    for (const transport of transports) transport.close();
    await server?.stop();
  });

  it("keeps the mails queued and retried while the relay refuses connections, then sends each once", async () => {
    const { app, clock } = context();
    const port = await findFreePort();
    // Real graphile-worker runners in this process, each with its own SMTP transport.
    for (let instance = 0; instance < WORKER_INSTANCES; instance += 1) {
      const transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
      transports.push(transport);
      const config = testConfig();
      runners.push(
        await startWorker({
          connectionString: process.env.TEST_DATABASE_URL ?? "",
          concurrency: 2,
          pollIntervalMs: 100,
          staleJobAfterMs: config.certificates.staleJobAfterMs,
          ...workerContext({
            config,
            logger: testLogger,
            clock,
            sequelize: testSequelize(),
            transport,
            documentStore: createDocumentStore(config.storage),
            signer: TEST_SIGNER,
          }),
          logger: testLogger,
        }),
      );
    }

    // The flows that mail: three registrations (fr, fr, ar), a registration with an address that
    // already has an account, and a password reset (its mail is written by the worker itself).
    const [amina, badr, chaima] = [uniqueEmail("panne-a"), uniqueEmail("panne-b"), uniqueEmail("panne-c")];
    const registrations: Array<[string, "fr" | "ar", string]> = [
      [amina, "fr", "Amina Tazi"],
      [badr, "fr", "Badr Alami"],
      [chaima, "ar", "شيماء العلوي"],
      [amina, "fr", "Amina Tazi"],
    ];
    for (const [email, locale, fullName] of registrations) {
      const response = await attemptRegistration(app, {
        email,
        password: PASSWORD,
        fullName,
        role: "applicant",
        locale,
      });
      expect(response.status, response.text).to.equal(201);
    }
    const dounia = await createUser({ fullName: "Dounia Chraibi" });
    const anonymous = await anonymousSession(app);
    const reset = await anonymous.agent
      .post(`${API}/auth/password-reset`)
      .set("X-CSRF-Token", anonymous.csrfToken)
      .send({ email: dounia.email });
    expect(reset.status, reset.text).to.equal(202);
    const expected = [
      `${amina} verify-email`,
      `${badr} verify-email`,
      `${chaima} verify-email`,
      `${amina} account-exists`,
      `${dounia.email} password-reset`,
    ].sort();

    // The relay is down: every message is tried, fails, and is tried again — none is lost or sent.
    const retried = await waitFor(
      "every message to have failed twice",
      async () => {
        const messages = await OutboxMessage.findAll();
        if (messages.length < expected.length) return null;
        return messages.every((message) => message.attempts >= 2) ? messages : null;
      },
      60_000,
    );
    expect(retried.map((message) => `${message.recipient} ${message.template}`).sort()).to.deep.equal(expected);
    for (const message of retried) {
      expect(message.status, message.recipient).to.equal("pending");
      expect(message.sentAt, message.recipient).to.equal(null);
      expect(message.lastError, message.recipient).to.match(/ECONNREFUSED/);
    }
    const pendingJobs = await emailJobs();
    expect(pendingJobs.map((job) => job.messageId).sort()).to.deep.equal(retried.map((message) => message.id).sort());
    for (const job of pendingJobs) expect(job.lastError).to.match(/ECONNREFUSED/);

    // Back on the same port. A second job per message, and every retry due at once, so both
    // instances race for the same messages.
    server = await startSmtpServer(port);
    await ownerSequelize().query(
      `SELECT graphile_worker.add_job('send_email', json_build_object('messageId', CAST(id AS text)))
         FROM outbox_messages`,
    );
    await ownerSequelize().query(
      `UPDATE graphile_worker._private_jobs SET run_at = now()
        WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'send_email')`,
    );
    await waitFor(
      "every message to be sent and every job to be done",
      async () => {
        const sent = await OutboxMessage.count({ where: { status: "sent" } });
        return sent === expected.length && (await emailJobs()).length === 0 ? true : null;
      },
      60_000,
    );
    // A late duplicate would arrive within the poll interval; wait several.
    await sleep(1_000);

    const received = server.received;
    const messageIds = received.map((mail) => mail.parsed.messageId ?? "");
    expect([...duplicatesOf(messageIds)], "messages received twice").to.deep.equal([]);
    expect(messageIds.sort()).to.deep.equal(retried.map((message) => `<${message.id}@localhost>`).sort());
    const byId = new Map(retried.map((message) => [`<${message.id}@localhost>`, message]));
    for (const mail of received) {
      const message = byId.get(mail.parsed.messageId ?? "");
      expect(mail.envelopeTo, mail.parsed.messageId).to.deep.equal([message?.recipient]);
    }
    for (const message of await OutboxMessage.findAll()) {
      expect(message.sentAt, message.recipient).to.be.an.instanceOf(Date);
      expect(message.lastError, message.recipient).to.equal(null);
    }
  });
});
