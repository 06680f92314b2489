import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { AppError, PROBLEM_TYPE_PREFIX } from "../../errors.js";
import { fromDatabase } from "../../domain/money.js";
import { displayMoney } from "../../i18n/format.js";
import { translate, type Locale, type MessageKey } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === "object" && error !== null && typeof (error as { type?: unknown }).type === "string";
}

interface HttpError {
  status: number;
  expose?: boolean;
}

function isClientHttpError(error: unknown): error is HttpError {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * SQLSTATE classes and codes meaning "the database cannot serve now": connection exceptions (08),
 * the server shutting down or starting up (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
/** What pg and the OS report when the server vanished or never answered. */
const UNAVAILABLE_SYSTEM_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;
/** Sequelize's names for a connection it could not open or acquire from its pool. */
const UNAVAILABLE_SEQUELIZE_ERRORS = new Set([
  "SequelizeConnectionError",
  "SequelizeConnectionRefusedError",
  "SequelizeConnectionTimedOutError",
  "SequelizeConnectionAcquireTimeoutError",
  "SequelizeHostNotFoundError",
  "SequelizeHostNotReachableError",
]);
const RETRY_AFTER_DATABASE_SECONDS = 5;

/** The disk refuses writes: full, over quota, or mounted read-only (documents, temporary uploads). */
const STORAGE_REFUSING_WRITES = new Set(["ENOSPC", "EDQUOT", "EROFS"]);
const RETRY_AFTER_STORAGE_SECONDS = 60;

export function isStorageRefusingWrites(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && STORAGE_REFUSING_WRITES.has(code);
}

/**
 * A PostgreSQL that is down, restarting or out of connections, whichever layer noticed it first
 * (Sequelize, the session store's pg pool, the rate limiter): its error, or the error it wraps.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const candidate = current as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof candidate.name === "string" && UNAVAILABLE_SEQUELIZE_ERRORS.has(candidate.name)) return true;
    if (typeof candidate.code === "string") {
      if (UNAVAILABLE_SQLSTATES.test(candidate.code) || UNAVAILABLE_SYSTEM_CODES.has(candidate.code)) return true;
    }
    if (typeof candidate.message === "string" && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
    const wrapper = current as { original?: unknown; parent?: unknown; cause?: unknown };
    current = wrapper.original ?? wrapper.parent ?? wrapper.cause;
  }
  return false;
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "?";
  if (bytes < 1024) return `${bytes} o`;
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} Mo` : `${Math.round(bytes / 1024)} ko`;
}

/** Translates what the body parser throws into the product's own errors. */
function fromBodyParser(error: BodyParserError): AppError | null {
  if (error.type === "entity.too.large") {
    return new AppError("payload-too-large", 413, { params: { limit: formatBytes(error.limit) } });
  }
  if (
    error.type === "entity.parse.failed" ||
    error.type === "encoding.unsupported" ||
    error.type === "charset.unsupported"
  ) {
    return new AppError("malformed-request", 400);
  }
  return null;
}

function amountsFor(locale: Locale, amounts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(amounts).map(([name, amount]) => [name, displayMoney(fromDatabase(amount), locale)]),
  );
}

export function sendProblem(req: Request, res: Response, error: AppError, debug?: Record<string, unknown>): void {
  const locale = req.locale ?? "fr";
  const requestId = String(req.id ?? "");
  const body = {
    ...error.extensions,
    type: `${PROBLEM_TYPE_PREFIX}${error.code}`,
    code: error.code,
    title: translate(locale, `problem.${error.code}.title` as MessageKey),
    status: error.status,
    detail: translate(locale, error.detailKey, {
      requestId,
      ...error.params,
      ...Object.fromEntries(Object.entries(error.labelParams).map(([name, key]) => [name, translate(locale, key)])),
      ...amountsFor(locale, error.moneyParams),
    }),
    instance: req.originalUrl,
    requestId,
    ...(error.errors
      ? {
          errors: error.errors.map((field) => ({
            path: field.path,
            message:
              "text" in field
                ? field.text
                : translate(locale, field.key, { ...field.params, ...amountsFor(locale, field.moneyParams ?? {}) }),
          })),
        }
      : {}),
    ...(debug ? { debug } : {}),
  };
  if (error.retryAfterSeconds !== undefined) res.set("Retry-After", String(error.retryAfterSeconds));
  res.status(error.status).type("application/problem+json").send(JSON.stringify(body));
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(new AppError("route-not-found", 404, { params: { path: req.originalUrl.split("?")[0] ?? "/" } }));
  };
}

/**
 * The single place where errors become answers: deliberate refusals keep their status, anything
 * else is a 500 whose details go to the log under the request id, never to the client in production.
 */
export function errorHandler(options: { logger: Logger; exposeInternals: boolean }): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      sendProblem(req, res, error);
      return;
    }
    const translated = isBodyParserError(error) ? fromBodyParser(error) : null;
    if (translated) {
      sendProblem(req, res, translated);
      return;
    }
    // serve-static and friends signal a missing file or a bad path with an http-errors object.
    if (isClientHttpError(error)) {
      const problem =
        error.status === 404
          ? new AppError("route-not-found", 404, { params: { path: req.path } })
          : new AppError("malformed-request", error.status, { detailKey: "problem.bad-request.detail" });
      sendProblem(req, res, problem);
      return;
    }
    if (isDatabaseUnavailable(error)) {
      // Expected while PostgreSQL restarts or fails over: the client retries, the probe says not ready.
      options.logger.warn({ err: error, requestId: req.id }, "database unavailable");
      sendProblem(
        req,
        res,
        new AppError("service-unavailable", 503, { retryAfterSeconds: RETRY_AFTER_DATABASE_SECONDS }),
      );
      return;
    }
    if (isStorageRefusingWrites(error)) {
      // An operator must free space or remount; the user is told the documents' storage is down.
      options.logger.error({ err: error, requestId: req.id }, "document storage refuses writes");
      sendProblem(
        req,
        res,
        new AppError("service-unavailable", 503, {
          detailKey: "readiness.storage-unavailable",
          retryAfterSeconds: RETRY_AFTER_STORAGE_SECONDS,
        }),
      );
      return;
    }
    options.logger.error({ err: error, requestId: req.id }, "unhandled error");
    const internal = new AppError("internal-error", 500);
    if (!options.exposeInternals) {
      sendProblem(req, res, internal);
      return;
    }
    // Outside production the developer sees the cause in the answer as well as in the log.
    const cause = error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
    sendProblem(req, res, internal, cause);
  };
}
