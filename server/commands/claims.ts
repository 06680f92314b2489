import { Op, UniqueConstraintError } from "sequelize";
import { applyRate, formatMoney, fromDatabase, minCentimes, parseRate, sumCentimes } from "../domain/money.js";
import { AppError, type FieldError } from "../errors.js";
import { displayMoney } from "../i18n/format.js";
import { ApplicationDocument, Claim, ClaimInvoice } from "../models/index.js";
import {
  applicationEmailData,
  changeStatus,
  lockForTransition,
  queueCompanyEmails,
  type Acting,
} from "./applications.js";
import { recordAudit } from "./auditRecorder.js";
import { recordPayment, releaseCommitment } from "./budget.js";
import type { ReviewDeps } from "./review.js";

/**
 * Claims (demandes de versement): after approval the company sends its invoices (amounts excl.
 * VAT), payment proofs and acceptance report; an officer verifies each invoice; the payment is
 * min(committed, floor(rate × verified invoices)); closing the file releases the rest.
 */

export interface InvoiceInput {
  documentId: string;
  invoiceNumber: string;
  supplierName: string;
  invoiceDate: string;
  amountExclTax: string;
}

export async function submitClaim(deps: ReviewDeps, id: string, invoices: InvoiceInput[], acting: Acting) {
  const now = deps.clock.now();
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const loaded = await lockForTransition(transaction, id, "submitClaim");
      const unclaimed = loaded.documents.filter((document) => document.claimId === null);
      const errors: FieldError[] = [];
      invoices.forEach((invoice, index) => {
        if (fromDatabase(invoice.amountExclTax) <= 0n) {
          errors.push({ path: `invoices.${index}.amountExclTax`, key: "claims.invoice-amount-zero" });
        }
        const document = unclaimed.find((candidate) => candidate.id === invoice.documentId);
        if (!document || document.type !== "invoice") {
          errors.push({ path: `invoices.${index}.documentId`, key: "claims.not-an-invoice" });
        }
      });
      // Every invoice sent with the file belongs in the claim: one left out could never be
      // verified, nor removed once the claim is filed.
      for (const document of unclaimed.filter((candidate) => candidate.type === "invoice")) {
        if (!invoices.some((invoice) => invoice.documentId === document.id)) {
          errors.push({ path: "invoices", key: "claims.invoice-not-listed", params: { name: document.originalName } });
        }
      }
      if (!unclaimed.some((document) => document.type === "payment_proof")) {
        errors.push({ path: "paymentProof", key: "claims.payment-proof-missing" });
      }
      if (!unclaimed.some((document) => document.type === "acceptance_report")) {
        errors.push({ path: "acceptanceReport", key: "claims.acceptance-report-missing" });
      }
      if (errors.length > 0) throw AppError.validation(errors);

      const claim = await Claim.create(
        {
          applicationId: id,
          submittedBy: acting.user.id,
          submittedAt: now,
          verifiedBy: null,
          verifiedAt: null,
          verifiedAmount: null,
          paymentAmount: null,
          paymentReference: null,
          paidBy: null,
          paidAt: null,
        },
        { transaction },
      );
      await ClaimInvoice.bulkCreate(
        invoices.map((invoice) => ({ ...invoice, claimId: claim.id, verifiedAmount: null, verdictReason: null })),
        { transaction, validate: true },
      );
      await ApplicationDocument.update(
        { claimId: claim.id },
        {
          where: { applicationId: id, claimId: null, type: ["invoice", "payment_proof", "acceptance_report"] },
          transaction,
        },
      );
      await changeStatus(transaction, loaded.application, "claim_submitted", acting, now);
      await recordAudit(transaction, acting.actor, {
        action: "claim.submitted",
        entityType: "claim",
        entityId: claim.id,
        after: {
          applicationId: id,
          invoices: invoices.map((invoice) => ({ number: invoice.invoiceNumber, amount: invoice.amountExclTax })),
        },
      });
      return claim;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw AppError.conflict("claims.already-submitted");
    throw error;
  }
}

export interface InvoiceVerdictInput {
  id: string;
  verdict: "accepted" | "rejected";
  /** For an accepted invoice: the amount excl. VAT the officer recognises (default: all of it). */
  verifiedAmount: string | null;
  reason: string | null;
}

