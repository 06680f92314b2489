import type { Request } from "express";
import type { Role, User } from "../models/index.js";

/** Who does something, from where: carried from the request into every command and audit event. */
export interface Actor {
  userId: string | null;
  role: Role | null;
  ip: string | null;
  requestId: string | null;
}

export function actorFrom(req: Request, user: User | null = (req.user as User | undefined) ?? null): Actor {
  return {
    userId: user?.id ?? null,
    role: user?.role ?? null,
    ip: req.ip ?? null,
    requestId: typeof req.id === "string" ? req.id : req.id === undefined ? null : String(req.id),
  };
}

/** For work started by the system itself (seeds, scheduled jobs). */
export const SYSTEM_ACTOR: Actor = { userId: null, role: null, ip: null, requestId: null };
