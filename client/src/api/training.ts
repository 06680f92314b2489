// The Permis Numérique (issue 7 contract, server/http/routes/training.ts): course sessions,
// enrolments, certificates and their public verification. Instants are ISO strings (UTC); the
// pages show them in Africa/Casablanca.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiRequest, buildUrl } from "./client";
import { retryUnlessClientError } from "./queries";
import { sessionKeys } from "./session";
import type { ListResponse } from "./types";

export const TRAINING_SESSION_STATUSES = ["scheduled", "cancelled"] as const;
export type TrainingSessionStatus = (typeof TRAINING_SESSION_STATUSES)[number];

export const ENROLMENT_STATUSES = ["enrolled", "waitlisted", "cancelled", "attended", "passed", "failed"] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

export const CERTIFICATE_STATUSES = ["valid", "revoked"] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface TrainingSessionPermissions {
  update: boolean;
  enrol: boolean;
  manage: boolean;
  issueCertificates: boolean;
}

/** The signed-in applicant's own live enrolment in a session. */
export interface MyEnrolment {
  id: string;
  status: EnrolmentStatus;
  /** 1 = next to be promoted; null unless waitlisted. */
  waitlistPosition: number | null;
}

export interface TrainingSession {
  id: string;
  title: string;
  /** Possibly the empty string. */
  description: string;
  city: string;
  venue: string | null;
  onlineUrl: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  passMark: number;
  status: TrainingSessionStatus;
  trainer: { id: string; fullName: string };
  enrolledCount: number;
  waitlistCount: number;
  seatsLeft: number;
  hasStarted: boolean;
  myEnrolment: MyEnrolment | null;
  permissions: TrainingSessionPermissions;
}

export interface TrainingSessionQuery {
  page: number;
  pageSize: number;
  city?: string;
  /** YYYY-MM-DD: sessions ending on/after that Casablanca day (server default: today). */
  from?: string;
  /** YYYY-MM-DD: sessions starting on/before that day. */
  to?: string;
  /** Trainer: own sessions; admin: all, past included. */
  mine?: boolean;
}

export interface EnrolmentSession {
  id: string;
  title: string;
  city: string;
  startsAt: string;
  endsAt: string;
  passMark: number;
  onlineUrl: string | null;
  venue: string | null;
}

export interface EnrolmentCertificate {
  id: string;
  number: string;
  status: CertificateStatus;
}

export interface EnrolmentPermissions {
  cancel: boolean;
  recordResult: boolean;
}

export interface Enrolment {
  id: string;
  sessionId: string;
  status: EnrolmentStatus;
  attended: boolean | null;
  score: number | null;
  holderName: string;
  holderEmail: string;
  company: { id: string; name: string } | null;
  /** 1 = next to be promoted; null unless waitlisted. */
  waitlistPosition: number | null;
  enrolledBy: { id: string; fullName: string; role: string };
  createdAt: string;
  session: EnrolmentSession;
  certificate: EnrolmentCertificate | null;
  permissions: EnrolmentPermissions;
}

export interface EnrolmentQuery {
  page: number;
  pageSize: number;
  /** Required for trainers and admins. */
  sessionId?: string;
  status?: EnrolmentStatus;
}

export interface EnrolmentRequest {
  /** Applicant: one of their companies (optional with one or none); prescriber: required. */
  companyId?: string;
}

export interface CertificatePermissions {
  download: boolean;
  revoke: boolean;
}

export interface Certificate {
  id: string;
  /** "PN-2026-000001". */
  number: string;
  /** 22 characters, base64url. */
  verificationCode: string;
  verificationUrl: string;
  status: CertificateStatus;
  holderName: string;
  companyName: string | null;
  courseTitle: string;
  sessionId: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  issuedAt: string;
  revokedAt: string | null;
  /** Only to admins and the holder. */
  revocationReason: string | null;
  verificationCount: number;
  pdfReady: boolean;
  permissions: CertificatePermissions;
}

export interface CertificateQuery {
  page: number;
  pageSize: number;
  /** Required for trainers. */
  sessionId?: string;
  status?: CertificateStatus;
  /** Number or holder name. */
  q?: string;
}

