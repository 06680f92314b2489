import { expect } from "chai";
import { Company, CompanyInvitation, Mandate, type User } from "../../server/models/index.js";
import { companyPayload, createCompany, type CompanyBody, type MandateBody } from "../factories/companies.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import { anonymousSession, clearRateLimits, signIn, tokenFromLatestMail, type SignedIn } from "../helpers/auth.js";
import { capturedEmailsTo, deliverQueuedEmails, linkIn } from "../helpers/mail.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { deleteJson, getJson, patchJson, postJson } from "./companiesApi.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const CLAIM_PATH = "/revendiquer-entreprise";

const PRESCRIBER_ON_CLIENT = {
  read: true,
  update: true,
  listMandates: true,
  grantMandate: false,
  revokeMandate: false,
  createApplication: true,
};

describe("mandates (/api/v1/companies/:id/mandates, /api/v1/mandates/:id, /api/v1/companies/claim)", () => {
  const context = useTestApp();
  let ownerUser: User;
  let owner: SignedIn;

  before(async () => {
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    await clearRateLimits();
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
  });

  beforeEach(async () => {
    context().clock.set(TEST_NOW);
    await clearRateLimits();
  });

  /** A prescriber account, signed in. */
  async function prescriberSession(options: { locale?: "fr" | "ar"; fullName?: string } = {}) {
    const user = await createUser({
      role: "prescriber",
      fullName: options.fullName ?? "Karima Bennis",
      locale: options.locale ?? "fr",
      prescriber: {
        kind: "accountant",
        registrationNumber: "OEC-CASA-0042",
        organisation: "Cabinet Bennis & Associés",
      },
    });
    return { user, session: await signIn(context().app, user.email, TEST_PASSWORD) };
  }

  const ownCompany = () => createCompany({ owner: ownerUser, name: "Atlas Textile SARL" });

  const grant = (companyId: string, body: Record<string, unknown>, session: SignedIn = owner) =>
    postJson(session, `/companies/${companyId}/mandates`, body);

  const mandatesOf = async (companyId: string, session: SignedIn = owner) => {
    const response = await getJson(session, `/companies/${companyId}/mandates`);
    expect(response.status, response.text).to.equal(200);
    return (response.body as ListBody<MandateBody>).items;
  };

  describe("granting", () => {
    it("grants by e-mail, whatever its case: 201, active, no end date; the prescriber gets access and a mail", async () => {
      const company = await ownCompany();
      const { user, session } = await prescriberSession();
      expectProblem(await getJson(session, `/companies/${company.id}`), 404, "not-found");

      const response = await grant(company.id, { prescriberEmail: `  ${user.email.toUpperCase()} ` });
      expect(response.status, response.text).to.equal(201);
      const body = response.body as MandateBody;
      expect(Object.keys(body).sort()).to.deep.equal([
        "companyId",
        "createdAt",
        "expiresOn",
        "id",
        "permissions",
        "prescriber",
        "revokedAt",
        "source",
        "status",
      ]);
      expect(body).to.deep.include({
        companyId: company.id,
        source: "owner-grant",
        expiresOn: null,
        status: "active",
        revokedAt: null,
      });
      expect(body.prescriber).to.deep.equal({
        id: user.id,
        fullName: "Karima Bennis",
        email: user.email,
        organisation: "Cabinet Bennis & Associés",
      });
      expect(body.permissions).to.deep.equal({ read: true, revoke: true });
      const stored = await Mandate.findByPk(body.id);
      expect(stored?.grantedBy).to.equal(ownerUser.id);
      expect(stored?.prescriberId).to.equal(user.id);

      const read = await getJson(session, `/companies/${company.id}`);
      expect(read.status, read.text).to.equal(200);
      expect((read.body as CompanyBody).permissions).to.deep.equal(PRESCRIBER_ON_CLIENT);

      await deliverQueuedEmails();
      const mails = await capturedEmailsTo(user.email);
      expect(mails.map((mail) => mail.subject)).to.deep.equal([
        "Mandat reçu pour Atlas Textile SARL — Moussanada Numérique",
      ]);
      expect(mails[0]?.textBody).to.contain(
        "Fatima Zahra Alaoui vous a donné mandat pour agir au nom de l'entreprise « Atlas Textile SARL »",
      );
      expect(linkIn(mails[0] ?? { links: [] }, "/portefeuille").origin).to.equal("http://localhost:3000");
    });

    it("grants until a date, and writes the mail in the prescriber's language (Arabic)", async () => {
      const company = await ownCompany();
      const { user } = await prescriberSession({ locale: "ar" });
      const response = await grant(company.id, { prescriberEmail: user.email, expiresOn: "2026-12-31" });
      expect(response.status, response.text).to.equal(201);
      expect(response.body as MandateBody).to.deep.include({ expiresOn: "2026-12-31", status: "active" });
      expect((await Mandate.findByPk((response.body as MandateBody).id))?.expiresOn).to.equal("2026-12-31");

      await deliverQueuedEmails();
      const [mail, ...others] = await capturedEmailsTo(user.email);
      expect(others).to.deep.equal([]);
      expect(mail?.subject).to.equal("تفويض جديد لمقاولة Atlas Textile SARL — مساندة الرقمية");
      expect(mail?.htmlBody).to.match(/<html lang="ar" dir="rtl">/);
    });

    it("accepts today as the last day (the mandate is active today)", async () => {
      const company = await ownCompany();
      const { user } = await prescriberSession();
      const response = await grant(company.id, { prescriberEmail: user.email, expiresOn: "2026-06-15" });
      expect(response.status, response.text).to.equal(201);
      expect(response.body as MandateBody).to.deep.include({ expiresOn: "2026-06-15", status: "active" });
    });

    for (const [label, expiresOn] of [
      ["yesterday", "2026-06-14"],
      ["last year", "2025-06-15"],
    ]) {
      it(`refuses an end date in the past (${label}): 422 on expiresOn, no mandate`, async () => {
        const company = await ownCompany();
        const { user } = await prescriberSession();
        const problem = expectProblem(
          await grant(company.id, { prescriberEmail: user.email, expiresOn }),
          422,
          "validation-failed",
        );
        expect(problem.errors).to.deep.equal([
          { path: "expiresOn", message: "La date de fin ne peut pas être passée." },
        ]);
        expect(await Mandate.count({ where: { companyId: company.id } })).to.equal(0);
      });
    }

    it("refuses a malformed end date: 422 with one error on expiresOn", async () => {
      const company = await ownCompany();
      const { user } = await prescriberSession();
      const problem = expectProblem(
        await grant(company.id, { prescriberEmail: user.email, expiresOn: "31/12/2026" }),
        422,
        "validation-failed",
      );
      expect(problem.errors).to.deep.equal([{ path: "expiresOn", message: "Date invalide (format AAAA-MM-JJ)." }]);
    });

    const NOT_A_PRESCRIBER: Array<[string, () => Promise<string>]> = [
      ["an unknown e-mail", () => Promise.resolve(uniqueEmail("inconnu"))],
      ["an applicant's e-mail", async () => (await createUser({ role: "applicant" })).email],
      ["an officer's e-mail", async () => (await createUser({ role: "officer" })).email],
      ["a disabled prescriber's e-mail", async () => (await createUser({ role: "prescriber", disabled: true })).email],
    ];
    for (const [label, emailOf] of NOT_A_PRESCRIBER) {
      it(`refuses ${label}: 422 on prescriberEmail, no mandate, no mail`, async () => {
        const company = await ownCompany();
        const email = await emailOf();
        const problem = expectProblem(await grant(company.id, { prescriberEmail: email }), 422, "validation-failed");
        expect(problem.errors).to.deep.equal([
          {
            path: "prescriberEmail",
            message:
              "Aucun prescripteur n'est inscrit avec cette adresse. Demandez-lui de créer d'abord son compte prescripteur.",
          },
        ]);
        expect(await Mandate.count({ where: { companyId: company.id } })).to.equal(0);
        await deliverQueuedEmails();
        expect(await capturedEmailsTo(email)).to.deep.equal([]);
      });
    }

    it("refuses a second live mandate for the same prescriber: 409", async () => {
      const company = await ownCompany();
      const { user } = await prescriberSession();
      expect((await grant(company.id, { prescriberEmail: user.email })).status).to.equal(201);
      const problem = expectProblem(
        await grant(company.id, { prescriberEmail: user.email.toUpperCase(), expiresOn: "2026-09-30" }),
        409,
        "conflict",
      );
      expect(problem.detail).to.equal("Ce prescripteur a déjà un mandat en cours pour cette entreprise.");
      expect(await Mandate.count({ where: { companyId: company.id } })).to.equal(1);
    });

    it("grants several prescribers on one company", async () => {
      const company = await ownCompany();
      const first = await prescriberSession({ fullName: "Premier Cabinet" });
      const second = await prescriberSession({ fullName: "Second Cabinet" });
      expect((await grant(company.id, { prescriberEmail: first.user.email })).status).to.equal(201);
      expect((await grant(company.id, { prescriberEmail: second.user.email })).status).to.equal(201);
      expect((await mandatesOf(company.id)).map((item) => item.prescriber.fullName).sort()).to.deep.equal([
        "Premier Cabinet",
        "Second Cabinet",
      ]);
    });

    it("grants anew once a mandate has expired", async () => {
      const company = await ownCompany();
      const { user } = await prescriberSession();
      const first = await grant(company.id, { prescriberEmail: user.email, expiresOn: "2026-06-15" });
      expect(first.status, first.text).to.equal(201);

      context().clock.set("2026-06-16T09:00:00Z");
      await clearRateLimits();
      const ownerLater = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
      const prescriberLater = await signIn(context().app, user.email, TEST_PASSWORD);
      expectProblem(await getJson(prescriberLater, `/companies/${company.id}`), 404, "not-found");
      expect((await mandatesOf(company.id, ownerLater)).map((item) => item.status)).to.deep.equal(["expired"]);

      const again = await grant(company.id, { prescriberEmail: user.email, expiresOn: "2026-12-31" }, ownerLater);
      expect(again.status, again.text).to.equal(201);
      expect(again.body as MandateBody).to.deep.include({ status: "active", expiresOn: "2026-12-31" });
      expect((await getJson(prescriberLater, `/companies/${company.id}`)).status).to.equal(200);

      // The expired mandate is closed to free the one-live-mandate slot, and still reads "expired".
      const listed = await mandatesOf(company.id, ownerLater);
      expect(listed.map((item) => [item.id, item.status])).to.deep.equal([
        [(again.body as MandateBody).id, "active"],
        [(first.body as MandateBody).id, "expired"],
      ]);
    });
  });

  describe("revoking", () => {
    it("revokes at once: 200 revoked, the prescriber loses access and gets a mail", async () => {
      const company = await ownCompany();
      const { user, session } = await prescriberSession();
      const granted = (await grant(company.id, { prescriberEmail: user.email })).body as MandateBody;
      expect((await getJson(session, `/companies/${company.id}`)).status).to.equal(200);

      const response = await deleteJson(owner, `/mandates/${granted.id}`);
      expect(response.status, response.text).to.equal(200);
      expect(response.body as MandateBody).to.deep.include({
        id: granted.id,
        companyId: company.id,
        status: "revoked",
        revokedAt: "2026-06-15T10:00:00.000Z",
      });
      const stored = await Mandate.findByPk(granted.id);
      expect(stored?.revokedBy).to.equal(ownerUser.id);
      expectProblem(await getJson(session, `/companies/${company.id}`), 404, "not-found");

      await deliverQueuedEmails();
      const subjects = (await capturedEmailsTo(user.email)).map((mail) => mail.subject);
      expect(subjects).to.deep.equal([
        "Fin de votre mandat pour Atlas Textile SARL — Moussanada Numérique",
        "Mandat reçu pour Atlas Textile SARL — Moussanada Numérique",
      ]);
    });

    it("is idempotent: a second DELETE answers 200 with the first revocation, and sends no second mail", async () => {
      const company = await ownCompany();
      const { user } = await prescriberSession();
      const granted = (await grant(company.id, { prescriberEmail: user.email })).body as MandateBody;
      expect((await deleteJson(owner, `/mandates/${granted.id}`)).status).to.equal(200);

      context().clock.set("2026-06-15T10:05:00Z");
      const again = await deleteJson(owner, `/mandates/${granted.id}`);
      expect(again.status, again.text).to.equal(200);
      expect(again.body as MandateBody).to.deep.include({
        status: "revoked",
        revokedAt: "2026-06-15T10:00:00.000Z",
      });
      await deliverQueuedEmails();
      const revocationMails = (await capturedEmailsTo(user.email)).filter((mail) => mail.subject.startsWith("Fin"));
      expect(revocationMails).to.have.length(1);
    });

    it("lists the revoked mandate with its status, and lets the owner grant the same prescriber again", async () => {
      const company = await ownCompany();
      const { user, session } = await prescriberSession();
      const granted = (await grant(company.id, { prescriberEmail: user.email })).body as MandateBody;
      expect((await deleteJson(owner, `/mandates/${granted.id}`)).status).to.equal(200);
      expect((await mandatesOf(company.id)).map((item) => [item.id, item.status])).to.deep.equal([
        [granted.id, "revoked"],
      ]);
      const again = await grant(company.id, { prescriberEmail: user.email });
      expect(again.status, again.text).to.equal(201);
      expect((await getJson(session, `/companies/${company.id}`)).status).to.equal(200);
    });
  });

  describe("a prescriber registers a client company", () => {
    async function registerClient(
      prescriber: SignedIn,
      overrides: Record<string, unknown> = {},
    ): Promise<{ company: CompanyBody; managerEmail: string }> {
      const managerEmail = uniqueEmail("dirigeant");
      const response = await postJson(prescriber, "/companies", {
        ...companyPayload({ name: "Client Textile SARL" }),
        managerName: "Hassan Tazi",
        managerEmail: managerEmail.toUpperCase(),
        ...overrides,
      });
      expect(response.status, response.text).to.equal(201);
      return { company: response.body as CompanyBody, managerEmail };
    }

    it("answers 201 unclaimed and without owner; the prescriber holds a live mandate", async () => {
      const { user, session } = await prescriberSession();
      const { company, managerEmail } = await registerClient(session);
      expect(company).to.deep.include({
        owner: null,
        claimed: false,
        managerName: "Hassan Tazi",
        managerEmail,
        name: "Client Textile SARL",
      });
      expect(company.permissions).to.deep.equal(PRESCRIBER_ON_CLIENT);
      const stored = await Company.findByPk(company.id);
      expect(stored?.ownerId).to.equal(null);
      expect(stored?.createdBy).to.equal(user.id);

      const mandates = await mandatesOf(company.id, session);
      expect(mandates).to.have.length(1);
      expect(mandates[0]).to.deep.include({
        companyId: company.id,
        source: "prescriber-registration",
        expiresOn: null,
        status: "active",
        revokedAt: null,
      });
      expect(mandates[0]?.prescriber.id).to.equal(user.id);
      expect(mandates[0]?.permissions).to.deep.equal({ read: true, revoke: false });
      const patched = await patchJson(session, `/companies/${company.id}`, { employees: 40 });
      expect(patched.status, patched.text).to.equal(200);
    });

    it("mails the manager an invitation with a /revendiquer-entreprise?token=… link, valid 30 days", async () => {
      const { session } = await prescriberSession();
      const { managerEmail } = await registerClient(session);
      await deliverQueuedEmails();
      const [mail, ...others] = await capturedEmailsTo(managerEmail);
      expect(others).to.deep.equal([]);
      expect(mail?.subject).to.equal("Karima Bennis a inscrit Client Textile SARL au programme Moussanada");
      expect(mail?.textBody).to.contain("Bonjour Hassan Tazi,");
      expect(mail?.textBody).to.contain("Karima Bennis (Cabinet Bennis & Associés) a inscrit votre entreprise");
      expect(mail?.textBody).to.contain("(valable 30 jours)");
      const link = linkIn(mail ?? { links: [] }, CLAIM_PATH);
      expect(link.origin).to.equal("http://localhost:3000");
      expect(link.pathname).to.equal(CLAIM_PATH);
      expect(link.searchParams.get("token")).to.match(/^[A-Za-z0-9_-]{43}$/);
      // Only the token's hash is stored.
      const invitation = await CompanyInvitation.findOne({ where: { email: managerEmail } });
      expect(invitation?.tokenHash).to.match(/^[0-9a-f]{64}$/);
      expect(invitation?.tokenHash).to.not.equal(link.searchParams.get("token"));
      expect(invitation?.expiresAt.toISOString()).to.equal("2026-07-15T10:00:00.000Z");
    });

    it("writes the invitation in the language chosen for the manager (Arabic)", async () => {
      const { session } = await prescriberSession();
      const { managerEmail } = await registerClient(session, { managerLocale: "ar" });
      await deliverQueuedEmails();
      const [mail] = await capturedEmailsTo(managerEmail);
      expect(mail?.subject).to.equal("سجّل Karima Bennis مقاولة Client Textile SARL في برنامج مساندة");
      expect(mail?.htmlBody).to.match(/<html lang="ar" dir="rtl">/);
      expect(linkIn(mail ?? { links: [] }, CLAIM_PATH).searchParams.get("token")).to.match(/^[A-Za-z0-9_-]{43}$/);
    });

    for (const [label, omitted, expectedPaths] of [
      [
        "without managerName nor managerEmail",
        { managerName: null, managerEmail: null },
        ["managerName", "managerEmail"],
      ],
      ["without managerEmail", { managerEmail: null }, ["managerEmail"]],
      ["without managerName", { managerName: null }, ["managerName"]],
    ] as Array<[string, Record<string, null>, string[]]>) {
      it(`refuses a client ${label}: 422, nothing created`, async () => {
        const { session } = await prescriberSession();
        const payload = companyPayload({ managerName: "Hassan Tazi", managerEmail: uniqueEmail("dirigeant") });
        const body: Record<string, unknown> = { ...payload };
        for (const key of Object.keys(omitted)) delete body[key];
        const problem = expectProblem(await postJson(session, "/companies", body), 422, "validation-failed");
        expect((problem.errors ?? []).map((error) => error.path)).to.deep.equal(expectedPaths);
        expect(await Company.count({ where: { ice: payload.ice } })).to.equal(0);
      });
    }

    it("refuses a malformed manager e-mail: 422 on managerEmail", async () => {
      const { session } = await prescriberSession();
      const problem = expectProblem(
        await postJson(session, "/companies", {
          ...companyPayload({ managerName: "Hassan Tazi", managerEmail: "pas-une-adresse" }),
        }),
        422,
        "validation-failed",
      );
      expect((problem.errors ?? []).map((error) => error.path)).to.deep.equal(["managerEmail"]);
    });

    describe("the manager claims the company", () => {
      async function manager(email: string, fullName = "Hassan Tazi") {
        const user = await createUser({ role: "applicant", email, fullName });
        return { user, session: await signIn(context().app, email, TEST_PASSWORD) };
      }

      it("claims with the link's token: 200, owner = the manager; the prescriber's mandate stays live", async () => {
        const { user: prescriberUser, session: prescriber } = await prescriberSession();
        const { company, managerEmail } = await registerClient(prescriber);
        const token = await tokenFromLatestMail(managerEmail, CLAIM_PATH);
        const { user, session } = await manager(managerEmail);
        expectProblem(await getJson(session, `/companies/${company.id}`), 404, "not-found");

        const response = await postJson(session, "/companies/claim", { token });
        expect(response.status, response.text).to.equal(200);
        const body = response.body as CompanyBody;
        expect(body).to.deep.include({ id: company.id, claimed: true, managerEmail });
        expect(body.owner).to.deep.equal({ id: user.id, fullName: "Hassan Tazi" });
        expect(body.permissions).to.deep.equal({
          read: true,
          update: true,
          listMandates: true,
          grantMandate: true,
          revokeMandate: true,
          createApplication: true,
        });
        expect((await Company.findByPk(company.id))?.ownerId).to.equal(user.id);
        const invitation = await CompanyInvitation.findOne({ where: { companyId: company.id } });
        expect(invitation?.claimedBy).to.equal(user.id);
        expect(invitation?.claimedAt?.toISOString()).to.equal("2026-06-15T10:00:00.000Z");

        // The claim keeps the mandate: the prescriber still acts, the new owner sees it…
        expect((await getJson(prescriber, `/companies/${company.id}`)).status).to.equal(200);
        const mandates = await mandatesOf(company.id, session);
        expect(mandates.map((item) => [item.prescriber.id, item.status, item.source])).to.deep.equal([
          [prescriberUser.id, "active", "prescriber-registration"],
        ]);
        expect(mandates[0]?.permissions).to.deep.equal({ read: true, revoke: true });
        expect((await getJson(session, "/companies")).body as ListBody<CompanyBody>).to.deep.include({ total: 1 });

        // …until the owner revokes it.
        expect((await deleteJson(session, `/mandates/${mandates[0]?.id ?? ""}`)).status).to.equal(200);
        expectProblem(await getJson(prescriber, `/companies/${company.id}`), 404, "not-found");
      });

      it("is single-use: a second claim, by the same manager or anyone else, answers 400 token-invalid", async () => {
        const { session: prescriber } = await prescriberSession();
        const { company, managerEmail } = await registerClient(prescriber);
        const token = await tokenFromLatestMail(managerEmail, CLAIM_PATH);
        const { user, session } = await manager(managerEmail);
        expect((await postJson(session, "/companies/claim", { token })).status).to.equal(200);

        const again = expectProblem(await postJson(session, "/companies/claim", { token }), 400, "token-invalid");
        expect(again.detail).to.equal(
          "Ce lien d'invitation n'est plus valable (déjà utilisé ou expiré après 30 jours). Demandez à votre prescripteur de vous renvoyer une invitation.",
        );
        const intruder = await manager(uniqueEmail("intrus"), "Intrus Applicant");
        expectProblem(await postJson(intruder.session, "/companies/claim", { token }), 400, "token-invalid");
        expect((await Company.findByPk(company.id))?.ownerId).to.equal(user.id);
      });

      it("works until 30 days after the invitation, not at 30 days", async () => {
        const { session: prescriber } = await prescriberSession();
        const early = await registerClient(prescriber);
        const late = await registerClient(prescriber);
        const earlyToken = await tokenFromLatestMail(early.managerEmail, CLAIM_PATH);
        const lateToken = await tokenFromLatestMail(late.managerEmail, CLAIM_PATH);

        context().clock.set(new Date(new Date(TEST_NOW).getTime() + 30 * DAY_MS - 1000));
        await clearRateLimits();
        const inTime = await manager(early.managerEmail);
        const claimed = await postJson(inTime.session, "/companies/claim", { token: earlyToken });
        expect(claimed.status, claimed.text).to.equal(200);

        context().clock.set(new Date(new Date(TEST_NOW).getTime() + 30 * DAY_MS));
        await clearRateLimits();
        const tooLate = await manager(late.managerEmail);
        expectProblem(await postJson(tooLate.session, "/companies/claim", { token: lateToken }), 400, "token-invalid");
        expect((await Company.findByPk(late.company.id))?.ownerId).to.equal(null);
      });

      it("refuses a prescriber or an officer (403) and an anonymous caller (401); the link stays usable", async () => {
        const { session: prescriber } = await prescriberSession();
        const { company, managerEmail } = await registerClient(prescriber);
        const token = await tokenFromLatestMail(managerEmail, CLAIM_PATH);

        const byPrescriber = expectProblem(await postJson(prescriber, "/companies/claim", { token }), 403, "forbidden");
        expect(byPrescriber.detail).to.equal("Seul un compte « dirigeant de PME » peut revendiquer une entreprise.");
        const officerUser = await createUser({ role: "officer" });
        const officer = await signIn(context().app, officerUser.email, TEST_PASSWORD);
        expectProblem(await postJson(officer, "/companies/claim", { token }), 403, "forbidden");
        const anonymous = await anonymousSession(context().app);
        expectProblem(await postJson(anonymous, "/companies/claim", { token }), 401, "unauthenticated");
        expect((await Company.findByPk(company.id))?.ownerId).to.equal(null);

        const { user, session } = await manager(managerEmail);
        expect((await postJson(session, "/companies/claim", { token })).status).to.equal(200);
        expect((await Company.findByPk(company.id))?.ownerId).to.equal(user.id);
      });

      it("answers 400 token-invalid to an unknown or short token, 422 when the token is missing", async () => {
        const { session } = await manager(uniqueEmail("dirigeant"));
        expectProblem(await postJson(session, "/companies/claim", { token: "x".repeat(43) }), 400, "token-invalid");
        expectProblem(await postJson(session, "/companies/claim", { token: "court" }), 400, "token-invalid");
        const problem = expectProblem(await postJson(session, "/companies/claim", {}), 422, "validation-failed");
        expect((problem.errors ?? []).map((error) => error.path)).to.deep.equal(["token"]);
      });
    });
  });
});
