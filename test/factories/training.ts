import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Op, QueryTypes } from "sequelize";
import type request from "supertest";
import {
  Certificate,
  Enrolment,
  OutboxMessage,
  TrainingSession,
  type Company,
  type EnrolmentStatus,
  type User,
} from "../../server/models/index.js";
import type { Express } from "express";
import type { Clock } from "../../server/domain/calendar.js";
import type { Role } from "../../server/models/index.js";
import type { FixedClock } from "../helpers/testApp.js";
import { player, type Player } from "./review.js";
import { captureTransport, type MailTransport } from "../../server/mail/transport.js";
import { API, type BrowserSession } from "../helpers/auth.js";
import { deliverQueuedEmails } from "../helpers/mail.js";
import { TEST_NOW, ownerSequelize, testSequelize } from "../helpers/testDatabase.js";
import { createUser } from "./users.js";

/**
 * The Permis Numérique's fixtures: sessions and enrolments written straight to the database
 * (fast, and free of the API's date rules), the shapes the API answers with, and its requests.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** Where the factory's sessions start by default: 7 days after the tests' "now", 10:00 UTC. */
export const DEFAULT_STARTS_AT = new Date(Date.parse(TEST_NOW) + 7 * DAY_MS);
/** Two hours into the default session: results may be recorded, certificates issued. */
export const AFTER_DEFAULT_START = new Date(DEFAULT_STARTS_AT.getTime() + 2 * HOUR_MS);

// ——— Sessions and enrolments in the database ———

export interface SessionFactoryOptions {
  trainer?: User;
  createdBy?: User;
  title?: string;
  description?: string;
  city?: string;
  venue?: string | null;
  onlineUrl?: string | null;
  startsAt?: Date | string;
  /** Defaults to 7 hours after the start. */
  endsAt?: Date | string;
  capacity?: number;
  passMark?: number;
  status?: "scheduled" | "cancelled";
}

/** A session written by the model (no date rule): by default a trainer of its own, in 7 days. */
export async function createTrainingSession(options: SessionFactoryOptions = {}): Promise<TrainingSession> {
  const trainer = options.trainer ?? (await createUser({ role: "trainer", fullName: "Nadia Formatrice" }));
  const startsAt = new Date(options.startsAt ?? DEFAULT_STARTS_AT);
  const endsAt = new Date(options.endsAt ?? startsAt.getTime() + 7 * HOUR_MS);
  const session = await TrainingSession.create({
    title: options.title ?? "Initiation au numérique — Casablanca",
    description: options.description ?? "",
    city: options.city ?? "Casablanca",
    venue: options.venue === undefined ? "Chambre de commerce, 98 boulevard Mohammed V" : options.venue,
    onlineUrl: options.onlineUrl ?? null,
    startsAt,
    endsAt,
    capacity: options.capacity ?? 20,
    passMark: options.passMark ?? 70,
    status: options.status ?? "scheduled",
    trainerId: trainer.id,
    createdBy: (options.createdBy ?? trainer).id,
  });
  return session;
}

/** The person an enrolment is for: an account, or a manager without one (name and address). */
export type HolderSpec = User | { name: string; email: string };

export interface EnrolmentFactoryOptions {
  /** Presence; defaults to what the status implies (true for attended/passed/failed). */
  attended?: boolean | null;
  /** Score; defaults to 85 for passed, 40 for a present failed, null otherwise. */
  score?: number | null;
  company?: Company | null;
  /** Defaults to the holder's account, or the session's trainer for a holder without one. */
  enrolledBy?: User;
}

function isUser(holder: HolderSpec): holder is User {
  return "role" in holder;
}

