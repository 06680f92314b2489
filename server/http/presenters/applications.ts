import Joi from "joi";
import type { Assessment, LoadedApplication } from "../../commands/applicationAssessment.js";
import {
  allowsTransition,
  APPLICATION_STATUSES,
  isEditable,
  REVIEWABLE_STATUSES,
} from "../../domain/applicationStatus.js";
import { callStatus, localDate } from "../../domain/calendar.js";
import { ELIGIBILITY_RULES, type CriterionVerdict } from "../../domain/eligibility.js";
import { formatMoney, formatRate, type Centimes } from "../../domain/money.js";
import type { FieldError } from "../../errors.js";
import { displayDate, displayMoney } from "../../i18n/format.js";
import { translate, type Locale, type MessageKey } from "../../i18n/index.js";
import type { Application, ApplicationDocument, Call, ClaimStatus, Company } from "../../models/index.js";
import type { ApplicationAction } from "../../policies/index.js";

const money = () => Joi.string().pattern(/^\d+\.\d{2}$/);
const permissionsSchema = Joi.object().pattern(Joi.string(), Joi.boolean());

export const documentSchema = Joi.object({
  id: Joi.string().guid().required(),
  type: Joi.string().required(),
  originalName: Joi.string().required(),
  mimeType: Joi.string().valid("application/pdf", "image/png", "image/jpeg").required(),
  size: Joi.number().integer().required(),
  sha256: Joi.string().required(),
  verdict: Joi.string().valid("pending", "accepted", "rejected").required(),
  verdictReason: Joi.string().allow(null).required(),
  claimId: Joi.string().guid().allow(null).required(),
  uploadedAt: Joi.string().isoDate().required(),
}).label("ApplicationDocument");

const companySummarySchema = Joi.object({
  id: Joi.string().guid(),
  name: Joi.string(),
  ice: Joi.string(),
  sectorCode: Joi.string(),
  regionCode: Joi.string(),
  city: Joi.string(),
});

const callSummarySchema = Joi.object({
  id: Joi.string().guid(),
  code: Joi.string(),
  titleFr: Joi.string(),
  titleAr: Joi.string(),
  opensOn: Joi.string().isoDate(),
  closesOn: Joi.string().isoDate(),
  status: Joi.string().valid("upcoming", "open", "closed"),
});

export const applicationSchema = Joi.object({
  id: Joi.string().guid().required(),
  reference: Joi.string().allow(null).example("MS-2026-00042").required(),
  status: Joi.string()
    .valid(...APPLICATION_STATUSES)
    .required(),
  company: companySummarySchema.required(),
  call: callSummarySchema.required(),
  sectorCode: Joi.string().required(),
  description: Joi.string().allow("").required(),
  solutionIds: Joi.array().items(Joi.string().guid()).required(),
  solutions: Joi.array()
    .items(
      Joi.object({
        id: Joi.string(),
        code: Joi.string(),
        nameFr: Joi.string(),
        nameAr: Joi.string(),
        supplierName: Joi.string(),
      }),
    )
    .required(),
  lines: Joi.array()
    .items(
      Joi.object({
        id: Joi.string().guid(),
        category: Joi.string().valid("software", "hardware", "services", "training"),
        label: Joi.string(),
        supplierId: Joi.string().guid().allow(null),
        supplierName: Joi.string().allow(null),
        amountExclTax: money(),
        vatRate: Joi.string().example("0.20"),
        vatAmount: money(),
      }),
    )
    .required(),
  eligibleAmount: money().required(),
  vatAmount: money().required(),
  grantAmount: money().required(),
  ownShare: money().required(),
  rate: Joi.string().example("0.60").required(),
  cap: money().required(),
  capUsed: money().required(),
  eligible: Joi.boolean().required(),
  eligibility: Joi.array()
    .items(
      Joi.object({
        rule: Joi.string().valid(...ELIGIBILITY_RULES),
        ok: Joi.boolean(),
        detail: Joi.string(),
      }),
    )
    .required(),
  fastTrack: Joi.boolean().required(),
  review: Joi.object({
    proposal: Joi.string().valid("approve", "reject").allow(null),
    proposedAmount: money().allow(null),
    proposalComment: Joi.string().allow(null),
    examinedAt: Joi.string().isoDate().allow(null),
    decidedAt: Joi.string().isoDate().allow(null),
    approvedAmount: money().allow(null),
    paidAmount: money().allow(null),
  }).required(),
  documents: Joi.array().items(documentSchema).required(),
  filedViaMandate: Joi.boolean().required(),
  submittedAt: Joi.string().isoDate().allow(null).required(),
  createdAt: Joi.string().isoDate().required(),
  updatedAt: Joi.string().isoDate().required(),
  permissions: permissionsSchema.required(),
}).label("Application");

