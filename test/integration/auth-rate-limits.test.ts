import { expect } from "chai";
import type { Express } from "express";
import type request from "supertest";
import { User } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import { anonymousSession, API, attemptLogin, attemptRegistration, clearRateLimits } from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { buildTestApp, useTestApp, type TestContext } from "../helpers/testApp.js";

/**
 * Per-IP limits on sign-in, registration and password reset. The app does not trust proxies by
 * default, so every supertest request comes from 127.0.0.1 and shares one counter per limit:
 * counters are cleared before each test.
 */

const SMALL_LIMITS = {
  loginPerMinute: 3,
  registrationsPerHour: 2,
  passwordResetsPerHour: 2,
  verificationsPerMinute: 60,
};

function retryAfterOf(response: request.Response): number {
  const header: unknown = response.headers["retry-after"];
  expect(header, "Retry-After header").to.be.a("string").and.match(/^\d+$/);
  return Number(header);
}

function registration(email = uniqueEmail("limite")) {
  return { email, password: "Harira et chebakia", fullName: "Nadia Alami", role: "applicant", locale: "fr" };
}

async function requestReset(app: Express, email: string, headers: Record<string, string> = {}) {
  const { agent, csrfToken } = await anonymousSession(app);
  return agent
    .post(`${API}/auth/password-reset`)
    .set({ ...headers, "X-CSRF-Token": csrfToken })
    .send({ email });
}

describe("per-IP rate limits", () => {
  useTestApp();
  let limited: TestContext;

  before(() => {
    limited = buildTestApp({ config: { rateLimits: SMALL_LIMITS } });
  });

  beforeEach(clearRateLimits);

  it("sign-in: after 3 attempts a minute from one IP, 429 too-many-requests with Retry-After, even with the right password", async () => {
    const user = await createUser();
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      answers.push((await attemptLogin(limited.app, uniqueEmail("essai"), "Pas le bon mot de passe")).status);
    }
    expect(answers).to.deep.equal([401, 401, 401]);
    const refused = await attemptLogin(limited.app, user.email, TEST_PASSWORD);
    const problem = expectProblem(refused, 429, "too-many-requests");
    expect(problem.detail).to.equal("Trop de demandes en peu de temps. Patientez un moment puis réessayez.");
    expect(retryAfterOf(refused)).to.be.within(1, 60);
    expect((await User.findByPk(user.id))?.lastLoginAt).to.equal(null);
  });

  it("sign-in: successful sign-ins count too", async () => {
    const user = await createUser();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await attemptLogin(limited.app, user.email, TEST_PASSWORD)).status).to.equal(200);
    }
    expectProblem(await attemptLogin(limited.app, user.email, TEST_PASSWORD), 429, "too-many-requests");
  });

  it("registration: after 2 an hour from one IP, 429 too-many-requests with Retry-After, creating nothing", async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await attemptRegistration(limited.app, registration());
      expect(response.status, response.text).to.equal(201);
    }
    const third = registration();
    const refused = await attemptRegistration(limited.app, third);
    expectProblem(refused, 429, "too-many-requests");
    expect(retryAfterOf(refused)).to.be.within(3500, 3600);
    expect(await User.count({ where: { email: third.email } })).to.equal(0);
  });

  it("password reset: after 2 an hour from one IP, 429 too-many-requests with Retry-After", async () => {
    const user = await createUser();
    expect((await requestReset(limited.app, user.email)).status).to.equal(202);
    expect((await requestReset(limited.app, uniqueEmail("inconnu"))).status).to.equal(202);
    const refused = await requestReset(limited.app, user.email);
    expectProblem(refused, 429, "too-many-requests");
    expect(retryAfterOf(refused)).to.be.within(3500, 3600);
  });

  it("counts per IP: another client IP (behind a trusted proxy) still gets through", async () => {
    const behindProxy = buildTestApp({ config: { rateLimits: SMALL_LIMITS, trustProxy: 1 } });
    const first = { "X-Forwarded-For": "203.0.113.10" };
    const second = { "X-Forwarded-For": "203.0.113.20" };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await attemptRegistration(behindProxy.app, registration(), first)).status).to.equal(201);
    }
    expectProblem(await attemptRegistration(behindProxy.app, registration(), first), 429, "too-many-requests");
    expect((await attemptRegistration(behindProxy.app, registration(), second)).status).to.equal(201);
  });

  it("keeps the counters in PostgreSQL: another app instance sees the same count", async () => {
    const other = buildTestApp({ config: { rateLimits: SMALL_LIMITS } });
    expect((await attemptRegistration(limited.app, registration())).status).to.equal(201);
    expect((await attemptRegistration(other.app, registration())).status).to.equal(201);
    expectProblem(await attemptRegistration(limited.app, registration()), 429, "too-many-requests");
    expectProblem(await attemptRegistration(other.app, registration()), 429, "too-many-requests");
  });

  it("keeps separate counters for sign-in, registration and reset", async () => {
    const user = await createUser();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await attemptRegistration(limited.app, registration())).status).to.equal(201);
    }
    expectProblem(await attemptRegistration(limited.app, registration()), 429, "too-many-requests");
    expect((await attemptLogin(limited.app, user.email, TEST_PASSWORD)).status).to.equal(200);
    expect((await requestReset(limited.app, user.email)).status).to.equal(202);
  });
});
