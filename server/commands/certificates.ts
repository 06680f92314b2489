import { randomBytes, randomUUID } from "node:crypto";
import { rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import { localDate, type Clock } from "../domain/calendar.js";
import { AppError } from "../errors.js";
import { displayDate } from "../i18n/format.js";
import type { Locale } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { queueEmail } from "../mail/outbox.js";
import { Certificate, CertificateJob, modelsSequelize, TrainingSession, User } from "../models/index.js";
import { renderCertificatePdfToFile } from "../pdf/certificate.js";
import { buildCredential } from "../signing/credential.js";
import type { CertificateSigner } from "../signing/keys.js";
import { newStorageKey, type DocumentStore } from "../storage/documentStore.js";
import { sha256File } from "../storage/uploadInspection.js";
import { SYSTEM_ACTOR, type Actor } from "./actor.js";
import { nextReference } from "./applications.js";
import { recordAudit } from "./auditRecorder.js";

export const ISSUE_CERTIFICATES_TASK = "issue_certificates";
export const CERTIFICATE_JOB_MAX_ATTEMPTS = 10;
/** Certificates numbered per transaction: short locks on the year's counter, few round trips. */
const ISSUE_CHUNK = 25;

export interface CertificateDeps {
  sequelize: Sequelize;
  clock: Clock;
  publicUrl: string;
}

/** What producing certificates needs beyond the database: the key, the store, a log. */
export interface CertificateIssuing extends CertificateDeps {
  signer: CertificateSigner;
  store: DocumentStore;
  logger: Logger;
  /** Silence after which other workers take a batch over; the batch beats three times faster. */
  staleJobAfterMs: number;
}

export function certificateJobKey(jobId: string): string {
  return `certificates:${jobId}`;
}

export function verificationUrlOf(publicUrl: string, code: string): string {
  return `${publicUrl}/verify/${code}`;
}

/** 128 random bits, URL-safe: 22 characters of base64url. */
function newVerificationCode(): string {
  return randomBytes(16).toString("base64url");
}

/** Certificates still to produce: passed people without one, and issued ones without their PDF. */
/** Enrolments `e` of session :sessionId that passed and still wait for their certificate. */
const AWAITING_CERTIFICATE = `e.session_id = :sessionId AND e.status = 'passed'
  AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = e.id)`;

/** Whether company `co`'s manager holds a valid Permis Numérique: made out to it, or to its owner. */
const HOLDS_VALID_PERMIS = `EXISTS (
  SELECT 1 FROM certificates c
  WHERE c.status = 'valid'
    AND (c.company_id = co.id OR (co.owner_id IS NOT NULL AND c.holder_user_id = co.owner_id)))`;

async function pendingCount(transaction: Transaction, sessionId: string): Promise<number> {
  const [row] = await modelsSequelize().query<{ count: string }>(
    `SELECT
       (SELECT count(*) FROM enrolments e WHERE ${AWAITING_CERTIFICATE})
       + (SELECT count(*) FROM certificates WHERE session_id = :sessionId AND pdf_key IS NULL) AS count`,
    { type: QueryTypes.SELECT, transaction, replacements: { sessionId } },
  );
  return Number(row?.count ?? 0);
}

/**
 * Starts issuing the certificates of a session in the background: one job per session at a time
 * (the database refuses a second), queued in the same transaction as its row.
 */
export async function requestCertificateBatch(
  deps: CertificateDeps,
  sessionId: string,
  requester: User,
  actor: Actor,
): Promise<CertificateJob> {
  return deps.sequelize.transaction(async (transaction) => {
    const session = await TrainingSession.findByPk(sessionId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!session) throw AppError.notFound();
    const active = await CertificateJob.findOne({
      where: { sessionId, status: ["queued", "running"] },
      transaction,
    });
    if (active) {
      throw new AppError("conflict", 409, {
        detailKey: "certificates.batch-running",
        extensions: { jobId: active.id },
      });
    }
    const total = await pendingCount(transaction, sessionId);
    if (total === 0) throw new AppError("nothing-to-issue", 422, { detailKey: "certificates.nothing-to-issue" });
    const job = await CertificateJob.create(
      {
        sessionId,
        requestedBy: requester.id,
        total,
        error: null,
        workerId: null,
        heartbeatAt: null,
        requestId: actor.requestId,
        startedAt: null,
        finishedAt: null,
      },
      { transaction },
    );
    await modelsSequelize().query(
      "SELECT queue_keyed_job(:task, json_build_object('jobId', CAST(:id AS text)), :key, :max)",
      {
        transaction,
        replacements: {
          task: ISSUE_CERTIFICATES_TASK,
          id: job.id,
          key: certificateJobKey(job.id),
          max: CERTIFICATE_JOB_MAX_ATTEMPTS,
        },
      },
    );
    await recordAudit(transaction, actor, {
      action: "certificate-batch.requested",
      entityType: "training_session",
      entityId: sessionId,
      after: { jobId: job.id, total },
    });
    return job;
  });
}

/** Progress = certificates of the job that are complete (PDF stored, e-mail queued). */
async function refreshProgress(transaction: Transaction | null, jobId: string, sessionId: string): Promise<void> {
  await modelsSequelize().query(
    `UPDATE certificate_jobs j SET
       done = counts.complete,
       total = counts.issued + counts.pending,
       heartbeat_at = now()
     FROM (
       SELECT
         (SELECT count(*) FROM certificates WHERE job_id = :jobId AND pdf_key IS NOT NULL) AS complete,
         (SELECT count(*) FROM certificates WHERE job_id = :jobId) AS issued,
         (SELECT count(*) FROM enrolments e WHERE ${AWAITING_CERTIFICATE}) AS pending
     ) AS counts
     WHERE j.id = :jobId`,
    { ...(transaction ? { transaction } : {}), replacements: { jobId, sessionId } },
  );
}

interface PassedEnrolment {
  id: string;
  user_id: string | null;
  company_id: string | null;
  holder_name: string;
  holder_email: string;
  company_name: string | null;
}

/**
 * Numbers, signs and records the next certificates, in one transaction: the year's counter row
 * stays locked until commit, so numbers are gapless even when a worker dies (its transaction,
 * numbers included, is rolled back).
 */
async function issueNextCertificates(
  deps: CertificateIssuing,
  job: CertificateJob,
  session: TrainingSession,
  actor: Actor,
): Promise<number> {
  return deps.sequelize.transaction(async (transaction) => {
    const enrolments = await modelsSequelize().query<PassedEnrolment>(
      `SELECT e.id, e.user_id, e.company_id, e.holder_name, e.holder_email, co.name AS company_name
       FROM enrolments e LEFT JOIN companies co ON co.id = e.company_id
       WHERE ${AWAITING_CERTIFICATE}
       ORDER BY e.position
       LIMIT :limit
       FOR UPDATE OF e SKIP LOCKED`,
      { type: QueryTypes.SELECT, transaction, replacements: { sessionId: session.id, limit: ISSUE_CHUNK } },
    );
    const issuedAt = deps.clock.now();
    const issuedOn = localDate(issuedAt);
    for (const enrolment of enrolments) {
      const number = await nextReference(transaction, "PN", Number(issuedOn.slice(0, 4)), 6);
      const verificationCode = newVerificationCode();
      const certificateId = randomUUID();
      const credential = buildCredential(
        {
          certificateId,
          number,
          holderName: enrolment.holder_name,
          companyName: enrolment.company_name,
          courseTitle: session.title,
          sessionCity: session.city,
          sessionStartsAt: session.startsAt,
          sessionEndsAt: session.endsAt,
          issuedAt,
          verificationUrl: verificationUrlOf(deps.publicUrl, verificationCode),
        },
        deps.signer,
        deps.publicUrl,
      );
      const certificate = await Certificate.create(
        {
          id: certificateId,
          enrolmentId: enrolment.id,
          sessionId: session.id,
          number,
          verificationCode,
          holderUserId: enrolment.user_id,
          holderName: enrolment.holder_name,
          holderEmail: enrolment.holder_email,
          companyId: enrolment.company_id,
          companyName: enrolment.company_name,
          courseTitle: session.title,
          issuedAt,
          issuedOn,
          keyId: deps.signer.keyId,
          credential: credential as unknown as Record<string, unknown>,
          pdfKey: null,
          pdfSha256: null,
          pdfSize: null,
          jobId: job.id,
          revokedAt: null,
          revokedBy: null,
          revocationReason: null,
        },
        { transaction },
      );
      await recordAudit(transaction, actor, {
        action: "certificate.issued",
        entityType: "certificate",
        entityId: certificate.id,
        after: { number, enrolmentId: enrolment.id, sessionId: session.id, holderName: enrolment.holder_name },
      });
    }
    if (enrolments.length > 0) {
      await refreshFastTrack(transaction, { certificateEnrolmentIds: enrolments.map((enrolment) => enrolment.id) });
    }
    await refreshProgress(transaction, job.id, session.id);
    return enrolments.length;
  });
}

/** The batch acts for the person who asked for it. */
async function batchActor(job: CertificateJob): Promise<Actor> {
  const requester = await User.findByPk(job.requestedBy, { attributes: ["id", "role"] });
  return { ...SYSTEM_ACTOR, userId: job.requestedBy, role: requester?.role ?? null, requestId: job.requestId };
}

/**
 * The PDF of an issued certificate: rendered to a temporary file renamed when complete, copied to
 * the document store (complete or absent, never half), then recorded with the holder's e-mail.
 * Run again after a crash, it redoes only what was not recorded.
 */
export async function completeCertificate(
  deps: CertificateIssuing,
  certificateId: string,
  session: TrainingSession,
): Promise<void> {
  const certificate = await Certificate.findByPk(certificateId);
  if (!certificate || certificate.pdfKey !== null) return;
  const temporary = path.join(os.tmpdir(), `moussanada-certificate-${randomBytes(8).toString("hex")}.pdf`);
  const key = newStorageKey();
  try {
    await renderCertificatePdfToFile(
      {
        number: certificate.number,
        holderName: certificate.holderName,
        companyName: certificate.companyName,
        courseTitle: certificate.courseTitle,
        city: session.city,
        sessionStartsAt: session.startsAt,
        sessionEndsAt: session.endsAt,
        issuedAt: certificate.issuedAt,
        verificationUrl: verificationUrlOf(deps.publicUrl, certificate.verificationCode),
        verificationCode: certificate.verificationCode,
        keyId: certificate.keyId,
      },
      temporary,
    );
    const [sha256, { size }] = await Promise.all([sha256File(temporary), stat(temporary)]);
    await deps.store.putFile(key, temporary, "application/pdf");
    const recorded = await deps.sequelize.transaction(async (transaction) => {
      const locked = await Certificate.findByPk(certificateId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!locked || locked.pdfKey !== null) return false;
      await locked.update({ pdfKey: key, pdfSha256: sha256, pdfSize: size }, { transaction });
      await queueCertificateIssuedEmail(deps, transaction, locked);
      if (locked.jobId) await refreshProgress(transaction, locked.jobId, locked.sessionId);
      return true;
    });
    // Another worker recorded its own copy first: ours is not referenced by anything.
    if (!recorded) await deps.store.remove(key);
  } catch (error) {
    await deps.store.remove(key).catch(() => undefined);
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function holderLocale(transaction: Transaction, certificate: Certificate): Promise<Locale> {
  if (!certificate.holderUserId) return "fr";
  const holder = await User.findByPk(certificate.holderUserId, { transaction, attributes: ["locale"] });
  return holder?.locale ?? "fr";
}

async function queueCertificateIssuedEmail(
  deps: CertificateDeps,
  transaction: Transaction,
  certificate: Certificate,
): Promise<void> {
  const locale = await holderLocale(transaction, certificate);
  if (!certificate.pdfKey) return;
  await queueEmail(transaction, {
    to: certificate.holderEmail,
    template: "certificate-issued",
    locale,
    data: {
      recipientName: certificate.holderName,
      certificateNumber: certificate.number,
      courseTitle: certificate.courseTitle,
      issuedOn: displayDate(certificate.issuedOn, locale),
      verificationUrl: verificationUrlOf(deps.publicUrl, certificate.verificationCode),
      certificatesUrl: `${deps.publicUrl}/mes-formations`,
    },
    attachments: [
      {
        filename: certificatePdfName(certificate),
        contentType: "application/pdf",
        storageKey: certificate.pdfKey,
      },
    ],
  });
}

export function certificatePdfName(certificate: Certificate): string {
  return `permis-numerique-${certificate.number}.pdf`;
}

/**
 * The whole batch of a session, resumable: certificates recorded without their PDF (a worker died
 * between the two steps) are finished first, then the next ones are numbered, until none is left.
 */
export async function processCertificateJob(deps: CertificateIssuing, jobId: string, workerId: string): Promise<void> {
  const job = await CertificateJob.findByPk(jobId);
  if (!job || job.status === "succeeded" || job.status === "failed") return;
  const session = await TrainingSession.findByPk(job.sessionId);
  if (!session) throw new Error(`certificate job ${jobId}: session ${job.sessionId} is gone`);
  const sequelize = modelsSequelize();
  await sequelize.query(
    `UPDATE certificate_jobs SET status = 'running', worker_id = :workerId, heartbeat_at = now(),
       started_at = COALESCE(started_at, now()) WHERE id = :jobId`,
    { replacements: { jobId, workerId } },
  );
  // Certificates of an earlier batch of this session left without their PDF become this one's.
  await sequelize.query(
    "UPDATE certificates SET job_id = :jobId WHERE session_id = :sessionId AND pdf_key IS NULL AND job_id IS DISTINCT FROM :jobId",
    { replacements: { jobId, sessionId: session.id } },
  );
  // Alive is not the same as fast: the heartbeat does not wait for the next certificate.
  const heartbeat = setInterval(
    () =>
      void sequelize
        .query(
          `UPDATE certificate_jobs SET heartbeat_at = now(), worker_id = :workerId
           WHERE id = :jobId AND status = 'running' AND (worker_id IS NULL OR worker_id = :workerId)`,
          { replacements: { jobId, workerId } },
        )
        .catch((error: unknown) => deps.logger.warn({ err: error, jobId }, "certificate batch heartbeat failed")),
    Math.max(100, Math.floor(deps.staleJobAfterMs / 3)),
  );
  try {
    await issueWholeBatch(deps, job, session);
  } finally {
    clearInterval(heartbeat);
  }
  await refreshProgress(null, jobId, session.id);
  await sequelize.query(
    "UPDATE certificate_jobs SET status = 'succeeded', finished_at = now(), worker_id = NULL WHERE id = :jobId",
    { replacements: { jobId } },
  );
  deps.logger.info({ jobId, sessionId: session.id }, "certificate batch finished");
}

async function issueWholeBatch(deps: CertificateIssuing, job: CertificateJob, session: TrainingSession): Promise<void> {
  const jobId = job.id;
  const actor = await batchActor(job);
  for (;;) {
    const unfinished = await Certificate.findAll({
      where: { jobId, pdfKey: null },
      attributes: ["id"],
      order: [["number", "ASC"]],
      limit: ISSUE_CHUNK,
    });
    if (unfinished.length > 0) {
      for (const certificate of unfinished) await completeCertificate(deps, certificate.id, session);
      continue;
    }
    const issued = await issueNextCertificates(deps, job, session, actor);
    if (issued === 0) return;
  }
}

/** The job queue gave up on a batch: it says so, with the reason, instead of running forever. */
export async function failCertificateJob(jobId: string, reason: string): Promise<void> {
  await modelsSequelize().query(
    "UPDATE certificate_jobs SET status = 'failed', error = :reason, finished_at = now(), worker_id = NULL WHERE id = :jobId AND status IN ('queued', 'running')",
    { replacements: { jobId, reason: reason.slice(0, 1000) } },
  );
}

/**
 * Batches whose worker has been silent too long (killed, machine lost): the job queue's lock on
 * them is released and the job queued again under its key, so exactly one worker resumes it.
 */
export async function staleCertificateJobs(staleAfterMs: number): Promise<Array<{ id: string; workerId: string }>> {
  const rows = await modelsSequelize().query<{ id: string; worker_id: string }>(
    `WITH stale AS (
       SELECT id, worker_id FROM certificate_jobs
       WHERE status = 'running' AND worker_id IS NOT NULL
         AND heartbeat_at < now() - make_interval(secs => :seconds)
       FOR UPDATE SKIP LOCKED)
     UPDATE certificate_jobs j SET worker_id = NULL, heartbeat_at = now()
     FROM stale WHERE j.id = stale.id
     RETURNING j.id, stale.worker_id`,
    { type: QueryTypes.SELECT, replacements: { seconds: staleAfterMs / 1000 } },
  );
  return rows.map((row) => ({ id: row.id, workerId: row.worker_id }));
}

/**
 * An application is fast-tracked while its company's manager holds a valid Permis Numérique:
 * a certificate made out to the company, or to the user who owns it.
 */
export async function refreshFastTrack(
  transaction: Transaction,
  scope: { companyIds?: string[]; certificateEnrolmentIds?: string[]; certificateIds?: string[] },
): Promise<void> {
  const sequelize = modelsSequelize();
  const companyIds = new Set(scope.companyIds ?? []);
  if (scope.certificateEnrolmentIds?.length || scope.certificateIds?.length) {
    const rows = await sequelize.query<{ company_id: string }>(
      `SELECT DISTINCT co.id AS company_id FROM certificates c
       JOIN companies co ON co.id = c.company_id OR (c.holder_user_id IS NOT NULL AND co.owner_id = c.holder_user_id)
       WHERE c.enrolment_id = ANY(CAST(:enrolmentIds AS uuid[])) OR c.id = ANY(CAST(:certificateIds AS uuid[]))`,
      {
        type: QueryTypes.SELECT,
        transaction,
        replacements: {
          enrolmentIds: `{${(scope.certificateEnrolmentIds ?? []).join(",")}}`,
          certificateIds: `{${(scope.certificateIds ?? []).join(",")}}`,
        },
      },
    );
    for (const row of rows) companyIds.add(row.company_id);
  }
  if (companyIds.size === 0) return;
  await sequelize.query(
    `UPDATE applications a SET fast_track = holds.valid
     FROM (
       SELECT co.id AS company_id, ${HOLDS_VALID_PERMIS} AS valid
       FROM companies co WHERE co.id = ANY(CAST(:companyIds AS uuid[]))
     ) AS holds
     WHERE a.company_id = holds.company_id AND a.fast_track IS DISTINCT FROM holds.valid`,
    { transaction, replacements: { companyIds: `{${[...companyIds].join(",")}}` } },
  );
}

/** Whether the company's manager holds a valid Permis Numérique (its files are then fast-tracked). */
export async function holdsValidPermis(transaction: Transaction, companyId: string): Promise<boolean> {
  const [row] = await modelsSequelize().query<{ valid: boolean }>(
    `SELECT ${HOLDS_VALID_PERMIS} AS valid FROM companies co WHERE co.id = :companyId`,
    { type: QueryTypes.SELECT, transaction, replacements: { companyId } },
  );
  return row?.valid === true;
}

/** The programme manager withdraws a certificate; verification says so from this instant. */
export async function revokeCertificate(
  deps: CertificateDeps,
  id: string,
  reason: string,
  revoker: User,
  actor: Actor,
): Promise<Certificate> {
  return deps.sequelize.transaction(async (transaction) => {
    const certificate = await Certificate.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!certificate) throw AppError.notFound();
    if (certificate.status === "revoked") throw AppError.conflict("certificates.already-revoked");
    const now = deps.clock.now();
    await certificate.update(
      { status: "revoked", revokedAt: now, revokedBy: revoker.id, revocationReason: reason },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: "certificate.revoked",
      entityType: "certificate",
      entityId: certificate.id,
      before: { status: "valid" },
      after: { status: "revoked", reason },
    });
    await refreshFastTrack(transaction, { certificateIds: [certificate.id] });
    const locale = await holderLocale(transaction, certificate);
    await queueEmail(transaction, {
      to: certificate.holderEmail,
      template: "certificate-revoked",
      locale,
      data: {
        recipientName: certificate.holderName,
        certificateNumber: certificate.number,
        reason,
        revokedOn: displayDate(localDate(now), locale),
        certificatesUrl: `${deps.publicUrl}/mes-formations`,
      },
    });
    return certificate;
  });
}

const VERIFICATION_CODE = /^[A-Za-z0-9_-]{22,64}$/;

/** A public check of a code; each check of an existing certificate is counted. */
export async function verifyCertificateCode(code: string): Promise<Certificate> {
  if (!VERIFICATION_CODE.test(code)) throw AppError.notFound();
  const certificate = await Certificate.findOne({
    where: { verificationCode: code },
    attributes: ["id", "number", "holderName", "issuedOn", "courseTitle", "status", "revokedAt"],
  });
  if (!certificate) throw AppError.notFound();
  await modelsSequelize().query("INSERT INTO certificate_verifications (certificate_id) VALUES (:id)", {
    replacements: { id: certificate.id },
  });
  return certificate;
}