export const applicationSummarySchema = Joi.object({
  id: Joi.string().guid().required(),
  reference: Joi.string().allow(null).required(),
  status: Joi.string().required(),
  company: companySummarySchema.required(),
  call: callSummarySchema.required(),
  sectorCode: Joi.string().required(),
  eligibleAmount: money().required(),
  grantAmount: money().required(),
  fastTrack: Joi.boolean().required(),
  filedViaMandate: Joi.boolean().required(),
  submittedAt: Joi.string().isoDate().allow(null).required(),
  daysWaiting: Joi.number().integer().allow(null).required(),
  updatedAt: Joi.string().isoDate().required(),
}).label("ApplicationSummary");

export const historySchema = Joi.object({
  items: Joi.array().items(
    Joi.object({
      id: Joi.string().guid(),
      fromStatus: Joi.string().allow(null),
      toStatus: Joi.string(),
      comment: Joi.string().allow(null),
      actorName: Joi.string().allow(null),
      actorRole: Joi.string().allow(null),
      at: Joi.string().isoDate(),
    }),
  ),
}).label("ApplicationHistory");

export const simulationSchema = Joi.object({
  callId: Joi.string().guid().required(),
  callTitleFr: Joi.string().required(),
  callTitleAr: Joi.string().required(),
  sectorCode: Joi.string().required(),
  sectorEligible: Joi.boolean().required(),
  eligibleAmount: money().required(),
  vatAmount: money().required(),
  grantAmount: money().required(),
  ownShare: money().required(),
  rate: Joi.string().example("0.60").required(),
  cap: money().required(),
}).label("Simulation");

function presentCompanySummary(company: Company) {
  return {
    id: company.id,
    name: company.name,
    ice: company.ice,
    sectorCode: company.sectorCode,
    regionCode: company.regionCode,
    city: company.city,
  };
}

function presentCallSummary(call: Call, today: string) {
  return {
    id: call.id,
    code: call.code,
    titleFr: call.titleFr,
    titleAr: call.titleAr,
    opensOn: call.opensOn,
    closesOn: call.closesOn,
    status: callStatus(call, today),
  };
}

export function presentDocument(document: ApplicationDocument) {
  return {
    id: document.id,
    type: document.type,
    originalName: document.originalName,
    mimeType: document.mimeType,
    size: Number(document.sizeBytes),
    sha256: document.sha256,
    verdict: document.verdict,
    verdictReason: document.verdictReason,
    claimId: document.claimId ?? null,
    uploadedAt: document.createdAt.toISOString(),
  };
}

/** One sentence a shopkeeper understands, with amounts and dates written for people. */
export function explainVerdict(verdict: CriterionVerdict, loaded: LoadedApplication, locale: Locale): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(verdict.values)) {
    if (typeof value === "bigint") params[name] = displayMoney(value as Centimes, locale);
    else if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) params[name] = displayDate(value, locale);
    else params[name] = value;
  }
  params.sectorName = locale === "ar" ? loaded.sector.nameAr : loaded.sector.nameFr;
  return translate(locale, `eligibility.${verdict.rule}.${verdict.reason}` as MessageKey, params);
}

export function failedCriteria(assessment: Assessment, loaded: LoadedApplication, locale: Locale): FieldError[] {
  return assessment.verdicts
    .filter((verdict) => !verdict.ok)
    .map((verdict) => ({ path: `eligibility.${verdict.rule}`, text: explainVerdict(verdict, loaded, locale) }));
}

/**
 * What the client may offer: the policy's answer (who you are) combined with the status
 * machine's (what the file's status allows), so a button is shown only when it would work.
 */
export function applicationPermissions(
  application: Application,
  allowedByPolicy: Record<ApplicationAction, boolean>,
  claimStatus: ClaimStatus | null = null,
): Record<ApplicationAction, boolean> {
  const { status } = application;
  const editable = isEditable(status);
  const can = (action: ApplicationAction, statusAllows: boolean) => allowedByPolicy[action] && statusAllows;
  return {
    read: allowedByPolicy.read,
    update: can("update", editable),
    // After approval the company adds its invoices, payment proofs and acceptance report.
    uploadDocument: can("uploadDocument", editable || (status === "approved" && claimStatus === null)),
    deleteDocument: can("deleteDocument", editable || (status === "approved" && claimStatus === null)),
    downloadDocument: allowedByPolicy.downloadDocument,
    submit: can("submit", allowsTransition(status, "submit")),
    withdraw: can("withdraw", allowsTransition(status, "withdraw")),
    readHistory: allowedByPolicy.readHistory,
    downloadReceipt: can("downloadReceipt", application.reference !== null),
    submitClaim: can("submitClaim", allowsTransition(status, "submitClaim")),
    startReview: can("startReview", allowsTransition(status, "startReview")),
    requestInfo: can("requestInfo", allowsTransition(status, "requestInfo")),
    examine: can("examine", allowsTransition(status, "examine")),
    approve: can("approve", allowsTransition(status, "approve")),
    reject: can("reject", allowsTransition(status, "reject")),
    verifyDocument: can("verifyDocument", REVIEWABLE_STATUSES.includes(status)),
    verifyClaim: can("verifyClaim", status === "claim_submitted" && claimStatus === "submitted"),
    payClaim: can("payClaim", status === "claim_submitted" && claimStatus === "verified"),
    close: can("close", allowsTransition(status, "close")),
    cancel: can("cancel", allowsTransition(status, "cancel")),
  };
}

