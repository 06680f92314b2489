import { expect } from "chai";
import { QueryTypes } from "sequelize";
import request from "supertest";
import { User } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  clearRateLimits,
  DEVELOPMENT_COOKIE,
  PRODUCTION_COOKIE,
  sessionCookieIn,
  sessionIdOf,
  sessionRows,
  setCookiesOf,
  signIn,
  USER_BODY_KEYS,
  withoutRequestId,
  type UserBody,
} from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { buildTestApp, useTestApp } from "../helpers/testApp.js";
import { TEST_NOW, testSequelize } from "../helpers/testDatabase.js";

const WRONG_PASSWORD = "Pas le bon mot de passe";
const THIRTY_MINUTES_MS = 30 * 60 * 1000;

/** Seconds of a Retry-After header, as a number. */
function retryAfterOf(response: request.Response): number {
  const header: unknown = response.headers["retry-after"];
  expect(header, "Retry-After header").to.be.a("string").and.match(/^\d+$/);
  return Number(header);
}

describe("sign-in (POST /api/v1/auth/login)", () => {
  const context = useTestApp();

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  describe("answers", () => {
    it("answers 200 with the user and a CSRF token, and records the sign-in time", async () => {
      const user = await createUser({ role: "prescriber", fullName: "Omar Berrada", phone: "+212661000006" });
      const response = await attemptLogin(context().app, user.email, TEST_PASSWORD);
      expect(response.status, response.text).to.equal(200);
      const body = response.body as { user: UserBody; csrfToken: string };
      expect(Object.keys(body).sort()).to.deep.equal(["csrfToken", "user"]);
      expect(body.csrfToken).to.match(/^[0-9a-f]{256}$/);
      expect(Object.keys(body.user).sort()).to.deep.equal(USER_BODY_KEYS);
      expect(body.user).to.deep.include({
        id: user.id,
        role: "prescriber",
        fullName: "Omar Berrada",
        email: user.email,
        phone: "+212661000006",
        locale: "fr",
        emailVerified: true,
        disabled: false,
        prescriber: { kind: "accountant", registrationNumber: "OEC-CASA-0001", organisation: "Cabinet Test" },
        nationalIdMasked: null,
        lastLoginAt: "2026-06-15T10:00:00.000Z",
      });
      expect(body.user.permissions).to.deep.equal({
        applyForSubsidy: true,
        actForClients: true,
        reviewApplications: false,
        manageTraining: false,
        manageUsers: false,
        manageProgramme: false,
      });
      expect(response.text).to.not.contain("argon2");
      expect((await User.findByPk(user.id))?.lastLoginAt?.toISOString()).to.equal("2026-06-15T10:00:00.000Z");
    });

    it("finds the account whatever the case of the address typed", async () => {
      const user = await createUser({ email: uniqueEmail("casse") });
      const response = await attemptLogin(context().app, `  ${user.email.toUpperCase()} `, TEST_PASSWORD);
      expect(response.status, response.text).to.equal(200);
      expect((response.body as { user: UserBody }).user.id).to.equal(user.id);
    });

    it("GET /auth/me answers the signed-in user, and 401 unauthenticated to anyone else", async () => {
      const user = await createUser({ role: "officer" });
      const { agent } = await signIn(context().app, user.email, TEST_PASSWORD);
      const me = await agent.get(`${API}/auth/me`).expect(200);
      expect((me.body as { user: UserBody }).user.id).to.equal(user.id);
      expect(me.headers["cache-control"]).to.equal("no-store");
      expectProblem(await request(context().app).get(`${API}/auth/me`), 401, "unauthenticated");
    });

    it("refuses a wrong password with 401 invalid-credentials and opens no session", async () => {
      const user = await createUser();
      const { agent, csrfToken } = await anonymousSession(context().app);
      const response = await agent
        .post(`${API}/auth/login`)
        .set("X-CSRF-Token", csrfToken)
        .send({ email: user.email, password: WRONG_PASSWORD });
      const problem = expectProblem(response, 401, "invalid-credentials");
      expect(problem.detail).to.equal("Adresse e-mail ou mot de passe incorrect.");
      expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
    });

    it("refuses an account that has no password yet (staff account not set up) like a wrong password", async () => {
      const user = await createUser({ role: "trainer", password: null, verified: false });
      expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 401, "invalid-credentials");
      expectProblem(await attemptLogin(context().app, user.email, ""), 422, "validation-failed");
    });

    it("refuses a disabled account with 403 account-disabled (right password), 401 otherwise", async () => {
      const user = await createUser({ disabled: true });
      const problem = expectProblem(
        await attemptLogin(context().app, user.email, TEST_PASSWORD),
        403,
        "account-disabled",
      );
      expect(problem.detail).to.equal("Ce compte a été désactivé. Contactez l'administration du programme.");
      expectProblem(await attemptLogin(context().app, user.email, WRONG_PASSWORD), 401, "invalid-credentials");
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
    });

    it("refuses a request without e-mail or password (422)", async () => {
      const { agent, csrfToken } = await anonymousSession(context().app);
      const problem = expectProblem(
        await agent.post(`${API}/auth/login`).set("X-CSRF-Token", csrfToken).send({}),
        422,
        "validation-failed",
      );
      expect(problem.errors?.map((error) => error.path).sort()).to.deep.equal(["email", "password"]);
    });
  });

  describe("session cookie", () => {
    it("in development: moussanada.sid, HttpOnly, SameSite=Lax, Path=/, not Secure, 30 minutes", async () => {
      const user = await createUser();
      const agent = request.agent(context().app);
      const csrf = await agent.get(`${API}/auth/csrf`).expect(200);
      const login = await agent
        .post(`${API}/auth/login`)
        .set("X-CSRF-Token", (csrf.body as { csrfToken: string }).csrfToken)
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      for (const response of [csrf, login]) {
        const cookies = setCookiesOf(response);
        expect(cookies.map((cookie) => cookie.name)).to.deep.equal([DEVELOPMENT_COOKIE]);
        const [cookie] = cookies;
        expect(cookie?.attributes).to.have.all.keys("path", "expires", "httponly", "samesite");
        expect(cookie?.attributes.path).to.equal("/");
        expect(cookie?.attributes.httponly).to.equal(true);
        expect(cookie?.attributes.samesite).to.equal("Lax");
        expect(cookie?.attributes).to.not.have.property("secure");
        expect(cookie?.attributes).to.not.have.property("domain");
        const expires = Date.parse(String(cookie?.attributes.expires));
        expect(Math.abs(expires - (Date.now() + THIRTY_MINUTES_MS))).to.be.below(60_000);
      }
    });

    it("sets no cookie on a request that does not need a session", async () => {
      for (const path of [`${API}/regions`, "/healthz", `${API}/auth/me`]) {
        const response = await request(context().app).get(path);
        expect(setCookiesOf(response), path).to.deep.equal([]);
      }
    });

    it("in production behind a TLS proxy: __Host-moussanada.sid, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain", async () => {
      const user = await createUser();
      // Express must trust the proxy to know the request came over HTTPS; express-session sends a
      // Secure cookie only then.
      const production = buildTestApp({ config: { isProduction: true, env: "production", trustProxy: 1 } });
      const csrf = await request(production.app).get(`${API}/auth/csrf`).set("X-Forwarded-Proto", "https").expect(200);
      const anonymous = sessionCookieIn(csrf, PRODUCTION_COOKIE);
      if (!anonymous) throw new Error(`no ${PRODUCTION_COOKIE} cookie: ${JSON.stringify(csrf.headers["set-cookie"])}`);
      const login = await request(production.app)
        .post(`${API}/auth/login`)
        .set("X-Forwarded-Proto", "https")
        .set("Cookie", `${PRODUCTION_COOKIE}=${anonymous.value}`)
        .set("X-CSRF-Token", (csrf.body as { csrfToken: string }).csrfToken)
        .send({ email: user.email, password: TEST_PASSWORD });
      expect(login.status, login.text).to.equal(200);
      const signedIn = sessionCookieIn(login, PRODUCTION_COOKIE);
      for (const cookie of [anonymous, signedIn]) {
        expect(cookie?.attributes).to.have.all.keys("path", "expires", "httponly", "samesite", "secure");
        expect(cookie?.attributes.secure).to.equal(true);
        expect(cookie?.attributes.httponly).to.equal(true);
        expect(cookie?.attributes.samesite).to.equal("Lax");
        expect(cookie?.attributes.path).to.equal("/");
      }
      expect(setCookiesOf(login).some((cookie) => cookie.name === DEVELOPMENT_COOKIE)).to.equal(false);
      const me = await request(production.app)
        .get(`${API}/auth/me`)
        .set("X-Forwarded-Proto", "https")
        .set("Cookie", `${PRODUCTION_COOKIE}=${signedIn?.value ?? ""}`);
      expect(me.status, me.text).to.equal(200);
    });

    it("in production over plain HTTP (untrusted), never hands out the session cookie", async () => {
      const production = buildTestApp({ config: { isProduction: true, env: "production" } });
      const csrf = await request(production.app).get(`${API}/auth/csrf`).set("X-Forwarded-Proto", "https");
      expect(csrf.status).to.equal(200);
      expect(setCookiesOf(csrf)).to.deep.equal([]);
    });
  });

  describe("session fixation", () => {
    it("gives a new session id at sign-in; the id from before sign-in stays anonymous and is gone", async () => {
      const user = await createUser();
      const agent = request.agent(context().app);
      const csrf = await agent.get(`${API}/auth/csrf`).expect(200);
      const before = sessionCookieIn(csrf);
      if (!before) throw new Error("no session cookie before sign-in");
      expect(await sessionRows({ sid: sessionIdOf(before.value) })).to.have.length(1);

      const login = await agent
        .post(`${API}/auth/login`)
        .set("X-CSRF-Token", (csrf.body as { csrfToken: string }).csrfToken)
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const after = sessionCookieIn(login);
      if (!after) throw new Error("no session cookie after sign-in");
      expect(sessionIdOf(after.value)).to.not.equal(sessionIdOf(before.value));

      // The planted (pre-login) session was destroyed server-side: replaying it gets nobody.
      expect(await sessionRows({ sid: sessionIdOf(before.value) })).to.have.length(0);
      const withOldCookie = await request(context().app)
        .get(`${API}/auth/me`)
        .set("Cookie", `${DEVELOPMENT_COOKIE}=${before.value}`);
      expectProblem(withOldCookie, 401, "unauthenticated");

      const rows = await sessionRows({ sid: sessionIdOf(after.value) });
      expect(rows.map((row) => row.userId)).to.deep.equal([user.id]);
      const withNewCookie = await request(context().app)
        .get(`${API}/auth/me`)
        .set("Cookie", `${DEVELOPMENT_COOKIE}=${after.value}`);
      expect(withNewCookie.status, withNewCookie.text).to.equal(200);
    });

    it("an attacker who planted a session id learns nothing: the victim's sign-in does not authenticate it", async () => {
      const victim = await createUser();
      const attacker = request.agent(context().app);
      const csrf = await attacker.get(`${API}/auth/csrf`).expect(200);
      const plantedValue = sessionCookieIn(csrf)?.value;
      if (!plantedValue) throw new Error("no planted cookie");
      const attackerToken = (csrf.body as { csrfToken: string }).csrfToken;
      // The victim's browser uses the planted cookie and the page's token, then signs in.
      const login = await request(context().app)
        .post(`${API}/auth/login`)
        .set("Cookie", `${DEVELOPMENT_COOKIE}=${plantedValue}`)
        .set("X-CSRF-Token", attackerToken)
        .send({ email: victim.email, password: TEST_PASSWORD });
      expect(login.status, login.text).to.equal(200);
      expect(sessionIdOf(sessionCookieIn(login)?.value ?? "")).to.not.equal(sessionIdOf(plantedValue));
      expectProblem(await attacker.get(`${API}/auth/me`), 401, "unauthenticated");
    });

    it("gives a fresh CSRF token at sign-in; the token from before is refused afterwards", async () => {
      const user = await createUser();
      const { agent, csrfToken: before } = await anonymousSession(context().app);
      const login = await agent
        .post(`${API}/auth/login`)
        .set("X-CSRF-Token", before)
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const after = (login.body as { csrfToken: string }).csrfToken;
      expect(after).to.not.equal(before);
      // GET /auth/csrf now returns the new token.
      expect(((await agent.get(`${API}/auth/csrf`).expect(200)).body as { csrfToken: string }).csrfToken).to.equal(
        after,
      );
      expectProblem(
        await agent.patch(`${API}/account`).set("X-CSRF-Token", before).send({ fullName: "Nom Changé" }),
        403,
        "csrf-invalid",
      );
      const accepted = await agent.patch(`${API}/account`).set("X-CSRF-Token", after).send({ fullName: "Nom Changé" });
      expect(accepted.status, accepted.text).to.equal(200);
    });
  });

  it("signing in as someone else from a signed-in browser replaces the session", async () => {
    const first = await createUser();
    const second = await createUser();
    const { agent, csrfToken, cookie } = await signIn(context().app, first.email, TEST_PASSWORD);
    const login = await agent
      .post(`${API}/auth/login`)
      .set("X-CSRF-Token", csrfToken)
      .send({ email: second.email, password: TEST_PASSWORD });
    expect(login.status, login.text).to.equal(200);
    const me = await agent.get(`${API}/auth/me`).expect(200);
    expect((me.body as { user: UserBody }).user.id).to.equal(second.id);
    expect(await sessionRows({ sid: sessionIdOf(cookie.split("=")[1] ?? "") })).to.have.length(0);
    expect(await sessionRows({ userId: first.id })).to.have.length(0);
  });

  describe("lockout after 5 failures in 60 s", () => {
    async function fail(email: string, times: number, app = context().app): Promise<request.Response[]> {
      const responses = [];
      for (let attempt = 0; attempt < times; attempt += 1) {
        responses.push(await attemptLogin(app, email, WRONG_PASSWORD));
      }
      return responses;
    }

    it("locks the account: the 6th attempt, even with the right password, answers 429 account-locked for 10 minutes", async () => {
      const user = await createUser();
      const failures = await fail(user.email, 5);
      expect(failures.map((response) => response.status)).to.deep.equal([401, 401, 401, 401, 401]);
      const locked = await attemptLogin(context().app, user.email, TEST_PASSWORD);
      const problem = expectProblem(locked, 429, "account-locked");
      expect(problem.detail).to.equal(
        "Trop de tentatives de connexion échouées. Réessayez dans 10 minute(s) ou choisissez un nouveau mot de passe.",
      );
      const retryAfter = retryAfterOf(locked);
      expect(retryAfter).to.be.within(570, 600);
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
    });

    it("keys the lock on the address whatever its case", async () => {
      const user = await createUser();
      await fail(user.email.toUpperCase(), 5);
      expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 429, "account-locked");
    });

    it("stores the lock in PostgreSQL, so another app instance sees it", async () => {
      const user = await createUser();
      await fail(user.email, 5);
      const other = buildTestApp();
      expectProblem(await attemptLogin(other.app, user.email, TEST_PASSWORD), 429, "account-locked");
      const [row] = await testSequelize().query<{ points: number; expire: string }>(
        "SELECT points, expire FROM rate_limits WHERE key = :key",
        { type: QueryTypes.SELECT, replacements: { key: `login-account:${user.email}` } },
      );
      expect(row?.points).to.be.at.least(5);
      expect(Number(row?.expire) - Date.now()).to.be.within(570_000, 600_000);
    });

    it("counts failures from every instance together", async () => {
      const user = await createUser();
      const other = buildTestApp();
      await fail(user.email, 3);
      await fail(user.email, 2, other.app);
      expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 429, "account-locked");
    });

    it("locks an unknown address the same way, with the same answers", async () => {
      const known = await createUser();
      const unknown = uniqueEmail("inconnu");
      const knownAnswers = [
        ...(await fail(known.email, 5)),
        await attemptLogin(context().app, known.email, TEST_PASSWORD),
      ];
      const unknownAnswers = [...(await fail(unknown, 5)), await attemptLogin(context().app, unknown, TEST_PASSWORD)];
      expect(unknownAnswers.map((response) => response.status)).to.deep.equal([401, 401, 401, 401, 401, 429]);
      expect(unknownAnswers.map((response) => withoutRequestId(response.body))).to.deep.equal(
        knownAnswers.map((response) => withoutRequestId(response.body)),
      );
      const knownRetry = retryAfterOf(knownAnswers[5] as request.Response);
      const unknownRetry = retryAfterOf(unknownAnswers[5] as request.Response);
      expect(Math.abs(knownRetry - unknownRetry)).to.be.at.most(30);
    });

    it("lets the account in again once the lock has expired", async () => {
      const user = await createUser();
      await fail(user.email, 5);
      expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 429, "account-locked");
      // rate-limiter-flexible keeps the lock's end as epoch milliseconds in rate_limits.expire and
      // compares it with the real time (Date.now(), not the app's clock): moving that end into the
      // past is what ten minutes of waiting would do. The expired row is then ignored and replaced.
      await testSequelize().query("UPDATE rate_limits SET expire = :past WHERE key = :key", {
        replacements: { past: Date.now() - 1000, key: `login-account:${user.email}` },
      });
      const response = await attemptLogin(context().app, user.email, TEST_PASSWORD);
      expect(response.status, response.text).to.equal(200);
    });

    it("does not count failures older than 60 seconds", async () => {
      const user = await createUser();
      await fail(user.email, 4);
      await testSequelize().query("UPDATE rate_limits SET expire = :past WHERE key = :key", {
        replacements: { past: Date.now() - 1000, key: `login-account:${user.email}` },
      });
      const [fifth] = await fail(user.email, 1);
      expectProblem(fifth as request.Response, 401, "invalid-credentials");
      const response = await attemptLogin(context().app, user.email, TEST_PASSWORD);
      expect(response.status, response.text).to.equal(200);
    });

    it("starts counting again after a successful sign-in", async () => {
      const user = await createUser();
      expect((await fail(user.email, 4)).map((response) => response.status)).to.deep.equal([401, 401, 401, 401]);
      expect((await attemptLogin(context().app, user.email, TEST_PASSWORD)).status).to.equal(200);
      expect(
        await testSequelize().query("SELECT key FROM rate_limits WHERE key = :key", {
          type: QueryTypes.SELECT,
          replacements: { key: `login-account:${user.email}` },
        }),
      ).to.deep.equal([]);
      expect((await fail(user.email, 4)).map((response) => response.status)).to.deep.equal([401, 401, 401, 401]);
      const response = await attemptLogin(context().app, user.email, TEST_PASSWORD);
      expect(response.status, response.text).to.equal(200);
    });

    it("does not lock other accounts", async () => {
      const locked = await createUser();
      const other = await createUser();
      await fail(locked.email, 5);
      expect((await attemptLogin(context().app, other.email, TEST_PASSWORD)).status).to.equal(200);
    });
  });
});