/** An officer rules on every invoice of the claim; the claim's verified amount is their sum. */
export async function verifyClaim(deps: ReviewDeps, claimId: string, verdicts: InvoiceVerdictInput[], acting: Acting) {
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    const claim = await Claim.findByPk(claimId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!claim) throw AppError.notFound();
    if (claim.status !== "submitted") throw AppError.conflict("claims.not-awaiting-verification");
    const invoices = await ClaimInvoice.findAll({ where: { claimId }, transaction });
    const errors: FieldError[] = [];
    invoices.forEach((invoice) => {
      if (!verdicts.some((verdict) => verdict.id === invoice.id)) {
        errors.push({ path: `invoices.${invoice.id}`, key: "claims.verdict-missing" });
      }
    });
    verdicts.forEach((verdict, index) => {
      const invoice = invoices.find((candidate) => candidate.id === verdict.id);
      if (!invoice) return errors.push({ path: `invoices.${index}.id`, key: "claims.unknown-invoice" });
      if (verdict.verdict === "rejected" && !verdict.reason) {
        errors.push({ path: `invoices.${index}.reason`, key: "review.reason-required" });
      }
      const recognised = verdict.verifiedAmount === null ? null : fromDatabase(verdict.verifiedAmount);
      if (recognised !== null && recognised > fromDatabase(invoice.amountExclTax)) {
        errors.push({ path: `invoices.${index}.verifiedAmount`, key: "claims.verified-above-invoice" });
      }
      return undefined;
    });
    if (errors.length > 0) throw AppError.validation(errors);

    const recognised = [];
    for (const verdict of verdicts) {
      const invoice = invoices.find((candidate) => candidate.id === verdict.id);
      if (!invoice) continue;
      const amount = verdict.verdict === "accepted" ? (verdict.verifiedAmount ?? invoice.amountExclTax) : "0.00";
      recognised.push(fromDatabase(amount));
      await invoice.update(
        { verdict: verdict.verdict, verifiedAmount: amount, verdictReason: verdict.reason },
        { transaction },
      );
    }
    const verifiedAmount = formatMoney(sumCentimes(recognised));
    await claim.update(
      { status: "verified", verifiedBy: acting.user.id, verifiedAt: now, verifiedAmount },
      { transaction },
    );
    await recordAudit(transaction, acting.actor, {
      action: "claim.verified",
      entityType: "claim",
      entityId: claim.id,
      after: { verifiedAmount, verdicts: verdicts.map((verdict) => ({ id: verdict.id, verdict: verdict.verdict })) },
    });
    return claim;
  });
}

/**
 * Pays a verified claim: min(committed, floor(rate × verified invoices)), moved from committed to
 * paid on the envelopes with the file's status, in one transaction.
 */
export async function payClaim(deps: ReviewDeps, claimId: string, paymentReference: string, acting: Acting) {
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    const claim = await Claim.findByPk(claimId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!claim) throw AppError.notFound();
    if (claim.status !== "verified") throw AppError.conflict("claims.not-verified");
    const loaded = await lockForTransition(transaction, claim.applicationId, "pay");
    const committed = fromDatabase(loaded.application.approvedAmount ?? "0.00");
    const payment = minCentimes(
      committed,
      applyRate(fromDatabase(claim.verifiedAmount ?? "0.00"), parseRate(loaded.rules.rate)),
    );
    await recordPayment(transaction, loaded.application, payment, acting.user.id);
    await claim.update(
      { status: "paid", paymentAmount: formatMoney(payment), paymentReference, paidBy: acting.user.id, paidAt: now },
      { transaction },
    );
    await loaded.application.update({ paidAmount: formatMoney(payment) }, { transaction });
    await changeStatus(transaction, loaded.application, "paid", acting, now, paymentReference);
    await recordAudit(transaction, acting.actor, {
      action: "claim.paid",
      entityType: "claim",
      entityId: claim.id,
      after: { applicationId: loaded.application.id, payment: formatMoney(payment), paymentReference },
    });
    await queueCompanyEmails(transaction, loaded, "application-paid", (locale, name) => ({
      ...applicationEmailData(loaded, deps.publicUrl, locale, name),
      paidAmount: displayMoney(payment, locale),
      paymentReference,
    }));
    return claim;
  });
}

/** Closes a paid file: what was committed and not paid goes back to the envelopes. */
export async function closeApplication(deps: ReviewDeps, id: string, acting: Acting) {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const loaded = await lockForTransition(transaction, id, "close");
    const rest =
      fromDatabase(loaded.application.approvedAmount ?? "0.00") - fromDatabase(loaded.application.paidAmount ?? "0.00");
    await releaseCommitment(transaction, loaded.application, rest, acting.user.id);
    await changeStatus(transaction, loaded.application, "closed", acting, now);
    await recordAudit(transaction, acting.actor, {
      action: "application.closed",
      entityType: "application",
      entityId: id,
      before: { status: "paid" },
      after: { status: "closed", released: formatMoney(rest) },
    });
  });
}

/** The documents of a claim, for the officer's verification screen. */
export async function claimOf(applicationId: string) {
  return Claim.findOne({
    where: { applicationId },
    include: [
      {
        model: ClaimInvoice,
        as: "invoices",
        include: [{ model: ApplicationDocument, as: "document", where: { id: { [Op.ne]: null } }, required: false }],
      },
    ],
    order: [[{ model: ClaimInvoice, as: "invoices" }, "invoiceDate", "ASC"]],
  });
}
