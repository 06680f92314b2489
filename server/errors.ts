import type { MessageKey } from "./i18n/index.js";

/** One error class for everything the API refuses on purpose, with a stable code and status. */

export type FieldError =
  | {
      /** Dotted path of the offending field, e.g. `lines.0.amountExclTax`. */
      path: string;
      /** Message key in server/i18n, translated in the requester's language by the error handler. */
      key: MessageKey;
      params?: Record<string, string | number>;
      /** Amounts ("60000.00") written for people in the requester's language. */
      moneyParams?: Record<string, string>;
    }
  | {
      path: string;
      /** A sentence already written in the requester's language (e.g. an eligibility verdict). */
      text: string;
    };

export type ErrorCode =
  | "validation-failed"
  | "not-found"
  | "route-not-found"
  | "unauthenticated"
  | "forbidden"
  | "conflict"
  | "payload-too-large"
  | "malformed-request"
  | "too-many-requests"
  | "service-unavailable"
  | "internal-error"
  | "csrf-invalid"
  | "invalid-credentials"
  | "email-not-verified"
  | "account-disabled"
  | "account-locked"
  | "token-invalid"
  | "application-ineligible"
  | "nothing-to-issue";

export interface AppErrorOptions {
  /** Key of the sentence explaining this occurrence; defaults to the code's generic detail. */
  detailKey?: MessageKey;
  params?: Record<string, string | number>;
  /** Parameters that are themselves messages (a status label), translated before interpolation. */
  labelParams?: Record<string, MessageKey>;
  /** Amounts ("60000.00") written for people in the requester's language ("60 000,00 MAD"). */
  moneyParams?: Record<string, string>;
  errors?: FieldError[];
  /** Sent as Retry-After on 429 and 503 answers. */
  retryAfterSeconds?: number;
  /** Extra members of the problem (RFC 9457 extensions), e.g. the id of the job already running. */
  extensions?: Record<string, string>;
}

export class AppError extends Error {
  readonly detailKey: MessageKey;
  readonly params: Record<string, string | number>;
  readonly labelParams: Record<string, MessageKey>;
  readonly moneyParams: Record<string, string>;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly extensions: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    options: AppErrorOptions = {},
  ) {
    super(`${code}${options.detailKey ? `: ${options.detailKey}` : ""}`);
    this.name = "AppError";
    this.detailKey = options.detailKey ?? (`problem.${code}.detail` as MessageKey);
    this.params = options.params ?? {};
    this.labelParams = options.labelParams ?? {};
    this.moneyParams = options.moneyParams ?? {};
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extensions = options.extensions ?? {};
  }

  static validation(errors: FieldError[]): AppError {
    return new AppError("validation-failed", 422, { errors });
  }

  /** Unknown and foreign records answer the same, so existence is never revealed. */
  static notFound(): AppError {
    return new AppError("not-found", 404);
  }

  static conflict(detailKey: MessageKey, params?: Record<string, string | number>): AppError {
    return new AppError("conflict", 409, { detailKey, ...(params ? { params } : {}) });
  }
}

export const PROBLEM_TYPE_PREFIX = "urn:moussanada:problem:";
