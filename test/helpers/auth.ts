import { expect } from "chai";
import type { Express } from "express";
import { QueryTypes } from "sequelize";
import request, { type Response } from "supertest";
import { capturedEmailsTo, deliverQueuedEmails, linkIn } from "./mail.js";
import { ownerSequelize, testSequelize } from "./testDatabase.js";

/** Sign-in helpers shared by the accounts tests: sessions, CSRF tokens, cookies, rate-limit counters. */

export const API = "/api/v1";
export const DEVELOPMENT_COOKIE = "moussanada.sid";
export const PRODUCTION_COOKIE = "__Host-moussanada.sid";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A user as the API presents it (server/http/presenters/users.ts). */
export interface UserBody {
  id: string;
  role: "applicant" | "prescriber" | "officer" | "trainer" | "admin";
  fullName: string;
  email: string;
  phone: string | null;
  locale: "fr" | "ar";
  emailVerified: boolean;
  disabled: boolean;
  prescriber: { kind: "accountant" | "association"; registrationNumber: string; organisation: string } | null;
  nationalIdMasked: string | null;
  createdAt: string;
  lastLoginAt: string | null;
  permissions: Record<string, boolean>;
}

export const USER_BODY_KEYS = [
  "createdAt",
  "disabled",
  "email",
  "emailVerified",
  "fullName",
  "id",
  "lastLoginAt",
  "locale",
  "nationalIdMasked",
  "permissions",
  "phone",
  "prescriber",
  "role",
];

export interface RegistrationBody {
  email: string;
  password: string;
  fullName: string;
  phone?: string | null;
  role: string;
  locale?: string;
  nationalId?: string | null;
  prescriber?: { kind: string; registrationNumber: string; organisation: string } | null;
}

/** A browser: an agent that keeps its cookies, with the CSRF token of its current session. */
export interface BrowserSession {
  agent: request.Agent;
  csrfToken: string;
}

export interface SignedIn extends BrowserSession {
  user: UserBody;
  /** The session cookie (name=value) after sign-in, to replay it from another client. */
  cookie: string;
}

/** GET /auth/csrf with this agent: the token of its session (creating the session if needed). */
export async function fetchCsrfToken(agent: request.Agent): Promise<string> {
  const response = await agent.get(`${API}/auth/csrf`);
  expect(response.status, response.text).to.equal(200);
  const body = response.body as { csrfToken?: unknown };
  expect(body.csrfToken).to.be.a("string");
  return body.csrfToken as string;
}

/** An anonymous browser with a session and its CSRF token, ready for unsafe requests. */
export async function anonymousSession(app: Express): Promise<BrowserSession> {
  const agent = request.agent(app);
  return { agent, csrfToken: await fetchCsrfToken(agent) };
}

/** Signs in through the API like the client does (CSRF token first) and expects a 200. */
export async function signIn(app: Express, email: string, password: string): Promise<SignedIn> {
  const { agent, csrfToken: before } = await anonymousSession(app);
  const response = await agent.post(`${API}/auth/login`).set("X-CSRF-Token", before).send({ email, password });
  expect(response.status, response.text).to.equal(200);
  const body = response.body as { user: UserBody; csrfToken: string };
  const cookie = sessionCookieIn(response);
  if (!cookie) throw new Error("login set no session cookie");
  return { agent, csrfToken: body.csrfToken, user: body.user, cookie: `${cookie.name}=${cookie.value}` };
}

/** POST /auth/login from a fresh anonymous session; returns the raw answer. */
export async function attemptLogin(
  app: Express,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const { agent, csrfToken } = await anonymousSession(app);
  return agent
    .post(`${API}/auth/login`)
    .set({ ...headers, "X-CSRF-Token": csrfToken })
    .send({ email, password });
}

