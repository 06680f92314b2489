import type { Request } from "express";
import { AppError } from "../../errors.js";
import type { Role, User } from "../../models/index.js";

/** The signed-in user, or 401. */
export function currentUser(req: Request): User {
  const user = req.user as User | undefined;
  if (!user) throw new AppError("unauthenticated", 401);
  return user;
}

/** The signed-in user if it has one of these roles; 401 when signed out, 403 otherwise. */
export function requireRole(req: Request, ...roles: Role[]): User {
  const user = currentUser(req);
  if (!roles.includes(user.role)) throw new AppError("forbidden", 403);
  return user;
}
