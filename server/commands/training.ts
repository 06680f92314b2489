import { Op, QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { Clock } from "../domain/calendar.js";
import { AppError, type FieldError } from "../errors.js";
import type { Locale } from "../i18n/index.js";
import { displaySessionPeriod, displaySessionPlace } from "../i18n/format.js";
import { translate } from "../i18n/index.js";
import { queueEmail } from "../mail/outbox.js";
import {
  Company,
  Enrolment,
  Mandate,
  modelsSequelize,
  SEATED_STATUSES,
  TrainingSession,
  User,
  type EnrolmentStatus,
} from "../models/index.js";
import { localDate } from "../domain/calendar.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./auditRecorder.js";

export interface TrainingDeps {
  sequelize: Sequelize;
  clock: Clock;
  publicUrl: string;
}

export interface SessionInput {
  title: string;
  description: string;
  city: string;
  venue: string | null;
  onlineUrl: string | null;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  passMark: number;
  trainerId: string | null;
}

export type SessionChanges = Partial<SessionInput>;

/** What an enrolment or a result changes, for the audit trail. */
function auditedEnrolment(enrolment: Enrolment) {
  return {
    sessionId: enrolment.sessionId,
    status: enrolment.status,
    userId: enrolment.userId,
    companyId: enrolment.companyId,
    holderName: enrolment.holderName,
    attended: enrolment.attended,
    score: enrolment.score,
  };
}

function auditedSession(session: TrainingSession) {
  return {
    title: session.title,
    city: session.city,
    venue: session.venue,
    onlineUrl: session.onlineUrl,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    capacity: session.capacity,
    passMark: session.passMark,
    trainerId: session.trainerId,
    status: session.status,
  };
}

async function lockSession(transaction: Transaction, id: string): Promise<TrainingSession> {
  const session = await TrainingSession.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
  if (!session) throw AppError.notFound();
  return session;
}

async function seatedCount(transaction: Transaction, sessionId: string): Promise<number> {
  return Enrolment.count({ where: { sessionId, status: { [Op.in]: [...SEATED_STATUSES] } }, transaction });
}

function sessionFieldErrors(input: { startsAt: Date; endsAt: Date; venue: string | null; onlineUrl: string | null }) {
  const errors: FieldError[] = [];
  if (input.endsAt.getTime() <= input.startsAt.getTime()) {
    errors.push({ path: "endsAt", key: "training.ends-before-start" });
  }
  if (!input.venue && !input.onlineUrl) errors.push({ path: "venue", key: "training.place-required" });
  return errors;
}

async function assertTrainer(transaction: Transaction, trainerId: string): Promise<void> {
  const trainer = await User.findByPk(trainerId, { transaction, attributes: ["id", "role", "disabledAt"] });
  if (!trainer || trainer.role !== "trainer" || trainer.disabledAt !== null) {
    throw AppError.validation([{ path: "trainerId", key: "training.unknown-trainer" }]);
  }
}

/** A trainer creates its own session; an administrator names the trainer. */
export async function createSession(
  deps: TrainingDeps,
  input: SessionInput,
  creator: User,
  actor: Actor,
): Promise<TrainingSession> {
  const trainerId = creator.role === "trainer" ? creator.id : input.trainerId;
  const errors = sessionFieldErrors(input);
  if (input.startsAt.getTime() <= deps.clock.now().getTime()) {
    errors.push({ path: "startsAt", key: "training.starts-in-past" });
  }
  if (!trainerId) errors.push({ path: "trainerId", key: "field.any.required", params: { label: "trainerId" } });
  if (errors.length > 0 || !trainerId) throw AppError.validation(errors);
  return deps.sequelize.transaction(async (transaction) => {
    await assertTrainer(transaction, trainerId);
    const session = await TrainingSession.create(
      {
        title: input.title,
        description: input.description,
        city: input.city,
        venue: input.venue,
        onlineUrl: input.onlineUrl,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        capacity: input.capacity,
        passMark: input.passMark,
        trainerId,
        createdBy: creator.id,
      },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: "training-session.created",
      entityType: "training_session",
      entityId: session.id,
      after: auditedSession(session),
    });
    return session;
  });
}