export interface Job {
  id: string;
  kind: "certificate_batch";
  sessionId: string;
  status: JobStatus;
  total: number;
  done: number;
  percent: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The public answer for a verification code: nothing more than this is disclosed. */
export interface Verification {
  valid: boolean;
  status: CertificateStatus;
  number: string;
  holderName: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  courseTitle: string;
  /** YYYY-MM-DD, or null while valid. */
  revokedOn: string | null;
}

const sessionPath = (id: string) => `/api/v1/training/sessions/${encodeURIComponent(id)}`;
const enrolmentPath = (id: string) => `/api/v1/training/enrolments/${encodeURIComponent(id)}`;
const certificatePath = (id: string) => `/api/v1/certificates/${encodeURIComponent(id)}`;

const emptyToUndefined = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

export function listSessions(query: TrainingSessionQuery, signal?: AbortSignal) {
  return apiRequest<ListResponse<TrainingSession>>("/api/v1/training/sessions", {
    query: {
      page: query.page,
      pageSize: query.pageSize,
      city: emptyToUndefined(query.city),
      from: emptyToUndefined(query.from),
      to: emptyToUndefined(query.to),
      mine: query.mine === true ? true : undefined,
    },
    signal,
  });
}

export function getSession(id: string, signal?: AbortSignal) {
  return apiRequest<TrainingSession>(sessionPath(id), { signal });
}

export function enrol(sessionId: string, request: EnrolmentRequest = {}) {
  return apiRequest<Enrolment>(`${sessionPath(sessionId)}/enrolments`, {
    method: "POST",
    body: request.companyId === undefined || request.companyId === "" ? {} : { companyId: request.companyId },
  });
}

export function cancelEnrolment(id: string) {
  return apiRequest<Enrolment>(enrolmentPath(id), { method: "DELETE" });
}

export function listEnrolments(query: EnrolmentQuery, signal?: AbortSignal) {
  return apiRequest<ListResponse<Enrolment>>("/api/v1/training/enrolments", {
    query: { page: query.page, pageSize: query.pageSize, sessionId: query.sessionId, status: query.status },
    signal,
  });
}

export function listCertificates(query: CertificateQuery, signal?: AbortSignal) {
  return apiRequest<ListResponse<Certificate>>("/api/v1/certificates", {
    query: {
      page: query.page,
      pageSize: query.pageSize,
      sessionId: query.sessionId,
      status: query.status,
      q: emptyToUndefined(query.q),
    },
    signal,
  });
}

export function getCertificate(id: string, signal?: AbortSignal) {
  return apiRequest<Certificate>(certificatePath(id), { signal });
}

/** A link the browser follows itself (the session cookie goes along): the PDF downloads. */
export function certificatePdfUrl(id: string): string {
  return `${certificatePath(id)}/pdf`;
}

/** The signed Open Badges 3.0 credential (JSON-LD). */
export function certificateCredentialUrl(id: string): string {
  return `${certificatePath(id)}/credential`;
}

/** Public, rate limited: 404 for an unknown code, 429 with Retry-After. */
export function verifyCertificate(code: string, signal?: AbortSignal) {
  return apiRequest<Verification>(`/api/v1/verify/${encodeURIComponent(code)}`, { signal });
}

/** The public page that shows a code's verdict (a path of this site). */
export function verificationPagePath(code: string): string {
  return buildUrl(`/verify/${encodeURIComponent(code)}`, undefined);
}

export const trainingApi = {
  listSessions,
  getSession,
  enrol,
  cancelEnrolment,
  listEnrolments,
  listCertificates,
  getCertificate,
  verifyCertificate,
};

/**
 * Sessions carry the signed-in user's enrolment and permissions, so they live under "session"
 * (dropped at sign-in and sign-out) like everything personal. Verifications are public.
 */
export const trainingKeys = {
  all: [...sessionKeys.all, "training"] as const,
  sessions: [...sessionKeys.all, "training", "sessions"] as const,
  sessionList: (query: TrainingSessionQuery) => [...sessionKeys.all, "training", "sessions", "list", query] as const,
  session: (id: string) => [...sessionKeys.all, "training", "sessions", "detail", id] as const,
  enrolments: [...sessionKeys.all, "training", "enrolments"] as const,
  enrolmentList: (query: EnrolmentQuery) => [...sessionKeys.all, "training", "enrolments", "list", query] as const,
  certificates: [...sessionKeys.all, "training", "certificates"] as const,
  certificateList: (query: CertificateQuery) =>
    [...sessionKeys.all, "training", "certificates", "list", query] as const,
  certificate: (id: string) => [...sessionKeys.all, "training", "certificates", "detail", id] as const,
  job: (id: string) => [...sessionKeys.all, "training", "jobs", id] as const,
  verification: (code: string) => ["verify", code] as const,
};

export function useTrainingSessions(query: TrainingSessionQuery, enabled = true) {
  return useQuery({
    queryKey: trainingKeys.sessionList(query),
    queryFn: ({ signal }) => listSessions(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useTrainingSession(id: string) {
  return useQuery({
    queryKey: trainingKeys.session(id),
    queryFn: ({ signal }) => getSession(id, signal),
    retry: retryUnlessClientError,
  });
}

export function useEnrolments(query: EnrolmentQuery, enabled = true) {
  return useQuery({
    queryKey: trainingKeys.enrolmentList(query),
    queryFn: ({ signal }) => listEnrolments(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCertificates(query: CertificateQuery, enabled = true) {
  return useQuery({
    queryKey: trainingKeys.certificateList(query),
    queryFn: ({ signal }) => listCertificates(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/**
 * Every verification of an existing certificate is counted by the server: one request per visit
 * of the page, never repeated in the background, never retried on 404 or 429.
 */
export function useVerification(code: string) {
  return useQuery({
    queryKey: trainingKeys.verification(code),
    queryFn: ({ signal }) => verifyCertificate(code, signal),
    enabled: code !== "",
    retry: retryUnlessClientError,
    staleTime: Infinity,
    gcTime: 60 * 1000,
  });
}
