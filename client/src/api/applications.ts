// Applications (dossiers), the simulator and their documents (issue 5 contract, server/http/routes/applications.ts).
// Money and rates are decimal strings ("400000.00", "0.60"): the server computes every amount.
import { apiRequest, buildUrl } from "./client";
import type { CallStatus, ListResponse } from "./types";

export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "in_review",
  "info_requested",
  "examined",
  "approved",
  "rejected",
  "claim_submitted",
  "paid",
  "closed",
  "withdrawn",
  "cancelled",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const LINE_CATEGORIES = ["software", "hardware", "services", "training"] as const;
export type LineCategory = (typeof LINE_CATEGORIES)[number];

/** The Moroccan VAT rates the server accepts, as it writes them. */
export const VAT_RATES = ["0.00", "0.07", "0.10", "0.14", "0.20"] as const;
export type VatRate = (typeof VAT_RATES)[number];
export const DEFAULT_VAT_RATE: VatRate = "0.20";

/** In the order the documents step shows them. */
export const DOCUMENT_TYPES = [
  "quote",
  "tax_certificate",
  "cnss_certificate",
  "sworn_declaration",
  "rc_extract",
  "statutes",
  "financial_statements",
  "other",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Sent after approval, for the claim (demande de versement). */
export const CLAIM_DOCUMENT_TYPES = ["invoice", "payment_proof", "acceptance_report"] as const;
export type ClaimDocumentType = (typeof CLAIM_DOCUMENT_TYPES)[number];
export type AnyDocumentType = DocumentType | ClaimDocumentType;

export type DocumentVerdict = "pending" | "accepted" | "rejected";

/** The criteria, in the server's order. */
export const ELIGIBILITY_RULES = [
  "call_open",
  "sector",
  "company_age",
  "turnover",
  "investment",
  "quote",
  "tax_and_cnss",
  "no_other_open_application",
] as const;
export type EligibilityRule = (typeof ELIGIBILITY_RULES)[number];

export interface SimulationLine {
  category: LineCategory;
  amountExclTax: string;
  vatRate: string;
}

export interface SimulationRequest {
  callId?: string;
  sectorCode: string;
  lines: SimulationLine[];
}

/** What the server computes from the lines, for a simulation and for an application alike. */
export interface Amounts {
  eligibleAmount: string;
  vatAmount: string;
  grantAmount: string;
  ownShare: string;
  rate: string;
  cap: string;
}

export interface Simulation extends Amounts {
  callId: string;
  callTitleFr: string;
  callTitleAr: string;
  sectorCode: string;
  sectorEligible: boolean;
}

export interface ApplicationCompany {
  id: string;
  name: string;
  ice: string;
  sectorCode: string;
  regionCode: string;
  city?: string;
}

export interface ApplicationCall {
  id: string;
  code: string;
  titleFr: string;
  titleAr: string;
  opensOn?: string;
  closesOn?: string;
  status?: CallStatus;
}

export interface ApplicationSolution {
  id: string;
  code: string;
  nameFr: string;
  nameAr: string;
  supplierName: string;
}

export interface ApplicationLine {
  id: string;
  category: LineCategory;
  label: string;
  supplierId: string | null;
  supplierName: string | null;
  amountExclTax: string;
  vatRate: string;
  vatAmount: string;
}

export interface EligibilityCriterion {
  rule: EligibilityRule;
  ok: boolean;
  /** A plain sentence in the language of the request. */
  detail: string;
}

export interface ApplicationDocument {
  id: string;
  type: AnyDocumentType;
  originalName: string;
  mimeType: string;
  /** Bytes. */
  size: number;
  sha256: string;
  /** The officer's checklist. */
  verdict: DocumentVerdict;
  verdictReason: string | null;
  /** The claim an invoice, payment proof or acceptance report was sent with; null before. */
  claimId: string | null;
  uploadedAt: string;
}

/** Who-you-are and the status combined: the interface hides whatever is false. */
export interface ApplicationPermissions {
  read: boolean;
  update: boolean;
  uploadDocument: boolean;
  deleteDocument: boolean;
  submit: boolean;
  withdraw: boolean;
  downloadReceipt: boolean;
  /** Sent by the server beside the contract's list; absent means allowed to whoever reads. */
  downloadDocument?: boolean;
  readHistory?: boolean;
  // The review (issue 6): already combined with the status, like the others.
  submitClaim?: boolean;
  startReview?: boolean;
  requestInfo?: boolean;
  examine?: boolean;
  approve?: boolean;
  reject?: boolean;
  verifyDocument?: boolean;
  verifyClaim?: boolean;
  payClaim?: boolean;
  close?: boolean;
  cancel?: boolean;
}

/** What the officers decided: the examiner's proposal, then the second officer's decision. */
export interface ApplicationReview {
  proposal: "approve" | "reject" | null;
  proposedAmount: string | null;
  proposalComment: string | null;
  examinedAt: string | null;
  decidedAt: string | null;
  approvedAmount: string | null;
  paidAmount: string | null;
}

export interface Application extends Amounts {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  company: ApplicationCompany;
  call: ApplicationCall;
  sectorCode: string;
  description: string;
  solutions: ApplicationSolution[];
  solutionIds: string[];
  lines: ApplicationLine[];
  capUsed: string;
  eligible: boolean;
  eligibility: EligibilityCriterion[];
  fastTrack: boolean;
  /** Absent only from servers older than the review. */
  review?: ApplicationReview;
  documents: ApplicationDocument[];
  filedViaMandate: boolean;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  permissions: ApplicationPermissions;
}

export interface ApplicationSummary {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  company: ApplicationCompany;
  call: ApplicationCall;
  sectorCode: string;
  eligibleAmount: string;
  grantAmount: string;
  fastTrack: boolean;
  submittedAt: string | null;
  /** Whole days since submission while the file waits on an officer; null otherwise. */
  daysWaiting?: number | null;
  updatedAt: string;
  filedViaMandate: boolean;
}

export interface LineInput {
  category: LineCategory;
  label: string;
  supplierId: string | null;
  amountExclTax: string;
  vatRate: string;
}

export interface ApplicationCreation {
  companyId: string;
  callId: string;
  sectorCode: string;
  solutionIds: string[];
  description: string;
  lines: LineInput[];
}

export type ApplicationChanges = Partial<
  Pick<ApplicationCreation, "sectorCode" | "solutionIds" | "description" | "lines">
>;

export interface ApplicationListQuery {
  page: number;
  pageSize: number;
  /** One status, or several (the officers' queue). */
  status?: ApplicationStatus | ApplicationStatus[];
  companyId?: string;
  callId?: string;
  sector?: string;
  region?: string;
  fastTrack?: boolean;
  /** Submitted at least this many days ago. */
  minDaysWaiting?: number;
  q?: string;
  sort?: string;
}

export interface HistoryEntry {
  id: string;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  comment: string | null;
  actorName: string | null;
  actorRole: string | null;
  at: string;
}

export const applicationPath = (id: string) => `/api/v1/applications/${encodeURIComponent(id)}`;

export const applicationsApi = {
  simulate: (request: SimulationRequest, signal?: AbortSignal) =>
    apiRequest<Simulation>("/api/v1/simulate", { method: "POST", body: request, signal }),

  list: (query: ApplicationListQuery, signal?: AbortSignal) =>
    apiRequest<ListResponse<ApplicationSummary>>("/api/v1/applications", {
      query: { ...query, q: query.q === "" ? undefined : query.q },
      signal,
    }),

  get: (id: string, signal?: AbortSignal) => apiRequest<Application>(applicationPath(id), { signal }),

  create: (creation: ApplicationCreation) =>
    apiRequest<Application>("/api/v1/applications", { method: "POST", body: creation }),

  update: (id: string, changes: ApplicationChanges, signal?: AbortSignal) =>
    apiRequest<Application>(applicationPath(id), { method: "PATCH", body: changes, signal }),

  deleteDocument: (id: string, documentId: string) =>
    apiRequest<undefined>(`${applicationPath(id)}/documents/${encodeURIComponent(documentId)}`, { method: "DELETE" }),

  /** The key is made once per attempt by the caller, so that a retry can never submit twice. */
  submit: (id: string, idempotencyKey: string) =>
    apiRequest<Application>(`${applicationPath(id)}/submit`, {
      method: "POST",
      headers: { "Idempotency-Key": idempotencyKey },
    }),

  withdraw: (id: string) => apiRequest<Application>(`${applicationPath(id)}/withdraw`, { method: "POST" }),

  history: (id: string, signal?: AbortSignal) =>
    apiRequest<{ items: HistoryEntry[] }>(`${applicationPath(id)}/history`, { signal }),
};

/** Links the browser follows itself (the session cookie goes along): downloads. */
export const applicationLinks = {
  document: (id: string, documentId: string) => `${applicationPath(id)}/documents/${encodeURIComponent(documentId)}`,
  receipt: (id: string, locale: string) => buildUrl(`${applicationPath(id)}/receipt.pdf`, { locale }),
};

/**
 * An Idempotency-Key: a UUID where the browser offers one (secure contexts), else 32 random hex
 * characters; both fit the server's [A-Za-z0-9_-]{8,128}.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
