import { UniqueConstraintError, type Transaction } from "sequelize";
import { REVIEWABLE_STATUSES } from "../domain/applicationStatus.js";
import { formatMoney, fromDatabase, type Centimes } from "../domain/money.js";
import { AppError } from "../errors.js";
import { displayMoney } from "../i18n/format.js";
import { ApplicationDocument, Company, ConflictOfInterest, type DocumentVerdict, type User } from "../models/index.js";
import type { Actor } from "./actor.js";
import { assessApplication, loadApplication, type LoadedApplication } from "./applicationAssessment.js";
import {
  applicationEmailData,
  changeStatus,
  illegalTransition,
  lockForTransition,
  queueCompanyEmails,
  type Acting,
  type ApplicationDeps,
} from "./applications.js";
import { recordAudit } from "./auditRecorder.js";
import { commitGrant, releaseCommitment } from "./budget.js";

/**
 * The officers' side of the status machine: start the review, ask for information, examine
 * (propose), decide (a second officer), cancel (the programme manager). Each transition locks the
 * file, writes its history, its audit event and its e-mails in one transaction. Who may call
 * which is decided by the policies before; the status check here answers 409.
 */

export type ReviewDeps = Pick<ApplicationDeps, "sequelize" | "clock" | "publicUrl">;

async function audit(
  transaction: Transaction,
  actor: Actor,
  loaded: LoadedApplication,
  action: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
) {
  await recordAudit(transaction, actor, {
    action,
    entityType: "application",
    entityId: loaded.application.id,
    before,
    after,
  });
}

export async function startReview(deps: ReviewDeps, id: string, acting: Acting): Promise<void> {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "startReview");
    await changeStatus(transaction, loaded.application, "in_review", acting, now);
    await audit(
      transaction,
      acting.actor,
      loaded,
      "application.review-started",
      { status: "submitted" },
      {
        status: "in_review",
      },
    );
  });
}

/** Sends the file back to the company with a question; it answers by changing it and resubmitting. */
export async function requestInformation(deps: ReviewDeps, id: string, message: string, acting: Acting) {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "requestInfo");
    await changeStatus(transaction, loaded.application, "info_requested", acting, now, message);
    await audit(
      transaction,
      acting.actor,
      loaded,
      "application.info-requested",
      { status: "in_review" },
      {
        status: "info_requested",
        message,
      },
    );
    await queueCompanyEmails(transaction, loaded, "application-info-requested", (locale, name) => ({
      ...applicationEmailData(loaded, deps.publicUrl, locale, name),
      message,
    }));
  });
}

export interface Examination {
  proposal: "approve" | "reject";
  /** Proposed grant, ≤ the computed grantAmount; defaults to it. Ignored for a rejection. */
  amount: string | null;
  comment: string;
}

/** The grant the file may receive now: the rules' amount with the company's cap as it stands. */
async function currentGrant(transaction: Transaction, loaded: LoadedApplication, at: Date): Promise<Centimes> {
  const assessment = await assessApplication(loaded, at, transaction);
  return assessment.computation.grantAmount;
}

function amountAbove(path: string, maximum: Centimes): AppError {
  return AppError.validation([
    { path, key: "review.amount-above-grant", moneyParams: { maximum: formatMoney(maximum) } },
  ]);
}

export async function examineApplication(deps: ReviewDeps, id: string, examination: Examination, acting: Acting) {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "examine");
    let proposedAmount: string | null = null;
    if (examination.proposal === "approve") {
      const grant = await currentGrant(transaction, loaded, now);
      const amount = examination.amount === null ? grant : fromDatabase(examination.amount);
      if (amount > grant) throw amountAbove("amount", grant);
      if (amount <= 0n) throw AppError.validation([{ path: "amount", key: "review.amount-zero" }]);
      proposedAmount = formatMoney(amount);
    }
    await loaded.application.update(
      {
        examinedBy: acting.user.id,
        examinedAt: now,
        proposal: examination.proposal,
        proposedAmount,
        proposalComment: examination.comment,
      },
      { transaction },
    );
    await changeStatus(transaction, loaded.application, "examined", acting, now, examination.comment);
    await audit(
      transaction,
      acting.actor,
      loaded,
      "application.examined",
      { status: "in_review" },
      {
        status: "examined",
        proposal: examination.proposal,
        proposedAmount,
        comment: examination.comment,
      },
    );
  });
}

function assertSecondOfficer(loaded: LoadedApplication, user: User): void {
  // The policy already refuses; the database's CHECK is the last line. Said here for the reader.
  if (loaded.application.examinedBy === user.id)
    throw new AppError("forbidden", 403, { detailKey: "review.four-eyes" });
}

export interface Approval {
  /** Lower than the grant if the approver decides so; defaults to the examiner's proposal. */
  amount: string | null;
  comment: string | null;
}

/**
 * A second officer approves: the amount is committed on the call's and the sector's envelopes
 * in this same transaction, or nothing happens (409). The company's row is locked too, so two
 * files of one company cannot both take the last part of its cap.
 */
