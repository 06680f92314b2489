import Joi from "joi";
import { QueryTypes, type Transaction } from "sequelize";
import { verificationUrlOf } from "../../commands/certificates.js";
import {
  modelsSequelize,
  SEATED_STATUSES,
  type Certificate,
  type CertificateJob,
  type Enrolment,
  type TrainingSession,
  type User,
} from "../../models/index.js";

const instant = () => Joi.string().isoDate();
const permissions = (...names: string[]) =>
  Joi.object(Object.fromEntries(names.map((name) => [name, Joi.boolean().required()])));

export const sessionSchema = Joi.object({
  id: Joi.string().guid(),
  title: Joi.string(),
  description: Joi.string().allow(""),
  city: Joi.string(),
  venue: Joi.string().allow(null),
  onlineUrl: Joi.string().allow(null),
  startsAt: instant(),
  endsAt: instant(),
  capacity: Joi.number().integer(),
  passMark: Joi.number().integer(),
  status: Joi.string().valid("scheduled", "cancelled"),
  trainer: Joi.object({ id: Joi.string().guid(), fullName: Joi.string() }),
  enrolledCount: Joi.number().integer(),
  waitlistCount: Joi.number().integer(),
  seatsLeft: Joi.number().integer(),
  hasStarted: Joi.boolean(),
  myEnrolment: Joi.object({
    id: Joi.string().guid(),
    status: Joi.string(),
    waitlistPosition: Joi.number().integer().allow(null),
  }).allow(null),
  permissions: permissions("update", "enrol", "manage", "issueCertificates"),
}).label("TrainingSession");

export const enrolmentSchema = Joi.object({
  id: Joi.string().guid(),
  sessionId: Joi.string().guid(),
  status: Joi.string().valid("enrolled", "waitlisted", "cancelled", "attended", "passed", "failed"),
  attended: Joi.boolean().allow(null),
  score: Joi.number().integer().allow(null),
  holderName: Joi.string(),
  holderEmail: Joi.string(),
  company: Joi.object({ id: Joi.string().guid(), name: Joi.string() }).allow(null),
  waitlistPosition: Joi.number().integer().allow(null),
  enrolledBy: Joi.object({ id: Joi.string().guid(), fullName: Joi.string(), role: Joi.string() }),
  createdAt: instant(),
  session: Joi.object({
    id: Joi.string().guid(),
    title: Joi.string(),
    city: Joi.string(),
    startsAt: instant(),
    endsAt: instant(),
    passMark: Joi.number().integer(),
    venue: Joi.string().allow(null),
    onlineUrl: Joi.string().allow(null),
  }),
  certificate: Joi.object({ id: Joi.string().guid(), number: Joi.string(), status: Joi.string() }).allow(null),
  permissions: permissions("cancel", "recordResult"),
}).label("Enrolment");

export const certificateSchema = Joi.object({
  id: Joi.string().guid(),
  number: Joi.string().pattern(/^PN-\d{4}-\d{6}$/),
  verificationCode: Joi.string(),
  verificationUrl: Joi.string().uri(),
  status: Joi.string().valid("valid", "revoked"),
  holderName: Joi.string(),
  companyName: Joi.string().allow(null),
  courseTitle: Joi.string(),
  sessionId: Joi.string().guid(),
  issuedOn: Joi.string().isoDate(),
  issuedAt: instant(),
  revokedAt: instant().allow(null),
  revocationReason: Joi.string().allow(null),
  verificationCount: Joi.number().integer(),
  pdfReady: Joi.boolean(),
  permissions: permissions("download", "revoke"),
}).label("Certificate");

export const jobSchema = Joi.object({
  id: Joi.string().guid(),
  kind: Joi.string().valid("certificate_batch"),
  sessionId: Joi.string().guid(),
  status: Joi.string().valid("queued", "running", "succeeded", "failed"),
  total: Joi.number().integer(),
  done: Joi.number().integer(),
  percent: Joi.number().integer().min(0).max(100),
  error: Joi.string().allow(null),
  createdAt: instant(),
  startedAt: instant().allow(null),
  finishedAt: instant().allow(null),
}).label("Job");

export const verificationSchema = Joi.object({
  valid: Joi.boolean(),
  status: Joi.string().valid("valid", "revoked"),
  number: Joi.string(),
  holderName: Joi.string(),
  issuedOn: Joi.string().isoDate(),
  courseTitle: Joi.string(),
  revokedOn: Joi.string().isoDate().allow(null),
}).label("CertificateVerification");

export interface SessionCounts {
  enrolled: number;
  waitlisted: number;
}

/** Seats taken and people waiting, per session, in one query for a whole page. */
export async function sessionCounts(
  sessionIds: string[],
  transaction?: Transaction,
): Promise<Map<string, SessionCounts>> {
  const counts = new Map<string, SessionCounts>();
  if (sessionIds.length === 0) return counts;
  const rows = await modelsSequelize().query<{ session_id: string; enrolled: string; waitlisted: string }>(
    `SELECT session_id,
       count(*) FILTER (WHERE status = ANY(CAST(:seated AS text[]))) AS enrolled,
       count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
     FROM enrolments WHERE session_id = ANY(CAST(:ids AS uuid[])) GROUP BY session_id`,
    {
      type: QueryTypes.SELECT,
      transaction,
      replacements: { ids: `{${sessionIds.join(",")}}`, seated: `{${SEATED_STATUSES.join(",")}}` },
    },
  );
  for (const row of rows) {
    counts.set(row.session_id, { enrolled: Number(row.enrolled), waitlisted: Number(row.waitlisted) });
  }
  return counts;
}

