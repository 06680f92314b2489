import { expect } from "chai";
import type request from "supertest";
import { OutboxMessage, User } from "../../server/models/index.js";
import { createUser, uniqueEmail } from "../factories/users.js";
import {
  anonymousSession,
  API,
  attemptLogin,
  attemptRegistration,
  clearRateLimits,
  countRows,
  median,
  timed,
  UUID,
  withoutRequestId,
} from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { useTestApp } from "../helpers/testApp.js";

/**
 * Nothing the API answers may tell whether an address has an account: registration, sign-in and
 * password reset answer the same status and body, in comparable time.
 */

const WRONG_PASSWORD = "Pas le bon mot de passe";

/** Everything of an answer a client can compare, but its request id. */
function observable(response: request.Response) {
  return {
    status: response.status,
    contentType: response.headers["content-type"] as unknown,
    retryAfter: response.headers["retry-after"] as unknown,
    body: withoutRequestId(response.body),
  };
}

describe("account enumeration", () => {
  const context = useTestApp();

  beforeEach(clearRateLimits);

  describe("registration", () => {
    it("answers an already registered address exactly like a new one (201, uuid id, email, status)", async () => {
      const existing = await createUser({ fullName: "Titulaire Existant" });
      const usersBefore = await countRows("users");
      const fresh = uniqueEmail("nouveau");
      const body = (email: string) => ({
        email,
        password: "Une autre phrase secrète",
        fullName: "Quelqu'un",
        role: "applicant",
        locale: "fr",
      });
      const forNew = await attemptRegistration(context().app, body(fresh));
      const forExisting = await attemptRegistration(context().app, body(existing.email.toUpperCase()));
      expect(forNew.status, forNew.text).to.equal(201);
      expect(forExisting.status, forExisting.text).to.equal(201);
      expect(forExisting.headers["content-type"]).to.equal(forNew.headers["content-type"]);
      const newBody = forNew.body as { id: string; email: string; status: string };
      const existingBody = forExisting.body as { id: string; email: string; status: string };
      expect(Object.keys(existingBody)).to.deep.equal(Object.keys(newBody));
      expect(existingBody.id).to.match(UUID);
      expect(newBody.id).to.match(UUID);
      expect(existingBody).to.deep.equal({ id: existingBody.id, email: existing.email, status: "verification-sent" });
      expect(newBody).to.deep.equal({ id: newBody.id, email: fresh, status: "verification-sent" });
      // The id answered for the existing address is not the account's, nor any account's.
      expect(existingBody.id).to.not.equal(existing.id);
      expect(await User.findByPk(existingBody.id)).to.equal(null);
      // No second user; the existing one is untouched.
      expect(await countRows("users")).to.equal(usersBefore + 1);
      const unchanged = await User.findByPk(existing.id);
      expect(unchanged?.fullName).to.equal("Titulaire Existant");
      expect(unchanged?.passwordHash).to.equal(existing.passwordHash);
    });

    it("mails the owner of the existing account an 'account exists' notice instead", async () => {
      const existing = await createUser({ fullName: "Titulaire Existant" });
      const response = await attemptRegistration(context().app, {
        email: existing.email,
        password: "Une autre phrase secrète",
        fullName: "Quelqu'un",
        role: "prescriber",
        locale: "ar",
        prescriber: { kind: "accountant", registrationNumber: "OEC-1", organisation: "Cabinet" },
      });
      expect(response.status, response.text).to.equal(201);
      const messages = await OutboxMessage.findAll({ where: { recipient: existing.email } });
      expect(messages.map((message) => [message.template, message.locale])).to.deep.equal([["account-exists", "fr"]]);
      await deliverQueuedEmails();
      const mails = await capturedEmailsTo(existing.email);
      expect(mails).to.have.length(1);
      expect(mails[0]?.subject).to.equal("Tentative d'inscription avec votre adresse — Moussanada Numérique");
      expect(mails[0]?.textBody).to.contain("Bonjour Titulaire Existant,");
      expect(mails[0]?.links).to.include.members([
        "http://localhost:3000/connexion",
        "http://localhost:3000/mot-de-passe-oublie",
      ]);
      expect(mails[0]?.links.some((link) => link.includes("/verifier-email"))).to.equal(false);
      expect(await countRows("user_tokens", "user_id = :id", { id: existing.id })).to.equal(0);
    });

    it("spends the password hashing time for an existing address too", async () => {
      const existing = await createUser();
      const body = (email: string) => ({
        email,
        password: "Une autre phrase secrète",
        fullName: "Quelqu'un",
        role: "applicant",
        locale: "fr",
      });
      const forNew: number[] = [];
      const forExisting: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        await clearRateLimits();
        forNew.push(await timed(() => attemptRegistration(context().app, body(uniqueEmail("timing")))));
        forExisting.push(await timed(() => attemptRegistration(context().app, body(existing.email))));
      }
      expect(median(forExisting), `existing ${forExisting.join()} vs new ${forNew.join()}`).to.be.at.least(
        0.5 * median(forNew),
      );
    });
  });

  describe("sign-in", () => {
    it("answers an unknown address exactly like a known one with a wrong password (401, same body)", async () => {
      const known = await createUser();
      const unknownAnswer = await attemptLogin(context().app, uniqueEmail("inconnu"), WRONG_PASSWORD);
      const knownAnswer = await attemptLogin(context().app, known.email, WRONG_PASSWORD);
      expect(unknownAnswer.status).to.equal(401);
      expect(observable(unknownAnswer)).to.deep.equal(observable(knownAnswer));
      expect(unknownAnswer.body).to.have.property("requestId").that.not.equals(knownAnswer.body.requestId);
      // Byte for byte, once each answer's own request id is blanked out.
      const blank = (response: request.Response) =>
        response.text.replaceAll(String(response.headers["x-request-id"]), "<request-id>");
      expect(blank(unknownAnswer)).to.equal(blank(knownAnswer));
    });

    it("answers the same for an account with no password yet (staff not set up)", async () => {
      const pending = await createUser({ role: "officer", password: null, verified: false });
      const known = await createUser();
      expect(observable(await attemptLogin(context().app, pending.email, WRONG_PASSWORD))).to.deep.equal(
        observable(await attemptLogin(context().app, known.email, WRONG_PASSWORD)),
      );
    });

    it("spends the password verification time for an unknown address too", async () => {
      const known = await createUser();
      // The first unknown address computes the server's dummy hash once: not measured.
      await attemptLogin(context().app, uniqueEmail("chauffe"), WRONG_PASSWORD);
      const unknown: number[] = [];
      const knownTimes: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        // The measures alternate, so both see the same load; counters are reset so no lock interferes.
        await clearRateLimits();
        const email = uniqueEmail("inconnu");
        const unknownSession = await anonymousSession(context().app);
        const knownSession = await anonymousSession(context().app);
        unknown.push(
          await timed(() =>
            unknownSession.agent
              .post(`${API}/auth/login`)
              .set("X-CSRF-Token", unknownSession.csrfToken)
              .send({ email, password: WRONG_PASSWORD })
              .expect(401),
          ),
        );
        knownTimes.push(
          await timed(() =>
            knownSession.agent
              .post(`${API}/auth/login`)
              .set("X-CSRF-Token", knownSession.csrfToken)
              .send({ email: known.email, password: WRONG_PASSWORD })
              .expect(401),
          ),
        );
      }
      expect(median(unknown), `unknown ${unknown.join()} vs known ${knownTimes.join()}`).to.be.at.least(
        0.5 * median(knownTimes),
      );
    });
  });

  describe("password reset request", () => {
    async function requestReset(email: string) {
      const { agent, csrfToken } = await anonymousSession(context().app);
      return agent.post(`${API}/auth/password-reset`).set("X-CSRF-Token", csrfToken).send({ email });
    }

    it("answers an unknown address exactly like a known one (202, same body), and mails only the known one", async () => {
      const known = await createUser();
      const unknown = uniqueEmail("inconnu");
      const forUnknown = await requestReset(unknown);
      const forKnown = await requestReset(known.email);
      expect(forKnown.status, forKnown.text).to.equal(202);
      expect(observable(forUnknown)).to.deep.equal(observable(forKnown));
      expect(forKnown.body).to.deep.equal({ status: "sent-if-exists" });
      // The lookup happens in the worker, so that the answer's timing cannot tell the two apart.
      await deliverQueuedEmails();
      expect(await OutboxMessage.count({ where: { recipient: unknown } })).to.equal(0);
      expect(await OutboxMessage.count({ where: { recipient: known.email, template: "password-reset" } })).to.equal(1);
    });

    it("takes comparable time for an unknown address and a known one", async () => {
      // No password hashing here: the work that differs is the token, the outbox row, the job and
      // the audit event written for a known address (several round trips to the database).
      const known = await createUser();
      await requestReset(uniqueEmail("chauffe"));
      const unknown: number[] = [];
      const knownTimes: number[] = [];
      // Fifteen rounds, each starting with the other address in turn: whichever request goes
      // second in a round meets warmer caches, and a shared CI machine adds its own noise.
      for (let round = 0; round < 15; round += 1) {
        await clearRateLimits();
        const unknownSession = await anonymousSession(context().app);
        const knownSession = await anonymousSession(context().app);
        const email = uniqueEmail("inconnu");
        const timeUnknown = () =>
          timed(() =>
            unknownSession.agent
              .post(`${API}/auth/password-reset`)
              .set("X-CSRF-Token", unknownSession.csrfToken)
              .send({ email })
              .expect(202),
          );
        const timeKnown = () =>
          timed(() =>
            knownSession.agent
              .post(`${API}/auth/password-reset`)
              .set("X-CSRF-Token", knownSession.csrfToken)
              .send({ email: known.email })
              .expect(202),
          );
        if (round % 2 === 0) {
          unknown.push(await timeUnknown());
          knownTimes.push(await timeKnown());
        } else {
          knownTimes.push(await timeKnown());
          unknown.push(await timeUnknown());
        }
      }
      expect(median(unknown), `unknown ${unknown.join()} vs known ${knownTimes.join()}`).to.be.at.least(
        0.7 * median(knownTimes),
      );
    });

    it("answers a disabled account like an unknown address, and mails nothing", async () => {
      const disabled = await createUser({ disabled: true });
      expect(observable(await requestReset(disabled.email))).to.deep.equal(
        observable(await requestReset(uniqueEmail("inconnu"))),
      );
      expect(await OutboxMessage.count({ where: { recipient: disabled.email } })).to.equal(0);
    });
  });
});