/** POST /auth/register from a fresh anonymous session; returns the raw answer. */
export async function attemptRegistration(
  app: Express,
  body: RegistrationBody | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const { agent, csrfToken } = await anonymousSession(app);
  return agent
    .post(`${API}/auth/register`)
    .set({ ...headers, "X-CSRF-Token": csrfToken })
    .send(body);
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flags (HttpOnly, Secure) map to true. */
  attributes: Record<string, string | true>;
}

export function setCookiesOf(response: Response): SetCookie[] {
  const header: unknown = response.headers["set-cookie"];
  const lines = Array.isArray(header) ? header.map(String) : typeof header === "string" ? [header] : [];
  return lines.map((line) => {
    const [pair = "", ...attributeParts] = line.split(";").map((part) => part.trim());
    const separator = pair.indexOf("=");
    const attributes: Record<string, string | true> = {};
    for (const part of attributeParts) {
      const equals = part.indexOf("=");
      if (equals === -1) attributes[part.toLowerCase()] = true;
      else attributes[part.slice(0, equals).toLowerCase()] = part.slice(equals + 1);
    }
    return { name: pair.slice(0, separator), value: pair.slice(separator + 1), attributes };
  });
}

export function sessionCookieIn(response: Response, name = DEVELOPMENT_COOKIE): SetCookie | undefined {
  return setCookiesOf(response).find((cookie) => cookie.name === name);
}

/** The session id inside express-session's signed cookie value ("s:<sid>.<signature>", URL-encoded). */
export function sessionIdOf(cookieValue: string): string {
  const decoded = decodeURIComponent(cookieValue);
  const match = /^s:([^.]+)\./.exec(decoded);
  if (!match?.[1]) throw new Error(`not a signed session cookie: ${cookieValue}`);
  return match[1];
}

export interface SessionRow {
  sid: string;
  expire: Date;
  userId: string | null;
}

export async function sessionRows(where: { userId?: string; sid?: string } = {}): Promise<SessionRow[]> {
  return testSequelize().query<SessionRow>(
    `SELECT sid, expire, sess -> 'passport' ->> 'user' AS "userId" FROM sessions
      WHERE (CAST(:userId AS text) IS NULL OR sess -> 'passport' ->> 'user' = :userId)
        AND (CAST(:sid AS text) IS NULL OR sid = :sid)
      ORDER BY sid`,
    { type: QueryTypes.SELECT, replacements: { userId: where.userId ?? null, sid: where.sid ?? null } },
  );
}

/** Forgets every rate-limit counter (per IP and per account); they are shared by every app. */
export async function clearRateLimits(): Promise<void> {
  await testSequelize().query("DELETE FROM rate_limits");
}

/** A problem body without what differs between two requests (its request id). */
export function withoutRequestId(body: unknown): Record<string, unknown> {
  const copy = { ...(body as Record<string, unknown>) };
  delete copy.requestId;
  return copy;
}

export async function countRows(table: string, where = "TRUE", replacements: Record<string, unknown> = {}) {
  // As the owner: graphile-worker's tables are closed to the application role.
  const [row] = await ownerSequelize().query<{ count: string }>(
    `SELECT count(*) AS count FROM ${table} WHERE ${where}`,
    {
      type: QueryTypes.SELECT,
      replacements,
    },
  );
  return Number(row?.count ?? Number.NaN);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Milliseconds a call takes, with a high-resolution clock. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Delivers the queued e-mails (capture transport), then returns the token of the newest link to
 * `pathPrefix` (e.g. "/verifier-email") in the newest mail to `address` that has one.
 */
export async function tokenFromLatestMail(address: string, pathPrefix: string): Promise<string> {
  await deliverQueuedEmails();
  const mails = await capturedEmailsTo(address);
  const mail = mails.find((candidate) => candidate.links.some((link) => new URL(link).pathname.startsWith(pathPrefix)));
  if (!mail) throw new Error(`no mail to ${address} with a ${pathPrefix} link`);
  const token = linkIn(mail, pathPrefix).searchParams.get("token");
  if (!token) throw new Error(`the ${pathPrefix} link has no token`);
  return token;
}
