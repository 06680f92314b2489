// A tiny typed fetch wrapper: same-origin cookies, JSON in and out, problem+json errors thrown as
// ApiError so that screens can tell "server said no" from "server unreachable".
import i18n from "../i18n";
import type {
  Call,
  ListResponse,
  ProblemDetails,
  ProblemFieldError,
  Region,
  Sector,
  Solution,
  Supplier,
} from "./types";

/** Status 0 means the request never got an HTTP answer (network down, server stopped). */
export const NETWORK_ERROR_STATUS = 0;

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  /** Stable machine-readable reason ("invalid-credentials", "csrf-invalid"…); empty when unknown. */
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];
  readonly requestId: string | undefined;
  /** From the Retry-After header of a 429 or 503 answer. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: ProblemDetails, retryAfterSeconds?: number) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.type = problem.type;
    this.code = problem.code ?? "";
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** An array is sent as a repeated parameter (status=a&status=b). */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) {
        params.append(key, item);
      }
    } else if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search === "" ? path : `${path}?${search}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function toFieldErrors(value: unknown): ProblemFieldError[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value
    .filter(isRecord)
    .map((entry) => ({ path: String(entry.path ?? ""), message: String(entry.message ?? "") }));
}

/**
 * A problem+json body read defensively (`body` is whatever JSON.parse gave, or undefined): a proxy
 * or a crash may answer with HTML or nothing. Shared by fetch (below) and the uploads (XHR).
 */
export function problemFrom(body: unknown, status: number, statusText: string): ProblemDetails {
  const fallback: ProblemDetails = { type: "about:blank", title: statusText || `HTTP ${status}`, status };
  if (!isRecord(body)) {
    return fallback;
  }
  return {
    type: typeof body.type === "string" ? body.type : fallback.type,
    code: typeof body.code === "string" ? body.code : undefined,
    title: typeof body.title === "string" ? body.title : fallback.title,
    status: typeof body.status === "number" ? body.status : status,
    detail: typeof body.detail === "string" ? body.detail : undefined,
    errors: toFieldErrors(body.errors),
    requestId: typeof body.requestId === "string" ? body.requestId : undefined,
  };
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const contentType = response.headers.get("content-type") ?? "";
  const body: unknown = contentType.includes("json") ? await response.json().catch(() => undefined) : undefined;
  return problemFrom(body, response.status, response.statusText);
}

/** Retry-After in seconds (the server never sends the HTTP-date form). */
export function retryAfterFrom(header: string | null): number | undefined {
  const value = Number.parseInt(header ?? "", 10);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

// --- CSRF -------------------------------------------------------------------------------------
// The token belongs to the server-side session: it is fetched once, replaced at sign-in (the
// session is regenerated) and forgotten at sign-out. A stale one (expired session) is refreshed
// and the request retried once.

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
let csrfToken: string | null = null;
let csrfRequest: Promise<string> | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function forgetCsrfToken(): void {
  csrfToken = null;
}

export function fetchCsrfToken(): Promise<string> {
  if (csrfToken !== null) {
    return Promise.resolve(csrfToken);
  }
  csrfRequest ??= apiRequest<{ csrfToken: string }>("/api/v1/auth/csrf")
    .then(({ csrfToken: token }) => {
      csrfToken = token;
      return token;
    })
    .finally(() => {
      csrfRequest = null;
    });
  return csrfRequest;
}

/**
 * Runs an unsafe request with the session's CSRF token; when the server says the token is stale
 * (expired session), fetches a new one and runs it once more. Also used by the uploads (XHR).
 */
export async function withCsrfToken<T>(send: (token: string) => Promise<T>): Promise<T> {
  try {
    return await send(await fetchCsrfToken());
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403 && error.code === "csrf-invalid")) {
      throw error;
    }
    forgetCsrfToken();
    return send(await fetchCsrfToken());
  }
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (!UNSAFE_METHODS.has(options.method ?? "GET")) {
    return send<T>(path, options);
  }
  return withCsrfToken((token) =>
    send<T>(path, { ...options, headers: { ...options.headers, "X-CSRF-Token": token } }),
  );
}

async function send<T>(path: string, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    "Accept-Language": i18n.language,
    ...options.headers,
  };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? "GET",
      credentials: "same-origin",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    // An abort is TanStack Query cancelling on purpose: let it through untouched.
    if (error instanceof DOMException && error.name === "AbortError") {
      throw error;
    }
    throw new ApiError({ type: "network-error", title: "Network error", status: NETWORK_ERROR_STATUS });
  }
  if (!response.ok) {
    throw new ApiError(await readProblem(response), retryAfterFrom(response.headers.get("retry-after")));
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

interface ListQuery {
  page?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

function getList<T>(path: string, query: Record<string, QueryValue>, signal?: AbortSignal): Promise<ListResponse<T>> {
  return apiRequest<ListResponse<T>>(path, { query, signal });
}

export const api = {
  sectors: ({ signal }: ListQuery = {}) => getList<Sector>("/api/v1/sectors", { pageSize: 100 }, signal),
  regions: ({ signal }: ListQuery = {}) => getList<Region>("/api/v1/regions", { pageSize: 100 }, signal),
  suppliers: ({ page, pageSize, signal }: ListQuery = {}) =>
    getList<Supplier>("/api/v1/suppliers", { page, pageSize }, signal),
  solutions: (sector: string, { page, pageSize, signal }: ListQuery = {}) =>
    getList<Solution>("/api/v1/solutions", { sector, page, pageSize }, signal),
  calls: ({ signal }: ListQuery = {}) => getList<Call>("/api/v1/calls", { pageSize: 100 }, signal),
};
