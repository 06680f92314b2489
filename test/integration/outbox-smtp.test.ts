import { expect } from "chai";
import { QueryTypes } from "sequelize";
import { loadConfig } from "../../server/config/index.js";
import { findFreePort } from "../../server/db/embeddedPostgres.js";
import { smtpTransport, type MailTransport } from "../../server/mail/transport.js";
import { createMailTransport } from "../../server/services/container.js";
import { OutboxMessage } from "../../server/models/index.js";
import { uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  attemptRegistration,
  clearRateLimits,
  countRows,
  type UserBody,
} from "../helpers/auth.js";
import { deliverQueuedEmails } from "../helpers/mail.js";
import { addressesOf, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize } from "../helpers/testDatabase.js";

const PASSWORD = "Msemen au miel du matin";
const FROM = "Moussanada <no-reply@moussanada.ma>";

interface JobRow {
  id: string;
  attempts: number;
  last_error: string | null;
  due_in_seconds: number;
  message_id: string;
}

/** graphile-worker 0.17 keeps its jobs in graphile_worker._private_jobs (the `jobs` view reads it). */
async function emailJobs(): Promise<JobRow[]> {
  return ownerSequelize().query<JobRow>(
    `SELECT j.id::text AS id, j.attempts, j.last_error, extract(epoch FROM j.run_at - now())::float AS due_in_seconds,
            j.payload ->> 'messageId' AS message_id
       FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'send_email'
      ORDER BY j.id`,
    { type: QueryTypes.SELECT },
  );
}

