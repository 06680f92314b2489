import { expect } from "chai";
import type { Response } from "supertest";
import type { ErrorCode } from "../../server/errors.js";

/** An RFC 9457 problem as the API writes it. */
export interface ProblemBody {
  type: string;
  code: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: Array<{ path: string; message: string }>;
  debug?: { message: string; stack?: string };
}

/**
 * Asserts that a response is the problem the API promises — status, media type, type URN, code,
 * and the request id of the X-Request-Id header — and returns its body for further checks.
 */
export function expectProblem(response: Response, status: number, code: ErrorCode): ProblemBody {
  expect(response.status, response.text).to.equal(status);
  expect(response.headers["content-type"]).to.match(/^application\/problem\+json(;|$)/);
  const body = JSON.parse(response.text) as ProblemBody;
  expect(body.type).to.equal(`urn:moussanada:problem:${code}`);
  expect(body.code).to.equal(code);
  expect(body.status).to.equal(status);
  expect(body.title).to.be.a("string").and.not.equal("");
  expect(body.detail).to.be.a("string").and.not.equal("");
  expect(body.requestId).to.be.a("string").and.not.equal("");
  expect(body.requestId).to.equal(response.headers["x-request-id"]);
  return body;
}