/** An enrolment in `status` written by the model, coherent with the table's checks. */
export async function enrolDirectly(
  session: TrainingSession,
  holder: HolderSpec,
  status: EnrolmentStatus = "enrolled",
  options: EnrolmentFactoryOptions = {},
): Promise<Enrolment> {
  const withResult = status === "attended" || status === "passed" || status === "failed";
  const attended = options.attended !== undefined ? options.attended : withResult ? true : null;
  const defaultScore = status === "passed" ? 85 : status === "failed" && attended ? 40 : null;
  const score = options.score !== undefined ? options.score : defaultScore;
  const user = isUser(holder) ? holder : null;
  return Enrolment.create({
    sessionId: session.id,
    userId: user?.id ?? null,
    companyId: options.company?.id ?? null,
    holderName: user ? user.fullName : (holder as { name: string }).name,
    holderEmail: user ? user.email : (holder as { email: string }).email,
    enrolledBy: options.enrolledBy?.id ?? user?.id ?? session.trainerId,
    status,
    attended,
    score,
    resultRecordedBy: withResult ? session.trainerId : null,
    resultRecordedAt: withResult ? new Date(session.startsAt.getTime() + HOUR_MS) : null,
    reminderSentAt: null,
    cancelledAt: status === "cancelled" ? new Date(TEST_NOW) : null,
  });
}

/**
 * Writes a result straight to the database, as the trainer's sheet would (the result rule itself
 * is tested through the API in training.test.ts): `passed` with 85 unless told.
 */
export async function setResultDirectly(
  enrolmentId: string,
  status: "passed" | "failed" | "attended",
  options: { attended?: boolean; score?: number | null; recordedBy?: string | null } = {},
): Promise<void> {
  const attended = options.attended ?? true;
  const score =
    options.score !== undefined
      ? options.score
      : status === "passed"
        ? 85
        : status === "failed" && attended
          ? 40
          : null;
  const [updated] = await Enrolment.update(
    {
      status,
      attended,
      score,
      resultRecordedBy: options.recordedBy ?? null,
      resultRecordedAt: new Date(AFTER_DEFAULT_START),
    },
    { where: { id: enrolmentId } },
  );
  if (updated !== 1) throw new Error(`setResultDirectly: no enrolment ${enrolmentId}`);
}

export interface BulkOptions {
  status?: EnrolmentStatus;
  /** For passed (default 85) and failed (default 40) rows. */
  score?: number;
  /** Holder names "<prefix> 0001"… and addresses "<prefix>-0001-<random>@example.ma". */
  prefix?: string;
}

/**
 * `count` enrolments of people without accounts in one INSERT … SELECT generate_series (1,000
 * rows in a few milliseconds), in arrival order 1…count. Returns their ids in that order.
 */
export async function bulkEnrolments(session: TrainingSession, count: number, options: BulkOptions = {}) {
  const status = options.status ?? "enrolled";
  const withResult = status === "attended" || status === "passed" || status === "failed";
  const score = status === "passed" ? (options.score ?? 85) : status === "failed" ? (options.score ?? 40) : null;
  const prefix = options.prefix ?? "Participant";
  const suffix = randomUUID().slice(0, 8);
  const rows = await testSequelize().query<{ id: string; position: string }>(
    `INSERT INTO enrolments (session_id, user_id, company_id, holder_name, holder_email, enrolled_by, status,
       attended, score, result_recorded_by, result_recorded_at, cancelled_at)
     SELECT :sessionId, NULL, NULL, :prefix || ' ' || lpad(i::text, 4, '0'),
       lower(regexp_replace(:prefix, '[^A-Za-z0-9]+', '-', 'g')) || '-' || lpad(i::text, 4, '0') || '-' || :suffix || '@example.ma',
       :trainerId, :status,
       CAST(:attended AS boolean), CAST(:score AS integer),
       CAST(:recordedBy AS uuid), CAST(:recordedAt AS timestamptz),
       CAST(:cancelledAt AS timestamptz)
     FROM generate_series(1, :count) AS i ORDER BY i
     RETURNING id, position`,
    {
      type: QueryTypes.SELECT,
      replacements: {
        sessionId: session.id,
        prefix,
        suffix,
        trainerId: session.trainerId,
        status,
        attended: withResult ? true : null,
        score,
        recordedBy: withResult ? session.trainerId : null,
        recordedAt: withResult ? new Date(session.startsAt.getTime() + HOUR_MS) : null,
        cancelledAt: status === "cancelled" ? new Date(TEST_NOW) : null,
        count,
      },
    },
  );
  return [...rows].sort((a, b) => Number(a.position) - Number(b.position)).map((row) => row.id);
}