/** 1 = next to be seated; only waitlisted enrolments have a position. */
export async function waitlistPositions(enrolments: Enrolment[]): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  const sessionIds = [
    ...new Set(enrolments.filter((item) => item.status === "waitlisted").map((item) => item.sessionId)),
  ];
  if (sessionIds.length === 0) return positions;
  const rows = await modelsSequelize().query<{ id: string; rank: string }>(
    `SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY position) AS rank
     FROM enrolments WHERE status = 'waitlisted' AND session_id = ANY(CAST(:ids AS uuid[]))`,
    { type: QueryTypes.SELECT, replacements: { ids: `{${sessionIds.join(",")}}` } },
  );
  for (const row of rows) positions.set(row.id, Number(row.rank));
  return positions;
}

export function presentSession(
  session: TrainingSession,
  counts: SessionCounts | undefined,
  now: Date,
  permissionsOfUser: Record<string, boolean>,
  myEnrolment: { id: string; status: string; waitlistPosition: number | null } | null,
) {
  const enrolled = counts?.enrolled ?? 0;
  return {
    id: session.id,
    title: session.title,
    description: session.description,
    city: session.city,
    venue: session.venue,
    onlineUrl: session.onlineUrl,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    capacity: session.capacity,
    passMark: session.passMark,
    status: session.status,
    trainer: { id: session.trainerId, fullName: session.trainer?.fullName ?? "" },
    enrolledCount: enrolled,
    waitlistCount: counts?.waitlisted ?? 0,
    seatsLeft: Math.max(0, session.capacity - enrolled),
    hasStarted: session.hasStarted(now),
    myEnrolment,
    permissions: permissionsOfUser,
  };
}

export function presentEnrolment(
  enrolment: Enrolment & { enroller?: User; certificate?: Certificate | null },
  session: TrainingSession,
  waitlistPosition: number | null,
  permissionsOfUser: Record<string, boolean>,
) {
  const certificate = enrolment.certificate ?? null;
  return {
    id: enrolment.id,
    sessionId: enrolment.sessionId,
    status: enrolment.status,
    attended: enrolment.attended,
    score: enrolment.score,
    holderName: enrolment.holderName,
    holderEmail: enrolment.holderEmail,
    company: enrolment.company ? { id: enrolment.company.id, name: enrolment.company.name } : null,
    waitlistPosition,
    enrolledBy: {
      id: enrolment.enrolledBy,
      fullName: enrolment.enroller?.fullName ?? "",
      role: enrolment.enroller?.role ?? "",
    },
    createdAt: enrolment.createdAt.toISOString(),
    session: {
      id: session.id,
      title: session.title,
      city: session.city,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      passMark: session.passMark,
      venue: session.venue,
      onlineUrl: session.onlineUrl,
    },
    certificate: certificate ? { id: certificate.id, number: certificate.number, status: certificate.status } : null,
    permissions: permissionsOfUser,
  };
}

export function presentCertificate(
  certificate: Certificate,
  publicUrl: string,
  verificationCount: number,
  permissionsOfUser: Record<string, boolean>,
  showsReason: boolean,
) {
  return {
    id: certificate.id,
    number: certificate.number,
    verificationCode: certificate.verificationCode,
    verificationUrl: verificationUrlOf(publicUrl, certificate.verificationCode),
    status: certificate.status,
    holderName: certificate.holderName,
    companyName: certificate.companyName,
    courseTitle: certificate.courseTitle,
    sessionId: certificate.sessionId,
    issuedOn: certificate.issuedOn,
    issuedAt: certificate.issuedAt.toISOString(),
    revokedAt: certificate.revokedAt?.toISOString() ?? null,
    revocationReason: showsReason ? certificate.revocationReason : null,
    verificationCount,
    pdfReady: certificate.pdfKey !== null,
    permissions: permissionsOfUser,
  };
}

export function presentJob(job: CertificateJob) {
  return {
    id: job.id,
    kind: job.kind,
    sessionId: job.sessionId,
    status: job.status,
    total: job.total,
    done: job.done,
    percent: job.total === 0 ? (job.status === "succeeded" ? 100 : 0) : Math.floor((job.done * 100) / job.total),
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** How many times each certificate was checked on the public verification page. */
export async function verificationCounts(certificateIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (certificateIds.length === 0) return counts;
  const rows = await modelsSequelize().query<{ certificate_id: string; count: string }>(
    `SELECT certificate_id, count(*) AS count FROM certificate_verifications
     WHERE certificate_id = ANY(CAST(:ids AS uuid[])) GROUP BY certificate_id`,
    { type: QueryTypes.SELECT, replacements: { ids: `{${certificateIds.join(",")}}` } },
  );
  for (const row of rows) counts.set(row.certificate_id, Number(row.count));
  return counts;
}
