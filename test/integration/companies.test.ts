import { expect } from "chai";
import { iceWithKey } from "../../server/domain/ice.js";
import { AuditEvent, Company, Sector, type User } from "../../server/models/index.js";
import {
  COMPANY_BODY_KEYS,
  companyPayload,
  createCompany,
  createMandate,
  validIce,
  type CompanyBody,
} from "../factories/companies.js";
import { createSector } from "../factories/reference.js";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../factories/users.js";
import type { ListBody } from "../helpers/apiTypes.js";
import { clearRateLimits, signIn, UUID, type SignedIn } from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { getJson, patchJson, postJson, type Body } from "./companiesApi.js";

const FORGED_ID = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";
const FORGED_DATE = "2001-01-01T00:00:00.000Z";

const ALL_PERMISSIONS = {
  read: true,
  update: true,
  listMandates: true,
  grantMandate: true,
  revokeMandate: true,
  createApplication: true,
};

/** The ICE one above a valid one: its remainder modulo 97 is 1. */
function offByOne(ice: string): string {
  return (BigInt(ice) + 1n).toString().padStart(15, "0");
}

describe("companies (/api/v1/companies)", () => {
  const context = useTestApp();
  let applicant: SignedIn;
  let otherApplicant: SignedIn;
  let prescriber: SignedIn;
  let officer: SignedIn;
  let applicantUser: User;
  let otherUser: User;
  let prescriberUser: User;

  before(async () => {
    applicantUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    otherUser = await createUser({ role: "applicant", fullName: "Omar Berrada" });
    prescriberUser = await createUser({ role: "prescriber", fullName: "Karima Bennis" });
    const officerUser = await createUser({ role: "officer", fullName: "Youssef Chargé" });
    await clearRateLimits();
    applicant = await signIn(context().app, applicantUser.email, TEST_PASSWORD);
    otherApplicant = await signIn(context().app, otherUser.email, TEST_PASSWORD);
    prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
    officer = await signIn(context().app, officerUser.email, TEST_PASSWORD);
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  const register = (body: Body, session: SignedIn = applicant) => postJson(session, "/companies", body);

  /** Asserts a 422 whose field errors name exactly these paths. */
  function expectFieldErrors(response: Parameters<typeof expectProblem>[0], paths: string[]) {
    const problem = expectProblem(response, 422, "validation-failed");
    expect((problem.errors ?? []).map((error) => error.path)).to.deep.equal(paths);
    return problem;
  }

  describe("registration by an applicant", () => {
    it("answers 201 with the company, owned by its creator, claimed, the turnover as a two-decimal string", async () => {
      const payload = companyPayload({ annualTurnover: "4500000.5" });
      const response = await register({ ...payload });
      expect(response.status, response.text).to.equal(201);
      const body = response.body as CompanyBody;
      expect(Object.keys(body).sort()).to.deep.equal(COMPANY_BODY_KEYS);
      expect(body.id).to.match(UUID);
      expect(body).to.deep.include({
        ice: payload.ice,
        name: "Atlas Textile SARL",
        legalForm: "SARL",
        rcNumber: "123456",
        rcCourt: "Casablanca",
        ifNumber: "12345678",
        cnssNumber: "1234567",
        sectorCode: "textile-habillement",
        regionCode: "casablanca-settat",
        city: "Casablanca",
        address: "12, rue des Tisserands, Hay Mohammadi",
        foundedOn: "2015-03-01",
        employees: 25,
        annualTurnover: "4500000.50",
        managerName: null,
        managerEmail: null,
        claimed: true,
      });
      expect(body.owner).to.deep.equal({ id: applicant.user.id, fullName: "Fatima Zahra Alaoui" });
      expect(body.permissions).to.deep.equal(ALL_PERMISSIONS);

      const stored = await Company.findByPk(body.id);
      expect(stored?.ownerId).to.equal(applicant.user.id);
      expect(stored?.createdBy).to.equal(applicant.user.id);
      expect(stored?.annualTurnover).to.equal("4500000.50");

      const read = await getJson(applicant, `/companies/${body.id}`);
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal(body);
    });

    for (const [input, stored] of [
      ["0", "0.00"],
      ["100", "100.00"],
      ["12.5", "12.50"],
      ["399999.99", "399999.99"],
      ["999999999999.99", "999999999999.99"],
    ]) {
      it(`stores annualTurnover ${JSON.stringify(input)} as "${stored}"`, async () => {
        const response = await register({ ...companyPayload({ annualTurnover: input }) });
        expect(response.status, response.text).to.equal(201);
        expect((response.body as CompanyBody).annualTurnover).to.equal(stored);
      });
    }

    const BAD_TURNOVERS: Array<[string, unknown]> = [
      ["a JSON number", 4500000],
      ["an exponent", "1e5"],
      ["a decimal comma", "12,50"],
      ["a negative amount", "-1"],
      ["three decimals", "399999.999"],
      ["an empty string", ""],
      ["null", null],
      ["more than NUMERIC(14,2) holds", "1000000000000.00"],
    ];
    for (const [label, value] of BAD_TURNOVERS) {
      it(`refuses annualTurnover as ${label} (${JSON.stringify(value)}): 422 on annualTurnover`, async () => {
        const payload = companyPayload();
        const problem = expectFieldErrors(await register({ ...payload, annualTurnover: value }), ["annualTurnover"]);
        expect(problem.errors?.[0]?.message).to.be.a("string").and.not.equal("");
        expect(await Company.count({ where: { ice: payload.ice } })).to.equal(0);
      });
    }

    for (const [label, value] of [
      ["negative", -1],
      ["a fraction", 2.5],
      ["a string of letters", "vingt"],
    ] as Array<[string, unknown]>) {
      it(`refuses employees ${label} (${JSON.stringify(value)}): 422 on employees`, async () => {
        expectFieldErrors(await register({ ...companyPayload(), employees: value }), ["employees"]);
      });
    }

    it("accepts employees 0 (a sole trader)", async () => {
      const response = await register({ ...companyPayload({ employees: 0, legalForm: "AE" }) });
      expect(response.status, response.text).to.equal(201);
      expect((response.body as CompanyBody).employees).to.equal(0);
    });

    it("refuses an unknown sector and an unknown region together: 422 on sectorCode and regionCode", async () => {
      const payload = companyPayload({ sectorCode: "informatique-quantique", regionCode: "atlantide" });
      expectFieldErrors(await register({ ...payload }), ["sectorCode", "regionCode"]);
      expect(await Company.count({ where: { ice: payload.ice } })).to.equal(0);
    });

    it("refuses an inactive sector: 422 on sectorCode", async () => {
      const sector = await createSector();
      await Sector.update({ active: false }, { where: { code: sector.code } });
      expectFieldErrors(await register({ ...companyPayload({ sectorCode: sector.code }) }), ["sectorCode"]);
    });

    it("refuses a legal form outside the list: 422 on legalForm", async () => {
      expectFieldErrors(await register({ ...companyPayload(), legalForm: "SARLU" }), ["legalForm"]);
    });

    it("refuses a founding date in the future (tomorrow in Casablanca) and accepts today", async () => {
      expectFieldErrors(await register({ ...companyPayload({ foundedOn: "2026-06-16" }) }), ["foundedOn"]);
      const today = await register({ ...companyPayload({ foundedOn: "2026-06-15" }) });
      expect(today.status, today.text).to.equal(201);
      expect((today.body as CompanyBody).foundedOn).to.equal("2026-06-15");
    });

    it("judges 'the future' in Casablanca time: at 23:30 UTC on the 15th, the 16th is today", async () => {
      context().clock.set("2026-06-15T23:30:00Z");
      await clearRateLimits();
      const lateSession = await signIn(context().app, applicant.user.email, TEST_PASSWORD);
      const response = await register({ ...companyPayload({ foundedOn: "2026-06-16" }) }, lateSession);
      expect(response.status, response.text).to.equal(201);
      expectFieldErrors(await register({ ...companyPayload({ foundedOn: "2026-06-17" }) }, lateSession), ["foundedOn"]);
    });

    it("refuses an impossible date (30 February): 422 on foundedOn", async () => {
      expectFieldErrors(await register({ ...companyPayload({ foundedOn: "2019-02-30" }) }), ["foundedOn"]);
    });

    it("names every missing field", async () => {
      const problem = expectFieldErrors(await register({}), [
        "ice",
        "name",
        "legalForm",
        "rcNumber",
        "rcCourt",
        "ifNumber",
        "cnssNumber",
        "sectorCode",
        "regionCode",
        "city",
        "address",
        "foundedOn",
        "employees",
        "annualTurnover",
      ]);
      expect(problem.errors?.[0]?.message).to.equal("Ce champ est obligatoire.");
    });
  });

  describe("ICE: 15 digits, divisible by 97", () => {
    const base = validIce(424242);
    // For the swapped-key case, a valid number whose two key digits differ (swapping equal digits
    // would change nothing; swapping different ones changes the number by 9 × (b − a), never a
    // multiple of 97).
    const swappable = [424242, 424243, 424244, 424245].map((n) => validIce(n)).find((ice) => ice[13] !== ice[14]) ?? "";

    const VALID: Array<[string, string]> = [
      ["iceWithKey of a 13-digit base", validIce(1)],
      ["another one", validIce(987654321)],
      ["one with leading zeros", iceWithKey("0000123456789")],
      ["a base with zeros inside", iceWithKey("0015258400000")],
    ];
    for (const [label, ice] of VALID) {
      it(`accepts ${ice} (${label})`, async () => {
        expect(BigInt(ice) % 97n).to.equal(0n);
        const response = await register({ ...companyPayload({ ice }) });
        expect(response.status, response.text).to.equal(201);
        expect((response.body as CompanyBody).ice).to.equal(ice);
      });
    }

    it("trims spaces around the number and stores it bare", async () => {
      const ice = validIce();
      const response = await register({ ...companyPayload({ ice: `  ${ice} ` }) });
      expect(response.status, response.text).to.equal(201);
      expect((response.body as CompanyBody).ice).to.equal(ice);
    });

    // "000000000000000": 0 is divisible by 97, but no company has that number.
    it("refuses 000000000000000 although 0 % 97 === 0", async () => {
      const response = await register({ ...companyPayload({ ice: "000000000000000" }) });
      const problem = expectProblem(response, 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["ice"]);
    });

    const INVALID: Array<[string, unknown]> = [
      ["14 digits", base.slice(0, 14)],
      ["16 digits", `${base}0`],
      ["letters", "ABCDEFGHIJKLMNO"],
      ["a letter among digits", `${base.slice(0, 14)}A`],
      ["a space inside", `${base.slice(0, 7)} ${base.slice(7)}`],
      ["dashes", `${base.slice(0, 5)}-${base.slice(5, 10)}-${base.slice(10)}`],
      ["the checksum off by one", offByOne(base)],
      ["the check key swapped", `${swappable.slice(0, 13)}${swappable.slice(14)}${swappable.slice(13, 14)}`],
      ["empty", ""],
      ["a JSON number", Number(base)],
    ];
    for (const [label, ice] of INVALID) {
      it(`refuses ${JSON.stringify(ice)} (${label}): 422 on ice`, async () => {
        expect(BigInt(base) % 97n).to.equal(0n);
        expect(swappable).to.match(/^\d{15}$/);
        expectFieldErrors(await register({ ...companyPayload(), ice }), ["ice"]);
      });
    }

    it("explains the rule in the field error", async () => {
      const problem = expectFieldErrors(await register({ ...companyPayload(), ice: offByOne(base) }), ["ice"]);
      expect(problem.errors?.[0]?.message).to.equal(
        "ICE invalide : il compte 15 chiffres et doit être divisible par 97 (vérifiez-le sur votre attestation ICE).",
      );
    });
  });

  describe("ICE is unique", () => {
    it("answers 409 to a second registration, explaining how to ask the owner for access (page « Mandats »)", async () => {
      const ice = validIce();
      expect((await register({ ...companyPayload({ ice }) })).status).to.equal(201);
      const second = await register({ ...companyPayload({ ice, name: "Copie SARL" }) }, otherApplicant);
      const problem = expectProblem(second, 409, "conflict");
      expect(problem.detail).to.contain(`l'ICE ${ice} est déjà inscrite`);
      expect(problem.detail).to.contain("demandez à son dirigeant de vous donner accès");
      expect(problem.detail).to.contain("« Mandats »");
      expect(await Company.count({ where: { ice } })).to.equal(1);
      expect((await Company.findOne({ where: { ice } }))?.name).to.equal("Atlas Textile SARL");
    });

    it("answers the same 409 to a prescriber registering a client that already exists", async () => {
      const ice = validIce();
      expect((await register({ ...companyPayload({ ice }) })).status).to.equal(201);
      const problem = expectProblem(
        await register(
          { ...companyPayload({ ice, managerName: "Dirigeant Client", managerEmail: uniqueEmail("client") }) },
          prescriber,
        ),
        409,
        "conflict",
      );
      expect(problem.detail).to.contain(ice).and.to.contain("« Mandats »");
      expect(await Company.count({ where: { ice } })).to.equal(1);
    });

    it("sees through spaces around a duplicate ICE", async () => {
      const ice = validIce();
      expect((await register({ ...companyPayload({ ice }) })).status).to.equal(201);
      const problem = expectProblem(await register({ ...companyPayload({ ice: ` ${ice} ` }) }), 409, "conflict");
      expect(problem.detail).to.contain(`l'ICE ${ice} est`);
    });

    it("answers 409 to a PATCH that takes another company's ICE, and changes nothing", async () => {
      const taken = await createCompany({ owner: otherUser, name: "Déjà Là SARL" });
      const own = await register({ ...companyPayload() });
      const id = (own.body as CompanyBody).id;
      const problem = expectProblem(
        await patchJson(applicant, `/companies/${id}`, { ice: taken.ice }),
        409,
        "conflict",
      );
      expect(problem.detail).to.contain(taken.ice).and.to.contain("« Mandats »");
      expect((await Company.findByPk(id))?.ice).to.equal((own.body as CompanyBody).ice);
    });

    it("under concurrency, 5 simultaneous registrations of one ICE: exactly one 201, four 409, one row", async () => {
      const ice = validIce();
      const users = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => createUser({ role: "applicant", fullName: `Concurrent ${n}` })),
      );
      await clearRateLimits();
      const sessions = await Promise.all(users.map((user) => signIn(context().app, user.email, TEST_PASSWORD)));
      const responses = await Promise.all(
        sessions.map((session, index) =>
          register({ ...companyPayload({ ice, name: `Course ${index} SARL` }) }, session),
        ),
      );
      expect(responses.map((response) => response.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
      for (const response of responses.filter((candidate) => candidate.status === 409)) {
        expect(expectProblem(response, 409, "conflict").detail).to.contain(ice);
      }
      const rows = await Company.findAll({ where: { ice } });
      expect(rows).to.have.length(1);
      const winner = responses.find((response) => response.status === 201);
      expect(rows[0]?.id).to.equal((winner?.body as CompanyBody).id);
      expect(await AuditEvent.count({ where: { action: "company.created", entityId: rows[0]?.id ?? "" } })).to.equal(1);
    });
  });

  describe("mass assignment", () => {
    it("POST ignores owner, ids, claim and audit fields", async () => {
      const payload = companyPayload();
      const response = await register({
        ...payload,
        id: FORGED_ID,
        ownerId: otherApplicant.user.id,
        owner: { id: otherApplicant.user.id, fullName: "Omar Berrada" },
        createdBy: otherApplicant.user.id,
        createdAt: FORGED_DATE,
        updatedAt: FORGED_DATE,
        claimed: false,
        permissions: { read: false },
      });
      expect(response.status, response.text).to.equal(201);
      const body = response.body as CompanyBody;
      expect(body.id).to.match(UUID).and.not.equal(FORGED_ID);
      expect(body.owner).to.deep.equal({ id: applicant.user.id, fullName: "Fatima Zahra Alaoui" });
      expect(body.claimed).to.equal(true);
      expect(body.permissions).to.deep.equal(ALL_PERMISSIONS);
      expect(body.createdAt).to.not.equal(FORGED_DATE);
      expect(body.updatedAt).to.not.equal(FORGED_DATE);
      expect(new Date(body.createdAt).getUTCFullYear()).to.be.at.least(2026);
      expect(await Company.findByPk(FORGED_ID)).to.equal(null);
      const stored = await Company.findByPk(body.id);
      expect(stored?.ownerId).to.equal(applicant.user.id);
      expect(stored?.createdBy).to.equal(applicant.user.id);
    });

    it("POST by a prescriber cannot make it the owner of its client", async () => {
      const response = await register(
        {
          ...companyPayload({ managerName: "Dirigeant Client", managerEmail: uniqueEmail("client") }),
          ownerId: prescriber.user.id,
          owner: { id: prescriber.user.id },
          claimed: true,
        },
        prescriber,
      );
      expect(response.status, response.text).to.equal(201);
      expect(response.body as CompanyBody).to.deep.include({ owner: null, claimed: false });
      expect((await Company.findByPk((response.body as CompanyBody).id))?.ownerId).to.equal(null);
    });

    it("PATCH by the owner applies the profile change and ignores owner, ids, claim and audit fields", async () => {
      const created = (await register({ ...companyPayload() })).body as CompanyBody;
      const response = await patchJson(applicant, `/companies/${created.id}`, {
        name: "Atlas Textile Nouvelle SARL",
        id: FORGED_ID,
        ownerId: otherApplicant.user.id,
        owner: { id: otherApplicant.user.id, fullName: "Omar Berrada" },
        createdBy: otherApplicant.user.id,
        createdAt: FORGED_DATE,
        updatedAt: FORGED_DATE,
        claimed: false,
      });
      expect(response.status, response.text).to.equal(200);
      const body = response.body as CompanyBody;
      expect(body.id).to.equal(created.id);
      expect(body.name).to.equal("Atlas Textile Nouvelle SARL");
      expect(body.owner).to.deep.equal(created.owner);
      expect(body.claimed).to.equal(true);
      expect(body.createdAt).to.equal(created.createdAt);
      expect(body.updatedAt).to.not.equal(FORGED_DATE);
      const stored = await Company.findByPk(created.id);
      expect(stored?.ownerId).to.equal(applicant.user.id);
      expect(stored?.createdBy).to.equal(applicant.user.id);
      expect(await Company.findByPk(FORGED_ID)).to.equal(null);
    });

    it("PATCH by a mandated prescriber cannot take the company over", async () => {
      const company = await createCompany({ owner: applicantUser });
      await createMandate({ company, prescriber: prescriberUser });
      const response = await patchJson(prescriber, `/companies/${company.id}`, {
        city: "Tanger",
        ownerId: prescriber.user.id,
        owner: { id: prescriber.user.id },
      });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as CompanyBody).city).to.equal("Tanger");
      expect((response.body as CompanyBody).owner?.id).to.equal(applicant.user.id);
      expect((await Company.findByPk(company.id))?.ownerId).to.equal(applicant.user.id);
    });

    it("PATCH validates what it changes: 422 on a bad turnover, sector or negative employees", async () => {
      const created = (await register({ ...companyPayload() })).body as CompanyBody;
      expectFieldErrors(await patchJson(applicant, `/companies/${created.id}`, { annualTurnover: "12,50" }), [
        "annualTurnover",
      ]);
      expectFieldErrors(await patchJson(applicant, `/companies/${created.id}`, { sectorCode: "inconnu" }), [
        "sectorCode",
      ]);
      expectFieldErrors(await patchJson(applicant, `/companies/${created.id}`, { employees: -3 }), ["employees"]);
      expectFieldErrors(await patchJson(applicant, `/companies/${created.id}`, { foundedOn: "2026-07-01" }), [
        "foundedOn",
      ]);
      const stored = await Company.findByPk(created.id);
      expect(stored?.annualTurnover).to.equal("4500000.50");
      expect(stored?.sectorCode).to.equal("textile-habillement");
      expect(stored?.employees).to.equal(25);
    });

    it("PATCH normalises the turnover to two decimals", async () => {
      const created = (await register({ ...companyPayload() })).body as CompanyBody;
      const response = await patchJson(applicant, `/companies/${created.id}`, { annualTurnover: "5000000.5" });
      expect(response.status, response.text).to.equal(200);
      expect((response.body as CompanyBody).annualTurnover).to.equal("5000000.50");
    });
  });

  describe("GET /companies: search, filters and pages", () => {
    const TAG = "Filtrezeta";
    before(async () => {
      const owner = applicantUser;
      await createCompany({ owner, name: `${TAG} Cuir Fès`, sectorCode: "cuir", regionCode: "fes-meknes" });
      await createCompany({ owner, name: `${TAG} Agro Oujda`, sectorCode: "agroalimentaire", regionCode: "oriental" });
      await createCompany({
        owner,
        name: `${TAG} Commerce Casa`,
        sectorCode: "commerce",
        regionCode: "casablanca-settat",
      });
    });

    const names = (response: { body: unknown }) =>
      (response.body as ListBody<CompanyBody>).items.map((item) => item.name);

    it("finds by name, case-insensitively, sorted by name, with the total", async () => {
      const response = await getJson(officer, `/companies?q=${TAG.toUpperCase()}`);
      expect(response.status, response.text).to.equal(200);
      expect(names(response)).to.deep.equal([`${TAG} Agro Oujda`, `${TAG} Commerce Casa`, `${TAG} Cuir Fès`]);
      expect(response.body as ListBody<CompanyBody>).to.deep.include({ total: 3, page: 1, pageSize: 20 });
    });

    it("filters by sector and by region", async () => {
      expect(names(await getJson(officer, `/companies?q=${TAG}&sector=cuir`))).to.deep.equal([`${TAG} Cuir Fès`]);
      expect(names(await getJson(officer, `/companies?q=${TAG}&region=oriental`))).to.deep.equal([`${TAG} Agro Oujda`]);
      expect(names(await getJson(officer, `/companies?q=${TAG}&sector=cuir&region=oriental`))).to.deep.equal([]);
    });

    it("pages: page 2 of size 2 holds the third company, the total stays 3", async () => {
      const response = await getJson(officer, `/companies?q=${TAG}&page=2&pageSize=2`);
      expect(names(response)).to.deep.equal([`${TAG} Cuir Fès`]);
      expect(response.body as ListBody<CompanyBody>).to.deep.include({ total: 3, page: 2, pageSize: 2 });
    });

    it("treats % and _ in q as plain characters", async () => {
      expect(names(await getJson(officer, `/companies?q=${encodeURIComponent(`${TAG}%`)}`))).to.deep.equal([]);
      expect(names(await getJson(officer, `/companies?q=${TAG.slice(0, 5)}_`))).to.deep.equal([]);
    });

    it("shows an applicant its own companies only", async () => {
      expect(names(await getJson(otherApplicant, `/companies?q=${TAG}`))).to.deep.equal([]);
      expect(names(await getJson(applicant, `/companies?q=${TAG}&sector=commerce`))).to.deep.equal([
        `${TAG} Commerce Casa`,
      ]);
    });

    it("refuses pageSize above 100: 422 on pageSize", async () => {
      expectFieldErrors(await getJson(officer, "/companies?pageSize=101"), ["pageSize"]);
    });
  });
});
