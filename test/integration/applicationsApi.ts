import { expect } from "chai";
import { QueryTypes } from "sequelize";
import type request from "supertest";
import type { Response } from "supertest";
import { AuditEvent, Solution, type Company, type Mandate, type User } from "../../server/models/index.js";
import { createCompany, createMandate, type CompanyFactoryOptions } from "../factories/companies.js";
import { API, type BrowserSession } from "../helpers/auth.js";
import { ownerSequelize } from "../helpers/testDatabase.js";

/** Requests and database checks shared by the applications suites. */

/** supertest parser that keeps a binary body (PDF, images) as one Buffer. */
export function binaryParser(response: request.Response, callback: (error: Error | null, body: Buffer) => void) {
  // In Node, superagent hands the parser the raw response stream.
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => callback(null, Buffer.concat(chunks)));
  stream.on("error", (error: Error) => callback(error, Buffer.concat(chunks)));
}

export const getBinary = (session: BrowserSession, path: string): request.Test =>
  session.agent.get(`${API}${path}`).buffer(true).parse(binaryParser);

/** A company of `owner` with, when a prescriber is given, a live mandate for it. */
export async function companyWithMandate(
  owner: User,
  prescriber: User | null,
  profile: Partial<Omit<CompanyFactoryOptions, "owner">> = {},
): Promise<{ company: Company; mandate: Mandate | null }> {
  const company = await createCompany({ owner, ...profile });
  const mandate = prescriber ? await createMandate({ company, prescriber }) : null;
  return { company, mandate };
}

/** The id of a seeded catalogue solution. */
export async function solutionId(code: string): Promise<string> {
  const solution = await Solution.findOne({ where: { code } });
  if (!solution) throw new Error(`no seeded solution ${code}`);
  return solution.id;
}

/** Plays a DBA: sets columns of one application that no API exposes yet (issue 6 approves). */
export async function forceApplication(
  id: string,
  changes: { status?: string; reference?: string | null; approvedAmount?: string | null; paidAmount?: string | null },
): Promise<void> {
  const sets: string[] = [];
  const replacements: Record<string, unknown> = { id };
  if (changes.status !== undefined) {
    sets.push("status = :status");
    replacements.status = changes.status;
  }
  if (changes.reference !== undefined) {
    sets.push("reference = :reference");
    replacements.reference = changes.reference;
  }
  if (changes.approvedAmount !== undefined) {
    sets.push("approved_amount = CAST(:approvedAmount AS numeric)");
    replacements.approvedAmount = changes.approvedAmount;
  }
  if (changes.paidAmount !== undefined) {
    sets.push("paid_amount = CAST(:paidAmount AS numeric)");
    replacements.paidAmount = changes.paidAmount;
  }
  await ownerSequelize().query(`UPDATE applications SET ${sets.join(", ")} WHERE id = :id`, { replacements });
}

export async function scalar<T>(sql: string, replacements: Record<string, unknown> = {}): Promise<T> {
  const [row] = await ownerSequelize().query<{ value: T }>(sql, { type: QueryTypes.SELECT, replacements });
  return row?.value as T;
}

export async function countOf(sql: string, replacements: Record<string, unknown> = {}): Promise<number> {
  return Number(await scalar<string>(sql, replacements));
}

/** The audit events one request wrote, as [action, entityType] pairs in chain order. */
export async function auditActionsOf(response: Response): Promise<AuditEvent[]> {
  const requestId = response.headers["x-request-id"];
  expect(requestId, "X-Request-Id").to.be.a("string");
  return AuditEvent.findAll({ where: { requestId: requestId as string }, order: [["position", "ASC"]] });
}
