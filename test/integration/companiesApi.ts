import type request from "supertest";
import { AuditEvent } from "../../server/models/index.js";
import { API, type BrowserSession } from "../helpers/auth.js";

/**
 * Requests of the companies and mandates tests, from a browser session (signed in or anonymous):
 * unsafe methods carry that session's CSRF token, so an anonymous caller meets the 401, not the
 * CSRF refusal.
 */
export type Body = Record<string, unknown>;

export const getJson = (caller: BrowserSession, path: string): request.Test => caller.agent.get(`${API}${path}`);

export const postJson = (caller: BrowserSession, path: string, body: Body = {}): request.Test =>
  caller.agent.post(`${API}${path}`).set("X-CSRF-Token", caller.csrfToken).send(body);

export const patchJson = (caller: BrowserSession, path: string, body: Body): request.Test =>
  caller.agent.patch(`${API}${path}`).set("X-CSRF-Token", caller.csrfToken).send(body);

export const deleteJson = (caller: BrowserSession, path: string): request.Test =>
  caller.agent.delete(`${API}${path}`).set("X-CSRF-Token", caller.csrfToken);

/** YYYY-MM-DD `days` after (or before) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** The audit events one request wrote, in chain order. */
export function auditEventsOf(response: request.Response): Promise<AuditEvent[]> {
  const requestId = response.headers["x-request-id"];
  if (typeof requestId !== "string" || requestId === "") throw new Error("the response has no X-Request-Id");
  return AuditEvent.findAll({ where: { requestId }, order: [["position", "ASC"]] });
}