/**
 * Changes a session. Once it has started only its description may change: the people enrolled
 * came at the announced time and place. A larger capacity seats the waiting list in order.
 */
export async function updateSession(
  deps: TrainingDeps,
  id: string,
  changes: SessionChanges,
  editor: User,
  actor: Actor,
): Promise<TrainingSession> {
  return deps.sequelize.transaction(async (transaction) => {
    const session = await lockSession(transaction, id);
    const now = deps.clock.now();
    const changed = (Object.keys(changes) as Array<keyof SessionChanges>).filter((key) => changes[key] !== undefined);
    if (session.status === "cancelled") throw AppError.conflict("training.session-cancelled");
    if (session.hasStarted(now) && changed.some((key) => key !== "description")) {
      throw AppError.conflict("training.session-started");
    }
    if (changes.trainerId !== undefined && changes.trainerId !== session.trainerId) {
      if (editor.role !== "admin") throw new AppError("forbidden", 403);
      if (changes.trainerId) await assertTrainer(transaction, changes.trainerId);
    }
    const next = {
      startsAt: changes.startsAt ?? session.startsAt,
      endsAt: changes.endsAt ?? session.endsAt,
      venue: changes.venue !== undefined ? changes.venue : session.venue,
      onlineUrl: changes.onlineUrl !== undefined ? changes.onlineUrl : session.onlineUrl,
    };
    const errors = sessionFieldErrors(next);
    if (changes.startsAt && changes.startsAt.getTime() <= now.getTime()) {
      errors.push({ path: "startsAt", key: "training.starts-in-past" });
    }
    const seated = await seatedCount(transaction, session.id);
    if (changes.capacity !== undefined && changes.capacity < seated) {
      errors.push({ path: "capacity", key: "training.capacity-below-enrolled", params: { count: seated } });
    }
    if (errors.length > 0) throw AppError.validation(errors);
    const before = auditedSession(session);
    await session.update(
      {
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.city !== undefined ? { city: changes.city } : {}),
        ...(changes.capacity !== undefined ? { capacity: changes.capacity } : {}),
        ...(changes.passMark !== undefined ? { passMark: changes.passMark } : {}),
        ...(changes.trainerId ? { trainerId: changes.trainerId } : {}),
        ...next,
      },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: "training-session.updated",
      entityType: "training_session",
      entityId: session.id,
      before,
      after: auditedSession(session),
    });
    await promoteWaitlist(deps, transaction, session, actor);
    return session;
  });
}

/** The person an enrolment is for: a manager, named by themself or by their accountant. */
interface Holder {
  userId: string | null;
  name: string;
  email: string;
  locale: Locale;
  company: Company | null;
}

async function holderFor(
  transaction: Transaction,
  enroller: User,
  companyId: string | null,
  today: string,
): Promise<Holder> {
  if (enroller.role === "applicant") {
    const owned = await Company.findAll({
      where: { ownerId: enroller.id },
      transaction,
      order: [["createdAt", "ASC"]],
    });
    let company: Company | null = null;
    if (companyId) {
      company = owned.find((candidate) => candidate.id === companyId) ?? null;
      if (!company) throw AppError.validation([{ path: "companyId", key: "training.company-not-yours" }]);
    } else if (owned.length === 1) {
      company = owned[0] ?? null;
    } else if (owned.length > 1) {
      throw AppError.validation([{ path: "companyId", key: "training.company-choose" }]);
    }
    return { userId: enroller.id, name: enroller.fullName, email: enroller.email, locale: enroller.locale, company };
  }
  // A prescriber enrols the manager of a client company it holds a live mandate for.
  if (!companyId) throw AppError.validation([{ path: "companyId", key: "training.company-required" }]);
  const mandates = await Mandate.findAll({
    where: { companyId, prescriberId: enroller.id, revokedAt: null },
    transaction,
  });
  const company = mandates.some((mandate) => mandate.isLiveOn(today))
    ? await Company.findByPk(companyId, { transaction, include: [{ association: "owner" }] })
    : null;
  if (!company) throw AppError.validation([{ path: "companyId", key: "training.company-not-client" }]);
  const owner = company.owner ?? null;
  if (owner) return { userId: owner.id, name: owner.fullName, email: owner.email, locale: owner.locale, company };
  if (!company.managerEmail || !company.managerName) {
    throw AppError.validation([{ path: "companyId", key: "training.company-without-manager" }]);
  }
  return { userId: null, name: company.managerName, email: company.managerEmail, locale: "fr", company };
}

