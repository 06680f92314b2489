import { createHash, randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import { localDate, type Clock } from "../domain/calendar.js";
import { AppError } from "../errors.js";
import { displayDate } from "../i18n/format.js";
import type { Locale } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { queueEmail, queueEmails, type EmailToQueue } from "../mail/outbox.js";
import { Certificate, CertificateJob, modelsSequelize, TrainingSession, User } from "../models/index.js";
import type { CertificatePdfData } from "../pdf/certificate.js";
import { inlineRenderer, startRenderPool, type CertificateRenderer } from "../pdf/renderPool.js";
import { buildCredential } from "../signing/credential.js";
import type { CertificateSigner } from "../signing/keys.js";
import { newStorageKey, type DocumentStore } from "../storage/documentStore.js";
import { SYSTEM_ACTOR, type Actor } from "./actor.js";
import { recordAudit } from "./auditRecorder.js";

export const ISSUE_CERTIFICATES_TASK = "issue_certificates";
export const CERTIFICATE_JOB_MAX_ATTEMPTS = 10;
/**
 * Certificates numbered per transaction, and rendered and recorded together: each chunk costs a
 * few statements whatever its size, and the year's counter stays locked for a fraction of a second.
 */
const ISSUE_CHUNK = 100;
/** From this many certificates to produce, a batch renders on a pool of threads. */
const RENDER_THREADS_FROM = 200;

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

/** Progress = certificates of the job that are complete (PDF stored, e-mail queued), recounted. */
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

/**
 * Adds the certificates completed in the caller's transaction to their jobs' progress. Recounting
 * (refreshProgress) reads every certificate of the session: done after each chunk it made a batch
 * quadratic, so a batch recounts only when it starts and ends. The total grows only if people
 * passed after the batch was requested (the batch issues theirs too).
 */
async function addProgress(transaction: Transaction, completed: ReadonlyMap<string, number>): Promise<void> {
  for (const [jobId, count] of completed) {
    await modelsSequelize().query(
      `UPDATE certificate_jobs SET done = done + :count, total = GREATEST(total, done + :count), heartbeat_at = now()
       WHERE id = :jobId`,
      { transaction, replacements: { jobId, count } },
    );
  }
}

interface PassedEnrolment {
  id: string;
  user_id: string | null;
  company_id: string | null;
  holder_name: string;
  holder_email: string;
  company_name: string | null;
}

/** An issued certificate still without its PDF: what rendering and recording it need. */
interface PendingCertificate {
  id: string;
  jobId: string | null;
  sessionId: string;
  number: string;
  verificationCode: string;
  holderUserId: string | null;
  holderName: string;
  holderEmail: string;
  companyName: string | null;
  courseTitle: string;
  issuedAt: Date;
  issuedOn: string;
  keyId: string;
}

/**
 * Wall time of each phase of a batch, in milliseconds, logged when it ends. Rendering runs on
 * other threads while the next chunk is numbered, so the phases overlap and do not add up to the
 * batch's duration.
 */
interface BatchTimings {
  /** Numbering, signing and recording a chunk: the issuing transaction. */
  issue: number;
  /** Building and signing the credentials, within `issue`. */
  sign: number;
  /** Waiting for a chunk's PDFs. */
  render: number;
  /** Copying the PDFs into the document store. */
  store: number;
  /** Recording the PDFs and queuing the e-mails: the completing transaction. */
  record: number;
}

/**
 * The year's next `count` numbers of a series, in one statement: the counter row stays locked
 * until the caller's transaction ends, as with nextReference, so numbers are gapless.
 */
async function nextReferences(
  transaction: Transaction,
  series: string,
  year: number,
  digits: number,
  count: number,
): Promise<string[]> {
  const [row] = await modelsSequelize().query<{ last_value: number }>(
    `INSERT INTO reference_counters (series, year, last_value) VALUES (:series, :year, :count)
     ON CONFLICT (series, year) DO UPDATE SET last_value = reference_counters.last_value + :count
     RETURNING last_value`,
    { type: QueryTypes.SELECT, transaction, replacements: { series, year, count } },
  );
  if (!row) throw new Error("reference counter did not answer");
  const first = row.last_value - count + 1;
  return Array.from(
    { length: count },
    (_, index) => `${series}-${year}-${String(first + index).padStart(digits, "0")}`,
  );
}

/**
 * Numbers, signs and records the next certificates, in one transaction of a few statements
 * whatever their number: the year's counter row stays locked until commit, so numbers are gapless
 * even when a worker dies (its transaction, numbers included, is rolled back).
 */
async function issueNextCertificates(
  deps: CertificateIssuing,
  job: CertificateJob,
  session: TrainingSession,
  actor: Actor,
  timings: BatchTimings,
): Promise<PendingCertificate[]> {
  const started = performance.now();
  const issued = await deps.sequelize.transaction(async (transaction) => {
    const sequelize = modelsSequelize();
    const enrolments = await sequelize.query<PassedEnrolment>(
      `SELECT e.id, e.user_id, e.company_id, e.holder_name, e.holder_email, co.name AS company_name
       FROM enrolments e LEFT JOIN companies co ON co.id = e.company_id
       WHERE ${AWAITING_CERTIFICATE}
       ORDER BY e.position
       LIMIT :limit
       FOR UPDATE OF e SKIP LOCKED`,
      { type: QueryTypes.SELECT, transaction, replacements: { sessionId: session.id, limit: ISSUE_CHUNK } },
    );
    if (enrolments.length === 0) return [];
    const issuedAt = deps.clock.now();
    const issuedOn = localDate(issuedAt);
    const numbers = await nextReferences(transaction, "PN", Number(issuedOn.slice(0, 4)), 6, enrolments.length);
    const signing = performance.now();
    const certificates = enrolments.map((enrolment, index) => {
      const certificate: PendingCertificate = {
        id: randomUUID(),
        jobId: job.id,
        sessionId: session.id,
        number: numbers[index] ?? "",
        verificationCode: newVerificationCode(),
        holderUserId: enrolment.user_id,
        holderName: enrolment.holder_name,
        holderEmail: enrolment.holder_email,
        companyName: enrolment.company_name,
        courseTitle: session.title,
        issuedAt,
        issuedOn,
        keyId: deps.signer.keyId,
      };
      const credential = buildCredential(
        {
          certificateId: certificate.id,
          number: certificate.number,
          holderName: enrolment.holder_name,
          companyName: enrolment.company_name,
          courseTitle: session.title,
          sessionCity: session.city,
          sessionStartsAt: session.startsAt,
          sessionEndsAt: session.endsAt,
          issuedAt,
          verificationUrl: verificationUrlOf(deps.publicUrl, certificate.verificationCode),
        },
        deps.signer,
        deps.publicUrl,
      );
      return { certificate, enrolment, credential: JSON.stringify(credential) };
    });
    timings.sign += performance.now() - signing;
    const column = <T>(pick: (item: (typeof certificates)[number]) => T): T[] => certificates.map(pick);
    await sequelize.query(
      `INSERT INTO certificates (id, enrolment_id, session_id, number, verification_code, holder_user_id, holder_name,
         holder_email, company_id, company_name, course_title, issued_at, issued_on, key_id, credential, job_id)
       SELECT id, enrolment_id, $1, number, verification_code, holder_user_id, holder_name, holder_email, company_id,
         company_name, $2, $3, $4, $5, credential::jsonb, $6
       FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::uuid[],
         $15::text[], $16::text[])
         AS c(id, enrolment_id, number, verification_code, holder_user_id, holder_name, holder_email, company_id,
           company_name, credential)`,
      {
        transaction,
        bind: [
          session.id,
          session.title,
          issuedAt,
          issuedOn,
          deps.signer.keyId,
          job.id,
          column((item) => item.certificate.id),
          column((item) => item.enrolment.id),
          column((item) => item.certificate.number),
          column((item) => item.certificate.verificationCode),
          column((item) => item.enrolment.user_id),
          column((item) => item.enrolment.holder_name),
          column((item) => item.enrolment.holder_email),
          column((item) => item.enrolment.company_id),
          column((item) => item.enrolment.company_name),
          column((item) => item.credential),
        ],
      },
    );
    // One audit event per certificate, as recordAudit writes it; the trigger chains them in order.
    await sequelize.query(
      `INSERT INTO audit_events (actor_id, actor_role, action, entity_type, entity_id, before, after, ip, request_id,
         position, previous_hash, hash)
       SELECT $1, $2, 'certificate.issued', 'certificate', entity_id, NULL, after::jsonb, $3, $4, 0, '', ''
       FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS a(entity_id, after, position)
       ORDER BY position`,
      {
        transaction,
        bind: [
          actor.userId,
          actor.role,
          actor.ip,
          actor.requestId,
          column((item) => item.certificate.id),
          column((item) =>
            JSON.stringify({
              number: item.certificate.number,
              enrolmentId: item.enrolment.id,
              sessionId: session.id,
              holderName: item.enrolment.holder_name,
            }),
          ),
        ],
      },
    );
    await refreshFastTrack(transaction, { certificateEnrolmentIds: enrolments.map((enrolment) => enrolment.id) });
    return certificates.map((item) => item.certificate);
  });
  timings.issue += performance.now() - started;
  return issued;
}

/** Certificates of the job issued without their PDF (a worker died in between), in number order. */
async function unfinishedCertificates(jobId: string, limit: number): Promise<PendingCertificate[]> {
  return modelsSequelize().query<PendingCertificate>(
    `SELECT id, job_id AS "jobId", session_id AS "sessionId", number, verification_code AS "verificationCode",
       holder_user_id AS "holderUserId", holder_name AS "holderName", holder_email AS "holderEmail",
       company_name AS "companyName", course_title AS "courseTitle", issued_at AS "issuedAt",
       issued_on::text AS "issuedOn", key_id AS "keyId"
     FROM certificates WHERE job_id = :jobId AND pdf_key IS NULL
     ORDER BY number LIMIT :limit`,
    { type: QueryTypes.SELECT, replacements: { jobId, limit } },
  );
}

/** The batch acts for the person who asked for it. */
async function batchActor(job: CertificateJob): Promise<Actor> {
  const requester = await User.findByPk(job.requestedBy, { attributes: ["id", "role"] });
  return { ...SYSTEM_ACTOR, userId: job.requestedBy, role: requester?.role ?? null, requestId: job.requestId };
}

function pdfDataOf(
  deps: CertificateIssuing,
  certificate: PendingCertificate,
  session: TrainingSession,
): CertificatePdfData {
  return {
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
  };
}

/** PDFs copied into the store at once: enough to overlap the disk's flushes, few open files. */
const STORE_CONCURRENCY = 8;

interface StoredPdf {
  certificate: PendingCertificate;
  key: string;
  sha256: string;
  size: number;
}

/**
 * Copies a rendered PDF into the document store (complete or absent, never half) through a
 * scratch file: the store takes files. The scratch file needs no flush: only the store's copy is
 * ever referenced.
 */
async function storePdf(store: DocumentStore, pdf: Buffer): Promise<string> {
  const scratch = path.join(os.tmpdir(), `moussanada-certificate-${randomBytes(8).toString("hex")}.pdf`);
  const key = newStorageKey();
  try {
    await writeFile(scratch, pdf, { mode: 0o600, flag: "wx" });
    await store.putFile(key, scratch, "application/pdf");
    return key;
  } catch (error) {
    await store.remove(key).catch(() => undefined);
    throw error;
  } finally {
    await rm(scratch, { force: true });
  }
}

/** A chunk's PDFs, in its order, from the render threads (or this thread for a small batch). */
async function renderPdfs(
  deps: CertificateIssuing,
  certificates: readonly PendingCertificate[],
  session: TrainingSession,
  renderer: CertificateRenderer,
): Promise<Buffer[]> {
  return Promise.all(certificates.map((certificate) => renderer.render(pdfDataOf(deps, certificate, session))));
}

/**
 * Rendered PDFs copied to the document store, then recorded with the holders' e-mails in one
 * transaction. Run again after a crash, the batch redoes only what was not recorded; a PDF another
 * worker recorded first is removed from the store.
 */
async function storeAndRecord(
  deps: CertificateIssuing,
  certificates: readonly PendingCertificate[],
  pdfs: readonly Buffer[],
  timings: BatchTimings,
): Promise<void> {
  let started = performance.now();
  const stored: StoredPdf[] = [];
  try {
    for (let index = 0; index < pdfs.length; index += STORE_CONCURRENCY) {
      const slice = pdfs.slice(index, index + STORE_CONCURRENCY);
      const settled = await Promise.allSettled(slice.map((pdf) => storePdf(deps.store, pdf)));
      settled.forEach((result, offset) => {
        const certificate = certificates[index + offset];
        const pdf = slice[offset];
        if (result.status !== "fulfilled" || !certificate || !pdf) return;
        stored.push({
          certificate,
          key: result.value,
          // Hashed from memory: the bytes written are these.
          sha256: createHash("sha256").update(pdf).digest("hex"),
          size: pdf.length,
        });
      });
      const failed = settled.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    }
  } catch (error) {
    await Promise.all(stored.map(({ key }) => deps.store.remove(key).catch(() => undefined)));
    throw error;
  }
  timings.store += performance.now() - started;

  started = performance.now();
  let recordedKeys: Set<string>;
  try {
    recordedKeys = await recordPdfs(deps, stored);
  } catch (error) {
    await Promise.all(stored.map(({ key }) => deps.store.remove(key).catch(() => undefined)));
    throw error;
  }
  timings.record += performance.now() - started;
  // Another worker recorded its own copy first: ours are not referenced by anything.
  await Promise.all(
    stored.filter(({ key }) => !recordedKeys.has(key)).map(({ key }) => deps.store.remove(key).catch(() => undefined)),
  );
}

/**
 * Records the stored PDFs of the certificates still without one and queues their e-mails, in
 * one transaction; returns the keys recorded. The update takes each row's lock and skips rows
 * another worker completed meanwhile.
 */
async function recordPdfs(deps: CertificateIssuing, stored: readonly StoredPdf[]): Promise<Set<string>> {
  return deps.sequelize.transaction(async (transaction) => {
    const updated = await modelsSequelize().query<{ id: string; pdf_key: string; locale: Locale | null }>(
      `WITH stored AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS s(id, pdf_key, pdf_sha256, pdf_size)
       ), updated AS (
         UPDATE certificates c SET pdf_key = s.pdf_key, pdf_sha256 = s.pdf_sha256, pdf_size = s.pdf_size,
           updated_at = now()
         FROM stored s WHERE c.id = s.id AND c.pdf_key IS NULL
         RETURNING c.id, c.pdf_key, c.holder_user_id
       )
       SELECT updated.id, updated.pdf_key, u.locale FROM updated LEFT JOIN users u ON u.id = updated.holder_user_id`,
      {
        type: QueryTypes.SELECT,
        transaction,
        bind: [
          stored.map((item) => item.certificate.id),
          stored.map((item) => item.key),
          stored.map((item) => item.sha256),
          stored.map((item) => item.size),
        ],
      },
    );
    const localeOf = new Map(updated.map((row) => [row.id, row.locale ?? "fr"] as const));
    const recorded = stored.filter((item) => localeOf.has(item.certificate.id));
    await queueEmails(
      transaction,
      recorded.map(({ certificate, key }) =>
        certificateIssuedEmail(deps, certificate, key, localeOf.get(certificate.id) ?? "fr"),
      ),
    );
    const completed = new Map<string, number>();
    for (const { certificate } of recorded) {
      if (certificate.jobId) completed.set(certificate.jobId, (completed.get(certificate.jobId) ?? 0) + 1);
    }
    await addProgress(transaction, completed);
    return new Set(recorded.map(({ key }) => key));
  });
}

function certificateIssuedEmail(
  deps: CertificateDeps,
  certificate: PendingCertificate,
  pdfKey: string,
  locale: Locale,
): EmailToQueue {
  return {
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
    attachments: [{ filename: certificatePdfName(certificate), contentType: "application/pdf", storageKey: pdfKey }],
  };
}

async function holderLocale(transaction: Transaction, certificate: Certificate): Promise<Locale> {
  if (!certificate.holderUserId) return "fr";
  const holder = await User.findByPk(certificate.holderUserId, { transaction, attributes: ["locale"] });
  return holder?.locale ?? "fr";
}

export function certificatePdfName(certificate: Pick<Certificate, "number">): string {
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
  await refreshProgress(null, jobId, session.id);
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
  const started = performance.now();
  await job.reload();
  // Render threads cost their start (about a second); a small batch renders in this thread.
  const renderer = job.total - job.done >= RENDER_THREADS_FROM ? startRenderPool() : inlineRenderer();
  const timings: BatchTimings = { issue: 0, sign: 0, render: 0, store: 0, record: 0 };
  try {
    await issueWholeBatch(deps, job, session, renderer, timings);
  } finally {
    clearInterval(heartbeat);
    await renderer.close();
  }
  await refreshProgress(null, jobId, session.id);
  await sequelize.query(
    "UPDATE certificate_jobs SET status = 'succeeded', finished_at = now(), worker_id = NULL WHERE id = :jobId",
    { replacements: { jobId } },
  );
  await job.reload();
  deps.logger.info(
    {
      jobId,
      sessionId: session.id,
      certificates: job.done,
      ms: Math.round(performance.now() - started),
      renderThreads: renderer.threads,
      phases: {
        ...Object.fromEntries(Object.entries(timings).map(([phase, ms]) => [phase, Math.round(ms)])),
        renderInThreads: Math.round(renderer.renderMs),
      },
    },
    "certificate batch finished",
  );
}

/** Chunks whose PDFs are queued on the render threads at once: the threads never wait for the next. */
const CHUNKS_IN_RENDER = 2;

/** The promise, marked as handled: it may reject while the batch awaits something else. */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Certificates left without their PDF first, then chunk after chunk, as a pipeline: while the
 * render threads draw two chunks, the next chunk is numbered and signed and the previous one is
 * stored and recorded, so the threads, the database and the disk work at the same time.
 */
async function issueWholeBatch(
  deps: CertificateIssuing,
  job: CertificateJob,
  session: TrainingSession,
  renderer: CertificateRenderer,
  timings: BatchTimings,
): Promise<void> {
  for (;;) {
    const unfinished = await unfinishedCertificates(job.id, ISSUE_CHUNK);
    if (unfinished.length === 0) break;
    const started = performance.now();
    const pdfs = await renderPdfs(deps, unfinished, session, renderer);
    timings.render += performance.now() - started;
    await storeAndRecord(deps, unfinished, pdfs, timings);
  }
  const actor = await batchActor(job);
  const issue = () => observed(issueNextCertificates(deps, job, session, actor, timings));
  const rendering: Array<{ certificates: PendingCertificate[]; pdfs: Promise<Buffer[]> }> = [];
  let next = issue();
  let finishing: Promise<void> = Promise.resolve();
  let issuing = true;
  try {
    for (;;) {
      if (issuing) {
        const certificates = await next;
        if (certificates.length > 0) {
          rendering.push({ certificates, pdfs: observed(renderPdfs(deps, certificates, session, renderer)) });
          next = issue();
        } else issuing = false;
        if (issuing && rendering.length < CHUNKS_IN_RENDER) continue;
      }
      const oldest = rendering.shift();
      if (!oldest) break;
      const started = performance.now();
      const pdfs = await oldest.pdfs;
      timings.render += performance.now() - started;
      // One chunk is stored and recorded at a time: chunks complete in order, memory stays bounded.
      await finishing;
      finishing = observed(storeAndRecord(deps, oldest.certificates, pdfs, timings));
    }
    await finishing;
  } catch (error) {
    // Nothing of this batch runs on behind the error: the job is retried from the database's state.
    await Promise.allSettled([next, finishing, ...rendering.map(({ pdfs }) => pdfs)]);
    throw error;
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
  // One statement finds and counts: the busiest public endpoint makes one round trip.
  const [certificate] = await modelsSequelize().query<Certificate>(
    `WITH found AS (
       SELECT id, number, holder_name, issued_on, course_title, status, revoked_at
         FROM certificates WHERE verification_code = :code
     ), counted AS (
       INSERT INTO certificate_verifications (certificate_id) SELECT id FROM found
     )
     SELECT * FROM found`,
    { replacements: { code }, type: QueryTypes.SELECT, model: Certificate, mapToModel: true },
  );
  if (!certificate) throw AppError.notFound();
  return certificate;
}
