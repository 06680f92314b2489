import { expect } from "chai";
import request from "supertest";
import { User } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  clearRateLimits,
  fetchCsrfToken,
  sessionRows,
  signIn,
  type SignedIn,
} from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";

/** Every unsafe request needs the X-CSRF-Token header holding its own session's token. */

interface UnsafeRequest {
  method: "post" | "patch" | "put" | "delete";
  path: (ids: { officerId: string }) => string;
  body: (ids: { officerId: string }) => Record<string, unknown>;
}

const UNSAFE_REQUESTS: UnsafeRequest[] = [
  { method: "post", path: () => "/auth/login", body: () => ({ email: "x@example.ma", password: TEST_PASSWORD }) },
  {
    method: "post",
    path: () => "/auth/register",
    body: () => ({
      email: uniqueEmail("csrf"),
      password: TEST_PASSWORD,
      fullName: "Sans Jeton",
      role: "applicant",
      locale: "fr",
    }),
  },
  { method: "post", path: () => "/auth/logout", body: () => ({}) },
  { method: "post", path: () => "/auth/verify-email", body: () => ({ token: "x".repeat(43) }) },
  { method: "post", path: () => "/auth/verify-email/resend", body: () => ({ email: "x@example.ma" }) },
  { method: "post", path: () => "/auth/password-reset", body: () => ({ email: "x@example.ma" }) },
  {
    method: "post",
    path: () => "/auth/password-reset/confirm",
    body: () => ({ token: "x".repeat(43), password: TEST_PASSWORD }),
  },
  { method: "patch", path: () => "/account", body: () => ({ fullName: "Nom Forgé" }) },
  {
    method: "post",
    path: () => "/account/password",
    body: () => ({ currentPassword: TEST_PASSWORD, newPassword: "Mot de passe forgé" }),
  },
  {
    method: "post",
    path: () => "/users",
    body: () => ({ email: uniqueEmail("forge"), fullName: "Compte Forgé", role: "admin" }),
  },
  { method: "patch", path: ({ officerId }) => `/users/${officerId}`, body: () => ({ role: "admin" }) },
  { method: "put", path: () => "/account", body: () => ({ fullName: "Nom Forgé" }) },
  { method: "delete", path: ({ officerId }) => `/users/${officerId}`, body: () => ({}) },
];

describe("CSRF protection", () => {
  const context = useTestApp();
  let admin: SignedIn;
  let officerId: string;

  before(async () => {
    const adminUser = await createUser({ role: "admin", fullName: "Admin Intact" });
    officerId = (await createUser({ role: "officer" })).id;
    await clearRateLimits();
    admin = await signIn(context().app, adminUser.email, TEST_PASSWORD);
  });

  beforeEach(clearRateLimits);

  function send(route: UnsafeRequest, token: string | null, session: SignedIn = admin) {
    const ids = { officerId };
    const pending = session.agent[route.method](`${API}${route.path(ids)}`);
    return (token === null ? pending : pending.set("X-CSRF-Token", token)).send(route.body(ids));
  }

  for (const route of UNSAFE_REQUESTS) {
    const label = `${route.method.toUpperCase()} ${route.path({ officerId: ":id" })}`;

    it(`${label} without the X-CSRF-Token header: 403 csrf-invalid`, async () => {
      const problem = expectProblem(await send(route, null), 403, "csrf-invalid");
      expect(problem.detail).to.equal("Pour votre sécurité, la page doit être rechargée avant de continuer.");
    });

    it(`${label} with a wrong token: 403 csrf-invalid`, async () => {
      expectProblem(await send(route, "0".repeat(256)), 403, "csrf-invalid");
      expectProblem(await send(route, ""), 403, "csrf-invalid");
      expectProblem(await send(route, admin.csrfToken.slice(0, -1)), 403, "csrf-invalid");
    });

    it(`${label} with the token of another session: 403 csrf-invalid`, async () => {
      const other = await anonymousSession(context().app);
      expectProblem(await send(route, other.csrfToken), 403, "csrf-invalid");
    });
  }

  it("changes nothing when it refuses: the admin stays signed in, no user created, no role changed", async () => {
    const usersBefore = await User.count();
    for (const route of UNSAFE_REQUESTS) {
      await send(route, null);
      await send(route, "f".repeat(256));
    }
    expect(await User.count()).to.equal(usersBefore);
    expect((await User.findByPk(officerId))?.role).to.equal("officer");
    const me = await admin.agent.get(`${API}/auth/me`).expect(200);
    expect((me.body as { user: { fullName: string } }).user.fullName).to.equal("Admin Intact");
    expect(await sessionRows({ userId: admin.user.id })).to.have.length(1);
  });

  it("does not take the token from the body, the query string or a cookie", async () => {
    const body = { fullName: "Nom Forgé", csrfToken: admin.csrfToken, _csrf: admin.csrfToken };
    expectProblem(
      await admin.agent.patch(`${API}/account?_csrf=${admin.csrfToken}&csrfToken=${admin.csrfToken}`).send(body),
      403,
      "csrf-invalid",
    );
    expectProblem(
      await admin.agent
        .patch(`${API}/account`)
        .set("Cookie", `XSRF-TOKEN=${admin.csrfToken}`)
        .send({ fullName: "Nom Forgé" }),
      403,
      "csrf-invalid",
    );
  });

  it("refuses a request with no session at all, even with a token", async () => {
    const { csrfToken } = await anonymousSession(context().app);
    expectProblem(
      await request(context().app).post(`${API}/auth/password-reset`).set("X-CSRF-Token", csrfToken).send({
        email: "x@example.ma",
      }),
      403,
      "csrf-invalid",
    );
  });

  it("accepts the right token of the session", async () => {
    const response = await admin.agent
      .patch(`${API}/users/${officerId}`)
      .set("X-CSRF-Token", admin.csrfToken)
      .send({ role: "trainer" });
    expect(response.status, response.text).to.equal(200);
    await admin.agent
      .patch(`${API}/users/${officerId}`)
      .set("X-CSRF-Token", admin.csrfToken)
      .send({ role: "officer" })
      .expect(200);
  });

  it("keeps one token per session: GET /auth/csrf answers the same token again", async () => {
    const { agent, csrfToken } = await anonymousSession(context().app);
    expect(await fetchCsrfToken(agent)).to.equal(csrfToken);
    expect(csrfToken).to.match(/^[0-9a-f]{256}$/);
  });

  it("never needs a token for GET", async () => {
    for (const path of ["/auth/csrf", "/auth/me", "/users", `/users/${officerId}`, "/regions"]) {
      const response = await admin.agent.get(`${API}${path}`);
      expect(response.status, `${path}: ${response.text}`).to.equal(200);
    }
    expect((await request(context().app).get(`${API}/dev/mails`)).status).to.equal(200);
  });

  it("refuses the token of a session that signed out", async () => {
    const user = await createUser();
    const session = await signIn(context().app, user.email, TEST_PASSWORD);
    await session.agent.post(`${API}/auth/logout`).set("X-CSRF-Token", session.csrfToken).expect(204);
    await fetchCsrfToken(session.agent);
    expectProblem(
      await session.agent.post(`${API}/auth/login`).set("X-CSRF-Token", session.csrfToken).send({
        email: user.email,
        password: TEST_PASSWORD,
      }),
      403,
      "csrf-invalid",
    );
  });
});
