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
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];

  constructor(problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function buildUrl(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) {
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

/** Reads a problem+json body defensively: a proxy or a crash may answer with HTML or nothing. */
async function readProblem(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.includes("json")) {
    return fallback;
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!isRecord(body)) {
    return fallback;
  }
  return {
    type: typeof body.type === "string" ? body.type : fallback.type,
    title: typeof body.title === "string" ? body.title : fallback.title,
    status: typeof body.status === "number" ? body.status : response.status,
    detail: typeof body.detail === "string" ? body.detail : undefined,
    errors: toFieldErrors(body.errors),
  };
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
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
    throw new ApiError(await readProblem(response));
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
