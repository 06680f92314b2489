import { expect } from "chai";
import request from "supertest";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  clearRateLimits,
  DEVELOPMENT_COOKIE,
  sessionCookieIn,
  sessionIdOf,
  sessionRows,
  setCookiesOf,
  signIn,
  tokenFromLatestMail,
} from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW, testSequelize } from "../helpers/testDatabase.js";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const at = (offsetMs: number) => new Date(new Date(TEST_NOW).getTime() + offsetMs);

/** Moves a session's end (real time, kept by the session store) to `expire`. */
async function setSessionExpiry(sid: string, expire: Date): Promise<void> {
  await testSequelize().query("UPDATE sessions SET expire = :expire WHERE sid = :sid", {
    replacements: { expire, sid },
  });
}

describe("sessions", () => {
  const context = useTestApp();

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  describe("idle timeout (30 minutes)", () => {
    it("keeps the session in PostgreSQL until 30 minutes after the last request", async () => {
      const user = await createUser();
      const { cookie } = await signIn(context().app, user.email, TEST_PASSWORD);
      const [row] = await sessionRows({ userId: user.id });
      expect(row?.sid).to.equal(sessionIdOf(cookie.split("=")[1] ?? ""));
      expect(Math.abs((row?.expire.getTime() ?? 0) - (Date.now() + 30 * MINUTE))).to.be.below(MINUTE);
    });

    it("pushes the end back on every request (rolling)", async () => {
      const user = await createUser();
      const { agent } = await signIn(context().app, user.email, TEST_PASSWORD);
      const [row] = await sessionRows({ userId: user.id });
      await setSessionExpiry(row?.sid ?? "", new Date(Date.now() + 5 * MINUTE));
      const me = await agent.get(`${API}/auth/me`).expect(200);
      const [touched] = await sessionRows({ userId: user.id });
      expect(Math.abs((touched?.expire.getTime() ?? 0) - (Date.now() + 30 * MINUTE))).to.be.below(MINUTE);
      const cookie = sessionCookieIn(me);
      expect(Math.abs(Date.parse(String(cookie?.attributes.expires)) - (Date.now() + 30 * MINUTE))).to.be.below(MINUTE);
    });

    it("ends a session idle for more than 30 minutes: 401", async () => {
      const user = await createUser();
      const { agent } = await signIn(context().app, user.email, TEST_PASSWORD);
      const [row] = await sessionRows({ userId: user.id });
      // The store compares `expire` with the real time: an expiry in the past is 30 idle minutes.
      await setSessionExpiry(row?.sid ?? "", new Date(Date.now() - 1000));
      expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
    });
  });

  describe("absolute timeout (12 hours)", () => {
    it("ends the session 12 hours after sign-in even when it was used every 25 minutes", async () => {
      const user = await createUser();
      const { agent } = await signIn(context().app, user.email, TEST_PASSWORD);
      for (let elapsed = 25 * MINUTE; elapsed < 12 * HOUR; elapsed += 25 * MINUTE) {
        context().clock.set(at(elapsed));
        const me = await agent.get(`${API}/auth/me`);
        expect(me.status, `after ${elapsed / MINUTE} minutes`).to.equal(200);
      }
      context().clock.set(at(12 * HOUR));
      expect((await agent.get(`${API}/auth/me`)).status, "at exactly 12 hours").to.equal(200);
      context().clock.set(at(12 * HOUR + MINUTE));
      expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
      // Going back in time does not resurrect it.
      context().clock.set(at(HOUR));
      expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
    });

    it("after the absolute timeout, GET /auth/csrf starts a new anonymous session (no error)", async () => {
      const user = await createUser();
      const { agent } = await signIn(context().app, user.email, TEST_PASSWORD);
      context().clock.set(at(12 * HOUR + MINUTE));
      const response = await agent.get(`${API}/auth/csrf`);
      expect(response.status, response.text).to.equal(200);
      expect((response.body as { csrfToken: string }).csrfToken).to.match(/^[0-9a-f]{256}$/);
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
    });

    it("after the absolute timeout, an unsafe request is refused as 403 csrf-invalid (no error)", async () => {
      const user = await createUser();
      const { agent, csrfToken } = await signIn(context().app, user.email, TEST_PASSWORD);
      context().clock.set(at(12 * HOUR + MINUTE));
      const response = await agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", csrfToken)
        .send({ fullName: "Trop tard" });
      expectProblem(response, 403, "csrf-invalid");
    });

    it("counts the 12 hours from the latest sign-in", async () => {
      const user = await createUser();
      context().clock.set(at(6 * HOUR));
      const { agent } = await signIn(context().app, user.email, TEST_PASSWORD);
      context().clock.set(at(17 * HOUR));
      expect((await agent.get(`${API}/auth/me`)).status).to.equal(200);
      context().clock.set(at(18 * HOUR + MINUTE));
      expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
    });
  });

  describe("sign-out (POST /api/v1/auth/logout)", () => {
    it("destroys the session server-side: 204, no row left, the cookie cleared and worthless", async () => {
      const user = await createUser();
      const { agent, csrfToken, cookie } = await signIn(context().app, user.email, TEST_PASSWORD);
      expect(await sessionRows({ userId: user.id })).to.have.length(1);
      const response = await agent.post(`${API}/auth/logout`).set("X-CSRF-Token", csrfToken);
      expect(response.status, response.text).to.equal(204);
      expect(response.text).to.equal("");
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
      expect(await sessionRows({ sid: sessionIdOf(cookie.split("=")[1] ?? "") })).to.have.length(0);
      const cleared = setCookiesOf(response).find((candidate) => candidate.name === DEVELOPMENT_COOKIE);
      expect(cleared?.value).to.equal("");
      expect(Date.parse(String(cleared?.attributes.expires))).to.be.below(Date.now());
      expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
      // A copy of the cookie kept by someone else is worthless too.
      expectProblem(await request(context().app).get(`${API}/auth/me`).set("Cookie", cookie), 401, "unauthenticated");
    });

    it("ends only this session: the user's other sessions go on", async () => {
      const user = await createUser();
      const laptop = await signIn(context().app, user.email, TEST_PASSWORD);
      const phone = await signIn(context().app, user.email, TEST_PASSWORD);
      await laptop.agent.post(`${API}/auth/logout`).set("X-CSRF-Token", laptop.csrfToken).expect(204);
      expect((await phone.agent.get(`${API}/auth/me`)).status).to.equal(200);
      expect(await sessionRows({ userId: user.id })).to.have.length(1);
    });

    it("answers 401 to an anonymous session", async () => {
      const { agent, csrfToken } = await anonymousSession(context().app);
      expectProblem(await agent.post(`${API}/auth/logout`).set("X-CSRF-Token", csrfToken), 401, "unauthenticated");
    });
  });

  describe("disabling a user", () => {
    it("ends all its sessions at once, and its sign-in is then refused with 403 account-disabled", async () => {
      const admin = await createUser({ role: "admin" });
      const officer = await createUser({ role: "officer" });
      const adminSession = await signIn(context().app, admin.email, TEST_PASSWORD);
      const desk = await signIn(context().app, officer.email, TEST_PASSWORD);
      const laptop = await signIn(context().app, officer.email, TEST_PASSWORD);
      expect(await sessionRows({ userId: officer.id })).to.have.length(2);

      const response = await adminSession.agent
        .patch(`${API}/users/${officer.id}`)
        .set("X-CSRF-Token", adminSession.csrfToken)
        .send({ disabled: true });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as { disabled: boolean }).disabled).to.equal(true);

      expect(await sessionRows({ userId: officer.id })).to.have.length(0);
      expectProblem(await desk.agent.get(`${API}/auth/me`), 401, "unauthenticated");
      expectProblem(await laptop.agent.get(`${API}/auth/me`), 401, "unauthenticated");
      expectProblem(await attemptLogin(context().app, officer.email, TEST_PASSWORD), 403, "account-disabled");
      // The admin's own session is untouched.
      expect((await adminSession.agent.get(`${API}/auth/me`)).status).to.equal(200);
    });

    it("lets the user sign in again once re-enabled", async () => {
      const admin = await createUser({ role: "admin" });
      const trainer = await createUser({ role: "trainer", disabled: true });
      const adminSession = await signIn(context().app, admin.email, TEST_PASSWORD);
      expectProblem(await attemptLogin(context().app, trainer.email, TEST_PASSWORD), 403, "account-disabled");
      const response = await adminSession.agent
        .patch(`${API}/users/${trainer.id}`)
        .set("X-CSRF-Token", adminSession.csrfToken)
        .send({ disabled: false });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as { disabled: boolean }).disabled).to.equal(false);
      expect((await attemptLogin(context().app, trainer.email, TEST_PASSWORD)).status).to.equal(200);
    });
  });

  describe("changing one's own password (POST /api/v1/account/password)", () => {
    it("keeps the current session, ends the others, and mails a notice", async () => {
      const user = await createUser();
      const current = await signIn(context().app, user.email, TEST_PASSWORD);
      const other = await signIn(context().app, user.email, TEST_PASSWORD);
      const third = await signIn(context().app, user.email, TEST_PASSWORD);
      const response = await current.agent
        .post(`${API}/account/password`)
        .set("X-CSRF-Token", current.csrfToken)
        .send({ currentPassword: TEST_PASSWORD, newPassword: "Une nouvelle phrase de passe" });
      expect(response.status, response.text).to.equal(200);
      expect(response.body).to.deep.equal({ status: "password-changed" });
      expect((await current.agent.get(`${API}/auth/me`)).status).to.equal(200);
      expectProblem(await other.agent.get(`${API}/auth/me`), 401, "unauthenticated");
      expectProblem(await third.agent.get(`${API}/auth/me`), 401, "unauthenticated");
      const rows = await sessionRows({ userId: user.id });
      expect(rows.map((row) => row.sid)).to.deep.equal([sessionIdOf(current.cookie.split("=")[1] ?? "")]);
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(user.email);
      expect(mail?.subject).to.equal("Votre mot de passe a été modifié — Moussanada Numérique");
    });

    it("the old password stops working, the new one works", async () => {
      const user = await createUser();
      const current = await signIn(context().app, user.email, TEST_PASSWORD);
      await current.agent
        .post(`${API}/account/password`)
        .set("X-CSRF-Token", current.csrfToken)
        .send({ currentPassword: TEST_PASSWORD, newPassword: "Une nouvelle phrase de passe" })
        .expect(200);
      expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 401, "invalid-credentials");
      expect((await attemptLogin(context().app, user.email, "Une nouvelle phrase de passe")).status).to.equal(200);
    });
  });

  describe("password reset", () => {
    it("ends every session of the user", async () => {
      const user = await createUser();
      const desk = await signIn(context().app, user.email, TEST_PASSWORD);
      const phone = await signIn(context().app, user.email, TEST_PASSWORD);
      const { agent, csrfToken } = await anonymousSession(context().app);
      await agent
        .post(`${API}/auth/password-reset`)
        .set("X-CSRF-Token", csrfToken)
        .send({ email: user.email })
        .expect(202);
      const token = await tokenFromLatestMail(user.email, "/reinitialiser-mot-de-passe");
      await agent
        .post(`${API}/auth/password-reset/confirm`)
        .set("X-CSRF-Token", csrfToken)
        .send({ token, password: "Nouvelle phrase après oubli" })
        .expect(200);
      expect(await sessionRows({ userId: user.id })).to.have.length(0);
      expectProblem(await desk.agent.get(`${API}/auth/me`), 401, "unauthenticated");
      expectProblem(await phone.agent.get(`${API}/auth/me`), 401, "unauthenticated");
    });
  });
});
