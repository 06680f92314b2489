import { execFile } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { QueryTypes, UniqueConstraintError } from "sequelize";
import request from "supertest";
import { processCertificateJob } from "../../server/commands/certificates.js";
import { findFreePort } from "../../server/db/embeddedPostgres.js";
import { smtpTransport, type MailTransport } from "../../server/mail/transport.js";
import {
  Application,
  AuditEvent,
  Certificate,
  CertificateJob,
  Enrolment,
  type TrainingSession,
} from "../../server/models/index.js";
import { buildCredential, verifyCredential } from "../../server/signing/credential.js";
import { signerFromPem, type PublishedKeys } from "../../server/signing/keys.js";
import { createDocumentStore } from "../../server/storage/documentStore.js";
import {
  applicationPayload,
  readyApplication,
  seededCall,
  submitRequest,
  type ApplicationBody,
} from "../factories/applications.js";
import { companyPayload, createCompany, type CompanyBody } from "../factories/companies.js";
import type { Player } from "../factories/review.js";
import {
  AFTER_DEFAULT_START,
  apiGet,
  apiPost,
  certificatesOf,
  createTrainingSession,
  DEFAULT_STARTS_AT,
  enrolDirectly,
  enrolThroughApi,
  HOUR_MS,
  issueCertificates,
  outboxTo,
  passedEnrolments,
  runWorker,
  setResultDirectly,
  trainingPlayer,
  type CertificateBody,
  type EnrolmentBody,
  type HolderSpec,
  type JobBody,
} from "../factories/training.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import { API, clearRateLimits, signIn, tokenFromLatestMail, type BrowserSession } from "../helpers/auth.js";
import { capturedEmailsTo } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { addressesOf, startSmtpServer } from "../helpers/smtp.js";
import { buildTestApp, TEST_SIGNER, testConfig, useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, TEST_NOW, testLogger } from "../helpers/testDatabase.js";
import { getBinary } from "./applicationsApi.js";

const run = promisify(execFile);

const CERTIFICATE_KEYS = [
  "companyName",
  "courseTitle",
  "holderName",
  "id",
  "issuedAt",
  "issuedOn",
  "number",
  "pdfReady",
  "permissions",
  "revocationReason",
  "revokedAt",
  "sessionId",
  "status",
  "verificationCode",
  "verificationCount",
  "verificationUrl",
];

const JOB_KEYS = [
  "createdAt",
  "done",
  "error",
  "finishedAt",
  "id",
  "kind",
  "percent",
  "sessionId",
  "startedAt",
  "status",
  "total",
];

const VERIFICATION_KEYS = ["courseTitle", "holderName", "issuedOn", "number", "revokedOn", "status", "valid"];

/** The day AFTER_DEFAULT_START falls on in Casablanca: the issue date of the suite's certificates. */
const ISSUED_ON = "2026-06-22";
const BASE64URL_CODE = /^[A-Za-z0-9_-]{22,}$/;
const FROM = "Moussanada <no-reply@moussanada.ma>";

/** PN-2026-000042 → 42. */
const serialOf = (number: string) => Number(number.slice(-6));
const numberOf = (year: number, serial: number) => `PN-${year}-${String(serial).padStart(6, "0")}`;

/** The highest serial issued in `year` so far (0 when none): numbering continues from it. */
async function lastSerial(year: number): Promise<number> {
  const [row] = await ownerSequelize().query<{ number: string | null }>(
    "SELECT max(number) AS number FROM certificates WHERE number LIKE :prefix",
    { type: QueryTypes.SELECT, replacements: { prefix: `PN-${year}-%` } },
  );
  return row?.number ? serialOf(row.number) : 0;
}

