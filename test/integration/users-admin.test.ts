import { expect } from "chai";
import request from "supertest";
import { AuditEvent, User } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  clearRateLimits,
  signIn,
  USER_BODY_KEYS,
  UUID,
  type SignedIn,
  type UserBody,
} from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails, linkIn } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";

const STAFF_PASSWORD = "Bastilla et thé vert";
const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

describe("user administration (/api/v1/users)", () => {
  const context = useTestApp();
  let admin: SignedIn;

  before(async () => {
    const adminUser = await createUser({ role: "admin", fullName: "Nadia Bennani", email: "admin@example.ma" });
    admin = await signIn(context().app, adminUser.email, TEST_PASSWORD);
  });

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  function createStaff(body: Record<string, unknown>, session: SignedIn = admin) {
    return session.agent.post(`${API}/users`).set("X-CSRF-Token", session.csrfToken).send(body);
  }

  function changeUser(id: string, body: Record<string, unknown>, session: SignedIn = admin) {
    return session.agent.patch(`${API}/users/${id}`).set("X-CSRF-Token", session.csrfToken).send(body);
  }

  describe("POST /api/v1/users", () => {
    for (const role of ["officer", "trainer", "admin"] as const) {
      it(`creates ${article(role)} ${role}: 201 with the user, unverified, without password`, async () => {
        const email = uniqueEmail(role);
        const response = await createStaff({
          email: email.toUpperCase(),
          fullName: "Youssef El Amrani",
          role,
          phone: "05 37 00 00 02",
        });
        expect(response.status, response.text).to.equal(201);
        const body = response.body as UserBody;
        expect(Object.keys(body).sort()).to.deep.equal(USER_BODY_KEYS);
        expect(body.id).to.match(UUID);
        expect(body).to.deep.include({
          role,
          fullName: "Youssef El Amrani",
          email,
          phone: "+212537000002",
          locale: "fr",
          emailVerified: false,
          disabled: false,
          prescriber: null,
          nationalIdMasked: null,
          lastLoginAt: null,
        });
        const stored = await User.findByPk(body.id);
        expect(stored?.role).to.equal(role);
        expect(stored?.passwordHash).to.equal(null);
      });
    }

    it("mails an account-setup link (…/reinitialiser-mot-de-passe?token=…&setup=1); following it sets the password and verifies the address", async () => {
      const email = uniqueEmail("officier");
      const created = await createStaff({ email, fullName: "Salma Idrissi", role: "officer" });
      expect(created.status, created.text).to.equal(201);
      const id = (created.body as UserBody).id;
      expectProblem(await attemptLogin(context().app, email, STAFF_PASSWORD), 401, "invalid-credentials");

      await deliverQueuedEmails();
      const mails = await capturedEmailsTo(email);
      expect(mails).to.have.length(1);
      const [mail] = mails;
      expect(mail?.subject).to.equal("Votre compte chargé de programme — Moussanada Numérique");
      expect(mail?.textBody).to.contain(`Votre identifiant est votre adresse e-mail : ${email}`);
      const link = linkIn(mail ?? { links: [] }, "/reinitialiser-mot-de-passe");
      expect(link.origin).to.equal("http://localhost:3000");
      expect(link.searchParams.get("setup")).to.equal("1");
      const token = link.searchParams.get("token") ?? "";
      expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);

      const { agent, csrfToken } = await anonymousSession(context().app);
      const confirmed = await agent
        .post(`${API}/auth/password-reset/confirm`)
        .set("X-CSRF-Token", csrfToken)
        .send({ token, password: STAFF_PASSWORD });
      expect(confirmed.status, confirmed.text).to.equal(200);
      expect((await User.findByPk(id))?.emailVerifiedAt?.toISOString()).to.equal("2026-06-15T10:00:00.000Z");
      const login = await attemptLogin(context().app, email, STAFF_PASSWORD);
      expect(login.status, login.text).to.equal(200);
      expect((login.body as { user: UserBody }).user).to.deep.include({ id, role: "officer", emailVerified: true });
      // Set-up links are single-use too, and no "password changed" notice follows a first password.
      expectProblem(
        await agent
          .post(`${API}/auth/password-reset/confirm`)
          .set("X-CSRF-Token", csrfToken)
          .send({ token, password: "Une autre phrase" }),
        400,
        "token-invalid",
      );
      await deliverQueuedEmails();
      expect((await capturedEmailsTo(email)).map((captured) => captured.subject)).to.deep.equal([
        "Votre compte chargé de programme — Moussanada Numérique",
      ]);
    });

    it("writes the set-up mail in the new user's language", async () => {
      const email = uniqueEmail("formateur");
      expect((await createStaff({ email, fullName: "Karim Tazi", role: "trainer", locale: "ar" })).status).to.equal(
        201,
      );
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(email);
      expect(mail?.subject).to.contain("مكوِّن");
      expect(mail?.htmlBody).to.match(/<html lang="ar" dir="rtl">/);
      expect(linkIn(mail ?? { links: [] }, "/reinitialiser-mot-de-passe").searchParams.get("setup")).to.equal("1");
    });

    it("keeps the set-up link valid 72 hours", async () => {
      const email = uniqueEmail("tardif");
      expect((await createStaff({ email, fullName: "Ali Tardif", role: "officer" })).status).to.equal(201);
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(email);
      const token = linkIn(mail ?? { links: [] }, "/reinitialiser-mot-de-passe").searchParams.get("token") ?? "";
      context().clock.set(new Date(new Date(TEST_NOW).getTime() + 72 * 3600 * 1000 + 1000));
      const { agent, csrfToken } = await anonymousSession(context().app);
      expectProblem(
        await agent
          .post(`${API}/auth/password-reset/confirm`)
          .set("X-CSRF-Token", csrfToken)
          .send({ token, password: STAFF_PASSWORD }),
        400,
        "token-invalid",
      );
    });

    for (const role of ["applicant", "prescriber", "root"]) {
      it(`refuses the role ${role} (422 on role)`, async () => {
        const email = uniqueEmail("refuse");
        const problem = expectProblem(
          await createStaff({ email, fullName: "Pas Personnel", role }),
          422,
          "validation-failed",
        );
        expect(problem.errors?.map((error) => error.path)).to.deep.equal(["role"]);
        expect(await User.count({ where: { email } })).to.equal(0);
      });
    }

    it("refuses an address already in use, whatever its case (409 conflict)", async () => {
      const existing = await createUser({ role: "applicant" });
      const problem = expectProblem(
        await createStaff({ email: existing.email.toUpperCase(), fullName: "Doublon", role: "officer" }),
        409,
        "conflict",
      );
      expect(problem.detail).to.equal("Un compte existe déjà avec cette adresse e-mail.");
      expect((await User.findByPk(existing.id))?.role).to.equal("applicant");
    });

    for (const role of ["applicant", "prescriber", "officer", "trainer"] as const) {
      it(`refuses ${article(role)} ${role} (403 forbidden)`, async () => {
        const user = await createUser({ role });
        const session = await signIn(context().app, user.email, TEST_PASSWORD);
        const email = uniqueEmail("intrus");
        expectProblem(await createStaff({ email, fullName: "Intrus", role: "admin" }, session), 403, "forbidden");
        expectProblem(await session.agent.get(`${API}/users`), 403, "forbidden");
        expectProblem(await changeUser(admin.user.id, { disabled: true }, session), 403, "forbidden");
        expect(await User.count({ where: { email } })).to.equal(0);
      });
    }

    it("refuses an anonymous caller (401 unauthenticated)", async () => {
      const { agent, csrfToken } = await anonymousSession(context().app);
      expectProblem(
        await agent
          .post(`${API}/users`)
          .set("X-CSRF-Token", csrfToken)
          .send({
            email: uniqueEmail("anonyme"),
            fullName: "Anonyme",
            role: "admin",
          }),
        401,
        "unauthenticated",
      );
      expectProblem(await request(context().app).get(`${API}/users`), 401, "unauthenticated");
      expectProblem(await request(context().app).get(`${API}/users/${admin.user.id}`), 401, "unauthenticated");
    });
  });

  describe("GET /api/v1/users", () => {
    const listEmails: Record<string, string> = {};

    before(async () => {
      listEmails.officerA = "liste.officier.a@example.ma";
      listEmails.officerB = "liste.officier.b@example.ma";
      listEmails.trainer = "liste.formateur@example.ma";
      listEmails.disabled = "liste.desactive@example.ma";
      listEmails.unverified = "liste.nonverifie@example.ma";
      await createUser({ role: "officer", email: listEmails.officerA, fullName: "Zineb Officier" });
      await createUser({ role: "officer", email: listEmails.officerB, fullName: "Yasmine Officier" });
      await createUser({ role: "trainer", email: listEmails.trainer, fullName: "Xavier Formateur_%" });
      await createUser({ role: "applicant", email: listEmails.disabled, fullName: "Walid Désactivé", disabled: true });
      await createUser({
        role: "prescriber",
        email: listEmails.unverified,
        fullName: "Victor Attente",
        verified: false,
      });
    });

    async function list(query: Record<string, string | number>) {
      const response = await admin.agent.get(`${API}/users`).query(query);
      expect(response.status, response.text).to.equal(200);
      return response.body as ListBody<UserBody>;
    }

    it("lists users with the list envelope {items, total, page, pageSize}", async () => {
      const body = await list({});
      expect(Object.keys(body).sort()).to.deep.equal(["items", "page", "pageSize", "total"]);
      expect(body.page).to.equal(1);
      expect(body.pageSize).to.equal(20);
      expect(body.total).to.equal(await User.count());
      for (const item of body.items) expect(Object.keys(item).sort()).to.deep.equal(USER_BODY_KEYS);
    });

    it("filters by role", async () => {
      const body = await list({ role: "officer", q: "liste.", sort: "email" });
      expect(body.items.map((user) => user.email)).to.deep.equal([listEmails.officerA, listEmails.officerB]);
      expect(body.total).to.equal(2);
      expect((await list({ role: "trainer", q: "liste." })).items.map((user) => user.email)).to.deep.equal([
        listEmails.trainer,
      ]);
    });

    it("filters by status: active, disabled, unverified", async () => {
      const emails = async (status: string) =>
        (await list({ status, q: "liste.", sort: "email" })).items.map((user) => user.email);
      expect(await emails("disabled")).to.deep.equal([listEmails.disabled]);
      expect(await emails("unverified")).to.deep.equal([listEmails.unverified]);
      expect(await emails("active")).to.deep.equal([
        listEmails.trainer,
        listEmails.unverified,
        listEmails.officerA,
        listEmails.officerB,
      ]);
    });

    it("searches names and addresses case-insensitively, with % and _ taken literally", async () => {
      expect((await list({ q: "YASMINE" })).items.map((user) => user.email)).to.deep.equal([listEmails.officerB]);
      expect((await list({ q: "liste.formateur@" })).items.map((user) => user.email)).to.deep.equal([
        listEmails.trainer,
      ]);
      expect((await list({ q: "Formateur_%" })).items.map((user) => user.email)).to.deep.equal([listEmails.trainer]);
      expect((await list({ q: "Officier%" })).total).to.equal(0);
      expect((await list({ q: "_" })).items.map((user) => user.email)).to.deep.equal([listEmails.trainer]);
    });

    it("paginates with page and pageSize", async () => {
      const all = await list({ q: "liste.", sort: "email", pageSize: 100 });
      expect(all.total).to.equal(5);
      const first = await list({ q: "liste.", sort: "email", page: 1, pageSize: 2 });
      const second = await list({ q: "liste.", sort: "email", page: 2, pageSize: 2 });
      const third = await list({ q: "liste.", sort: "email", page: 3, pageSize: 2 });
      expect([first.total, second.total, third.total]).to.deep.equal([5, 5, 5]);
      expect([first.page, second.page, third.page]).to.deep.equal([1, 2, 3]);
      expect(first.pageSize).to.equal(2);
      expect([...first.items, ...second.items, ...third.items].map((user) => user.email)).to.deep.equal(
        all.items.map((user) => user.email),
      );
      expect(third.items).to.have.length(1);
      expect((await list({ q: "liste.", page: 4, pageSize: 2 })).items).to.deep.equal([]);
    });

    it("sorts by full name", async () => {
      const body = await list({ q: "liste.", sort: "fullName" });
      expect(body.items.map((user) => user.fullName)).to.deep.equal([
        "Victor Attente",
        "Walid Désactivé",
        "Xavier Formateur_%",
        "Yasmine Officier",
        "Zineb Officier",
      ]);
    });

    it("refuses bad filters (422)", async () => {
      for (const query of [
        { role: "root" },
        { status: "gone" },
        { pageSize: 101 },
        { page: 0 },
        { sort: "password" },
      ]) {
        expectProblem(await admin.agent.get(`${API}/users`).query(query), 422, "validation-failed");
      }
    });

    it("never shows a password hash or a clear CIN", async () => {
      const response = await admin.agent.get(`${API}/users`).query({ pageSize: 100 }).expect(200);
      expect(response.text).to.not.contain("argon2");
      expect(response.text).to.not.contain("passwordHash");
    });

    it("GET /api/v1/users/:id shows one user; unknown → 404", async () => {
      const user = await User.findOne({ where: { email: listEmails.trainer } });
      const response = await admin.agent.get(`${API}/users/${user?.id ?? ""}`).expect(200);
      expect((response.body as UserBody).email).to.equal(listEmails.trainer);
      expectProblem(await admin.agent.get(`${API}/users/00000000-0000-4000-8000-000000000000`), 404, "not-found");
    });
  });

  describe("PATCH /api/v1/users/:id", () => {
    it("changes a role between staff roles, audited as user.role-changed with the roles before and after", async () => {
      const officer = await createUser({ role: "officer" });
      const response = await changeUser(officer.id, { role: "trainer" });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as UserBody).role).to.equal("trainer");
      expect((await User.findByPk(officer.id))?.role).to.equal("trainer");
      const events = await AuditEvent.findAll({ where: { action: "user.role-changed", entityId: officer.id } });
      expect(events).to.have.length(1);
      const [event] = events;
      expect(event?.actorId).to.equal(admin.user.id);
      expect(event?.actorRole).to.equal("admin");
      expect(event?.entityType).to.equal("user");
      expect(event?.before?.role).to.equal("officer");
      expect(event?.after?.role).to.equal("trainer");
      expect(event?.requestId).to.equal(response.headers["x-request-id"]);
    });

    it("applies a new role from the user's very next request", async () => {
      const officer = await createUser({ role: "officer" });
      const session = await signIn(context().app, officer.email, TEST_PASSWORD);
      expectProblem(await session.agent.get(`${API}/users`), 403, "forbidden");
      expect((await changeUser(officer.id, { role: "admin" })).status).to.equal(200);
      expect((await session.agent.get(`${API}/users`)).status).to.equal(200);
      expect((await changeUser(officer.id, { role: "officer" })).status).to.equal(200);
      expectProblem(await session.agent.get(`${API}/users`), 403, "forbidden");
    });

    it("records nothing when the role does not change", async () => {
      const trainer = await createUser({ role: "trainer" });
      expect((await changeUser(trainer.id, { role: "trainer" })).status).to.equal(200);
      expect(await AuditEvent.count({ where: { entityId: trainer.id } })).to.equal(0);
    });

    for (const role of ["applicant", "prescriber"] as const) {
      it(`refuses to change the role of ${article(role)} ${role} (422 on role)`, async () => {
        const user = await createUser({ role });
        const problem = expectProblem(await changeUser(user.id, { role: "officer" }), 422, "validation-failed");
        expect(problem.errors).to.deep.equal([
          {
            path: "role",
            message: "Le rôle d'un dirigeant ou d'un prescripteur ne peut pas être changé : créez un nouveau compte.",
          },
        ]);
        expect((await User.findByPk(user.id))?.role).to.equal(role);
      });
    }

    it("refuses to give a self-registration role (422)", async () => {
      const officer = await createUser({ role: "officer" });
      expectProblem(await changeUser(officer.id, { role: "applicant" }), 422, "validation-failed");
    });

    it("an admin cannot change its own role nor disable itself (409)", async () => {
      for (const body of [{ role: "officer" }, { disabled: true }]) {
        const problem = expectProblem(await changeUser(admin.user.id, body), 409, "conflict");
        expect(problem.detail).to.equal(
          "Vous ne pouvez pas modifier votre propre rôle ni désactiver votre propre compte.",
        );
      }
      const me = await User.findByPk(admin.user.id);
      expect(me?.role).to.equal("admin");
      expect(me?.disabledAt).to.equal(null);
    });

    it("disables and re-enables a user (audited user.disabled / user.enabled)", async () => {
      const applicant = await createUser({ role: "applicant" });
      const disabled = await changeUser(applicant.id, { disabled: true });
      expect(disabled.status, disabled.text).to.equal(200);
      expect((disabled.body as UserBody).disabled).to.equal(true);
      expect((await User.findByPk(applicant.id))?.disabledAt?.toISOString()).to.equal("2026-06-15T10:00:00.000Z");
      const enabled = await changeUser(applicant.id, { disabled: false });
      expect((enabled.body as UserBody).disabled).to.equal(false);
      const actions = (
        await AuditEvent.findAll({ where: { entityId: applicant.id }, order: [["position", "ASC"]] })
      ).map((event) => event.action);
      expect(actions).to.deep.equal(["user.disabled", "user.enabled"]);
    });

    it("refuses an empty change, an unknown field, and an unknown user", async () => {
      const officer = await createUser({ role: "officer" });
      expectProblem(await changeUser(officer.id, {}), 422, "validation-failed");
      expectProblem(await changeUser(officer.id, { email: "autre@example.ma" }), 422, "validation-failed");
      expectProblem(await changeUser("00000000-0000-4000-8000-000000000000", { role: "trainer" }), 404, "not-found");
      expectProblem(await changeUser("pas-un-uuid", { role: "trainer" }), 422, "validation-failed");
    });
  });
});
