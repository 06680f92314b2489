import { expect } from "chai";
import { OutboxMessage, User } from "../../server/models/index.js";
import { createUser, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  attemptRegistration,
  clearRateLimits,
  tokenFromLatestMail,
  type UserBody,
} from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";

const PASSWORD = "Thé à la menthe, sans sucre";
const HOUR = 60 * 60 * 1000;
const at = (offsetMs: number) => new Date(new Date(TEST_NOW).getTime() + offsetMs);

describe("e-mail verification", () => {
  const context = useTestApp();

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  async function registerApplicant(email = uniqueEmail("verif")): Promise<string> {
    const response = await attemptRegistration(context().app, {
      email,
      password: PASSWORD,
      fullName: "Hicham Tazi",
      role: "applicant",
      locale: "fr",
    });
    expect(response.status, response.text).to.equal(201);
    return email;
  }

  async function verify(token: string) {
    const { agent, csrfToken } = await anonymousSession(context().app);
    return agent.post(`${API}/auth/verify-email`).set("X-CSRF-Token", csrfToken).send({ token });
  }

  async function resend(email: string) {
    const { agent, csrfToken } = await anonymousSession(context().app);
    return agent.post(`${API}/auth/verify-email/resend`).set("X-CSRF-Token", csrfToken).send({ email });
  }

  it("refuses to sign in before verification (403 email-not-verified), then signs in once verified", async () => {
    const email = await registerApplicant();
    const refused = expectProblem(await attemptLogin(context().app, email, PASSWORD), 403, "email-not-verified");
    expect(refused.detail).to.equal(
      "Confirmez d'abord votre adresse e-mail avec le lien reçu par e-mail. Vous pouvez demander un nouveau lien.",
    );
    const token = await tokenFromLatestMail(email, "/verifier-email");
    const verified = await verify(token);
    expect(verified.status, verified.text).to.equal(200);
    expect(verified.body).to.deep.equal({ status: "verified" });
    const user = await User.findOne({ where: { email } });
    expect(user?.emailVerifiedAt?.toISOString()).to.equal(TEST_NOW.replace("Z", ".000Z"));
    const login = await attemptLogin(context().app, email, PASSWORD);
    expect(login.status, login.text).to.equal(200);
    expect((login.body as { user: UserBody }).user.emailVerified).to.equal(true);
  });

  it("does not open a session when the e-mail is not verified", async () => {
    const email = await registerApplicant();
    const { agent, csrfToken } = await anonymousSession(context().app);
    const response = await agent
      .post(`${API}/auth/login`)
      .set("X-CSRF-Token", csrfToken)
      .send({ email, password: PASSWORD });
    expectProblem(response, 403, "email-not-verified");
    expectProblem(await agent.get(`${API}/auth/me`), 401, "unauthenticated");
  });

  it("uses a token once: the second use answers 400 token-invalid", async () => {
    const email = await registerApplicant();
    const token = await tokenFromLatestMail(email, "/verifier-email");
    expect((await verify(token)).status).to.equal(200);
    const again = expectProblem(await verify(token), 400, "token-invalid");
    expect(again.detail).to.equal(
      "Ce lien de confirmation n'est plus valable (déjà utilisé ou expiré après 24 heures). Demandez un nouveau lien.",
    );
  });

  it("refuses an unknown or truncated token as an invalid link, and a missing or oversized one as invalid input", async () => {
    expectProblem(await verify("x".repeat(43)), 400, "token-invalid");
    // A link cut short when copied is the same story for the user: the link does not work.
    expectProblem(await verify("short"), 400, "token-invalid");
    expectProblem(await verify(""), 422, "validation-failed");
    expectProblem(await verify("x".repeat(201)), 422, "validation-failed");
  });

  it("accepts the link until 24 hours after it was sent", async () => {
    const email = await registerApplicant();
    const token = await tokenFromLatestMail(email, "/verifier-email");
    context().clock.set(at(24 * HOUR - 1000));
    expect((await verify(token)).status).to.equal(200);
  });

  it("refuses the link after 24 hours, and the account stays unverified", async () => {
    const email = await registerApplicant();
    const token = await tokenFromLatestMail(email, "/verifier-email");
    context().clock.set(at(24 * HOUR + 1000));
    expectProblem(await verify(token), 400, "token-invalid");
    const user = await User.findOne({ where: { email } });
    expect(user?.emailVerifiedAt).to.equal(null);
    expectProblem(await attemptLogin(context().app, email, PASSWORD), 403, "email-not-verified");
  });

  it("does not verify an e-mail with a password-reset token", async () => {
    const email = await registerApplicant();
    const { agent, csrfToken } = await anonymousSession(context().app);
    await agent.post(`${API}/auth/password-reset`).set("X-CSRF-Token", csrfToken).send({ email }).expect(202);
    const resetToken = await tokenFromLatestMail(email, "/reinitialiser-mot-de-passe");
    expectProblem(await verify(resetToken), 400, "token-invalid");
    expect((await User.findOne({ where: { email } }))?.emailVerifiedAt).to.equal(null);
  });

  describe("resending the link (POST /api/v1/auth/verify-email/resend)", () => {
    it("answers 202 with the same body whether the address is unknown, pending or already verified", async () => {
      const pending = await registerApplicant();
      const verified = (await createUser({ verified: true })).email;
      const answers = [];
      for (const email of [uniqueEmail("personne"), pending, verified]) {
        const response = await resend(email);
        answers.push({ status: response.status, body: response.body as unknown });
      }
      expect(answers).to.deep.equal([
        { status: 202, body: { status: "sent-if-pending" } },
        { status: 202, body: { status: "sent-if-pending" } },
        { status: 202, body: { status: "sent-if-pending" } },
      ]);
    });

    it("mails a new link only to a pending account", async () => {
      const pending = await registerApplicant();
      const verified = (await createUser({ verified: true })).email;
      const unknown = uniqueEmail("personne");
      for (const email of [pending, verified, unknown]) expect((await resend(email)).status).to.equal(202);
      await deliverQueuedEmails();
      expect(await capturedEmailsTo(pending)).to.have.length(2);
      expect(await capturedEmailsTo(verified)).to.have.length(0);
      expect(await capturedEmailsTo(unknown)).to.have.length(0);
      expect(await OutboxMessage.count({ where: { recipient: unknown } })).to.equal(0);
    });

    it("only the latest link works", async () => {
      const email = await registerApplicant();
      const first = await tokenFromLatestMail(email, "/verifier-email");
      expect((await resend(email.toUpperCase())).status).to.equal(202);
      const second = await tokenFromLatestMail(email, "/verifier-email");
      expect((await resend(email)).status).to.equal(202);
      const latest = await tokenFromLatestMail(email, "/verifier-email");
      expect(await capturedEmailsTo(email)).to.have.length(3);
      expect(new Set([first, second, latest]).size).to.equal(3);
      expectProblem(await verify(first), 400, "token-invalid");
      expectProblem(await verify(second), 400, "token-invalid");
      expect((await verify(latest)).status).to.equal(200);
    });
  });
});
