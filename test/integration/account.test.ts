import { expect } from "chai";
import { SecretBox } from "../../server/auth/secretBox.js";
import { AuditEvent, User } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { anonymousSession, API, attemptLogin, clearRateLimits, signIn, type UserBody } from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { testConfig, useTestApp } from "../helpers/testApp.js";

describe("own account (/api/v1/account)", () => {
  const context = useTestApp();

  beforeEach(clearRateLimits);

  async function signedInUser(options: Parameters<typeof createUser>[0] = {}) {
    const user = await createUser(options);
    return { user, session: await signIn(context().app, user.email, TEST_PASSWORD) };
  }

  describe("PATCH /api/v1/account", () => {
    it("changes the full name, phone (normalised), language and CIN (encrypted, shown masked)", async () => {
      const { user, session } = await signedInUser({ fullName: "Ancien Nom" });
      const response = await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ fullName: "  Fatima Zahra Alaoui ", phone: "06 61 00 00 05", locale: "ar", nationalId: "bk12345" });
      expect(response.status, response.text).to.equal(200);
      const body = (response.body as { user: UserBody }).user;
      expect(body).to.deep.include({
        id: user.id,
        fullName: "Fatima Zahra Alaoui",
        phone: "+212661000005",
        locale: "ar",
        nationalIdMasked: "BK***45",
      });
      const stored = await User.findByPk(user.id);
      expect(stored?.nationalIdEncrypted).to.be.a("string").and.not.contain("BK12345");
      expect(new SecretBox(testConfig().encryptionKey).open(stored?.nationalIdEncrypted ?? "")).to.equal("BK12345");
      const me = await session.agent.get(`${API}/auth/me`).expect(200);
      expect((me.body as { user: UserBody }).user.nationalIdMasked).to.equal("BK***45");
    });

    it("removes the CIN when sent null", async () => {
      const { user, session } = await signedInUser();
      await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ nationalId: "AB123456" })
        .expect(200);
      const response = await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ nationalId: null });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as { user: UserBody }).user.nationalIdMasked).to.equal(null);
      expect((await User.findByPk(user.id))?.nationalIdEncrypted).to.equal(null);
    });

    it("removes the phone number when sent empty", async () => {
      const { user, session } = await signedInUser({ phone: "+212661000005" });
      const response = await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ phone: "" });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as { user: UserBody }).user.phone).to.equal(null);
      expect((await User.findByPk(user.id))?.phone).to.equal(null);
    });

    it("removes the phone number when sent null, and leaves it alone when absent", async () => {
      const { user, session } = await signedInUser({ phone: "+212661000005" });
      await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ fullName: "Seul Le Nom" })
        .expect(200);
      expect((await User.findByPk(user.id))?.phone).to.equal("+212661000005");
      await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ phone: null })
        .expect(200);
      expect((await User.findByPk(user.id))?.phone).to.equal(null);
    });

    it("audits the change without the CIN", async () => {
      const { user, session } = await signedInUser();
      const response = await session.agent
        .patch(`${API}/account`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ nationalId: "AB123456", locale: "ar" })
        .expect(200);
      const [event] = await AuditEvent.findAll({ where: { action: "user.account-updated", entityId: user.id } });
      expect(event?.actorId).to.equal(user.id);
      expect(event?.requestId).to.equal(response.headers["x-request-id"]);
      expect(event?.before?.locale).to.equal("fr");
      expect(event?.after?.locale).to.equal("ar");
      expect(event?.after?.nationalIdChanged).to.equal(true);
      expect(JSON.stringify(event?.after)).to.not.contain("AB123456");
    });

    it("refuses an invalid phone or CIN, an empty change, and fields one may not change (role, e-mail)", async () => {
      const { user, session } = await signedInUser();
      const patch = (body: Record<string, unknown>) =>
        session.agent.patch(`${API}/account`).set("X-CSRF-Token", session.csrfToken).send(body);
      expect(
        expectProblem(await patch({ phone: "12345" }), 422, "validation-failed").errors?.map((error) => error.path),
      ).to.deep.equal(["phone"]);
      expect(
        expectProblem(await patch({ nationalId: "123" }), 422, "validation-failed").errors?.map((error) => error.path),
      ).to.deep.equal(["nationalId"]);
      expectProblem(await patch({}), 422, "validation-failed");
      for (const body of [{ role: "admin" }, { email: "autre@example.ma" }, { emailVerified: false }]) {
        expectProblem(await patch(body), 422, "validation-failed");
      }
      const stored = await User.findByPk(user.id);
      expect(stored?.role).to.equal("applicant");
      expect(stored?.email).to.equal(user.email);
    });

    it("answers 401 to an anonymous session", async () => {
      const { agent, csrfToken } = await anonymousSession(context().app);
      expectProblem(
        await agent.patch(`${API}/account`).set("X-CSRF-Token", csrfToken).send({ fullName: "Personne" }),
        401,
        "unauthenticated",
      );
    });
  });

  describe("POST /api/v1/account/password", () => {
    it("changes the password and mails a notice in the user's language", async () => {
      const { user, session } = await signedInUser({ locale: "ar" });
      const response = await session.agent
        .post(`${API}/account/password`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ currentPassword: TEST_PASSWORD, newPassword: "Une phrase toute neuve" });
      expect(response.status, response.text).to.equal(200);
      expectProblem(await attemptLogin(context().app, user.email, TEST_PASSWORD), 401, "invalid-credentials");
      expect((await attemptLogin(context().app, user.email, "Une phrase toute neuve")).status).to.equal(200);
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(user.email);
      expect(mail?.subject).to.match(/[\u0600-\u06FF]/);
      expect(mail?.htmlBody).to.match(/<html lang="ar" dir="rtl">/);
    });

    it("refuses a wrong current password (422 on currentPassword) and keeps the old one", async () => {
      const { user, session } = await signedInUser();
      const problem = expectProblem(
        await session.agent
          .post(`${API}/account/password`)
          .set("X-CSRF-Token", session.csrfToken)
          .send({ currentPassword: "Pas le mot de passe", newPassword: "Une phrase toute neuve" }),
        422,
        "validation-failed",
      );
      expect(problem.errors).to.deep.equal([
        { path: "currentPassword", message: "Le mot de passe actuel est incorrect." },
      ]);
      expect((await attemptLogin(context().app, user.email, TEST_PASSWORD)).status).to.equal(200);
    });

    it("applies the password policy to the new password (422 on newPassword)", async () => {
      const { session } = await signedInUser();
      for (const [newPassword, message] of [
        ["court", "Le mot de passe doit comporter au moins 8 caractères."],
        [
          "iloveyou",
          "Ce mot de passe fait partie des plus utilisés au monde : choisissez-en un autre, par exemple une courte phrase.",
        ],
      ] as const) {
        const problem = expectProblem(
          await session.agent
            .post(`${API}/account/password`)
            .set("X-CSRF-Token", session.csrfToken)
            .send({ currentPassword: TEST_PASSWORD, newPassword }),
          422,
          "validation-failed",
        );
        expect(problem.errors).to.deep.equal([{ path: "newPassword", message }]);
      }
    });
  });
});