function sessionEmailData(session: TrainingSession, publicUrl: string, locale: Locale, recipientName: string) {
  return {
    recipientName,
    sessionTitle: session.title,
    sessionDate: displaySessionPeriod(session.startsAt, session.endsAt, locale),
    sessionPlace: displaySessionPlace(session, locale),
    passMark: String(session.passMark),
    sessionUrl: `${publicUrl}/formations/${session.id}`,
  };
}

async function recipientOf(transaction: Transaction, enrolment: Enrolment): Promise<{ locale: Locale; name: string }> {
  if (!enrolment.userId) return { locale: "fr", name: enrolment.holderName };
  const user = await User.findByPk(enrolment.userId, { transaction, attributes: ["locale", "fullName"] });
  return { locale: user?.locale ?? "fr", name: user?.fullName ?? enrolment.holderName };
}

async function waitlistPositionOf(transaction: Transaction, enrolment: Enrolment): Promise<number> {
  const ahead = await Enrolment.count({
    where: { sessionId: enrolment.sessionId, status: "waitlisted", position: { [Op.lt]: enrolment.position } },
    transaction,
  });
  return ahead + 1;
}

/**
 * Enrols a manager. The session's row lock makes concurrent enrolments take seats one at a time:
 * never more seated people than seats, and the waiting list in arrival order.
 */
export async function enrol(
  deps: TrainingDeps,
  sessionId: string,
  input: { companyId: string | null },
  enroller: User,
  actor: Actor,
): Promise<Enrolment> {
  return deps.sequelize.transaction(async (transaction) => {
    const session = await lockSession(transaction, sessionId);
    const now = deps.clock.now();
    if (session.status === "cancelled") throw AppError.conflict("training.session-cancelled");
    if (session.hasStarted(now)) throw AppError.conflict("training.session-started");
    const holder = await holderFor(transaction, enroller, input.companyId, localDate(now));
    const existing = await Enrolment.findOne({
      where: {
        sessionId,
        status: { [Op.ne]: "cancelled" },
        holderEmail: { [Op.iLike]: holder.email.replace(/[\\%_]/g, (character) => `\\${character}`) },
      },
      transaction,
    });
    if (existing) throw AppError.conflict("training.already-enrolled", { name: holder.name });
    const seated = await seatedCount(transaction, sessionId);
    const status: EnrolmentStatus = seated < session.capacity ? "enrolled" : "waitlisted";
    const enrolment = await Enrolment.create(
      {
        sessionId,
        userId: holder.userId,
        companyId: holder.company?.id ?? null,
        holderName: holder.name,
        holderEmail: holder.email,
        enrolledBy: enroller.id,
        status,
        attended: null,
        score: null,
        resultRecordedBy: null,
        resultRecordedAt: null,
        reminderSentAt: null,
        cancelledAt: null,
      },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: status === "enrolled" ? "enrolment.created" : "enrolment.waitlisted",
      entityType: "enrolment",
      entityId: enrolment.id,
      after: auditedEnrolment(enrolment),
    });
    const byOther = enroller.id !== holder.userId;
    const data = sessionEmailData(session, deps.publicUrl, holder.locale, holder.name);
    const trainer = await User.findByPk(session.trainerId, { transaction, attributes: ["fullName"] });
    const enrolledByLine = byOther
      ? translate(holder.locale, "training.enrolled-by", {
          name: enroller.prescriberOrganisation ?? enroller.fullName,
        })
      : "";
    await queueEmail(transaction, {
      to: holder.email,
      template: status === "enrolled" ? "enrolment-confirmed" : "enrolment-waitlisted",
      locale: holder.locale,
      data: {
        ...data,
        trainerName: trainer?.fullName ?? "",
        enrolledByLine,
        waitlistPosition: status === "waitlisted" ? String(await waitlistPositionOf(transaction, enrolment)) : "",
      },
    });
    return enrolment;
  });
}

