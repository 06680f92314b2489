import type { Request, RequestHandler } from "express";
import { csrfSync } from "csrf-sync";
import { AppError } from "../../errors.js";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Synchroniser-token CSRF protection: the token lives in the server-side session and comes back in
 * the X-CSRF-Token header of every unsafe request.
 */
export function createCsrf() {
  const { generateToken, isRequestValid } = csrfSync({
    getTokenFromRequest: (req: Request) => {
      const header = req.headers["x-csrf-token"];
      return typeof header === "string" ? header : undefined;
    },
  });
  const protect: RequestHandler = (req, _res, next) => {
    if (!UNSAFE.has(req.method) || isRequestValid(req)) {
      next();
      return;
    }
    next(new AppError("csrf-invalid", 403));
  };
  return { protect, generateToken };
}

export type Csrf = ReturnType<typeof createCsrf>;