export async function approveApplication(deps: ReviewDeps, id: string, approval: Approval, acting: Acting) {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "approve");
    assertSecondOfficer(loaded, acting.user);
    await Company.findByPk(loaded.company.id, { transaction, lock: transaction.LOCK.UPDATE });
    const grant = await currentGrant(transaction, loaded, now);
    const proposed = loaded.application.proposedAmount ? fromDatabase(loaded.application.proposedAmount) : grant;
    const amount = approval.amount === null ? (proposed < grant ? proposed : grant) : fromDatabase(approval.amount);
    if (amount > grant) throw amountAbove("amount", grant);
    if (amount <= 0n) throw AppError.validation([{ path: "amount", key: "review.amount-zero" }]);

    await commitGrant(transaction, loaded.application, amount, acting.user.id);
    await loaded.application.update(
      { approvedAmount: formatMoney(amount), decidedBy: acting.user.id, decidedAt: now },
      { transaction },
    );
    await changeStatus(transaction, loaded.application, "approved", acting, now, approval.comment);
    await audit(
      transaction,
      acting.actor,
      loaded,
      "application.approved",
      { status: "examined" },
      {
        status: "approved",
        approvedAmount: formatMoney(amount),
        comment: approval.comment,
      },
    );
    await queueCompanyEmails(transaction, loaded, "application-approved", (locale, name) => ({
      ...applicationEmailData(loaded, deps.publicUrl, locale, name),
      approvedAmount: displayMoney(amount, locale),
      comment: approval.comment ?? "",
    }));
  });
}

export async function rejectApplication(deps: ReviewDeps, id: string, reason: string, acting: Acting) {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "reject");
    assertSecondOfficer(loaded, acting.user);
    await loaded.application.update({ decidedBy: acting.user.id, decidedAt: now }, { transaction });
    await changeStatus(transaction, loaded.application, "rejected", acting, now, reason);
    await audit(
      transaction,
      acting.actor,
      loaded,
      "application.rejected",
      { status: "examined" },
      {
        status: "rejected",
        reason,
      },
    );
    await queueCompanyEmails(transaction, loaded, "application-rejected", (locale, name) => ({
      ...applicationEmailData(loaded, deps.publicUrl, locale, name),
      reason,
    }));
  });
}

/** The programme manager withdraws an approved grant; its commitment goes back to the envelopes. */
export async function cancelApplication(deps: ReviewDeps, id: string, reason: string, acting: Acting) {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "cancel");
    const committed = fromDatabase(loaded.application.approvedAmount ?? "0.00");
    await releaseCommitment(transaction, loaded.application, committed, acting.user.id);
    await changeStatus(transaction, loaded.application, "cancelled", acting, now, reason);
    await audit(
      transaction,
      acting.actor,
      loaded,
      "application.cancelled",
      { status: "approved" },
      {
        status: "cancelled",
        released: formatMoney(committed),
        reason,
      },
    );
    await queueCompanyEmails(transaction, loaded, "application-cancelled", (locale, name) => ({
      ...applicationEmailData(loaded, deps.publicUrl, locale, name),
      reason,
    }));
  });
}

/** The officer's checklist: each document accepted, or rejected with the reason. */
export async function setDocumentVerdict(
  deps: ReviewDeps,
  id: string,
  documentId: string,
  verdict: { verdict: Exclude<DocumentVerdict, "pending">; reason: string | null },
  acting: Acting,
): Promise<ApplicationDocument> {
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    const loaded = await loadApplication(id, { transaction, lock: true });
    if (!loaded) throw AppError.notFound();
    const document = await ApplicationDocument.findOne({ where: { id: documentId, applicationId: id }, transaction });
    if (!document) throw AppError.notFound();
    if (!REVIEWABLE_STATUSES.includes(loaded.application.status)) throw illegalTransition(loaded.application.status);
    if (verdict.verdict === "rejected" && !verdict.reason) {
      throw AppError.validation([{ path: "reason", key: "review.reason-required" }]);
    }
    const before = { verdict: document.verdict, reason: document.verdictReason };
    await document.update(
      { verdict: verdict.verdict, verdictReason: verdict.reason, verdictBy: acting.user.id, verdictAt: now },
      { transaction },
    );
    await recordAudit(transaction, acting.actor, {
      action: "document.verdict",
      entityType: "document",
      entityId: document.id,
      before,
      after: { applicationId: id, verdict: verdict.verdict, reason: verdict.reason },
    });
    return document;
  });
}

/** An officer declares a link with a company; from then on it cannot act on the company's files. */
export async function declareConflict(
  deps: ReviewDeps,
  companyId: string,
  reason: string,
  officer: User,
  actor: Actor,
): Promise<ConflictOfInterest> {
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const company = await Company.findByPk(companyId, { transaction, attributes: ["id"] });
      if (!company) throw AppError.validation([{ path: "companyId", key: "review.unknown-company" }]);
      const conflict = await ConflictOfInterest.create({ officerId: officer.id, companyId, reason }, { transaction });
      await recordAudit(transaction, actor, {
        action: "conflict.declared",
        entityType: "company",
        entityId: companyId,
        after: { officerId: officer.id, reason },
      });
      return conflict;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw AppError.conflict("review.conflict-already-declared");
    throw error;
  }
}
