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
