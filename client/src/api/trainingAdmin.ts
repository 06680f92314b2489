// The trainers' and admins' side of the Permis Numérique (issue 7 contract): sessions they
// create and change, results they record, certificates they issue (a background job they
// follow) and revoke. Types and lists are training.ts's.
import i18n from "../i18n";
import { ApiError, apiRequest, NETWORK_ERROR_STATUS, problemFrom, retryAfterFrom, withCsrfToken } from "./client";
import type { Certificate, Enrolment, Job, TrainingSession } from "./training";
import type { ListResponse, User } from "./types";

/** What the session form sends. `venue` or `onlineUrl` (https) at least; `trainerId`: admins only. */
export interface SessionInput {
  title: string;
  description: string;
  city: string;
  venue: string | null;
  onlineUrl: string | null;
  /** ISO instants (UTC). */
  startsAt: string;
  endsAt: string;
  capacity: number;
  passMark: number;
  trainerId?: string;
}

/** PATCH: only what changed (a started session accepts nothing but its description). */
export type SessionChanges = Partial<SessionInput>;

export interface ResultInput {
  attended: boolean;
  /** Integer 0…100; null when absent, or present without a score yet. */
  score: number | null;
}

/**
 * A 409 "a batch is already running for this session": the problem names the job when the server
 * knows it, so the page can follow that one instead of saying no.
 */
export class JobRunningError extends ApiError {
  readonly jobId: string | null;

  constructor(error: ApiError, jobId: string | null) {
    super(
      {
        type: error.type,
        code: error.code || undefined,
        title: error.title,
        status: error.status,
        detail: error.detail,
        errors: error.errors,
        requestId: error.requestId,
      },
      error.retryAfterSeconds,
    );
    this.name = "JobRunningError";
    this.jobId = jobId;
  }
}

const sessionPath = (id: string) => `/api/v1/training/sessions/${encodeURIComponent(id)}`;

export function createSession(input: SessionInput): Promise<TrainingSession> {
  return apiRequest<TrainingSession>("/api/v1/training/sessions", { method: "POST", body: input });
}

export function updateSession(id: string, changes: SessionChanges): Promise<TrainingSession> {
  return apiRequest<TrainingSession>(sessionPath(id), { method: "PATCH", body: changes });
}

export function recordResult(enrolmentId: string, result: ResultInput): Promise<Enrolment> {
  return apiRequest<Enrolment>(`/api/v1/training/enrolments/${encodeURIComponent(enrolmentId)}/result`, {
    method: "POST",
    body: result,
  });
}

async function readJson(response: Response): Promise<unknown> {
  const contentType = response.headers.get("content-type") ?? "";
  return contentType.includes("json") ? response.json().catch(() => undefined) : undefined;
}

/**
 * Starts the batch that issues one certificate per passed enrolment without one → 201 Job.
 * Fetched by hand rather than through apiRequest: a 409's problem may carry `jobId`, which the
 * generic problem reader drops.
 */
export function issueCertificates(sessionId: string): Promise<Job> {
  return withCsrfToken(async (token) => {
    let response: Response;
    try {
      response = await fetch(`${sessionPath(sessionId)}/certificates`, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json, application/problem+json",
          "Accept-Language": i18n.language,
          "Content-Type": "application/json",
          "X-CSRF-Token": token,
        },
        body: "{}",
      });
    } catch {
      throw new ApiError({ type: "network-error", title: "Network error", status: NETWORK_ERROR_STATUS });
    }
    const body = await readJson(response);
    if (response.ok) return body as Job;
    const error = new ApiError(
      problemFrom(body, response.status, response.statusText),
      retryAfterFrom(response.headers.get("retry-after")),
    );
    if (response.status === 409) {
      const jobId = typeof body === "object" && body !== null ? (body as { jobId?: unknown }).jobId : undefined;
      throw new JobRunningError(error, typeof jobId === "string" && jobId !== "" ? jobId : null);
    }
    throw error;
  });
}

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`, { signal });
}

export function revokeCertificate(id: string, reason: string): Promise<Certificate> {
  return apiRequest<Certificate>(`/api/v1/certificates/${encodeURIComponent(id)}/revoke`, {
    method: "POST",
    body: { reason },
  });
}

/** Admins choose the session's trainer among the active trainer accounts (the API's largest page). */
export function listTrainers(signal?: AbortSignal): Promise<ListResponse<User>> {
  return apiRequest<ListResponse<User>>("/api/v1/users", {
    query: { role: "trainer", status: "active", sort: "fullName", page: 1, pageSize: 100 },
    signal,
  });
}

export const trainingAdminApi = {
  createSession,
  updateSession,
  recordResult,
  issueCertificates,
  getJob,
  revokeCertificate,
  listTrainers,
};
