import { expect } from "chai";
import { OutboxMessage, User } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  clearRateLimits,
  sessionRows,
  signIn,
  tokenFromLatestMail,
} from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails, linkIn } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";

const NEW_PASSWORD = "Pastilla au pigeon, 2026";
const MINUTE = 60 * 1000;
const at = (offsetMs: number) => new Date(new Date(TEST_NOW).getTime() + offsetMs);

describe("password reset by e-mail link", () => {
  const context = useTestApp();

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  async function requestReset(email: string) {
    const { agent, csrfToken } = await anonymousSession(context().app);
    return agent.post(`${API}/auth/password-reset`).set("X-CSRF-Token", csrfToken).send({ email });
  }

  async function confirm(token: string, password = NEW_PASSWORD) {
    const { agent, csrfToken } = await anonymousSession(context().app);
    return agent.post(`${API}/auth/password-reset/confirm`).set("X-CSRF-Token", csrfToken).send({ token, password });
  }

  async function resetLinkFor(email: string): Promise<string> {
    expect((await requestReset(email)).status).to.equal(202);
    return tokenFromLatestMail(email, "/reinitialiser-mot-de-passe");
  }

  it("mails a link to /reinitialiser-mot-de-passe, valid for one hour, in the user's language", async () => {
    const user = await createUser({ fullName: "Leila Chraibi" });
    const response = await requestReset(user.email.toUpperCase());
    expect(response.status, response.text).to.equal(202);
    expect(response.body).to.deep.equal({ status: "sent-if-exists" });
    await deliverQueuedEmails();
    const [mail] = await capturedEmailsTo(user.email);
    expect(mail?.subject).to.equal("Réinitialisation de votre mot de passe — Moussanada Numérique");
    expect(mail?.textBody).to.contain("Bonjour Leila Chraibi,");
    expect(mail?.textBody).to.contain("valable 1 heure");
    const link = linkIn(mail ?? { links: [] }, "/reinitialiser-mot-de-passe");
    expect(link.origin).to.equal("http://localhost:3000");
    expect(link.searchParams.get("token")).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(link.searchParams.has("setup")).to.equal(false);
  });

  it("writes to an Arabic-speaking user in Arabic", async () => {
    const user = await createUser({ locale: "ar" });
    expect((await requestReset(user.email)).status).to.equal(202);
    await deliverQueuedEmails();
    const [mail] = await capturedEmailsTo(user.email);
    expect(mail?.subject).to.match(/[\u0600-\u06FF]/);
    expect(mail?.htmlBody).to.match(/<html lang="ar" dir="rtl">/);
  });

  it("sets the new password: the old one stops working, the new one works, and a notice is mailed", async () => {
    const user = await createUser();
    const token = await resetLinkFor(user.email);
    const response = await confirm(token);
    expect(response.status, response.text).to.equal(200);
    expect(response.body).to.deep.equal({ status: "password-changed" });
    expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 401, "invalid-credentials");
    const login = await attemptLogin(context().app, user.email, NEW_PASSWORD);
    expect(login.status, login.text).to.equal(200);
    const stored = await User.findByPk(user.id);
    expect(stored?.passwordHash).to.match(/^\$argon2id\$/);
    expect(stored?.passwordHash).to.not.equal(user.passwordHash);
    await deliverQueuedEmails();
    const subjects = (await capturedEmailsTo(user.email)).map((mail) => mail.subject);
    expect(subjects).to.include("Votre mot de passe a été modifié — Moussanada Numérique");
    const notice = await OutboxMessage.findOne({ where: { recipient: user.email, template: "password-changed" } });
    expect(notice?.status).to.equal("sent");
  });

  it("ends every session of the user", async () => {
    const user = await createUser();
    const first = await signIn(context().app, user.email, TEST_PASSWORD);
    const second = await signIn(context().app, user.email, TEST_PASSWORD);
    expect((await confirm(await resetLinkFor(user.email))).status).to.equal(200);
    expect(await sessionRows({ userId: user.id })).to.have.length(0);
    expectProblem(await first.agent.get(`${API}/auth/me`), 401, "unauthenticated");
    expectProblem(await second.agent.get(`${API}/auth/me`), 401, "unauthenticated");
  });

  it("uses a link once: the second use answers 400 token-invalid", async () => {
    const user = await createUser();
    const token = await resetLinkFor(user.email);
    expect((await confirm(token)).status).to.equal(200);
    const problem = expectProblem(await confirm(token, "Encore une autre phrase"), 400, "token-invalid");
    expect(problem.detail).to.equal(
      "Ce lien n'est plus valable (déjà utilisé ou expiré). Demandez un nouveau lien de réinitialisation.",
    );
    expect((await attemptLogin(context().app, user.email, NEW_PASSWORD)).status).to.equal(200);
  });

  it("accepts the link up to one hour after the request", async () => {
    const user = await createUser();
    const token = await resetLinkFor(user.email);
    context().clock.set(at(59 * MINUTE));
    expect((await confirm(token)).status).to.equal(200);
  });

  it("refuses the link after one hour; the password is unchanged", async () => {
    const user = await createUser();
    const token = await resetLinkFor(user.email);
    context().clock.set(at(60 * MINUTE + 1000));
    expectProblem(await confirm(token), 400, "token-invalid");
    expect((await attemptLogin(context().app, user.email, TEST_PASSWORD)).status).to.equal(200);
  });

  it("only the latest link works", async () => {
    const user = await createUser();
    const first = await resetLinkFor(user.email);
    const second = await resetLinkFor(user.email);
    expect(second).to.not.equal(first);
    expectProblem(await confirm(first), 400, "token-invalid");
    expect((await confirm(second)).status).to.equal(200);
  });

  const refusals: Array<[string, string, string]> = [
    ["too short", "court", "Le mot de passe doit comporter au moins 8 caractères."],
    ["too long", "x".repeat(129), "Le mot de passe doit comporter au plus 128 caractères."],
    [
      "too common",
      "Password1",
      "Ce mot de passe fait partie des plus utilisés au monde : choisissez-en un autre, par exemple une courte phrase.",
    ],
  ];
  for (const [label, password, message] of refusals) {
    it(`applies the password policy (${label}: 422) without using up the link`, async () => {
      const user = await createUser();
      const token = await resetLinkFor(user.email);
      const problem = expectProblem(await confirm(token, password), 422, "validation-failed");
      expect(problem.errors).to.deep.equal([{ path: "password", message }]);
      expect((await attemptLogin(context().app, user.email, TEST_PASSWORD)).status).to.equal(200);
      expect((await confirm(token)).status).to.equal(200);
    });
  }

  it("refuses an unknown token, and an e-mail verification token", async () => {
    expectProblem(await confirm("y".repeat(43)), 400, "token-invalid");
    const email = uniqueEmail("verif");
    const { agent, csrfToken } = await anonymousSession(context().app);
    await agent
      .post(`${API}/auth/register`)
      .set("X-CSRF-Token", csrfToken)
      .send({ email, password: TEST_PASSWORD, fullName: "Nouveau Venu", role: "applicant" })
      .expect(201);
    const verifyToken = await tokenFromLatestMail(email, "/verifier-email");
    expectProblem(await confirm(verifyToken), 400, "token-invalid");
    // Neither the password changed nor the address got verified.
    expectProblem(await attemptLogin(context().app, email, NEW_PASSWORD), 401, "invalid-credentials");
    expectProblem(await attemptLogin(context().app, email, TEST_PASSWORD), 403, "email-not-verified");
  });

  it("verifies the address of an unverified account: the mailbox is proven", async () => {
    const user = await createUser({ verified: false });
    expect((await confirm(await resetLinkFor(user.email))).status).to.equal(200);
    expect((await User.findByPk(user.id))?.emailVerifiedAt).to.be.instanceOf(Date);
    expect((await attemptLogin(context().app, user.email, NEW_PASSWORD)).status).to.equal(200);
  });

  it("refuses the link of an account disabled in the meantime", async () => {
    const user = await createUser();
    const token = await resetLinkFor(user.email);
    await User.update({ disabledAt: new Date(TEST_NOW) }, { where: { id: user.id } });
    expectProblem(await confirm(token), 400, "token-invalid");
  });

  it("mails nothing for an unknown or disabled address", async () => {
    const unknown = uniqueEmail("inconnu");
    const disabled = await createUser({ disabled: true });
    expect((await requestReset(unknown)).status).to.equal(202);
    expect((await requestReset(disabled.email)).status).to.equal(202);
    await deliverQueuedEmails();
    expect(await capturedEmailsTo(unknown)).to.have.length(0);
    expect(await capturedEmailsTo(disabled.email)).to.have.length(0);
  });
});
