import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { QueryTypes } from "sequelize";
import type request from "supertest";
import { AuditEvent } from "../../server/models/index.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  attemptRegistration,
  clearRateLimits,
  countRows,
  signIn,
  tokenFromLatestMail,
  type SignedIn,
  type UserBody,
} from "../helpers/auth.js";
import { useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, testSequelize } from "../helpers/testDatabase.js";

/** The address supertest's requests come from, as Express reports it. */
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$/;

/** A request id of our own, so each event can be matched to the request that caused it. */
const requestId = () => `audit-${randomUUID()}`;

async function eventsFor(requestIdValue: string): Promise<AuditEvent[]> {
  return AuditEvent.findAll({ where: { requestId: requestIdValue }, order: [["position", "ASC"]] });
}

function expectRequestId(response: request.Response, sent: string): void {
  expect(response.headers["x-request-id"]).to.equal(sent);
}

interface ChainRow {
  position: string;
  previous_hash: string;
  hash: string;
  recomputed: boolean;
}

async function chain(): Promise<ChainRow[]> {
  return testSequelize().query<ChainRow>(
    "SELECT position, previous_hash, hash, hash = audit_event_hash(e) AS recomputed FROM audit_events e ORDER BY position",
    { type: QueryTypes.SELECT },
  );
}

function expectChainHolds(rows: ChainRow[]): void {
  let previous = "0".repeat(64);
  rows.forEach((row, index) => {
    expect(Number(row.position), `position of row ${index}`).to.equal(index + 1);
    expect(row.previous_hash, `previous_hash at position ${row.position}`).to.equal(previous);
    expect(row.hash, `hash at position ${row.position}`).to.match(/^[0-9a-f]{64}$/);
    expect(row.recomputed, `hash at position ${row.position} matches its content`).to.equal(true);
    previous = row.hash;
  });
}