/** Seats waitlisted people, first come first served, while seats are free and the session ahead. */
async function promoteWaitlist(
  deps: TrainingDeps,
  transaction: Transaction,
  session: TrainingSession,
  actor: Actor,
): Promise<void> {
  if (session.status === "cancelled" || session.hasStarted(deps.clock.now())) return;
  const free = session.capacity - (await seatedCount(transaction, session.id));
  if (free <= 0) return;
  const waiting = await Enrolment.findAll({
    where: { sessionId: session.id, status: "waitlisted" },
    order: [["position", "ASC"]],
    limit: free,
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  for (const enrolment of waiting) {
    await enrolment.update({ status: "enrolled" }, { transaction });
    await recordAudit(transaction, actor, {
      action: "enrolment.promoted",
      entityType: "enrolment",
      entityId: enrolment.id,
      before: { status: "waitlisted" },
      after: auditedEnrolment(enrolment),
    });
    const recipient = await recipientOf(transaction, enrolment);
    await queueEmail(transaction, {
      to: enrolment.holderEmail,
      template: "enrolment-promoted",
      locale: recipient.locale,
      data: sessionEmailData(session, deps.publicUrl, recipient.locale, recipient.name),
    });
  }
}

/** Cancels before the session starts; the seat goes to the first person waiting. */
export async function cancelEnrolment(deps: TrainingDeps, id: string, actor: Actor): Promise<Enrolment> {
  return deps.sequelize.transaction(async (transaction) => {
    const found = await Enrolment.findByPk(id, { transaction, attributes: ["sessionId"] });
    if (!found) throw AppError.notFound();
    // Session first, then the enrolment: the same order as enrol(), so the two never deadlock.
    const session = await lockSession(transaction, found.sessionId);
    const enrolment = await Enrolment.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!enrolment) throw AppError.notFound();
    if (enrolment.status === "cancelled") throw AppError.conflict("training.already-cancelled");
    if (session.hasStarted(deps.clock.now())) throw AppError.conflict("training.session-started");
    const before = auditedEnrolment(enrolment);
    await enrolment.update({ status: "cancelled", cancelledAt: deps.clock.now() }, { transaction });
    await recordAudit(transaction, actor, {
      action: "enrolment.cancelled",
      entityType: "enrolment",
      entityId: enrolment.id,
      before,
      after: auditedEnrolment(enrolment),
    });
    await promoteWaitlist(deps, transaction, session, actor);
    return enrolment;
  });
}

/** The rule of SPEC: attended, and a score at or above the session's pass mark. */
export function resultStatus(attended: boolean, score: number | null, passMark: number): EnrolmentStatus {
  if (!attended) return "failed";
  if (score === null) return "attended";
  return score >= passMark ? "passed" : "failed";
}

/** The trainer records attendance and the assessment's score, once the session has started. */
export async function recordResult(
  deps: TrainingDeps,
  id: string,
  result: { attended: boolean; score: number | null },
  recorder: User,
  actor: Actor,
): Promise<Enrolment> {
  if (!result.attended && result.score !== null) {
    throw AppError.validation([{ path: "score", key: "training.score-without-attendance" }]);
  }
  return deps.sequelize.transaction(async (transaction) => {
    // Only the enrolment's row is locked (a lock cannot reach across the join).
    const enrolment = await Enrolment.findByPk(id, {
      transaction,
      lock: { level: transaction.LOCK.UPDATE, of: Enrolment },
      include: [{ association: "session", required: true }],
    });
    const session = enrolment?.session;
    if (!enrolment || !session) throw AppError.notFound();
    if (!session.hasStarted(deps.clock.now())) throw AppError.conflict("training.session-not-started");
    if (enrolment.status === "waitlisted" || enrolment.status === "cancelled") {
      throw AppError.conflict("training.result-not-seated");
    }
    const [issued] = await modelsSequelize().query<{ id: string }>(
      "SELECT id FROM certificates WHERE enrolment_id = :id FOR SHARE",
      { type: QueryTypes.SELECT, transaction, replacements: { id } },
    );
    if (issued) throw AppError.conflict("training.result-certified");
    const before = auditedEnrolment(enrolment);
    await enrolment.update(
      {
        attended: result.attended,
        score: result.score,
        status: resultStatus(result.attended, result.score, session.passMark),
        resultRecordedBy: recorder.id,
        resultRecordedAt: deps.clock.now(),
      },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: "enrolment.result-recorded",
      entityType: "enrolment",
      entityId: enrolment.id,
      before,
      after: auditedEnrolment(enrolment),
    });
    return enrolment;
  });
}