describe("Permis Numérique: certificates, credentials and public verification (issue 7)", function () {
  this.timeout(120_000);

  const context = useTestApp();
  let trainer: Player;
  let otherTrainer: Player;
  let admin: Player;
  let officer: Player;
  /** An applicant with nothing to do with any certificate. */
  let stranger: Player;
  let prescriber: Player;

  before(async () => {
    await clearRateLimits();
    trainer = await signedIn("trainer", "Nadia Formatrice");
    otherTrainer = await signedIn("trainer", "Rachid Autre-Formateur");
    admin = await signedIn("admin", "Directrice du programme");
    officer = await signedIn("officer", "Youssef Chargé");
    stranger = await signedIn("applicant", "Hicham Étranger");
    prescriber = await signedIn("prescriber", "Karima Bennis");
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  function signedIn(role: Parameters<typeof trainingPlayer>[1], fullName: string): Promise<Player> {
    return trainingPlayer(context(), role, fullName);
  }

  /** A session of `trainer` with these people enrolled in these statuses, and the clock after its start. */
  async function sessionWith(
    people: Array<
      [HolderSpec, "enrolled" | "passed" | "failed" | "attended", { attended?: boolean; score?: number | null }?]
    >,
    options: Parameters<typeof createTrainingSession>[0] = {},
  ): Promise<{ session: TrainingSession; enrolments: Enrolment[] }> {
    const session = await createTrainingSession({ trainer: trainer.user, capacity: 1000, ...options });
    const enrolments: Enrolment[] = [];
    for (const [holder, status, result] of people)
      enrolments.push(await enrolDirectly(session, holder, status, result));
    context().clock.set(AFTER_DEFAULT_START);
    return { session, enrolments };
  }

  const issue = (session: TrainingSession, transport?: MailTransport) =>
    issueCertificates(trainer.session, session.id, context().clock, transport);

  async function certificateAs(caller: BrowserSession, id: string): Promise<CertificateBody> {
    const response = await apiGet(caller, `/certificates/${id}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as CertificateBody;
  }

  async function certificatesAs(caller: BrowserSession, query = ""): Promise<ListBody<CertificateBody>> {
    const response = await apiGet(caller, `/certificates?pageSize=100&${query}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as ListBody<CertificateBody>;
  }

  async function jobAs(caller: BrowserSession, id: string): Promise<JobBody> {
    const response = await apiGet(caller, `/jobs/${id}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as JobBody;
  }

  const anonymousGet = (url: string) => request(context().app).get(url);

  describe("the batch", () => {
    it("POST by the trainer: 201 queued Job for the passed people only; 409 with jobId while it is active; the worker completes it (100 %)", async () => {
      const passedA = await createUser({ fullName: "Amina Reçue" });
      const passedB = await createUser({ fullName: "Brahim Reçu" });
      const passedC = await createUser({ fullName: "Chaïmae Reçue" });
      const failed = await createUser({ fullName: "Driss Échoué" });
      const absent = await createUser({ fullName: "Elias Absent" });
      const noScore = await createUser({ fullName: "Fadwa Sans-Note" });
      const { session, enrolments } = await sessionWith([
        [passedA, "passed", { score: 70 }],
        [failed, "failed", { score: 69 }],
        [passedB, "passed", { score: 100 }],
        [absent, "failed", { attended: false, score: null }],
        [noScore, "attended"],
        [passedC, "passed"],
      ]);
      const before = await lastSerial(2026);

      const response = await apiPost(trainer.session, `/training/sessions/${session.id}/certificates`);
      expect(response.status, response.text).to.equal(201);
      const job = response.body as JobBody;
      expect(Object.keys(job).sort()).to.deep.equal(JOB_KEYS);
      expect(job).to.deep.include({
        kind: "certificate_batch",
        sessionId: session.id,
        status: "queued",
        total: 3,
        done: 0,
        percent: 0,
        error: null,
        startedAt: null,
        finishedAt: null,
      });
      expect(response.headers.location).to.equal(`/api/v1/jobs/${job.id}`);
      expect(await jobAs(trainer.session, job.id)).to.deep.include({ status: "queued", total: 3, done: 0 });

      for (const caller of [trainer, admin]) {
        const again = expectProblem(
          await apiPost(caller.session, `/training/sessions/${session.id}/certificates`),
          409,
          "conflict",
        );
        expect((again as unknown as { jobId: string }).jobId).to.equal(job.id);
      }
      expect(await CertificateJob.count({ where: { sessionId: session.id } })).to.equal(1);

      await runWorker(context().clock);

      const finished = await jobAs(trainer.session, job.id);
      expect(finished).to.deep.include({ status: "succeeded", total: 3, done: 3, percent: 100, error: null });
      expect(finished.startedAt).to.be.a("string");
      expect(finished.finishedAt).to.be.a("string");

      const certificates = await certificatesOf(session.id);
      // One per passed enrolment, numbered in arrival order, none for the others.
      expect(certificates.map((certificate) => certificate.enrolmentId)).to.deep.equal([
        enrolments[0]?.id,
        enrolments[2]?.id,
        enrolments[5]?.id,
      ]);
      expect(certificates.map((certificate) => certificate.number)).to.deep.equal(
        [1, 2, 3].map((offset) => numberOf(2026, before + offset)),
      );
      expect(certificates.map((certificate) => certificate.holderName)).to.deep.equal([
        "Amina Reçue",
        "Brahim Reçu",
        "Chaïmae Reçue",
      ]);
      for (const certificate of certificates) {
        expect(certificate).to.deep.include({
          status: "valid",
          issuedOn: ISSUED_ON,
          courseTitle: session.title,
          keyId: TEST_SIGNER.keyId,
          jobId: job.id,
        });
        expect(certificate.issuedAt.toISOString()).to.equal(AFTER_DEFAULT_START.toISOString());
        expect(certificate.pdfKey).to.be.a("string");
        expect(certificate.pdfSha256).to.match(/^[0-9a-f]{64}$/);
      }

      // Each person who passed is e-mailed the certificate, nobody else.
      for (const user of [passedA, passedB, passedC]) {
        expect(await outboxTo(user.email, "certificate-issued"), user.fullName).to.have.length(1);
      }
      for (const user of [failed, absent, noScore]) {
        expect(await outboxTo(user.email, "certificate-issued"), user.fullName).to.have.length(0);
      }

      // Nothing left: a second batch has nothing to do.
      const nothing = expectProblem(
        await apiPost(trainer.session, `/training/sessions/${session.id}/certificates`),
        422,
        "nothing-to-issue",
      );
      expect(nothing.detail).to.be.a("string").and.not.equal("");
      expect(await CertificateJob.count({ where: { sessionId: session.id } })).to.equal(1);

      const audit = await AuditEvent.findAll({
        where: { action: "certificate.issued", entityId: certificates.map((certificate) => certificate.id) },
      });
      expect(audit).to.have.length(3);
      expect(
        await AuditEvent.count({ where: { action: "certificate-batch.requested", entityId: session.id } }),
      ).to.equal(1);
    });

    it("by an admin too; the job is shown to whoever started it, the session's trainer and admins, 404 to others", async () => {
      const { session } = await sessionWith([[await createUser({ fullName: "Reçu Par Admin" }), "passed"]]);
      const response = await apiPost(admin.session, `/training/sessions/${session.id}/certificates`);
      expect(response.status, response.text).to.equal(201);
      const job = response.body as JobBody;
      for (const caller of [admin, trainer]) expect((await jobAs(caller.session, job.id)).id).to.equal(job.id);
      for (const caller of [otherTrainer, officer, stranger]) {
        expectProblem(await apiGet(caller.session, `/jobs/${job.id}`), 404, "not-found");
      }
      expectProblem(await apiGet(admin.session, `/jobs/${randomUUID()}`), 404, "not-found");
      expectProblem(await apiGet(admin.session, "/jobs/pas-un-uuid"), 404, "not-found");
      await runWorker(context().clock);
      expect(await jobAs(trainer.session, job.id)).to.deep.include({ status: "succeeded", done: 1, percent: 100 });
    });

    it("an admin's batch is recorded in the audit trail as the admin's (actor id and role)", async () => {
      const { session } = await sessionWith([[await createUser({ fullName: "Audit Admin Reçu" }), "passed"]]);
      const response = await apiPost(admin.session, `/training/sessions/${session.id}/certificates`);
      expect(response.status, response.text).to.equal(201);
      await runWorker(context().clock);
      const [certificate] = await certificatesOf(session.id);
      const events = await AuditEvent.findAll({
        where: { entityId: [session.id, certificate?.id ?? ""] },
        order: [["position", "ASC"]],
      });
      expect(events.map((event) => [event.action, event.actorId, event.actorRole])).to.deep.equal([
        ["certificate-batch.requested", admin.user.id, "admin"],
        ["certificate.issued", admin.user.id, "admin"],
      ]);
    });

    it("parallel requests for one session start one batch: one 201, the others 409 naming it", async () => {
      const { session } = await sessionWith([
        [await createUser({ fullName: "Parallèle Un" }), "passed"],
        [await createUser({ fullName: "Parallèle Deux" }), "passed"],
      ]);
      const responses = await Promise.all(
        [trainer, admin, trainer, admin, trainer].map((caller) =>
          apiPost(caller.session, `/training/sessions/${session.id}/certificates`),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).to.deep.equal([201, 409, 409, 409, 409]);
      const job = responses.find((response) => response.status === 201)?.body as JobBody;
      for (const response of responses.filter((item) => item.status === 409)) {
        expect((expectProblem(response, 409, "conflict") as unknown as { jobId: string }).jobId).to.equal(job.id);
      }
      await runWorker(context().clock);
      expect((await certificatesOf(session.id)).map((certificate) => certificate.jobId)).to.deep.equal([
        job.id,
        job.id,
      ]);
    });

    it("dates and numbers by the day in Casablanca: issued at 23:30 UTC on 31 December 2026, it is PN-2027-…, issued on 2027-01-01", async () => {
      const holder = await createUser({ fullName: "Nouvel An" });
      const { session } = await sessionWith([[holder, "passed"]]);
      context().clock.set("2026-12-31T23:30:00Z");
      const before = await lastSerial(2027);
      await issue(session);
      const [certificate] = await certificatesOf(session.id);
      expect(certificate).to.deep.include({ number: numberOf(2027, before + 1), issuedOn: "2027-01-01" });
      const verdict = await anonymousGet(`${API}/verify/${certificate?.verificationCode ?? ""}`);
      expect(verdict.body).to.deep.include({ issuedOn: "2027-01-01", number: numberOf(2027, before + 1) });
    });

    it("a certificate whose PDF is not produced yet: pdfReady false, the PDF answers 409", async () => {
      const holder = await signedIn("applicant", "Attente PDF");
      const { session, enrolments } = await sessionWith([[holder.user, "passed"]]);
      const certificate = await Certificate.create({
        enrolmentId: enrolments[0]?.id ?? "",
        sessionId: session.id,
        // Another year's series: the suite's 2026 numbering stays untouched.
        number: "PN-1999-000001",
        verificationCode: `pending${randomUUID().replace(/-/g, "")}`,
        holderUserId: holder.user.id,
        holderName: "Attente PDF",
        holderEmail: holder.user.email,
        companyId: null,
        companyName: null,
        courseTitle: session.title,
        issuedAt: AFTER_DEFAULT_START,
        issuedOn: ISSUED_ON,
        keyId: TEST_SIGNER.keyId,
        credential: {},
        pdfKey: null,
        pdfSha256: null,
        pdfSize: null,
        jobId: null,
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
      });
      expect((await certificateAs(holder.session, certificate.id)).pdfReady).to.equal(false);
      expectProblem(await apiGet(holder.session, `/certificates/${certificate.id}/pdf`), 409, "conflict");
    });

    it("answers 422 when nobody passed, 403 to another trainer, an officer or an applicant", async () => {
      const { session } = await sessionWith([
        [await createUser(), "failed"],
        [await createUser(), "attended"],
        [await createUser(), "enrolled"],
      ]);
      expectProblem(
        await apiPost(trainer.session, `/training/sessions/${session.id}/certificates`),
        422,
        "nothing-to-issue",
      );
      const { session: withPassed } = await sessionWith([[await createUser(), "passed"]]);
      for (const caller of [otherTrainer, officer, stranger, prescriber]) {
        expectProblem(
          await apiPost(caller.session, `/training/sessions/${withPassed.id}/certificates`),
          403,
          "forbidden",
        );
      }
      expectProblem(
        await apiPost(trainer.session, `/training/sessions/${randomUUID()}/certificates`),
        404,
        "not-found",
      );
      expect(await CertificateJob.count({ where: { sessionId: [session.id, withPassed.id] } })).to.equal(0);
    });

    it("numbers a larger batch PN-<year>-NNNNNN without gaps in arrival order, across chunks; codes are unique base64url of ≥ 22 characters", async function () {
      this.timeout(120_000);
      const session = await createTrainingSession({ trainer: trainer.user, capacity: 1000 });
      const ids = await passedEnrolments(session, 60);
      context().clock.set(AFTER_DEFAULT_START);
      const before = await lastSerial(2026);

      const job = await issue(session);
      expect(job.total).to.equal(60);
      expect(await jobAs(trainer.session, job.id)).to.deep.include({
        status: "succeeded",
        total: 60,
        done: 60,
        percent: 100,
      });
      const certificates = await certificatesOf(session.id);
      expect(certificates.map((certificate) => certificate.enrolmentId)).to.deep.equal(ids);
      expect(certificates.map((certificate) => certificate.number)).to.deep.equal(
        ids.map((_id, index) => numberOf(2026, before + index + 1)),
      );
      const codes = certificates.map((certificate) => certificate.verificationCode);
      for (const code of codes) expect(code).to.match(BASE64URL_CODE);
      expect(new Set(codes).size).to.equal(60);
      expect(certificates.every((certificate) => certificate.pdfKey !== null)).to.equal(true);
    });

    it("two batches running at once share the year's series without gaps or duplicates", async function () {
      this.timeout(120_000);
      const first = await createTrainingSession({ trainer: trainer.user, capacity: 1000 });
      const second = await createTrainingSession({ trainer: trainer.user, capacity: 1000 });
      await passedEnrolments(first, 30, { prefix: "Lot Un" });
      await passedEnrolments(second, 30, { prefix: "Lot Deux" });
      context().clock.set(AFTER_DEFAULT_START);
      const before = await lastSerial(2026);
      const jobs: JobBody[] = [];
      for (const session of [first, second]) {
        const response = await apiPost(trainer.session, `/training/sessions/${session.id}/certificates`);
        expect(response.status, response.text).to.equal(201);
        jobs.push(response.body as JobBody);
      }
      // Two workers, one batch each, at the same time (as two instances of the worker would).
      const deps = {
        sequelize: context().sequelize,
        clock: context().clock,
        publicUrl: testConfig().publicUrl,
        signer: TEST_SIGNER,
        store: createDocumentStore(testConfig().storage),
        logger: testLogger,
        staleJobAfterMs: testConfig().certificates.staleJobAfterMs,
      };
      await Promise.all(jobs.map((job, index) => processCertificateJob(deps, job.id, `test-worker-${index}`)));
      for (const job of jobs)
        expect(await jobAs(trainer.session, job.id)).to.deep.include({ status: "succeeded", done: 30 });
      const numbers = [...(await certificatesOf(first.id)), ...(await certificatesOf(second.id))]
        .map((certificate) => serialOf(certificate.number))
        .sort((a, b) => a - b);
      expect(numbers).to.deep.equal(Array.from({ length: 60 }, (_, index) => before + index + 1));
      // The queued jobs find their batches done; the e-mails leave.
      await runWorker(context().clock);
      expect(await CertificateJob.count({ where: { id: jobs.map((job) => job.id), status: "succeeded" } })).to.equal(2);
    });

    it("never makes two certificates for one enrolment: a second row for the same enrolment breaks the unique constraint", async () => {
      const { session, enrolments } = await sessionWith([[await createUser({ fullName: "Unique Reçu" }), "passed"]]);
      await issue(session);
      const [certificate] = await certificatesOf(session.id);
      if (!certificate) throw new Error("no certificate issued");
      let failure: unknown = null;
      try {
        await Certificate.create({
          enrolmentId: enrolments[0]?.id ?? "",
          sessionId: session.id,
          number: "PN-2026-999999",
          verificationCode: "A".repeat(22),
          holderUserId: certificate.holderUserId,
          holderName: certificate.holderName,
          holderEmail: certificate.holderEmail,
          companyId: null,
          companyName: null,
          courseTitle: certificate.courseTitle,
          issuedAt: certificate.issuedAt,
          issuedOn: certificate.issuedOn,
          keyId: certificate.keyId,
          credential: certificate.credential,
          pdfKey: null,
          pdfSha256: null,
          pdfSize: null,
          jobId: null,
          revokedAt: null,
          revokedBy: null,
          revocationReason: null,
        });
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(UniqueConstraintError);
      expect((failure as UniqueConstraintError).fields).to.have.property("enrolment_id");
      expect(await Certificate.count({ where: { enrolmentId: enrolments[0]?.id ?? "" } })).to.equal(1);
    });
  });

  describe("the holder's e-mail", () => {
    it("certificate-issued reaches the holder over SMTP with the PDF attached (%PDF…, qpdf --check passes)", async () => {
      const holder = await createUser({ fullName: "Karim Benali" });
      const { session } = await sessionWith([[holder, "passed"]]);
      const port = await findFreePort();
      const server = await startSmtpServer(port);
      const transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM);
      const folder = await mkdtemp(path.join(os.tmpdir(), "permis-mail-"));
      try {
        await issue(session, transport);
        const [certificate] = await certificatesOf(session.id);
        const mails = server.received.filter((mail) => addressesOf(mail.parsed.to).includes(holder.email));
        expect(mails).to.have.length(1);
        const parsed = mails[0]?.parsed;
        expect(parsed?.subject).to.equal(`Félicitations : votre Permis Numérique ${certificate?.number ?? ""}`);
        expect(parsed?.text).to.contain("Bonjour Karim Benali,");
        expect(parsed?.text).to.contain(`http://localhost:3000/verify/${certificate?.verificationCode ?? ""}`);
        expect(parsed?.attachments).to.have.length(1);
        const attachment = parsed?.attachments[0];
        expect(attachment?.filename).to.equal(`permis-numerique-${certificate?.number ?? ""}.pdf`);
        expect(attachment?.contentType).to.equal("application/pdf");
        const bytes = attachment?.content ?? Buffer.alloc(0);
        expect(bytes.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
        expect(bytes.length).to.equal(certificate?.pdfSize);
        const file = path.join(folder, "attachment.pdf");
        await writeFile(file, bytes);
        const check = await run("qpdf", ["--check", file]);
        expect(check.stdout).to.contain("No syntax or stream encoding errors found");
      } finally {
        transport.close();
        await server.stop();
        await rm(folder, { recursive: true, force: true });
      }
    });
  });

  describe("reading", () => {
    let holderA: Player;
    let holderB: Player;
    let session: TrainingSession;
    let certificateA: Certificate;
    let certificateB: Certificate;

    before(async () => {
      holderA = await signedIn("applicant", "Yasmine Lecture");
      holderB = await signedIn("applicant", "Zakaria Lecture");
      const company = await createCompany({ owner: holderA.user, name: "Atlas Lecture SARL" });
      session = await createTrainingSession({ trainer: trainer.user, title: "Initiation au numérique — Rabat" });
      await enrolDirectly(session, holderA.user, "passed", { company });
      await enrolDirectly(session, holderB.user, "passed");
      context().clock.set(AFTER_DEFAULT_START);
      await issue(session);
      const certificates = await certificatesOf(session.id);
      const byHolder = new Map(certificates.map((certificate) => [certificate.holderUserId, certificate]));
      const a = byHolder.get(holderA.user.id);
      const b = byHolder.get(holderB.user.id);
      if (!a || !b) throw new Error("the reading fixtures were not issued");
      certificateA = a;
      certificateB = b;
    });

    it("a holder lists their own certificates only, with the contract's fields", async () => {
      const list = await certificatesAs(holderA.session);
      expect(list).to.deep.include({ total: 1, page: 1, pageSize: 100 });
      const [item] = list.items;
      expect(Object.keys(item ?? {}).sort()).to.deep.equal(CERTIFICATE_KEYS);
      expect(item).to.deep.equal({
        id: certificateA.id,
        number: certificateA.number,
        verificationCode: certificateA.verificationCode,
        verificationUrl: `http://localhost:3000/verify/${certificateA.verificationCode}`,
        status: "valid",
        holderName: "Yasmine Lecture",
        companyName: "Atlas Lecture SARL",
        courseTitle: "Initiation au numérique — Rabat",
        sessionId: session.id,
        issuedOn: ISSUED_ON,
        issuedAt: AFTER_DEFAULT_START.toISOString(),
        revokedAt: null,
        revocationReason: null,
        verificationCount: 0,
        pdfReady: true,
        permissions: { download: true, revoke: false },
      });
      expect((await certificateAs(holderA.session, certificateA.id)).id).to.equal(certificateA.id);
      expectProblem(await apiGet(holderA.session, `/certificates/${certificateB.id}`), 404, "not-found");
      expect((await certificatesAs(stranger.session)).total).to.equal(0);
      expect((await certificatesAs(prescriber.session)).total).to.equal(0);
      // The enrolment shows its certificate to the holder.
      const enrolments = (await apiGet(holderA.session, `/training/enrolments?sessionId=${session.id}`))
        .body as ListBody<EnrolmentBody>;
      expect(enrolments.items.map((item) => item.certificate)).to.deep.equal([
        { id: certificateA.id, number: certificateA.number, status: "valid" },
      ]);
    });

    it("a trainer reads the certificates of an own session (sessionId required: 422; someone else's session: 403)", async () => {
      const list = await certificatesAs(trainer.session, `sessionId=${session.id}`);
      expect(list.items.map((item) => item.id).sort()).to.deep.equal([certificateA.id, certificateB.id].sort());
      for (const item of list.items) expect(item.permissions).to.deep.equal({ download: false, revoke: false });
      expect((await certificateAs(trainer.session, certificateA.id)).id).to.equal(certificateA.id);

      const problem = expectProblem(await apiGet(trainer.session, "/certificates"), 422, "validation-failed");
      expect((problem.errors ?? []).map((error) => error.path)).to.deep.equal(["sessionId"]);
      expectProblem(await apiGet(otherTrainer.session, `/certificates?sessionId=${session.id}`), 403, "forbidden");
      expectProblem(await apiGet(otherTrainer.session, `/certificates/${certificateA.id}`), 404, "not-found");
    });

    it("officers and admins read them all; q finds a number or a holder's name; status filters", async () => {
      for (const caller of [officer, admin]) {
        const all = await certificatesAs(caller.session);
        expect(all.items.map((item) => item.id)).to.include.members([certificateA.id, certificateB.id]);
        const ofSession = await certificatesAs(caller.session, `sessionId=${session.id}`);
        expect(ofSession.total).to.equal(2);
      }
      expect((await certificateAs(officer.session, certificateA.id)).permissions).to.deep.equal({
        download: true,
        revoke: false,
      });
      expect((await certificateAs(admin.session, certificateA.id)).permissions).to.deep.equal({
        download: true,
        revoke: true,
      });
      const byNumber = await certificatesAs(officer.session, `q=${certificateB.number}`);
      expect(byNumber.items.map((item) => item.id)).to.deep.equal([certificateB.id]);
      const byName = await certificatesAs(officer.session, "q=yasmine lect");
      expect(byName.items.map((item) => item.id)).to.deep.equal([certificateA.id]);
      expect((await certificatesAs(officer.session, "q=personne-de-ce-nom")).total).to.equal(0);
      // A holder's q stays within their own certificates.
      expect((await certificatesAs(holderA.session, `q=${certificateB.number}`)).total).to.equal(0);
      expect((await certificatesAs(officer.session, `sessionId=${session.id}&status=revoked`)).total).to.equal(0);
      expect((await certificatesAs(officer.session, `sessionId=${session.id}&status=valid`)).total).to.equal(2);
    });

    it("the PDF: 200 application/pdf attachment to the holder, officers and admins, with the number and the name; 403 to the trainer, 404 to others", async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), "permis-pdf-"));
      try {
        for (const caller of [holderA, officer, admin]) {
          const response = await getBinary(caller.session, `/certificates/${certificateA.id}/pdf`);
          expect(response.status, caller.user.fullName).to.equal(200);
          expect(response.headers["content-type"]).to.equal("application/pdf");
          expect(response.headers["content-disposition"]).to.match(/^attachment;/);
          expect(response.headers["content-disposition"]).to.contain(`permis-numerique-${certificateA.number}.pdf`);
          const bytes = response.body as Buffer;
          expect(bytes.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
          expect(bytes.length).to.equal(certificateA.pdfSize);
          const file = path.join(folder, `${caller.user.id}.pdf`);
          await writeFile(file, bytes);
          const { stdout } = await run("pdftotext", ["-enc", "UTF-8", file, "-"]);
          expect(stdout).to.contain(certificateA.number);
          expect(stdout).to.contain("Yasmine Lecture");
        }
        expect(
          await AuditEvent.count({ where: { action: "certificate.downloaded", entityId: certificateA.id } }),
        ).to.equal(3);
        expectProblem(await apiGet(trainer.session, `/certificates/${certificateA.id}/pdf`), 403, "forbidden");
        for (const caller of [stranger, holderB, otherTrainer, prescriber]) {
          expectProblem(await apiGet(caller.session, `/certificates/${certificateA.id}/pdf`), 404, "not-found");
        }
        expectProblem(await apiGet(admin.session, `/certificates/${randomUUID()}/pdf`), 404, "not-found");
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    describe("the signed credential", () => {
      async function credentialOf(caller: BrowserSession, id: string): Promise<Record<string, unknown>> {
        const response = await apiGet(caller, `/certificates/${id}/credential`);
        expect(response.status, response.text).to.equal(200);
        expect(response.headers["content-type"]).to.match(/^application\/json/);
        return JSON.parse(response.text) as Record<string, unknown>;
      }
      const clone = <T>(value: T): T => structuredClone(value);
      type Json = Record<string, Record<string, unknown>>;

      it("is an OpenBadgeCredential with a DataIntegrityProof that verifies with the issuer's key; it carries no e-mail", async () => {
        const credential = await credentialOf(holderA.session, certificateA.id);
        expect(credential.type).to.deep.equal(["VerifiableCredential", "OpenBadgeCredential"]);
        const proof = credential.proof as Record<string, unknown>;
        expect(proof).to.deep.include({
          type: "DataIntegrityProof",
          cryptosuite: "eddsa-jcs-2022",
          proofPurpose: "assertionMethod",
          verificationMethod: TEST_SIGNER.verificationMethod,
        });
        expect(proof.proofValue).to.be.a("string");
        expect((credential.issuer as Record<string, unknown>).id).to.equal(TEST_SIGNER.did);
        const subject = credential.credentialSubject as Record<string, unknown>;
        expect(subject).to.deep.include({ name: "Yasmine Lecture", licenseNumber: certificateA.number });
        expect((credential.evidence as Array<Record<string, unknown>>)[0]?.id).to.equal(
          `http://localhost:3000/verify/${certificateA.verificationCode}`,
        );
        expect(JSON.stringify(credential)).to.not.contain(holderA.user.email);
        expect(verifyCredential(credential, [TEST_SIGNER.publicKeyMultibase])).to.deep.equal({
          valid: true,
          keyId: TEST_SIGNER.keyId,
        });
        // Officers and admins get the same document.
        expect(await credentialOf(officer.session, certificateA.id)).to.deep.equal(credential);
        expect(await credentialOf(admin.session, certificateA.id)).to.deep.equal(credential);
      });

      it("any change makes it fail (bad-signature): holder's name, number, validFrom, proof.created", async () => {
        const credential = (await credentialOf(holderA.session, certificateA.id)) as Json;
        const changes: Array<[string, (copy: Json) => void]> = [
          ["holder name", (copy) => (copy.credentialSubject!.name = "Yasmine Lecturee")],
          ["number", (copy) => (copy.credentialSubject!.licenseNumber = certificateB.number)],
          ["validFrom", (copy) => ((copy as Record<string, unknown>).validFrom = "2020-01-01T00:00:00Z")],
          ["proof.created", (copy) => (copy.proof!.created = "2020-01-01T00:00:00Z")],
        ];
        for (const [label, change] of changes) {
          const copy = clone(credential);
          change(copy);
          expect(verifyCredential(copy, [TEST_SIGNER.publicKeyMultibase]), label).to.deep.equal({
            valid: false,
            reason: "bad-signature",
          });
        }
      });

      it("a credential signed by another key is unknown-key; the published keys verify ours", async () => {
        const otherSigner = signerFromPem(
          generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        );
        const forged = buildCredential(
          {
            certificateId: randomUUID(),
            number: certificateA.number,
            holderName: "Yasmine Lecture",
            companyName: null,
            courseTitle: "Initiation au numérique — Rabat",
            sessionCity: "Rabat",
            sessionStartsAt: DEFAULT_STARTS_AT,
            sessionEndsAt: new Date(DEFAULT_STARTS_AT.getTime() + 7 * HOUR_MS),
            issuedAt: AFTER_DEFAULT_START,
            verificationUrl: `http://localhost:3000/verify/${certificateA.verificationCode}`,
          },
          otherSigner,
          "http://localhost:3000",
        );
        expect(verifyCredential(forged, [TEST_SIGNER.publicKeyMultibase])).to.deep.equal({
          valid: false,
          reason: "unknown-key",
        });
        const genuine = await credentialOf(holderA.session, certificateA.id);
        expect(verifyCredential(genuine, [otherSigner.publicKeyMultibase])).to.deep.equal({
          valid: false,
          reason: "unknown-key",
        });

        const response = await anonymousGet("/.well-known/permis-numerique-keys.json");
        expect(response.status, response.text).to.equal(200);
        expect(response.headers["content-type"]).to.match(/^application\/json/);
        const published = JSON.parse(response.text) as PublishedKeys;
        expect(published.issuer.id).to.equal(TEST_SIGNER.did);
        const keys = published.keys.map((key) => key.publicKeyMultibase);
        expect(keys).to.deep.equal([TEST_SIGNER.publicKeyMultibase]);
        expect(verifyCredential(genuine, keys)).to.deep.equal({ valid: true, keyId: TEST_SIGNER.keyId });
        expect(verifyCredential(forged, keys)).to.deep.include({ valid: false });
      });

      it("is refused to the trainer (403) and to anyone else (404)", async () => {
        expectProblem(await apiGet(trainer.session, `/certificates/${certificateA.id}/credential`), 403, "forbidden");
        for (const caller of [stranger, holderB, otherTrainer]) {
          expectProblem(await apiGet(caller.session, `/certificates/${certificateA.id}/credential`), 404, "not-found");
        }
      });
    });

    describe("public verification", () => {
      const verify = (code: string) => anonymousGet(`${API}/verify/${code}`);

      it("answers anyone with the verdict and nothing more personal; each check is counted", async () => {
        const before = (await certificateAs(holderB.session, certificateB.id)).verificationCount;
        const response = await verify(certificateB.verificationCode);
        expect(response.status, response.text).to.equal(200);
        expect(response.headers["cache-control"]).to.equal("no-store");
        expect(Object.keys(response.body as object).sort()).to.deep.equal(VERIFICATION_KEYS);
        expect(response.body).to.deep.equal({
          valid: true,
          status: "valid",
          number: certificateB.number,
          holderName: "Zakaria Lecture",
          issuedOn: ISSUED_ON,
          courseTitle: "Initiation au numérique — Rabat",
          revokedOn: null,
        });
        expect((await verify(certificateB.verificationCode)).status).to.equal(200);
        expect((await certificateAs(holderB.session, certificateB.id)).verificationCount).to.equal(before + 2);
        const [row] = await ownerSequelize().query<{ count: string }>(
          "SELECT count(*) AS count FROM certificate_verifications WHERE certificate_id = :id",
          { type: QueryTypes.SELECT, replacements: { id: certificateB.id } },
        );
        expect(Number(row?.count)).to.equal(before + 2);
      });

      it("answers 404 to an unknown or malformed code, and counts nothing", async () => {
        const [before] = await ownerSequelize().query<{ count: string }>(
          "SELECT count(*) AS count FROM certificate_verifications",
          { type: QueryTypes.SELECT },
        );
        for (const code of [
          "A".repeat(22),
          `${certificateA.verificationCode.slice(0, -1)}${certificateA.verificationCode.endsWith("A") ? "B" : "A"}`,
          "court",
          "x".repeat(200),
          "pas%20un%20code%20valide%20du%20tout",
          certificateA.number,
        ]) {
          expectProblem(await verify(code), 404, "not-found");
        }
        const [after] = await ownerSequelize().query<{ count: string }>(
          "SELECT count(*) AS count FROM certificate_verifications",
          { type: QueryTypes.SELECT },
        );
        expect(after?.count).to.equal(before?.count);
      });

      it("is rate limited per address: the 4th check in a minute with a limit of 3 answers 429 with Retry-After", async () => {
        const limited = buildTestApp({
          config: { rateLimits: { ...testConfig().rateLimits, verificationsPerMinute: 3 } },
        });
        const path = `${API}/verify/${certificateA.verificationCode}`;
        for (let attempt = 1; attempt <= 3; attempt += 1) {
          expect((await request(limited.app).get(path)).status, `attempt ${attempt}`).to.equal(200);
        }
        const refused = expectProblem(await request(limited.app).get(path), 429, "too-many-requests");
        expect(refused.status).to.equal(429);
        const retryAfter = Number((await request(limited.app).get(path)).headers["retry-after"]);
        expect(retryAfter).to.be.within(1, 60);
        expect(Number((await request(limited.app).get(`${API}/verify/${"B".repeat(22)}`)).status)).to.equal(429);
      });
    });
  });

  describe("revocation", () => {
    it("by an admin with a reason: 200 revoked; verification says so; the holder is told (certificate-revoked); twice: 409", async () => {
      const holder = await signedIn("applicant", "Mehdi Révoqué");
      const { session } = await sessionWith([[holder.user, "passed"]]);
      await issue(session);
      const [certificate] = await certificatesOf(session.id);
      if (!certificate) throw new Error("no certificate");

      // 23:30 UTC is already 3 August in Casablanca.
      context().clock.set("2026-08-02T23:30:00Z");
      const response = await apiPost(admin.session, `/certificates/${certificate.id}/revoke`, {
        reason: "  Fraude à l'évaluation constatée.  ",
      });
      expect(response.status, response.text).to.equal(200);
      expect(response.body as CertificateBody).to.deep.include({
        id: certificate.id,
        status: "revoked",
        revokedAt: "2026-08-02T23:30:00.000Z",
        revocationReason: "Fraude à l'évaluation constatée.",
      });
      expect((response.body as CertificateBody).permissions).to.deep.equal({ download: true, revoke: false });

      const verdict = await anonymousGet(`${API}/verify/${certificate.verificationCode}`);
      expect(verdict.status, verdict.text).to.equal(200);
      expect(verdict.body).to.deep.equal({
        valid: false,
        status: "revoked",
        number: certificate.number,
        holderName: "Mehdi Révoqué",
        issuedOn: ISSUED_ON,
        courseTitle: session.title,
        revokedOn: "2026-08-03",
      });

      // The reason is for the holder and the administrators.
      expect((await certificateAs(holder.session, certificate.id)).revocationReason).to.equal(
        "Fraude à l'évaluation constatée.",
      );
      expect((await certificateAs(admin.session, certificate.id)).revocationReason).to.equal(
        "Fraude à l'évaluation constatée.",
      );
      const seenByOfficer = await certificateAs(officer.session, certificate.id);
      expect(seenByOfficer).to.deep.include({ status: "revoked", revocationReason: null });
      expect(seenByOfficer.revokedAt).to.equal("2026-08-02T23:30:00.000Z");
      const seenByTrainer = await certificatesAs(trainer.session, `sessionId=${session.id}`);
      expect(seenByTrainer.items.map((item) => item.revocationReason)).to.deep.equal([null]);
      expect((await certificatesAs(officer.session, `sessionId=${session.id}&status=revoked`)).total).to.equal(1);

      const [mail] = await outboxTo(holder.user.email, "certificate-revoked");
      expect(mail?.data).to.deep.include({
        certificateNumber: certificate.number,
        reason: "Fraude à l'évaluation constatée.",
      });
      await runWorker(context().clock);
      const delivered = await capturedEmailsTo(holder.user.email);
      expect(delivered.map((item) => item.subject)).to.include(
        `Permis Numérique ${certificate.number} : certificat révoqué`,
      );

      expectProblem(
        await apiPost(admin.session, `/certificates/${certificate.id}/revoke`, { reason: "Encore une fois" }),
        409,
        "conflict",
      );
      expect(await AuditEvent.count({ where: { action: "certificate.revoked", entityId: certificate.id } })).to.equal(
        1,
      );
    });

    it("refused to officers, trainers and the holder (403), to strangers (404); a reason of 3 to 500 characters is required (422)", async () => {
      const holder = await signedIn("applicant", "Nadia Intacte");
      const { session } = await sessionWith([[holder.user, "passed"]]);
      await issue(session);
      const [certificate] = await certificatesOf(session.id);
      if (!certificate) throw new Error("no certificate");
      const revoke = (caller: Player, body: object) =>
        apiPost(caller.session, `/certificates/${certificate.id}/revoke`, body);
      const body = { reason: "Raison suffisante" };
      for (const caller of [officer, trainer, holder]) expectProblem(await revoke(caller, body), 403, "forbidden");
      for (const caller of [stranger, otherTrainer]) expectProblem(await revoke(caller, body), 404, "not-found");
      for (const invalid of [{}, { reason: "ab" }, { reason: "   ab   " }, { reason: "x".repeat(501) }]) {
        const problem = expectProblem(await revoke(admin, invalid), 422, "validation-failed");
        expect(
          (problem.errors ?? []).map((error) => error.path),
          JSON.stringify(invalid),
        ).to.deep.equal(["reason"]);
      }
      expect((await Certificate.findByPk(certificate.id))?.status).to.equal("valid");
      expect(await outboxTo(holder.user.email, "certificate-revoked")).to.have.length(0);
    });
  });

  describe("fast track of the holder's files", () => {
    async function submitted(caller: BrowserSession, companyId: string): Promise<ApplicationBody> {
      const call = await seededCall();
      const draft = await readyApplication(caller, applicationPayload(companyId, call.id));
      const response = await submitRequest(caller, draft.id);
      expect(response.status, response.text).to.equal(200);
      return response.body as ApplicationBody;
    }

    async function queue(label: string): Promise<Array<{ id: string; fastTrack: boolean }>> {
      const response = await apiGet(officer.session, `/applications?q=${encodeURIComponent(label)}&pageSize=100`);
      expect(response.status, response.text).to.equal(200);
      return (response.body as ListBody<{ id: string; fastTrack: boolean }>).items;
    }

    it("a submitted file becomes fast-tracked when its manager's certificate is issued, goes first in the officers' queue, and loses it on revocation", async () => {
      const label = `File-${randomUUID().slice(0, 6)}`;
      const early = await signedIn("applicant", "Déposant Précoce");
      const earlyCompany = await createCompany({ owner: early.user, name: `${label} Précoce SARL` });
      const manager = await signedIn("applicant", "Khadija Prioritaire");
      const company = await createCompany({ owner: manager.user, name: `${label} Prioritaire SARL` });

      const first = await submitted(early.session, earlyCompany.id);
      context().clock.set(new Date(Date.parse(TEST_NOW) + HOUR_MS));
      const application = await submitted(manager.session, company.id);
      expect(application.fastTrack).to.equal(false);
      expect((await queue(label)).map((item) => [item.id, item.fastTrack])).to.deep.equal([
        [first.id, false],
        [application.id, false],
      ]);

      const session = await createTrainingSession({ trainer: trainer.user });
      const enrolment = await enrolThroughApi(manager.session, session.id);
      expect(enrolment.company?.id).to.equal(company.id);
      context().clock.set(AFTER_DEFAULT_START);
      await setResultDirectly(enrolment.id, "passed", { recordedBy: trainer.user.id });
      await issue(session);

      expect((await Application.findByPk(application.id))?.fastTrack).to.equal(true);
      expect((await Application.findByPk(first.id))?.fastTrack).to.equal(false);
      const fastQueue = await queue(label);
      expect(fastQueue.map((item) => [item.id, item.fastTrack])).to.deep.equal([
        [application.id, true],
        [first.id, false],
      ]);
      expect((await apiGet(manager.session, `/applications/${application.id}`)).body).to.deep.include({
        fastTrack: true,
      });

      const [certificate] = await certificatesOf(session.id);
      const revoked = await apiPost(admin.session, `/certificates/${certificate?.id ?? ""}/revoke`, {
        reason: "Erreur de saisie de la note.",
      });
      expect(revoked.status, revoked.text).to.equal(200);
      expect((await Application.findByPk(application.id))?.fastTrack).to.equal(false);
      expect((await queue(label)).map((item) => [item.id, item.fastTrack])).to.deep.equal([
        [first.id, false],
        [application.id, false],
      ]);
    });

    it("a holder of a valid certificate submits a new file already fast-tracked", async () => {
      const holder = await signedIn("applicant", "Ilyas Titulaire");
      const { session } = await sessionWith([[holder.user, "passed"]]);
      await issue(session);
      // The certificate was made out to the person, before the company existed.
      const company = await createCompany({ owner: holder.user, name: "Titulaire Nouvelle SARL" });
      context().clock.set(new Date(AFTER_DEFAULT_START.getTime() + HOUR_MS));
      const application = await submitted(holder.session, company.id);
      expect(application.fastTrack).to.equal(true);
      expect((await Application.findByPk(application.id))?.fastTrack).to.equal(true);
    });
  });

  describe("a manager invited by the accountant", () => {
    it("is enrolled by the prescriber, certified without an account, and finds the certificate after claiming the company", async () => {
      const managerEmail = uniqueEmail("dirigeant");
      const registered = await apiPost(prescriber.session, "/companies", {
        ...companyPayload({ name: "Client Invité SARL" }),
        managerName: "Hassan Tazi",
        managerEmail,
      });
      expect(registered.status, registered.text).to.equal(201);
      const company = registered.body as CompanyBody;
      const token = await tokenFromLatestMail(managerEmail, "/revendiquer-entreprise");

      const session = await createTrainingSession({ trainer: trainer.user });
      const enrolment = await enrolThroughApi(prescriber.session, session.id, { companyId: company.id });
      expect(enrolment).to.deep.include({ holderName: "Hassan Tazi", holderEmail: managerEmail });
      context().clock.set(AFTER_DEFAULT_START);
      await setResultDirectly(enrolment.id, "passed", { recordedBy: trainer.user.id });
      await issue(session);
      const [certificate] = await certificatesOf(session.id);
      if (!certificate) throw new Error("no certificate");
      expect(certificate).to.deep.include({
        holderUserId: null,
        holderName: "Hassan Tazi",
        holderEmail: managerEmail,
        companyId: company.id,
        companyName: "Client Invité SARL",
      });
      // The e-mail went to the address the accountant gave.
      expect(await outboxTo(managerEmail, "certificate-issued")).to.have.length(1);

      const user = await createUser({ role: "applicant", email: managerEmail, fullName: "Hassan Tazi" });
      context().clock.set(AFTER_DEFAULT_START);
      const manager = await signIn(context().app, managerEmail, TEST_PASSWORD);
      expect((await certificatesAs(manager)).total).to.equal(0);
      expectProblem(await apiGet(manager, `/certificates/${certificate.id}/pdf`), 404, "not-found");

      const claimed = await apiPost(manager, "/companies/claim", { token });
      expect(claimed.status, claimed.text).to.equal(200);

      const list = await certificatesAs(manager);
      expect(list.items.map((item) => item.id)).to.deep.equal([certificate.id]);
      expect(list.items[0]?.permissions).to.deep.equal({ download: true, revoke: false });
      const pdf = await getBinary(manager, `/certificates/${certificate.id}/pdf`);
      expect(pdf.status).to.equal(200);
      expect((pdf.body as Buffer).subarray(0, 5).toString("latin1")).to.equal("%PDF-");
      expect((await Enrolment.findByPk(enrolment.id))?.userId).to.equal(user.id);
      const enrolments = (await apiGet(manager, "/training/enrolments")).body as ListBody<EnrolmentBody>;
      expect(enrolments.items.map((item) => item.id)).to.deep.equal([enrolment.id]);
    });
  });
});
