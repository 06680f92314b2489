// The officers' side (issue 6, server/http/routes/review.ts and exports.ts): transitions of the
// status machine, the document checklist, claims and payments, budgets, declared conflicts.
// Money is a decimal string ("400000.00"); every amount is the server's.
import { applicationPath, type Application, type ApplicationDocument, type ApplicationListQuery } from "./applications";
import { ApiError, apiRequest, buildUrl, NETWORK_ERROR_STATUS, problemFrom, type QueryValue } from "./client";
import type { ListResponse } from "./types";

export interface Examination {
  proposal: "approve" | "reject";
  /** Proposed grant (≤ the computed grantAmount); null: the computed grant. Ignored for a rejection. */
  amount: string | null;
  comment: string;
}

export interface Approval {
  /** Null: the examiner's proposal. */
  amount: string | null;
  comment: string | null;
}

export type ClaimStatus = "submitted" | "verified" | "paid";

export interface ClaimInvoice {
  id: string;
  documentId: string;
  invoiceNumber: string;
  supplierName: string;
  invoiceDate: string;
  amountExclTax: string;
  verdict: "pending" | "accepted" | "rejected";
  verifiedAmount: string | null;
  verdictReason: string | null;
}

export interface Claim {
  id: string;
  applicationId: string;
  status: ClaimStatus;
  submittedAt: string;
  verifiedAmount: string | null;
  paymentAmount: string | null;
  paymentReference: string | null;
  paidAt: string | null;
  invoices: ClaimInvoice[];
}

export interface InvoiceInput {
  documentId: string;
  invoiceNumber: string;
  supplierName: string;
  invoiceDate: string;
  amountExclTax: string;
}

export interface InvoiceVerdict {
  id: string;
  verdict: "accepted" | "rejected";
  verifiedAmount: string | null;
  reason: string | null;
}

export interface BudgetLine {
  envelope: string;
  committed: string;
  paid: string;
  available: string;
}

export interface CallBudget extends BudgetLine {
  callId: string;
  bySector: Array<BudgetLine & { sectorCode: string }>;
}

export interface Conflict {
  id: string;
  companyId: string;
  companyName: string;
  companyIce: string;
  reason: string;
  createdAt: string;
}

const post = <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "POST", body: body ?? {} });

export const reviewApi = {
  startReview: (id: string) => post<Application>(`${applicationPath(id)}/start-review`),
  requestInfo: (id: string, message: string) => post<Application>(`${applicationPath(id)}/request-info`, { message }),
  examine: (id: string, examination: Examination) => post<Application>(`${applicationPath(id)}/examine`, examination),
  approve: (id: string, approval: Approval) => post<Application>(`${applicationPath(id)}/approve`, approval),
  reject: (id: string, reason: string) => post<Application>(`${applicationPath(id)}/reject`, { reason }),
  cancel: (id: string, reason: string) => post<Application>(`${applicationPath(id)}/cancel`, { reason }),
  close: (id: string) => post<Application>(`${applicationPath(id)}/close`),

  documentVerdict: (id: string, documentId: string, verdict: "accepted" | "rejected", reason: string | null) =>
    post<ApplicationDocument>(`${applicationPath(id)}/documents/${encodeURIComponent(documentId)}/verdict`, {
      verdict,
      reason,
    }),

  claim: (id: string, signal?: AbortSignal) => apiRequest<Claim>(`${applicationPath(id)}/claim`, { signal }),
  submitClaim: (id: string, invoices: InvoiceInput[]) => post<Claim>(`${applicationPath(id)}/claims`, { invoices }),
  verifyClaim: (claimId: string, invoices: InvoiceVerdict[]) =>
    post<Claim>(`/api/v1/claims/${encodeURIComponent(claimId)}/verify`, { invoices }),
  payClaim: (claimId: string, paymentReference: string) =>
    post<Claim>(`/api/v1/claims/${encodeURIComponent(claimId)}/pay`, { paymentReference }),

  budget: (callId: string, signal?: AbortSignal) =>
    apiRequest<CallBudget>(`/api/v1/calls/${encodeURIComponent(callId)}/budget`, { signal }),

  conflicts: (signal?: AbortSignal) => apiRequest<ListResponse<Conflict>>("/api/v1/conflicts", { signal }),
  declareConflict: (companyId: string, reason: string) => post<Conflict>("/api/v1/conflicts", { companyId, reason }),
};

export type ExportFormat = "csv" | "xlsx";

/** The queue's filters as the exports take them (no page, no sort: they are ordered by reference). */
export function exportFilters(query: ApplicationListQuery): Record<string, QueryValue> {
  return {
    status: query.status,
    sector: query.sector,
    region: query.region,
    callId: query.callId,
    fastTrack: query.fastTrack,
    minDaysWaiting: query.minDaysWaiting,
    q: query.q === "" ? undefined : query.q,
  };
}

/** Links the browser follows itself (the session cookie goes along): the files download. */
export const exportLinks = {
  applications: (format: ExportFormat, query: ApplicationListQuery) =>
    buildUrl(`/api/v1/exports/applications.${format}`, exportFilters(query)),
  payments: (format: ExportFormat, callId?: string) =>
    buildUrl(`/api/v1/exports/payments.${format}`, { callId: callId === "" ? undefined : callId }),
};

const PREVIEWABLE = new Set(["image/png", "image/jpeg"]);

export function isPreviewable(mimeType: string): boolean {
  return PREVIEWABLE.has(mimeType);
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener("load", () => resolve(String(reader.result)));
    reader.addEventListener("error", () => reject(reader.error ?? new Error("unreadable image")));
    reader.readAsDataURL(blob);
  });
}

/**
 * An image document for the viewer. Downloads are attachments with a sandboxing CSP, so they
 * cannot be framed: the bytes are fetched and shown as a data: URL (the page's CSP allows
 * data: images; it does not allow blob: ones). Only PNG and JPEG, never anything the browser
 * would run.
 */
export async function fetchImagePreview(url: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({ type: "network-error", title: "Network error", status: NETWORK_ERROR_STATUS });
  }
  if (!response.ok) {
    const body: unknown = (response.headers.get("content-type") ?? "").includes("json")
      ? await response.json().catch(() => undefined)
      : undefined;
    throw new ApiError(problemFrom(body, response.status, response.statusText));
  }
  const blob = await response.blob();
  if (!isPreviewable(blob.type)) {
    throw new ApiError({ type: "about:blank", title: "Unsupported media type", status: 415 });
  }
  return dataUrlOf(blob);
}
