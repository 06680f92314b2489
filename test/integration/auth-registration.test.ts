import { expect } from "chai";
import { QueryTypes } from "sequelize";
import request from "supertest";
import { SecretBox } from "../../server/auth/secretBox.js";
import { OutboxMessage, User } from "../../server/models/index.js";
import { uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import {
  anonymousSession,
  API,
  attemptRegistration,
  clearRateLimits,
  countRows,
  signIn,
  tokenFromLatestMail,
  UUID,
  type RegistrationBody,
  type UserBody,
} from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { buildTestApp, testConfig, useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, testSequelize } from "../helpers/testDatabase.js";

const PASSWORD = "Couscous du vendredi";

function applicant(overrides: Partial<RegistrationBody> = {}): RegistrationBody {
  return {
    email: uniqueEmail("dirigeant"),
    password: PASSWORD,
    fullName: "Karima Fassi",
    phone: "06 12 34 56 78",
    role: "applicant",
    locale: "fr",
    ...overrides,
  };
}

function prescriber(overrides: Partial<RegistrationBody> = {}): RegistrationBody {
  return {
    email: uniqueEmail("prescripteur"),
    password: PASSWORD,
    fullName: "Omar Berrada",
    phone: "0661000006",
    role: "prescriber",
    locale: "fr",
    prescriber: { kind: "accountant", registrationNumber: "OEC-CASA-1287", organisation: "Cabinet Berrada Expertise" },
    ...overrides,
  };
}

interface CapturedMailBody {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  createdAt: string;
}

describe("registration (POST /api/v1/auth/register)", () => {
  const context = useTestApp();

  beforeEach(clearRateLimits);

  async function register(body: RegistrationBody | Record<string, unknown>) {
    return attemptRegistration(context().app, body);
  }

  async function userCount(email: string): Promise<number> {
    return countRows("users", "email = lower(:email)", { email });
  }

  describe("applicants and prescribers", () => {
    it("registers an applicant: 201 {id, email, status}, an unverified applicant without prescriber details", async () => {
      const body = applicant();
      const response = await register(body);
      expect(response.status, response.text).to.equal(201);
      const user = await User.findOne({ where: { email: body.email } });
      if (!user) throw new Error("no user row");
      expect(response.body).to.deep.equal({ id: user.id, email: body.email, status: "verification-sent" });
      expect(user.role).to.equal("applicant");
      expect(user.fullName).to.equal("Karima Fassi");
      expect(user.locale).to.equal("fr");
      expect(user.emailVerifiedAt).to.equal(null);
      expect(user.disabledAt).to.equal(null);
      expect(user.prescriberKind).to.equal(null);
      expect(user.prescriberRegistrationNumber).to.equal(null);
      expect(user.prescriberOrganisation).to.equal(null);
      expect(user.nationalIdEncrypted).to.equal(null);
      expect(user.lastLoginAt).to.equal(null);
    });

    it("registers a prescriber with its kind, registration number and organisation", async () => {
      const body = prescriber({
        prescriber: { kind: "association", registrationNumber: " ASSO-FES-77 ", organisation: " Association des TIC " },
      });
      const response = await register(body);
      expect(response.status, response.text).to.equal(201);
      const user = await User.findByPk((response.body as { id: string }).id);
      expect(user?.role).to.equal("prescriber");
      expect(user?.prescriberKind).to.equal("association");
      expect(user?.prescriberRegistrationNumber).to.equal("ASSO-FES-77");
      expect(user?.prescriberOrganisation).to.equal("Association des TIC");
    });

    it("refuses a prescriber without prescriber details (422 on prescriber), creating nothing", async () => {
      const body = prescriber({ prescriber: undefined });
      const outboxBefore = await countRows("outbox_messages");
      const problem = expectProblem(await register(body), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["prescriber"]);
      expect(await userCount(body.email)).to.equal(0);
      expect(await countRows("outbox_messages")).to.equal(outboxBefore);
    });

    it("refuses incomplete prescriber details (422 on each missing field)", async () => {
      const problem = expectProblem(
        await register(prescriber({ prescriber: { kind: "notary", registrationNumber: "", organisation: "X" } })),
        422,
        "validation-failed",
      );
      expect(problem.errors?.map((error) => error.path).sort()).to.deep.equal([
        "prescriber.kind",
        "prescriber.organisation",
        "prescriber.registrationNumber",
      ]);
    });

    it("refuses prescriber details on an applicant (422 on prescriber)", async () => {
      const body = applicant({
        prescriber: { kind: "accountant", registrationNumber: "OEC-1", organisation: "Cabinet" },
      });
      const problem = expectProblem(await register(body), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["prescriber"]);
      expect(await userCount(body.email)).to.equal(0);
    });

    for (const role of ["officer", "trainer", "admin", "superuser"]) {
      it(`refuses self-registration as ${role} (422 on role), creating nothing`, async () => {
        const body = applicant({ role });
        const problem = expectProblem(await register(body), 422, "validation-failed");
        expect(problem.errors?.map((error) => error.path)).to.deep.equal(["role"]);
        expect(await userCount(body.email)).to.equal(0);
      });
    }

    it("refuses a missing role, e-mail, password or full name, and an unknown locale", async () => {
      const problem = expectProblem(await register({ locale: "en" }), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path).sort()).to.deep.equal([
        "email",
        "fullName",
        "locale",
        "password",
        "role",
      ]);
    });

    it("refuses fields it does not know (no role or verification smuggled in)", async () => {
      const body = { ...applicant(), emailVerified: true };
      const problem = expectProblem(await register(body), 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["emailVerified"]);
      expect(await userCount(body.email)).to.equal(0);
    });
  });

  describe("e-mail addresses", () => {
    it("stores the address trimmed and lower-cased, and answers with it", async () => {
      const response = await register(applicant({ email: "  Karima.FASSI@Example.MA " }));
      expect(response.status, response.text).to.equal(201);
      expect((response.body as { email: string }).email).to.equal("karima.fassi@example.ma");
      const user = await User.findByPk((response.body as { id: string }).id);
      expect(user?.email).to.equal("karima.fassi@example.ma");
    });

    it("treats addresses as unique whatever their case: a second registration creates no second user", async () => {
      const first = await register(applicant({ email: "unique.case@example.ma" }));
      expect(first.status, first.text).to.equal(201);
      const second = await register(applicant({ email: "UNIQUE.Case@EXAMPLE.ma", fullName: "Quelqu'un d'autre" }));
      expect(second.status, second.text).to.equal(201);
      expect(await countRows("users", "email ILIKE 'unique.case@example.ma'")).to.equal(1);
      const user = await User.findOne({ where: { email: "unique.case@example.ma" } });
      expect(user?.fullName).to.equal("Karima Fassi");
    });

    it("refuses an invalid address (422 on email)", async () => {
      const problem = expectProblem(await register(applicant({ email: "pas-une-adresse" })), 422, "validation-failed");
      expect(problem.errors).to.deep.equal([{ path: "email", message: "Adresse e-mail invalide." }]);
    });
  });

  describe("phone numbers", () => {
    const valid: Array<[string, string]> = [
      ["06 12 34 56 78", "+212612345678"],
      ["0612345678", "+212612345678"],
      ["0612-34-56-78", "+212612345678"],
      ["+212 6 12 34 56 78", "+212612345678"],
      ["00212612345678", "+212612345678"],
      ["0537 00 00 01", "+212537000001"],
      ["+33 6 12 34 56 78", "+33612345678"],
    ];
    for (const [typed, stored] of valid) {
      it(`normalises "${typed}" to ${stored}`, async () => {
        const response = await register(applicant({ phone: typed }));
        expect(response.status, response.text).to.equal(201);
        const user = await User.findByPk((response.body as { id: string }).id);
        expect(user?.phone).to.equal(stored);
      });
    }

    for (const typed of ["12345", "06 12 34", "not a phone", "+212 6"]) {
      it(`refuses "${typed}" (422 on phone, creating nothing)`, async () => {
        const body = applicant({ phone: typed });
        const problem = expectProblem(await register(body), 422, "validation-failed");
        expect(problem.errors).to.deep.equal([
          { path: "phone", message: "Numéro de téléphone invalide (exemple : 06 12 34 56 78)." },
        ]);
        expect(await userCount(body.email)).to.equal(0);
      });
    }

    it("accepts no phone at all (stored as null)", async () => {
      const withoutPhone = applicant();
      delete withoutPhone.phone;
      for (const body of [withoutPhone, applicant({ phone: null })]) {
        const response = await register(body);
        expect(response.status, response.text).to.equal(201);
        const user = await User.findByPk((response.body as { id: string }).id);
        expect(user?.phone).to.equal(null);
      }
    });

    for (const typed of ["", "   "]) {
      it(`takes an empty phone (${JSON.stringify(typed)}) as none (stored as null), not as an error`, async () => {
        const response = await register(applicant({ phone: typed }));
        expect(response.status, response.text).to.equal(201);
        const user = await User.findByPk((response.body as { id: string }).id);
        expect(user?.phone).to.equal(null);
      });
    }
  });

  describe("national ID number (CIN)", () => {
    it("stores the CIN encrypted at rest and shows it masked to its owner", async () => {
      const body = applicant({ nationalId: "ab123456" });
      const response = await register(body);
      expect(response.status, response.text).to.equal(201);
      const id = (response.body as { id: string }).id;
      const [row] = await testSequelize().query<{ national_id_encrypted: string | null; whole_row: string }>(
        "SELECT national_id_encrypted, users::text AS whole_row FROM users WHERE id = :id",
        { type: QueryTypes.SELECT, replacements: { id } },
      );
      const sealed = row?.national_id_encrypted ?? "";
      expect(sealed).to.match(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
      expect(row?.whole_row.toLowerCase()).to.not.contain("ab123456");
      expect(new SecretBox(testConfig().encryptionKey).open(sealed)).to.equal("AB123456");

      // Two registrations of the same CIN give different ciphertexts (random IV).
      const other = await register(applicant({ nationalId: "AB123456" }));
      const otherUser = await User.findByPk((other.body as { id: string }).id);
      expect(otherUser?.nationalIdEncrypted).to.be.a("string").and.not.equal(sealed);

      const token = await tokenFromLatestMail(body.email, "/verifier-email");
      const { agent, csrfToken } = await anonymousSession(context().app);
      await agent.post(`${API}/auth/verify-email`).set("X-CSRF-Token", csrfToken).send({ token }).expect(200);
      const signedIn = await signIn(context().app, body.email, PASSWORD);
      expect(signedIn.user.nationalIdMasked).to.equal("AB****56");
      const me = await signedIn.agent.get(`${API}/auth/me`).expect(200);
      expect((me.body as { user: UserBody }).user.nationalIdMasked).to.equal("AB****56");
      expect(me.text).to.not.contain("AB123456");
      expect(me.text).to.not.contain(sealed);
    });

    for (const nationalId of ["123456", "ABC123456", "AB12345678", "A-123"]) {
      it(`refuses the malformed CIN "${nationalId}" (422 on nationalId)`, async () => {
        const problem = expectProblem(await register(applicant({ nationalId })), 422, "validation-failed");
        expect(problem.errors).to.deep.equal([
          {
            path: "nationalId",
            message: "Numéro de CIN invalide (une ou deux lettres suivies de chiffres, exemple : AB123456).",
          },
        ]);
      });
    }
  });

  describe("password rules (NIST-style: length and a blocklist, no composition rules)", () => {
    const TOO_SHORT = "Le mot de passe doit comporter au moins 8 caractères.";
    const TOO_LONG = "Le mot de passe doit comporter au plus 128 caractères.";
    const TOO_COMMON =
      "Ce mot de passe fait partie des plus utilisés au monde : choisissez-en un autre, par exemple une courte phrase.";
    const cases: Array<{ label: string; password: string; refusal: string | null }> = [
      { label: "7 characters", password: "zk3vtq9", refusal: TOO_SHORT },
      { label: "7 emoji (14 UTF-16 units, 7 characters)", password: "🔒".repeat(7), refusal: TOO_SHORT },
      { label: "8 characters", password: "zk3vtq9w", refusal: null },
      { label: "8 emoji", password: "🔒".repeat(8), refusal: null },
      { label: "8 Arabic letters", password: "كلمةسرية", refusal: null },
      { label: "128 characters", password: "z".repeat(120) + "k3vtq9wx", refusal: null },
      { label: "129 characters", password: "z".repeat(121) + "k3vtq9wx", refusal: TOO_LONG },
      { label: "the common 'password1'", password: "password1", refusal: TOO_COMMON },
      { label: "the common 'qwerty123'", password: "qwerty123", refusal: TOO_COMMON },
      { label: "a common one in another case ('PassWord1')", password: "PassWord1", refusal: TOO_COMMON },
      { label: "a common one in capitals ('QWERTY123')", password: "QWERTY123", refusal: TOO_COMMON },
      { label: "lower-case letters only, not common ('aaaaaaaaaaab')", password: "aaaaaaaaaaab", refusal: null },
      { label: "digits only, not common", password: "73019468205", refusal: null },
    ];
    for (const { label, password, refusal } of cases) {
      it(`${refusal ? "refuses" : "accepts"} ${label}`, async () => {
        const body = applicant({ password });
        const response = await register(body);
        if (refusal === null) {
          expect(response.status, response.text).to.equal(201);
          expect(await userCount(body.email)).to.equal(1);
        } else {
          const problem = expectProblem(response, 422, "validation-failed");
          expect(problem.errors).to.deep.equal([{ path: "password", message: refusal }]);
          expect(await userCount(body.email)).to.equal(0);
        }
      });
    }

    it("explains a refused password in Arabic to an Arabic reader", async () => {
      const response = await attemptRegistration(context().app, applicant({ password: "qwerty123" }), {
        "Accept-Language": "ar",
      });
      const problem = expectProblem(response, 422, "validation-failed");
      expect(problem.errors?.[0]?.path).to.equal("password");
      expect(problem.errors?.[0]?.message).to.match(/[\u0600-\u06FF]/);
    });

    it("stores an argon2id hash (OWASP parameters), never the password itself", async () => {
      const body = applicant();
      expect((await register(body)).status).to.equal(201);
      const user = await User.findOne({ where: { email: body.email } });
      const [, algorithm, version, parameters, salt, hash] = (user?.passwordHash ?? "").split("$");
      expect(algorithm).to.equal("argon2id");
      expect(version).to.equal("v=19");
      expect(parameters?.split(",").sort()).to.deep.equal(["m=19456", "p=1", "t=2"]);
      expect(Buffer.from(salt ?? "", "base64")).to.have.length(16);
      expect(Buffer.from(hash ?? "", "base64")).to.have.length(32);
      const [row] = await testSequelize().query<{ whole_row: string }>(
        "SELECT users::text AS whole_row FROM users WHERE id = :id",
        { type: QueryTypes.SELECT, replacements: { id: user?.id } },
      );
      expect(row?.whole_row).to.not.contain(PASSWORD);
    });

    it("hashes with a random salt: the same password gives two different hashes", async () => {
      const first = applicant();
      const second = applicant();
      expect((await register(first)).status).to.equal(201);
      expect((await register(second)).status).to.equal(201);
      const [a, b] = await Promise.all([
        User.findOne({ where: { email: first.email } }),
        User.findOne({ where: { email: second.email } }),
      ]);
      expect(a?.passwordHash).to.be.a("string").and.not.equal(b?.passwordHash);
    });
  });

  describe("verification e-mail through the outbox", () => {
    it("queues the verification e-mail and its delivery job with the registration", async () => {
      const body = applicant();
      const response = await register(body);
      expect(response.status, response.text).to.equal(201);
      const messages = await OutboxMessage.findAll({ where: { recipient: body.email } });
      expect(messages).to.have.length(1);
      const [message] = messages;
      expect(message?.template).to.equal("verify-email");
      expect(message?.locale).to.equal("fr");
      expect(message?.status).to.equal("pending");
      expect(message?.attempts).to.equal(0);
      expect(message?.sentAt).to.equal(null);
      expect(message?.data.fullName).to.equal("Karima Fassi");
      expect(message?.data.verifyUrl).to.match(/^http:\/\/localhost:3000\/verifier-email\?token=[A-Za-z0-9_-]{43}$/);
      expect(
        await countRows("graphile_worker._private_jobs", "payload ->> 'messageId' = :id", { id: message?.id }),
      ).to.equal(1);
      // Nothing is sent inside the request: the worker does it.
      expect(await capturedEmailsTo(body.email)).to.have.length(0);
    });

    it("stores only a hash of the link's token", async () => {
      const body = applicant();
      expect((await register(body)).status).to.equal(201);
      const message = await OutboxMessage.findOne({ where: { recipient: body.email } });
      const token = new URL(message?.data.verifyUrl ?? "http://x").searchParams.get("token") ?? "";
      expect(await countRows("user_tokens", "token_hash = :token", { token })).to.equal(0);
      expect(
        await countRows("user_tokens", "token_hash = encode(sha256(convert_to(:token, 'UTF8')), 'hex')", { token }),
      ).to.equal(1);
    });

    it("leaves no user, no outbox row and no job when the registration is refused", async () => {
      const before = {
        users: await countRows("users"),
        outbox: await countRows("outbox_messages"),
        jobs: await countRows("graphile_worker._private_jobs"),
      };
      for (const body of [
        applicant({ password: "password1" }),
        prescriber({ prescriber: null }),
        applicant({ role: "admin" }),
      ]) {
        expect((await register(body)).status).to.equal(422);
      }
      expect({
        users: await countRows("users"),
        outbox: await countRows("outbox_messages"),
        jobs: await countRows("graphile_worker._private_jobs"),
      }).to.deep.equal(before);
    });

    it("writes the user and its e-mail in one transaction: if queueing the mail fails, there is no user", async () => {
      const sequelize = ownerSequelize();
      await sequelize.query(`
        CREATE FUNCTION test_refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.recipient LIKE 'outbox-refused-%' THEN RAISE EXCEPTION 'outbox refused by the test'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_refuse_outbox BEFORE INSERT ON outbox_messages
          FOR EACH ROW EXECUTE FUNCTION test_refuse_outbox();`);
      try {
        const body = applicant({ email: uniqueEmail("outbox-refused") });
        const before = { tokens: await countRows("user_tokens"), audits: await countRows("audit_events") };
        expectProblem(await register(body), 500, "internal-error");
        expect(await userCount(body.email)).to.equal(0);
        expect({ tokens: await countRows("user_tokens"), audits: await countRows("audit_events") }).to.deep.equal(
          before,
        );
      } finally {
        await sequelize.query(
          "DROP TRIGGER test_refuse_outbox ON outbox_messages; DROP FUNCTION test_refuse_outbox();",
        );
      }
    });

    it("…and if the rest of the registration fails after the mail was queued, there is no mail either", async () => {
      const sequelize = ownerSequelize();
      await sequelize.query(`
        CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.after ->> 'email' LIKE 'audit-refused-%' THEN RAISE EXCEPTION 'audit refused by the test'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events
          FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();`);
      try {
        const body = applicant({ email: uniqueEmail("audit-refused") });
        const jobs = await countRows("graphile_worker._private_jobs");
        expectProblem(await register(body), 500, "internal-error");
        expect(await userCount(body.email)).to.equal(0);
        expect(await countRows("outbox_messages", "recipient = :email", { email: body.email })).to.equal(0);
        expect(await countRows("graphile_worker._private_jobs")).to.equal(jobs);
      } finally {
        await sequelize.query("DROP TRIGGER test_refuse_audit ON audit_events; DROP FUNCTION test_refuse_audit();");
      }
    });

    it("delivers it (worker, capture transport) in French with the verification link, and marks it sent", async () => {
      const body = applicant();
      const id = ((await register(body)).body as { id: string }).id;
      await deliverQueuedEmails();
      const mails = await capturedEmailsTo(body.email);
      expect(mails).to.have.length(1);
      const [mail] = mails;
      expect(mail?.subject).to.equal("Confirmez votre adresse e-mail — Moussanada Numérique");
      expect(mail?.textBody).to.contain("Bonjour Karima Fassi,");
      const link = mail?.links.find((candidate) => candidate.startsWith("http://localhost:3000/verifier-email?token="));
      expect(link, JSON.stringify(mail?.links)).to.be.a("string");
      expect(mail?.textBody).to.contain(link);
      expect(mail?.htmlBody).to.match(/<html lang="fr" dir="ltr">/);
      expect(mail?.htmlBody).to.contain(`href="${link}"`);
      const message = await OutboxMessage.findOne({ where: { recipient: body.email } });
      expect(message?.status).to.equal("sent");
      expect(message?.attempts).to.equal(1);
      expect(message?.lastError).to.equal(null);
      expect(message?.sentAt).to.be.instanceOf(Date);
      expect(mail?.outboxMessageId).to.equal(message?.id);
      expect(id).to.match(UUID);
    });

    it("writes to an Arabic-speaking user in Arabic, right to left", async () => {
      const body = applicant({ locale: "ar", fullName: "كريمة الفاسي" });
      expect((await register(body)).status).to.equal(201);
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(body.email);
      expect(mail?.subject).to.equal("أكّدوا عنوان بريدكم الإلكتروني — مساندة الرقمية");
      expect(mail?.textBody).to.contain("مرحبًا كريمة الفاسي،");
      expect(mail?.htmlBody).to.match(/<html lang="ar" dir="rtl">/);
      // Every cell of the layout is right to left (only the raw URL is isolated left to right).
      expect(mail?.htmlBody.match(/<td\s+dir="rtl"\s+align="right"/g)).to.have.length(3);
      expect(mail?.htmlBody).to.not.match(/<td\s+dir="ltr"/);
      expect(mail?.links.some((link) => link.startsWith("http://localhost:3000/verifier-email?token="))).to.equal(true);
    });

    it("sends each queued mail once: delivering again sends nothing more", async () => {
      const body = applicant();
      expect((await register(body)).status).to.equal(201);
      await deliverQueuedEmails();
      await deliverQueuedEmails();
      expect(await capturedEmailsTo(body.email)).to.have.length(1);
    });

    it("lists captured mails at GET /api/v1/dev/mails (development), newest first, filtered by recipient", async () => {
      const body = applicant({ email: uniqueEmail("Dev.Mails") });
      expect((await register(body)).status).to.equal(201);
      await deliverQueuedEmails();
      const response = await request(context().app).get(`${API}/dev/mails`).query({ to: body.email.toUpperCase() });
      expect(response.status, response.text).to.equal(200);
      const list = response.body as ListBody<CapturedMailBody>;
      expect(list.total).to.equal(1);
      expect(list.items).to.have.length(1);
      const [item] = list.items;
      expect(Object.keys(item ?? {}).sort()).to.deep.equal([
        "createdAt",
        "html",
        "id",
        "links",
        "subject",
        "text",
        "to",
      ]);
      expect(item?.to).to.equal(body.email.toLowerCase());
      expect(item?.subject).to.equal("Confirmez votre adresse e-mail — Moussanada Numérique");
      expect(item?.links.some((link) => link.startsWith("http://localhost:3000/verifier-email?token="))).to.equal(true);
      const all = (await request(context().app).get(`${API}/dev/mails`).expect(200)).body as ListBody<CapturedMailBody>;
      expect(all.total).to.be.greaterThan(1);
      const times = all.items.map((mail) => mail.createdAt);
      expect(times).to.deep.equal([...times].sort().reverse());
    });

    it("shows captured mails on the /dev/mail page in development", async () => {
      const body = applicant({ email: uniqueEmail("page") });
      expect((await register(body)).status).to.equal(201);
      await deliverQueuedEmails();
      const response = await request(context().app).get("/dev/mail");
      expect(response.status).to.equal(200);
      expect(response.headers["content-type"]).to.match(/^text\/html/);
      expect(response.text).to.contain(body.email);
      expect(response.text).to.contain("Confirmez votre adresse e-mail");
    });

    it("has no mail capture in production: /api/v1/dev/mails and /dev/mail are 404", async () => {
      const body = applicant({ email: uniqueEmail("prod") });
      expect((await register(body)).status).to.equal(201);
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(body.email);
      const production = buildTestApp({
        config: { isProduction: true, env: "production", clientDistDir: "/nonexistent-client-dist" },
      });
      expectProblem(await request(production.app).get(`${API}/dev/mails`), 404, "route-not-found");
      expectProblem(await request(production.app).get("/dev/mail"), 404, "route-not-found");
      expectProblem(await request(production.app).get(`/dev/mail/${mail?.id ?? "x"}.html`), 404, "route-not-found");
      // The development app shows the same mail.
      expect((await request(context().app).get(`/dev/mail/${mail?.id ?? "x"}.html`)).status).to.equal(200);
    });

    it("in production with the web client built, /dev/mail is only the client's shell: no captured mail shows", async () => {
      const production = buildTestApp({ config: { isProduction: true, env: "production" } });
      const [mail] = await capturedEmailsTo("%");
      for (const path of ["/dev/mail", `/dev/mail/${mail?.id ?? "x"}.html`]) {
        const response = await request(production.app).get(path).set("Accept", "text/html");
        expect(response.text, path).to.not.contain("E-mails capturés");
        expect(response.text, path).to.not.contain("Confirmez votre adresse e-mail");
        expect(response.text, path).to.not.contain("@example.ma");
      }
    });
  });
});