describe("e-mail over real SMTP (outbox → graphile-worker → nodemailer → smtp-server)", () => {
  const context = useTestApp();
  let transport: MailTransport | null = null;
  let server: TestSmtpServer | null = null;

  beforeEach(clearRateLimits);

  afterEach(async () => {
    transport?.close();
    transport = null;
    await server?.stop();
    server = null;
  });

  async function register(email: string, locale: "fr" | "ar" = "fr", fullName = "Samira Bennis") {
    const response = await attemptRegistration(context().app, {
      email,
      password: PASSWORD,
      fullName,
      role: "applicant",
      locale,
    });
    expect(response.status, response.text).to.equal(201);
  }

  it("uses the schema the tests rely on (graphile_worker._private_jobs, _private_tasks)", async () => {
    const tables = await ownerSequelize().query<{ name: string }>(
      "SELECT CAST(table_name AS text) AS name FROM information_schema.tables WHERE table_schema = 'graphile_worker'",
      { type: QueryTypes.SELECT },
    );
    expect(tables.map((table) => table.name)).to.include.members(["_private_jobs", "_private_tasks"]);
  });

  it("delivers the verification mail to an SMTP server; its link verifies the address", async () => {
    const port = await findFreePort();
    server = await startSmtpServer(port);
    transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
    const email = uniqueEmail("smtp");
    await register(email);
    const message = await OutboxMessage.findOne({ where: { recipient: email } });
    if (!message) throw new Error("no outbox row");

    await deliverQueuedEmails(transport);

    expect(server.received).to.have.length(1);
    const [mail] = server.received;
    expect(mail?.envelopeFrom).to.equal("no-reply@moussanada.ma");
    expect(mail?.envelopeTo).to.deep.equal([email]);
    const parsed = mail?.parsed;
    expect(addressesOf(parsed?.to)).to.deep.equal([email]);
    expect(addressesOf(parsed?.from)).to.deep.equal(["no-reply@moussanada.ma"]);
    expect(parsed?.from?.value.map((address) => address.name)).to.deep.equal(["Moussanada"]);
    expect(parsed?.subject).to.equal("Confirmez votre adresse e-mail — Moussanada Numérique");
    expect(parsed?.messageId).to.equal(`<${message.id}@localhost>`);
    expect(parsed?.text).to.contain("Bonjour Samira Bennis,");
    expect(parsed?.html).to.be.a("string");
    const html = String(parsed?.html);
    expect(html).to.match(/<html lang="fr" dir="ltr">/);

    const link = /http:\/\/localhost:3000\/verifier-email\?token=[A-Za-z0-9_-]+/.exec(parsed?.text ?? "")?.[0];
    if (!link) throw new Error(`no verification link in ${parsed?.text ?? ""}`);
    expect(html).to.contain(`href="${link}"`);
    const token = new URL(link).searchParams.get("token") ?? "";

    await message.reload();
    expect(message.status).to.equal("sent");
    expect(message.attempts).to.equal(1);
    expect(message.sentAt).to.be.instanceOf(Date);
    // Real SMTP: nothing is captured for /dev/mail.
    expect(await countRows("captured_emails", "outbox_message_id = :id", { id: message.id })).to.equal(0);
    expect((await emailJobs()).filter((job) => job.message_id === message.id)).to.deep.equal([]);

    const { agent, csrfToken } = await anonymousSession(context().app);
    const verified = await agent.post(`${API}/auth/verify-email`).set("X-CSRF-Token", csrfToken).send({ token });
    expect(verified.status, verified.text).to.equal(200);
    const login = await attemptLogin(context().app, email, PASSWORD);
    expect(login.status, login.text).to.equal(200);
    expect((login.body as { user: UserBody }).user.emailVerified).to.equal(true);
  });

  it("encodes an Arabic message so that it arrives intact, right to left", async () => {
    const port = await findFreePort();
    server = await startSmtpServer(port);
    transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
    const email = uniqueEmail("smtp-ar");
    await register(email, "ar", "سميرة بنيس");
    await deliverQueuedEmails(transport);
    const [mail] = server.received;
    expect(mail?.parsed.subject).to.equal("أكّدوا عنوان بريدكم الإلكتروني — مساندة الرقمية");
    expect(mail?.parsed.text).to.contain("مرحبًا سميرة بنيس،");
    expect(String(mail?.parsed.html)).to.match(/<html lang="ar" dir="rtl">/);
  });

  it("with the SMTP server down, registrations succeed; once it is back each mail is delivered exactly once", async () => {
    const port = await findFreePort();
    transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
    const emails = [uniqueEmail("panne-a"), uniqueEmail("panne-b"), uniqueEmail("panne-c")];
    for (const email of emails) await register(email);
    const messages = await OutboxMessage.findAll({ where: { recipient: emails } });
    expect(messages).to.have.length(3);
    const ids = messages.map((message) => message.id).sort();

    // Nothing listens on the port: every attempt fails and is recorded.
    await deliverQueuedEmails(transport);
    for (const message of await OutboxMessage.findAll({ where: { id: ids } })) {
      expect(message.status, message.recipient).to.equal("pending");
      expect(message.attempts, message.recipient).to.equal(1);
      expect(message.lastError, message.recipient)
        .to.be.a("string")
        .and.match(/ECONNREFUSED|connect/i);
      expect(message.sentAt, message.recipient).to.equal(null);
    }
    // graphile-worker put the jobs back for later, with back-off (e^1 ≈ 2.7 s after a first failure).
    const failedJobs = (await emailJobs()).filter((job) => ids.includes(job.message_id));
    expect(failedJobs).to.have.length(3);
    for (const job of failedJobs) {
      expect(job.attempts).to.equal(1);
      expect(job.last_error).to.be.a("string");
      expect(job.due_in_seconds).to.be.within(0.5, 3);
    }
    // The server comes back; the retries fall due.
    server = await startSmtpServer(port);
    await ownerSequelize().query(
      "UPDATE graphile_worker._private_jobs SET run_at = now() WHERE payload ->> 'messageId' IN (:ids)",
      { replacements: { ids } },
    );
    await deliverQueuedEmails(transport);

    expect(server.received).to.have.length(3);
    const recipients = server.received.flatMap((mail) => mail.envelopeTo).sort();
    expect(recipients).to.deep.equal([...emails].sort());
    const messageIds = server.received.map((mail) => mail.parsed.messageId).sort();
    expect(messageIds).to.deep.equal(ids.map((id) => `<${id}@localhost>`));
    for (const message of await OutboxMessage.findAll({ where: { id: ids } })) {
      expect(message.status, message.recipient).to.equal("sent");
      expect(message.attempts, message.recipient).to.equal(2);
      expect(message.lastError, message.recipient).to.equal(null);
    }
    expect((await emailJobs()).filter((job) => ids.includes(job.message_id))).to.deep.equal([]);

    // Running the worker again sends nothing more.
    await deliverQueuedEmails(transport);
    expect(server.received).to.have.length(3);
  });

  it("SMTP_URL switches the worker from the development capture to real SMTP", async () => {
    const port = await findFreePort();
    server = await startSmtpServer(port);
    const withSmtp = loadConfig({ NODE_ENV: "test", SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true` });
    expect(createMailTransport(loadConfig({ NODE_ENV: "test" })).kind).to.equal("capture");
    transport = createMailTransport(withSmtp);
    expect(transport.kind).to.equal("smtp");
    const email = uniqueEmail("smtp-url");
    await register(email);
    await deliverQueuedEmails(transport);
    expect(server.received.flatMap((mail) => mail.envelopeTo)).to.deep.equal([email]);
    expect(addressesOf(server.received[0]?.parsed.from)).to.deep.equal(["no-reply@moussanada.ma"]);
    expect(await countRows("captured_emails", "recipient = :email", { email })).to.equal(0);
  });

  it("never sends a message twice, even if its job runs again", async () => {
    const port = await findFreePort();
    server = await startSmtpServer(port);
    transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
    const email = uniqueEmail("doublon");
    await register(email);
    await deliverQueuedEmails(transport);
    expect(server.received).to.have.length(1);
    const message = await OutboxMessage.findOne({ where: { recipient: email } });
    // A duplicate job for the same message (e.g. re-queued by hand): the worker sees it is sent.
    await ownerSequelize().query(
      "SELECT graphile_worker.add_job('send_email', json_build_object('messageId', CAST(:id AS text)))",
      { replacements: { id: message?.id } },
    );
    await deliverQueuedEmails(transport);
    expect(server.received).to.have.length(1);
  });
});