/** `count` passed enrolments (score 85 unless told), for certificate batches. */
export function passedEnrolments(session: TrainingSession, count: number, options: Omit<BulkOptions, "status"> = {}) {
  return bulkEnrolments(session, count, { ...options, status: "passed" });
}

/** Enrolment statuses of a session, counted (by the owner: no policy in the way). */
export async function enrolmentCounts(sessionId: string): Promise<Record<string, number>> {
  const rows = await ownerSequelize().query<{ status: string; count: string }>(
    "SELECT status, count(*) AS count FROM enrolments WHERE session_id = :sessionId GROUP BY status",
    { type: QueryTypes.SELECT, replacements: { sessionId } },
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** Certificates of a session in number order. */
export function certificatesOf(sessionId: string): Promise<Certificate[]> {
  return Certificate.findAll({ where: { sessionId }, order: [["number", "ASC"]] });
}

/** The outbox messages of `template` to `address` (delivered or not), oldest first. */
export function outboxTo(address: string, template: string): Promise<OutboxMessage[]> {
  return OutboxMessage.findAll({
    where: { recipient: { [Op.iLike]: address }, template },
    order: [
      ["createdAt", "ASC"],
      ["id", "ASC"],
    ],
  });
}

/**
 * Runs the queued jobs (certificate batches, then their e-mails) the way the worker does, with the
 * app's clock, so certificates are dated on the app's timeline.
 */
export function runWorker(clock: Clock, transport: MailTransport = captureTransport()): Promise<void> {
  return deliverQueuedEmails(transport, clock);
}

// ——— People ———

/**
 * When the tests' players sign in, on the app's clock. A session ends 12 hours after sign-in on
 * that clock (server/http/auth/sessions.ts), and these suites move the clock across the year
 * (sessions start, reminders go out the day before): signed in at the end of the year, a player
 * stays signed in whatever earlier instant a test sets.
 */
export const SIGN_IN_AT = "2026-12-31T12:00:00Z";

/**
 * Verified users of `role`, one per name, signed in through the API in parallel at SIGN_IN_AT;
 * the clock is put back afterwards.
 */
export async function trainingPlayers(
  context: { app: Express; clock: FixedClock },
  role: Role,
  fullNames: string[],
): Promise<Player[]> {
  const before = context.clock.now();
  context.clock.set(SIGN_IN_AT);
  try {
    return await Promise.all(fullNames.map((fullName) => player(context.app, role, fullName)));
  } finally {
    context.clock.set(before);
  }
}

/** One verified user of `role`, signed in at SIGN_IN_AT (see trainingPlayers). */
export async function trainingPlayer(
  context: { app: Express; clock: FixedClock },
  role: Role,
  fullName: string,
): Promise<Player> {
  const [one] = await trainingPlayers(context, role, [fullName]);
  if (!one) throw new Error("trainingPlayer: nobody signed in");
  return one;
}

// ——— The API's answers (contract of issue 7) ———

export interface SessionBody {
  id: string;
  title: string;
  description: string;
  city: string;
  venue: string | null;
  onlineUrl: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  passMark: number;
  status: "scheduled" | "cancelled";
  trainer: { id: string; fullName: string };
  enrolledCount: number;
  waitlistCount: number;
  seatsLeft: number;
  hasStarted: boolean;
  myEnrolment: { id: string; status: string; waitlistPosition: number | null } | null;
  permissions: { update: boolean; enrol: boolean; manage: boolean; issueCertificates: boolean };
}

export interface EnrolmentBody {
  id: string;
  sessionId: string;
  status: EnrolmentStatus;
  attended: boolean | null;
  score: number | null;
  holderName: string;
  holderEmail: string;
  company: { id: string; name: string } | null;
  waitlistPosition: number | null;
  enrolledBy: { id: string; fullName: string; role: string };
  createdAt: string;
  session: {
    id: string;
    title: string;
    city: string;
    startsAt: string;
    endsAt: string;
    passMark: number;
    onlineUrl: string | null;
    venue: string | null;
  };
  certificate: { id: string; number: string; status: "valid" | "revoked" } | null;
  permissions: { cancel: boolean; recordResult: boolean };
}

export interface JobBody {
  id: string;
  kind: "certificate_batch";
  sessionId: string;
  status: "queued" | "running" | "succeeded" | "failed";
  total: number;
  done: number;
  percent: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CertificateBody {
  id: string;
  number: string;
  verificationCode: string;
  verificationUrl: string;
  status: "valid" | "revoked";
  holderName: string;
  companyName: string | null;
  courseTitle: string;
  sessionId: string;
  issuedOn: string;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  verificationCount: number;
  pdfReady: boolean;
  permissions: { download: boolean; revoke: boolean };
}

// ——— Requests ———

export const apiGet = (caller: BrowserSession, path: string): request.Test => caller.agent.get(`${API}${path}`);

export const apiPost = (caller: BrowserSession, path: string, body: object = {}): request.Test =>
  caller.agent.post(`${API}${path}`).set("X-CSRF-Token", caller.csrfToken).send(body);

export const apiPatch = (caller: BrowserSession, path: string, body: object): request.Test =>
  caller.agent.patch(`${API}${path}`).set("X-CSRF-Token", caller.csrfToken).send(body);

export const apiDelete = (caller: BrowserSession, path: string): request.Test =>
  caller.agent.delete(`${API}${path}`).set("X-CSRF-Token", caller.csrfToken);

/** A valid POST /training/sessions body starting `daysAhead` days after `now`, 09:00–16:00 UTC. */
export function sessionPayload(now: Date | string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const day = new Date(Date.parse(new Date(now).toISOString().slice(0, 10)) + 10 * DAY_MS);
  return {
    title: "Initiation au numérique — Fès",
    description: "Messagerie, facturation en ligne, sécurité des comptes.",
    city: "Fès",
    venue: "Chambre de commerce, avenue des FAR",
    startsAt: new Date(day.getTime() + 9 * HOUR_MS).toISOString(),
    endsAt: new Date(day.getTime() + 16 * HOUR_MS).toISOString(),
    capacity: 20,
    ...overrides,
  };
}

/** POST /training/sessions/:id/enrolments, expecting 201. */
export async function enrolThroughApi(
  caller: BrowserSession,
  sessionId: string,
  body: object = {},
): Promise<EnrolmentBody> {
  const response = await apiPost(caller, `/training/sessions/${sessionId}/enrolments`, body);
  expect(response.status, response.text).to.equal(201);
  return response.body as EnrolmentBody;
}

/** POST /training/enrolments/:id/result, expecting 200. */
export async function recordResultThroughApi(
  caller: BrowserSession,
  enrolmentId: string,
  attended: boolean,
  score: number | null,
): Promise<EnrolmentBody> {
  const response = await apiPost(caller, `/training/enrolments/${enrolmentId}/result`, { attended, score });
  expect(response.status, response.text).to.equal(200);
  return response.body as EnrolmentBody;
}

/** POST /training/sessions/:id/certificates (expecting 201), then the worker runs the batch. */
export async function issueCertificates(
  caller: BrowserSession,
  sessionId: string,
  clock: Clock,
  transport?: MailTransport,
): Promise<JobBody> {
  const response = await apiPost(caller, `/training/sessions/${sessionId}/certificates`);
  expect(response.status, response.text).to.equal(201);
  await runWorker(clock, transport);
  return response.body as JobBody;
}
