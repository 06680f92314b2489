import connectPgSimple from "connect-pg-simple";
import type { RequestHandler } from "express";
import session, { type SessionData } from "express-session";
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
 * How long after pushing a session's end back this instance leaves it alone: a busy user's every
 * request would otherwise write (and flush) the same row again. The idle limit is then 30 minutes
 * to within this minute.
 */
export const TOUCH_INTERVAL_MS = 60 * 1000;
const REMEMBERED_TOUCHES = 100_000;

/** connect-pg-simple's store, pushing a session's end back at most once per TOUCH_INTERVAL_MS. */
function throttledStore(pool: pg.Pool) {
  const PgStore = connectPgSimple(session);
  const touchedAt = new Map<string, number>();
  class ThrottledTouchStore extends PgStore {
    override touch(sid: string, sess: SessionData, callback?: () => void): void {
      const now = Date.now();
      const last = touchedAt.get(sid);
      if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
        callback?.();
        return;
      }
      // Map order is insertion order: the oldest entries go first when the map is full.
      touchedAt.delete(sid);
      touchedAt.set(sid, now);
      if (touchedAt.size > REMEMBERED_TOUCHES) {
        const oldest = touchedAt.keys().next();
        if (!oldest.done) touchedAt.delete(oldest.value);
      }
      super.touch(sid, sess, callback);
    }

    override destroy(sid: string, callback?: (error?: unknown) => void): void {
      touchedAt.delete(sid);
      super.destroy(sid, callback);
    }
  }
  return new ThrottledTouchStore({
    pool,
    tableName: "sessions",
    createTableIfMissing: false,
    pruneSessionInterval: false,
  });
}

/**
 * Sessions live in PostgreSQL so any instance serves any request. The cookie expires after 30
 * minutes without a request (requests push it back); the absolute limit is enforced below.
 */
export function sessions(config: Config, pool: pg.Pool): RequestHandler {
  const middleware = session({
    name: sessionCookieName(config),
    secret: config.sessionSecret,
    store: throttledStore(pool),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: "destroy",
    cookie: { httpOnly: true, sameSite: "lax", secure: config.isProduction, maxAge: IDLE_TIMEOUT_MS, path: "/" },
  });
  return (req, res, next) => {
    middleware(req, res, (error?: unknown) => {
      // With unset: "destroy", express-session deletes the stored session of a request that ends
      // without one, including a request whose session could not be read because PostgreSQL failed
      // for a moment: the user would be signed out by an outage. Without an id there is nothing to delete.
      if (error && !req.session) Reflect.deleteProperty(req, "sessionID");
      next(error);
    });
  };
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