describe("audit trail", () => {
  const context = useTestApp();
  let admin: SignedIn;

  before(async () => {
    const adminUser = await createUser({ role: "admin" });
    admin = await signIn(context().app, adminUser.email, TEST_PASSWORD);
  });

  beforeEach(clearRateLimits);

  it("records user.registered with the new user as actor, the IP and the request id", async () => {
    const id = requestId();
    const email = uniqueEmail("audit");
    const response = await attemptRegistration(
      context().app,
      {
        email,
        password: TEST_PASSWORD,
        fullName: "Rachid Audit",
        role: "applicant",
        locale: "fr",
        nationalId: "AB123456",
      },
      { "X-Request-Id": id },
    );
    expect(response.status, response.text).to.equal(201);
    expectRequestId(response, id);
    const userId = (response.body as { id: string }).id;
    const [event, ...others] = await eventsFor(id);
    expect(others).to.deep.equal([]);
    expect(event?.action).to.equal("user.registered");
    expect(event?.entityType).to.equal("user");
    expect(event?.entityId).to.equal(userId);
    expect(event?.actorId).to.equal(userId);
    expect(event?.actorRole).to.equal("applicant");
    expect(event?.ip).to.match(LOOPBACK);
    expect(event?.after).to.deep.include({ role: "applicant", email, fullName: "Rachid Audit", emailVerified: false });
    // Neither the password, its hash nor the CIN goes into the trail.
    const text = JSON.stringify(event?.after);
    expect(text).to.not.contain(TEST_PASSWORD);
    expect(text).to.not.contain("argon2");
    expect(text).to.not.contain("AB123456");
    expect(text).to.not.contain("nationalId");
  });

  it("records auth.login with the user as actor", async () => {
    const user = await createUser({ role: "trainer" });
    const id = requestId();
    const response = await attemptLogin(context().app, user.email, TEST_PASSWORD, { "X-Request-Id": id });
    expect(response.status).to.equal(200);
    expectRequestId(response, id);
    const [event, ...others] = await eventsFor(id);
    expect(others).to.deep.equal([]);
    expect(event).to.deep.include({
      action: "auth.login",
      entityType: "user",
      entityId: user.id,
      actorId: user.id,
      actorRole: "trainer",
      requestId: id,
    });
    expect(event?.ip).to.match(LOOPBACK);
  });

  it("records auth.login-failed, with the account when it exists and without actor", async () => {
    const user = await createUser();
    const knownId = requestId();
    const unknownId = requestId();
    const unknownEmail = uniqueEmail("inconnu");
    expect(
      (await attemptLogin(context().app, user.email, "Mauvais mot de passe", { "X-Request-Id": knownId })).status,
    ).to.equal(401);
    expect(
      (await attemptLogin(context().app, unknownEmail, "Mauvais mot de passe", { "X-Request-Id": unknownId })).status,
    ).to.equal(401);
    const [known] = await eventsFor(knownId);
    const [unknown] = await eventsFor(unknownId);
    expect(known).to.deep.include({
      action: "auth.login-failed",
      entityType: "user",
      entityId: user.id,
      actorId: null,
      actorRole: null,
    });
    expect(known?.after).to.deep.equal({ email: user.email });
    expect(known?.ip).to.match(LOOPBACK);
    expect(unknown).to.deep.include({ action: "auth.login-failed", entityId: null, actorId: null });
    expect(unknown?.after).to.deep.equal({ email: unknownEmail });
    expect(JSON.stringify([known?.after, unknown?.after])).to.not.contain("Mauvais");
  });

  it("records auth.logout", async () => {
    const user = await createUser();
    const session = await signIn(context().app, user.email, TEST_PASSWORD);
    const id = requestId();
    const response = await session.agent
      .post(`${API}/auth/logout`)
      .set("X-CSRF-Token", session.csrfToken)
      .set("X-Request-Id", id);
    expect(response.status).to.equal(204);
    const [event] = await eventsFor(id);
    expect(event).to.deep.include({
      action: "auth.logout",
      entityId: user.id,
      actorId: user.id,
      actorRole: "applicant",
    });
    expect(event?.ip).to.match(LOOPBACK);
  });

  it("records user.created with the admin as actor", async () => {
    const id = requestId();
    const email = uniqueEmail("agent");
    const response = await admin.agent
      .post(`${API}/users`)
      .set("X-CSRF-Token", admin.csrfToken)
      .set("X-Request-Id", id)
      .send({ email, fullName: "Agent Créé", role: "officer" });
    expect(response.status, response.text).to.equal(201);
    const created = response.body as UserBody;
    const [event, ...others] = await eventsFor(id);
    expect(others).to.deep.equal([]);
    expect(event).to.deep.include({
      action: "user.created",
      entityType: "user",
      entityId: created.id,
      actorId: admin.user.id,
      actorRole: "admin",
    });
    expect(event?.after).to.deep.include({ role: "officer", email, emailVerified: false, disabled: false });
    expect(event?.ip).to.match(LOOPBACK);
  });

  it("records user.role-changed and user.disabled with before and after", async () => {
    const officer = await createUser({ role: "officer" });
    const roleRequest = requestId();
    const disableRequest = requestId();
    await admin.agent
      .patch(`${API}/users/${officer.id}`)
      .set("X-CSRF-Token", admin.csrfToken)
      .set("X-Request-Id", roleRequest)
      .send({ role: "admin" })
      .expect(200);
    await admin.agent
      .patch(`${API}/users/${officer.id}`)
      .set("X-CSRF-Token", admin.csrfToken)
      .set("X-Request-Id", disableRequest)
      .send({ disabled: true })
      .expect(200);
    const [roleChanged] = await eventsFor(roleRequest);
    expect(roleChanged).to.deep.include({
      action: "user.role-changed",
      entityId: officer.id,
      actorId: admin.user.id,
      actorRole: "admin",
    });
    expect(roleChanged?.before).to.deep.include({ role: "officer" });
    expect(roleChanged?.after).to.deep.include({ role: "admin" });
    const [disabled] = await eventsFor(disableRequest);
    expect(disabled).to.deep.include({ action: "user.disabled", entityId: officer.id, actorId: admin.user.id });
    expect(disabled?.before).to.deep.include({ disabled: false });
    expect(disabled?.after).to.deep.include({ disabled: true, endedSessions: 0 });
    expect(disabled?.ip).to.match(LOOPBACK);
  });

  it("records e-mail verification and password reset with the user as actor", async () => {
    const email = uniqueEmail("parcours");
    expect(
      (
        await attemptRegistration(context().app, {
          email,
          password: TEST_PASSWORD,
          fullName: "Parcours Complet",
          role: "applicant",
        })
      ).status,
    ).to.equal(201);
    const token = await tokenFromLatestMail(email, "/verifier-email");
    const { agent, csrfToken } = await anonymousSession(context().app);
    const verifyId = requestId();
    await agent
      .post(`${API}/auth/verify-email`)
      .set("X-CSRF-Token", csrfToken)
      .set("X-Request-Id", verifyId)
      .send({ token })
      .expect(200);
    const [verified] = await eventsFor(verifyId);
    expect(verified?.action).to.equal("user.email-verified");
    expect(verified?.before).to.deep.include({ emailVerified: false });
    expect(verified?.after).to.deep.include({ emailVerified: true });

    const requestedId = requestId();
    await agent
      .post(`${API}/auth/password-reset`)
      .set("X-CSRF-Token", csrfToken)
      .set("X-Request-Id", requestedId)
      .send({ email })
      .expect(202);
    // The worker looks the account up and records the request, with the request's id.
    const resetToken = await tokenFromLatestMail(email, "/reinitialiser-mot-de-passe");
    const [requested] = await eventsFor(requestedId);
    expect(requested?.action).to.equal("user.password-reset-requested");
    expect(requested?.entityId).to.equal(verified?.entityId);
    const resetId = requestId();
    await agent
      .post(`${API}/auth/password-reset/confirm`)
      .set("X-CSRF-Token", csrfToken)
      .set("X-Request-Id", resetId)
      .send({ token: resetToken, password: "Nouvelle phrase auditée" })
      .expect(200);
    const [reset] = await eventsFor(resetId);
    expect(reset).to.deep.include({ action: "user.password-reset", entityId: verified?.entityId });
    expect(reset?.actorId).to.equal(verified?.entityId);
    expect(reset?.ip).to.match(LOOPBACK);
    expect(JSON.stringify(reset?.after)).to.not.contain("Nouvelle phrase");
  });

  it("writes nothing for a refused request", async () => {
    const before = await countRows("audit_events");
    const refused = [
      await attemptRegistration(context().app, {
        email: uniqueEmail("refus"),
        password: "password1",
        fullName: "Refusé",
        role: "applicant",
      }),
      await attemptRegistration(context().app, {
        email: uniqueEmail("refus"),
        password: TEST_PASSWORD,
        fullName: "R",
        role: "admin",
      }),
      await admin.agent
        .post(`${API}/users`)
        .set("X-CSRF-Token", admin.csrfToken)
        .send({
          email: uniqueEmail("refus"),
          fullName: "Refusé",
          role: "applicant",
        }),
      await admin.agent
        .patch(`${API}/users/${admin.user.id}`)
        .set("X-CSRF-Token", admin.csrfToken)
        .send({ role: "officer" }),
      await admin.agent
        .post(`${API}/users`)
        .send({ email: uniqueEmail("refus"), fullName: "Sans Jeton", role: "officer" }),
    ];
    expect(refused.map((response) => response.status)).to.deep.equal([422, 422, 422, 409, 403]);
    expect(await countRows("audit_events")).to.equal(before);
  });

  it("chains every event to the one before it by hash", async () => {
    const rows = await chain();
    expect(rows.length).to.be.greaterThan(10);
    expectChainHolds(rows);
  });

  it("detects an edited event: its stored hash no longer matches its content", async () => {
    // A DBA editing the row by hand: the application's own role may not.
    const sequelize = ownerSequelize();
    const rows = await chain();
    const middle = rows[Math.floor(rows.length / 2)];
    // Inside a transaction rolled back afterwards, so the trail stays intact for other tests.
    const outcome = await sequelize
      .transaction(async (transaction) => {
        await sequelize.query("UPDATE audit_events SET ip = '198.51.100.7' WHERE position = :position", {
          transaction,
          replacements: { position: middle?.position },
        });
        const [tampered] = await sequelize.query<{ recomputed: boolean }>(
          "SELECT hash = audit_event_hash(e) AS recomputed FROM audit_events e WHERE position = :position",
          { transaction, type: QueryTypes.SELECT, replacements: { position: middle?.position } },
        );
        throw Object.assign(new Error("roll back"), { tampered });
      })
      .catch((error: unknown) => (error as { tampered?: { recomputed: boolean } }).tampered);
    expect(outcome).to.deep.equal({ recomputed: false });
    expectChainHolds(await chain());
  });

  it("keeps the chain whole under concurrent writers", async () => {
    const users = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUser()));
    await Promise.all(users.map((user) => attemptLogin(context().app, user.email, TEST_PASSWORD)));
    expectChainHolds(await chain());
  });
});
