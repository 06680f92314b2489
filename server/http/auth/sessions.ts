import connectPgSimple from "connect-pg-simple";
import type { RequestHandler } from "express";
import session from "express-session";
import type pg from "pg";
import type { Config } from "../../config/index.js";

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

declare module "express-session" {
  interface SessionData {
    /** When the user signed in: the session ends 12 h later whatever the activity. */
    signedInAt?: number;
  }
}

/** The cookie's name; `__Host-` in production binds it to this exact origin over HTTPS. */
export function sessionCookieName(config: Pick<Config, "isProduction">): string {
  return config.isProduction ? "__Host-moussanada.sid" : "moussanada.sid";
}

/**
 * Sessions live in PostgreSQL so any instance serves any request. The cookie expires after 30
 * minutes without a request (each request pushes it back); the absolute limit is enforced below.
 */
export function sessions(config: Config, pool: pg.Pool): RequestHandler {
  const PgStore = connectPgSimple(session);
  return session({
    name: sessionCookieName(config),
    secret: config.sessionSecret,
    store: new PgStore({ pool, tableName: "sessions", createTableIfMissing: false, pruneSessionInterval: false }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: "destroy",
    cookie: { httpOnly: true, sameSite: "lax", secure: config.isProduction, maxAge: IDLE_TIMEOUT_MS, path: "/" },
  });
}

export function absoluteSessionTimeout(now: () => Date): RequestHandler {
  return (req, res, next) => {
    const signedInAt = req.session?.signedInAt;
    if (signedInAt === undefined || now().getTime() - signedInAt <= ABSOLUTE_TIMEOUT_MS) {
      next();
      return;
    }
    // regenerate, not destroy: the old session leaves the store, and the request goes on with a
    // fresh anonymous one (CSRF needs a session to keep its token in); protected routes answer 401.
    req.session.regenerate((error) => {
      if (error) {
        next(error);
        return;
      }
      Reflect.deleteProperty(req, "user");
      next();
    });
  };
}