/**
 * The day before a session, every seated person gets a reminder; run hourly, each person once
 * (the mark is set in the transaction that queues the mail).
 */
export async function sendSessionReminders(deps: TrainingDeps, actor: Actor): Promise<number> {
  const now = deps.clock.now();
  const tomorrow = localDate(new Date(now.getTime() + 24 * 60 * 60 * 1000));
  const due = await modelsSequelize().query<{ id: string }>(
    `SELECT e.id FROM enrolments e JOIN training_sessions s ON s.id = e.session_id
     WHERE e.status = 'enrolled' AND e.reminder_sent_at IS NULL AND s.status = 'scheduled'
       AND s.starts_at > :now AND (s.starts_at AT TIME ZONE 'Africa/Casablanca')::date = CAST(:tomorrow AS date)
     ORDER BY e.position`,
    { type: QueryTypes.SELECT, replacements: { now, tomorrow } },
  );
  let sent = 0;
  for (const { id } of due) {
    const queued = await deps.sequelize.transaction(async (transaction) => {
      const enrolment = await Enrolment.findByPk(id, {
        transaction,
        lock: { level: transaction.LOCK.UPDATE, of: Enrolment },
        include: [{ association: "session", required: true, include: [{ association: "trainer", required: true }] }],
      });
      const session = enrolment?.session;
      if (!enrolment || !session || enrolment.status !== "enrolled" || enrolment.reminderSentAt) return false;
      await enrolment.update({ reminderSentAt: now }, { transaction });
      const recipient = await recipientOf(transaction, enrolment);
      await queueEmail(transaction, {
        to: enrolment.holderEmail,
        template: "session-reminder",
        locale: recipient.locale,
        data: {
          ...sessionEmailData(session, deps.publicUrl, recipient.locale, recipient.name),
          trainerName: session.trainer?.fullName ?? "",
        },
      });
      await recordAudit(transaction, actor, {
        action: "enrolment.reminded",
        entityType: "enrolment",
        entityId: enrolment.id,
      });
      return true;
    });
    if (queued) sent += 1;
  }
  return sent;
}

/**
 * When an invited manager claims the company, what its accountant enrolled it in becomes theirs:
 * enrolments and certificates made out to the company's manager before the account existed.
 */
export async function attachCompanyTraining(transaction: Transaction, companyId: string, owner: User): Promise<void> {
  const sequelize = modelsSequelize();
  await sequelize.query(
    `UPDATE enrolments SET user_id = :ownerId, updated_at = now()
     WHERE company_id = :companyId AND user_id IS NULL`,
    { transaction, replacements: { ownerId: owner.id, companyId } },
  );
  await sequelize.query(
    `UPDATE certificates SET holder_user_id = :ownerId, updated_at = now()
     WHERE company_id = :companyId AND holder_user_id IS NULL`,
    { transaction, replacements: { ownerId: owner.id, companyId } },
  );
}