export function presentApplication(
  loaded: LoadedApplication,
  assessment: Assessment,
  locale: Locale,
  permissions: Record<ApplicationAction, boolean>,
  now: Date,
) {
  const { application, company, call, lines, solutions, documents } = loaded;
  const { computation } = assessment;
  return {
    id: application.id,
    reference: application.reference,
    status: application.status,
    company: presentCompanySummary(company),
    call: presentCallSummary(call, localDate(now)),
    sectorCode: application.sectorCode,
    description: application.description,
    solutionIds: solutions.map((solution) => solution.id),
    solutions: solutions.map((solution) => ({
      id: solution.id,
      code: solution.code,
      nameFr: solution.nameFr,
      nameAr: solution.nameAr,
      supplierName: solution.supplier?.name ?? "",
    })),
    lines: lines.map((line, index) => ({
      id: line.id,
      category: line.category,
      label: line.label,
      supplierId: line.supplierId,
      supplierName: line.supplier?.name ?? null,
      amountExclTax: line.amountExclTax,
      vatRate: line.vatRate,
      vatAmount: formatMoney(computation.lineVats[index] ?? 0n),
    })),
    eligibleAmount: formatMoney(computation.eligibleAmount),
    vatAmount: formatMoney(computation.vatAmount),
    grantAmount: formatMoney(computation.grantAmount),
    ownShare: formatMoney(computation.ownShare),
    rate: formatRate(assessment.rate),
    cap: formatMoney(assessment.cap),
    capUsed: formatMoney(assessment.capUsed),
    eligible: assessment.eligible,
    eligibility: assessment.verdicts.map((verdict) => ({
      rule: verdict.rule,
      ok: verdict.ok,
      detail: explainVerdict(verdict, loaded, locale),
    })),
    fastTrack: application.fastTrack,
    review: {
      proposal: application.proposal ?? null,
      proposedAmount: application.proposedAmount ?? null,
      proposalComment: application.proposalComment ?? null,
      examinedAt: application.examinedAt?.toISOString() ?? null,
      decidedAt: application.decidedAt?.toISOString() ?? null,
      approvedAmount: application.approvedAmount,
      paidAmount: application.paidAmount ?? null,
    },
    documents: documents.map(presentDocument),
    filedViaMandate: application.filedViaMandateId !== null,
    submittedAt: application.submittedAt?.toISOString() ?? null,
    createdAt: application.createdAt.toISOString(),
    updatedAt: application.updatedAt.toISOString(),
    permissions,
  };
}

/** Statuses in which the file waits for the programme, not for the company. */
const WAITING_FOR_PROGRAMME = new Set(["submitted", "in_review", "examined", "claim_submitted"]);

/** Whole days since the file was (re)submitted, for the files waiting on an officer. */
function daysWaiting(application: Application, now: Date): number | null {
  if (!application.submittedAt || !WAITING_FOR_PROGRAMME.has(application.status)) return null;
  const days = (Date.parse(localDate(now)) - Date.parse(localDate(application.submittedAt))) / 86_400_000;
  return Math.max(0, Math.round(days));
}

export function presentApplicationSummary(application: Application, now: Date) {
  if (!application.company || !application.call) throw new Error("summary needs company and call loaded");
  const today = localDate(now);
  return {
    id: application.id,
    reference: application.reference,
    status: application.status,
    company: presentCompanySummary(application.company),
    call: presentCallSummary(application.call, today),
    sectorCode: application.sectorCode,
    eligibleAmount: application.eligibleAmount,
    grantAmount: application.grantAmount,
    fastTrack: application.fastTrack,
    filedViaMandate: application.filedViaMandateId !== null,
    submittedAt: application.submittedAt?.toISOString() ?? null,
    daysWaiting: daysWaiting(application, now),
    updatedAt: application.updatedAt.toISOString(),
  };
}
