import { expect } from "chai";
import request from "supertest";
import { parseMoney, sumCentimes } from "../../server/domain/money.js";
import { CallRules, Sector } from "../../server/models/index.js";
import { solutions as seededSolutions, suppliers as seededSuppliers } from "../../seeds/data/catalogue.js";
import { createCall, createSector, createSolution, createSupplier } from "../factories/reference.js";
import type { CallBody, ListBody, RegionBody, SectorBody, SolutionBody, SupplierBody } from "../helpers/apiTypes.js";
import { expectProblem } from "../helpers/problem.js";
import { useTestApp } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";

/** SPEC.md, "Codes": the 12 regions of 2015, in the official order. */
const SPEC_REGIONS = [
  "tanger-tetouan-al-hoceima",
  "oriental",
  "fes-meknes",
  "rabat-sale-kenitra",
  "beni-mellal-khenifra",
  "casablanca-settat",
  "marrakech-safi",
  "draa-tafilalet",
  "souss-massa",
  "guelmim-oued-noun",
  "laayoune-sakia-el-hamra",
  "dakhla-oued-ed-dahab",
];
const SPEC_SECTORS = ["textile-habillement", "cuir", "agroalimentaire", "automobile", "commerce"];
const MONEY = /^\d+\.\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARABIC = /[\u0600-\u06FF]/;

function centimes(amount: string): bigint {
  const value = parseMoney(amount);
  if (value === null) throw new Error(`not an amount: ${amount}`);
  return value;
}

const byCodePoints = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("reference data API", () => {
  describe("GET /api/v1/regions", () => {
    const context = useTestApp();

    it("lists the 12 regions of 2015, sorted by code", async () => {
      const response = await request(context().app).get("/api/v1/regions").expect(200);
      const body = response.body as ListBody<RegionBody>;
      expect(body.total).to.equal(12);
      expect(body.page).to.equal(1);
      expect(body.pageSize).to.equal(100);
      expect(body.items.map((region) => region.code)).to.deep.equal([...SPEC_REGIONS].sort(byCodePoints));
    });

    it("gives every region a French and an Arabic name, and nothing else", async () => {
      const response = await request(context().app).get("/api/v1/regions").expect(200);
      const body = response.body as ListBody<RegionBody>;
      for (const region of body.items) {
        expect(Object.keys(region).sort(), region.code).to.deep.equal(["code", "nameAr", "nameFr"]);
        expect(region.nameFr.trim(), region.code).to.not.equal("");
        expect(region.nameAr, region.code).to.match(ARABIC);
      }
      expect(body.items.find((region) => region.code === "casablanca-settat")).to.deep.equal({
        code: "casablanca-settat",
        nameFr: "Casablanca-Settat",
        nameAr: "الدار البيضاء سطات",
      });
    });

    it("sorts by French name on request", async () => {
      const response = await request(context().app).get("/api/v1/regions?sort=name").expect(200);
      const names = (response.body as ListBody<RegionBody>).items.map((region) => region.nameFr);
      expect(names).to.have.length(12);
      expect(names).to.deep.equal([...names].sort(byCodePoints));
      expect(names[0]).to.equal("Béni Mellal-Khénifra");
    });

    it("refuses an unknown sort with a 422 problem on `sort`", async () => {
      const response = await request(context().app).get("/api/v1/regions?sort=population");
      const problem = expectProblem(response, 422, "validation-failed");
      expect(problem.errors).to.deep.equal([
        { path: "sort", message: "Valeur non reconnue. Valeurs possibles : code, name." },
      ]);
    });
  });

  describe("GET /api/v1/sectors", () => {
    const context = useTestApp();

    it("lists the 5 sectors of SPEC.md, sorted by French name", async () => {
      const response = await request(context().app).get("/api/v1/sectors").expect(200);
      const body = response.body as ListBody<SectorBody>;
      expect(body.total).to.equal(5);
      expect(body.items.map((sector) => sector.code)).to.deep.equal([
        "agroalimentaire",
        "automobile",
        "commerce",
        "cuir",
        "textile-habillement",
      ]);
      expect([...body.items.map((sector) => sector.code)].sort()).to.deep.equal([...SPEC_SECTORS].sort());
    });

    it("names and describes each sector in French and Arabic", async () => {
      const response = await request(context().app).get("/api/v1/sectors?sort=code").expect(200);
      const body = response.body as ListBody<SectorBody>;
      for (const sector of body.items) {
        expect(Object.keys(sector).sort(), sector.code).to.deep.equal([
          "code",
          "descriptionAr",
          "descriptionFr",
          "nameAr",
          "nameFr",
        ]);
        expect(sector.nameFr.trim(), sector.code).to.not.equal("");
        expect(sector.nameAr, sector.code).to.match(ARABIC);
        expect(sector.descriptionFr.trim(), sector.code).to.not.equal("");
        expect(sector.descriptionAr, sector.code).to.match(ARABIC);
      }
      const cuir = body.items.find((sector) => sector.code === "cuir");
      expect(cuir?.nameFr).to.equal("Cuir");
      expect(cuir?.nameAr).to.equal("الجلد");
      expect(body.items.find((sector) => sector.code === "textile-habillement")?.nameFr).to.equal(
        "Textile et habillement",
      );
    });

    it("lists a sector an admin adds, and hides it once deactivated", async () => {
      await createSector({ code: "aeronautique", nameFr: "Aéronautique", nameAr: "صناعة الطيران" });
      const withIt = (await request(context().app).get("/api/v1/sectors").expect(200)).body as ListBody<SectorBody>;
      expect(withIt.total).to.equal(6);
      expect(withIt.items.map((sector) => sector.code)).to.include("aeronautique");

      await Sector.update({ active: false }, { where: { code: "aeronautique" } });
      const without = (await request(context().app).get("/api/v1/sectors").expect(200)).body as ListBody<SectorBody>;
      expect(without.total).to.equal(5);
      expect(without.items.map((sector) => sector.code)).to.not.include("aeronautique");
    });
  });

  describe("GET /api/v1/suppliers", () => {
    const context = useTestApp();

    it("lists the catalogue's suppliers sorted by name, with their contact details", async () => {
      const response = await request(context().app).get("/api/v1/suppliers").expect(200);
      const body = response.body as ListBody<SupplierBody>;
      expect(body.total).to.equal(seededSuppliers.length);
      const names = body.items.map((supplier) => supplier.name);
      expect(names).to.deep.equal([...seededSuppliers.map((supplier) => supplier.name)].sort(byCodePoints));
      for (const supplier of body.items) {
        expect(supplier.id, supplier.code).to.match(UUID);
        expect(Object.keys(supplier).sort()).to.deep.equal(["city", "code", "email", "id", "name", "phone", "website"]);
      }
      const souk = body.items.find((supplier) => supplier.code === "atelier-web-du-souk");
      expect(souk).to.deep.include({
        name: "L'Atelier Web du Souk SARL",
        city: "Marrakech",
        website: "https://atelier-web-du-souk.example.ma",
        email: "contact@atelier-web-du-souk.example.ma",
        phone: null,
      });
    });

    it("searches by name, case-insensitively", async () => {
      const response = await request(context().app).get("/api/v1/suppliers?q=DABAGH").expect(200);
      const body = response.body as ListBody<SupplierBody>;
      expect(body.total).to.equal(1);
      expect(body.items.map((supplier) => supplier.code)).to.deep.equal(["dabagh-logic"]);
    });

    it("treats LIKE wildcards in the search as plain characters", async () => {
      for (const q of ["%", "_", "\\"]) {
        const response = await request(context().app).get("/api/v1/suppliers").query({ q }).expect(200);
        expect((response.body as ListBody<SupplierBody>).total, q).to.equal(0);
      }
      await createSupplier({ code: "cent-pour-cent", name: "100% Numérique_SARL" });
      const percent = await request(context().app).get("/api/v1/suppliers").query({ q: "0% n" }).expect(200);
      expect((percent.body as ListBody<SupplierBody>).items.map((supplier) => supplier.code)).to.deep.equal([
        "cent-pour-cent",
      ]);
      const underscore = await request(context().app).get("/api/v1/suppliers").query({ q: "_" }).expect(200);
      expect((underscore.body as ListBody<SupplierBody>).items.map((supplier) => supplier.code)).to.deep.equal([
        "cent-pour-cent",
      ]);
    });
  });

  describe("GET /api/v1/solutions", () => {
    const context = useTestApp();

    it("lists the seeded catalogue: at least 2 solutions per sector, sorted by sector then name", async () => {
      const response = await request(context().app).get("/api/v1/solutions").expect(200);
      const body = response.body as ListBody<SolutionBody>;
      expect(body.total).to.equal(seededSolutions.length);
      expect(body.items).to.have.length(seededSolutions.length);
      for (const sector of SPEC_SECTORS) {
        expect(body.items.filter((solution) => solution.sectorCode === sector).length, sector).to.be.at.least(2);
      }
      const keys = body.items.map((solution) => `${solution.sectorCode}|${solution.nameFr}`);
      expect(keys).to.deep.equal([...keys].sort(byCodePoints));
    });

    it("filters by sector", async () => {
      const response = await request(context().app).get("/api/v1/solutions?sector=cuir").expect(200);
      const body = response.body as ListBody<SolutionBody>;
      const expected = seededSolutions
        .filter((solution) => solution.sectorCode === "cuir")
        .map((solution) => solution.code);
      expect(expected.length).to.be.at.least(2);
      expect(body.total).to.equal(expected.length);
      expect(body.items.map((solution) => solution.code).sort()).to.deep.equal([...expected].sort());
      expect(new Set(body.items.map((solution) => solution.sectorCode))).to.deep.equal(new Set(["cuir"]));
    });

    it("answers an empty list for an unknown sector", async () => {
      const response = await request(context().app).get("/api/v1/solutions?sector=aeronautique").expect(200);
      expect(response.body).to.deep.equal({ items: [], total: 0, page: 1, pageSize: 100 });
    });

    for (const sector of ["Cuir", "cuir!", "cuir--fin", "-cuir", "cuir cuir", "x".repeat(65)]) {
      it(`refuses the sector ${JSON.stringify(sector)} with a 422 problem on \`sector\``, async () => {
        const response = await request(context().app).get("/api/v1/solutions").query({ sector });
        const problem = expectProblem(response, 422, "validation-failed");
        expect(problem.errors?.map((error) => error.path)).to.deep.equal(["sector"]);
      });
    }

    it("explains the field error in the requester's language", async () => {
      const french = await request(context().app).get("/api/v1/solutions?sector=Cuir");
      expect(expectProblem(french, 422, "validation-failed").errors).to.deep.equal([
        { path: "sector", message: "Le format n'est pas valide." },
      ]);
      const arabic = await request(context().app).get("/api/v1/solutions?sector=Cuir").set("Accept-Language", "ar");
      const problem = expectProblem(arabic, 422, "validation-failed");
      expect(problem.title).to.equal("بيانات غير صالحة");
      expect(problem.errors).to.deep.equal([{ path: "sector", message: "الصيغة غير صالحة." }]);
    });

    it("embeds each solution's supplier, the same as in /suppliers", async () => {
      const suppliers = (await request(context().app).get("/api/v1/suppliers").expect(200))
        .body as ListBody<SupplierBody>;
      const supplierById = new Map(suppliers.items.map((supplier) => [supplier.id, supplier]));
      const solutions = (await request(context().app).get("/api/v1/solutions").expect(200))
        .body as ListBody<SolutionBody>;
      for (const solution of solutions.items) {
        const supplier = supplierById.get(solution.supplier.id);
        expect(supplier, solution.code).to.not.equal(undefined);
        expect(solution.supplier).to.deep.equal({
          id: supplier?.id,
          code: supplier?.code,
          name: supplier?.name,
          city: supplier?.city,
          website: supplier?.website,
        });
      }
      const seeded = seededSolutions.find((solution) => solution.code === solutions.items[0]?.code);
      expect(solutions.items[0]?.supplier.code).to.equal(seeded?.supplierCode);
    });

    it("writes prices as money strings, with min ≤ max", async () => {
      const response = await request(context().app).get("/api/v1/solutions").expect(200);
      for (const solution of (response.body as ListBody<SolutionBody>).items) {
        expect(solution.priceMin, solution.code).to.be.a("string").and.match(MONEY);
        expect(solution.priceMax, solution.code).to.be.a("string").and.match(MONEY);
        expect(centimes(solution.priceMin) <= centimes(solution.priceMax), solution.code).to.equal(true);
        const seeded = seededSolutions.find((candidate) => candidate.code === solution.code);
        expect([solution.priceMin, solution.priceMax], solution.code).to.deep.equal([
          seeded?.priceMin,
          seeded?.priceMax,
        ]);
      }
    });

    it("describes each solution in French and Arabic", async () => {
      const response = await request(context().app).get("/api/v1/solutions").expect(200);
      for (const solution of (response.body as ListBody<SolutionBody>).items) {
        expect(solution.id, solution.code).to.match(UUID);
        for (const field of ["nameFr", "summaryFr", "costsFr", "benefitsFr"] as const) {
          expect(solution[field].trim(), `${solution.code}.${field}`).to.not.equal("");
        }
        for (const field of ["nameAr", "summaryAr", "costsAr", "benefitsAr"] as const) {
          expect(solution[field], `${solution.code}.${field}`).to.match(ARABIC);
        }
      }
    });

    it("filters by supplier, and refuses a supplier id that is not a UUID", async () => {
      const suppliers = (await request(context().app).get("/api/v1/suppliers?q=dabagh").expect(200))
        .body as ListBody<SupplierBody>;
      const dabagh = suppliers.items[0];
      if (!dabagh) throw new Error("fixture: Dabagh Logic is seeded");
      const response = await request(context().app).get(`/api/v1/solutions?supplierId=${dabagh.id}`).expect(200);
      const body = response.body as ListBody<SolutionBody>;
      const expected = seededSolutions.filter((solution) => solution.supplierCode === "dabagh-logic");
      expect(body.total).to.equal(expected.length);
      expect(new Set(body.items.map((solution) => solution.supplier.code))).to.deep.equal(new Set(["dabagh-logic"]));

      const bad = await request(context().app).get("/api/v1/solutions?supplierId=42");
      expect(expectProblem(bad, 422, "validation-failed").errors).to.deep.equal([
        { path: "supplierId", message: "Identifiant invalide." },
      ]);
    });

    it("shows a solution an admin adds and hides an inactive one", async () => {
      const supplier = await createSupplier({ code: "cuir-connect", name: "Cuir Connect SARL" });
      await createSolution({
        code: "cuir-nouveau",
        sectorCode: "cuir",
        supplierId: supplier.id,
        priceMin: "1000.00",
        priceMax: "1000.00",
      });
      await createSolution({ code: "cuir-retire", sectorCode: "cuir", active: false });
      const response = await request(context().app).get("/api/v1/solutions?sector=cuir").expect(200);
      const body = response.body as ListBody<SolutionBody>;
      const codes = body.items.map((solution) => solution.code);
      expect(codes).to.include("cuir-nouveau");
      expect(codes).to.not.include("cuir-retire");
      expect(body.total).to.equal(seededSolutions.filter((solution) => solution.sectorCode === "cuir").length + 1);
      const added = body.items.find((solution) => solution.code === "cuir-nouveau");
      expect(added?.supplier).to.deep.equal({
        id: supplier.id,
        code: "cuir-connect",
        name: "Cuir Connect SARL",
        city: "Casablanca",
        website: null,
      });
      expect([added?.priceMin, added?.priceMax]).to.deep.equal(["1000.00", "1000.00"]);
    });
  });

  describe("GET /api/v1/calls", () => {
    const context = useTestApp();
    const year = TEST_NOW.slice(0, 4);

    afterEach(() => context().clock.set(TEST_NOW));

    const list = async (query = ""): Promise<ListBody<CallBody>> =>
      (await request(context().app).get(`/api/v1/calls${query}`).expect(200)).body as ListBody<CallBody>;

    it("shows the seeded call of the current year, open at the test clock, with SPEC's default rules", async () => {
      const body = await list();
      expect(body.total).to.equal(1);
      const call = body.items[0];
      expect(call?.id).to.match(UUID);
      expect(call).to.deep.equal({
        id: call?.id,
        code: `moussanada-${year}`,
        programme: { code: "moussanada-numerique", nameFr: "Moussanada Numérique", nameAr: "مساندة الرقمية" },
        titleFr: `Appel à candidatures Moussanada ${year}`,
        titleAr: `طلب ترشيحات مساندة ${year}`,
        opensOn: `${year}-01-01`,
        closesOn: `${year}-12-31`,
        status: "open",
        rules: {
          version: 1,
          rate: "0.60",
          capPerCompany: "400000.00",
          minCompanyAgeYears: 2,
          maxTurnover: "100000000.00",
          sectorCodes: [...SPEC_SECTORS].sort(),
        },
        envelope: {
          total: "80000000.00",
          bySector: {
            "textile-habillement": "16000000.00",
            cuir: "16000000.00",
            agroalimentaire: "16000000.00",
            automobile: "16000000.00",
            commerce: "16000000.00",
          },
        },
      });
    });

    it("writes the envelope as money strings whose sectors add up to the total", async () => {
      const call = (await list()).items[0];
      if (!call) throw new Error("fixture: the seeded call");
      expect(call.envelope.total).to.match(MONEY);
      for (const amount of Object.values(call.envelope.bySector)) expect(amount).to.match(MONEY);
      expect(sumCentimes(Object.values(call.envelope.bySector).map(centimes))).to.equal(
        centimes(call.envelope.total ?? ""),
      );
    });

    describe("with an upcoming and a closed call", () => {
      before(async () => {
        await createCall({ code: "appel-a-venir", opensOn: `${year}-07-01`, closesOn: `${year}-12-31` });
        await createCall({
          code: "appel-clos",
          opensOn: `${year}-01-01`,
          closesOn: `${year}-03-31`,
          rate: "0.6050",
          envelopeBySector: { cuir: "250000.00" },
        });
      });

      it("lists every call, most recent opening first, each with its status", async () => {
        const body = await list();
        expect(body.total).to.equal(3);
        expect(body.items.map((call) => [call.code, call.status])).to.deep.equal([
          ["appel-a-venir", "upcoming"],
          ["appel-clos", "closed"],
          [`moussanada-${year}`, "open"],
        ]);
      });

      const filters: Array<{ status: string; expected: string[] }> = [
        { status: "open", expected: [`moussanada-${year}`] },
        { status: "upcoming", expected: ["appel-a-venir"] },
        { status: "closed", expected: ["appel-clos"] },
      ];
      for (const { status, expected } of filters) {
        it(`?status=${status} lists ${expected.join(", ")}`, async () => {
          const body = await list(`?status=${status}`);
          expect(body.items.map((call) => call.code)).to.deep.equal(expected);
          expect(body.total).to.equal(expected.length);
          expect(body.items.map((call) => call.status)).to.deep.equal(expected.map(() => status));
        });
      }

      it("refuses an unknown status with a 422 problem on `status`", async () => {
        const problem = expectProblem(
          await request(context().app).get("/api/v1/calls?status=pending"),
          422,
          "validation-failed",
        );
        expect(problem.errors).to.deep.equal([
          { path: "status", message: "Valeur non reconnue. Valeurs possibles : upcoming, open, closed." },
        ]);
      });

      it("computes the status from the app's clock, on Casablanca's date", async () => {
        // 22:30 UTC on 30 June is 23:30 in Casablanca (UTC+1): the July call is still upcoming.
        context().clock.set(`${year}-06-30T22:30:00Z`);
        expect((await list("?status=open")).items.map((call) => call.code)).to.deep.equal([`moussanada-${year}`]);
        expect((await list("?status=upcoming")).items.map((call) => call.code)).to.deep.equal(["appel-a-venir"]);

        // 23:30 UTC on 30 June is already 00:30 on 1 July in Casablanca: the July call is open.
        context().clock.set(`${year}-06-30T23:30:00Z`);
        expect((await list("?status=open")).items.map((call) => call.code)).to.deep.equal([
          "appel-a-venir",
          `moussanada-${year}`,
        ]);
        expect((await list("?status=upcoming")).items).to.deep.equal([]);
        expect((await list()).items.find((call) => call.code === "appel-a-venir")?.status).to.equal("open");
      });

      it("closes calls on the day after their closing date, inclusive bounds", async () => {
        context().clock.set(`${year}-03-31T12:00:00Z`);
        expect((await list("?status=closed")).items).to.deep.equal([]);
        expect((await list()).items.find((call) => call.code === "appel-clos")?.status).to.equal("open");
        context().clock.set(`${year}-04-01T12:00:00Z`);
        expect((await list("?status=closed")).items.map((call) => call.code)).to.deep.equal(["appel-clos"]);
      });

      it("shows every call closed once the year is over, and upcoming before it starts", async () => {
        context().clock.set(`${Number(year) + 1}-01-01T10:00:00Z`);
        const after = await list();
        expect(after.items.map((call) => call.status)).to.deep.equal(["closed", "closed", "closed"]);
        expect((await list("?status=closed")).total).to.equal(3);

        context().clock.set(`${Number(year) - 1}-12-31T12:00:00Z`);
        expect((await list("?status=upcoming")).total).to.equal(3);
        expect((await list("?status=open")).total).to.equal(0);
      });

      it("presents each call's own rate and envelope", async () => {
        const closed = (await list()).items.find((call) => call.code === "appel-clos");
        expect(closed?.rules.rate).to.equal("0.605");
        expect(closed?.envelope).to.deep.equal({ total: "1000000.00", bySector: { cuir: "250000.00" } });
        const upcoming = (await list()).items.find((call) => call.code === "appel-a-venir");
        expect(upcoming?.envelope).to.deep.equal({ total: "1000000.00", bySector: {} });
      });

      it("paginates calls with their rules and envelopes intact", async () => {
        const pages = await Promise.all([
          list("?pageSize=1&page=1"),
          list("?pageSize=1&page=2"),
          list("?pageSize=1&page=3"),
        ]);
        expect(pages.map((page) => page.total)).to.deep.equal([3, 3, 3]);
        expect(pages.map((page) => page.items.map((call) => call.code))).to.deep.equal([
          ["appel-a-venir"],
          ["appel-clos"],
          [`moussanada-${year}`],
        ]);
        expect(pages[2]?.items[0]?.rules.sectorCodes).to.have.length(5);
        expect(Object.keys(pages[2]?.items[0]?.envelope.bySector ?? {})).to.have.length(5);
      });

      it("filters by programme", async () => {
        await createCall({ code: "appel-autre", programmeCode: "autre-programme" });
        const other = await list("?programme=autre-programme");
        expect(other.total).to.equal(1);
        expect(other.items.map((call) => [call.code, call.programme.code])).to.deep.equal([
          ["appel-autre", "autre-programme"],
        ]);
        expect((await list("?programme=moussanada-numerique")).total).to.equal(3);
        expect(await list("?programme=maroc-numeric-2013")).to.deep.equal({
          items: [],
          total: 0,
          page: 1,
          pageSize: 100,
        });
      });

      it("shows the latest version of a call's rules", async () => {
        const { call } = await createCall({ code: "appel-versionne" });
        const v2 = await CallRules.create({
          callId: call.id,
          version: 2,
          rate: "0.5000",
          capPerCompany: "300000.00",
          minCompanyAgeYears: 3,
          maxTurnover: "50000000.00",
        });
        await call.sequelize
          .getQueryInterface()
          .bulkInsert("call_rule_sectors", [{ call_rules_id: v2.id, sector_code: "cuir" }]);
        const shown = (await list()).items.find((candidate) => candidate.code === "appel-versionne");
        expect(shown?.rules).to.deep.equal({
          version: 2,
          rate: "0.50",
          capPerCompany: "300000.00",
          minCompanyAgeYears: 3,
          maxTurnover: "50000000.00",
          sectorCodes: ["cuir"],
        });
      });
    });
  });

  describe("pagination and list shape", () => {
    const context = useTestApp();
    const sortedRegions = [...SPEC_REGIONS].sort(byCodePoints);

    it("answers {items, total, page, pageSize} and nothing else", async () => {
      for (const path of [
        "/api/v1/regions",
        "/api/v1/sectors",
        "/api/v1/suppliers",
        "/api/v1/solutions",
        "/api/v1/calls",
      ]) {
        const response = await request(context().app)
          .get(path)
          .expect(200)
          .expect("Content-Type", /^application\/json/);
        expect(Object.keys(response.body as object).sort(), path).to.deep.equal(["items", "page", "pageSize", "total"]);
      }
    });

    const pages: Array<{ page: number; pageSize: number; expected: string[] }> = [
      { page: 1, pageSize: 5, expected: sortedRegions.slice(0, 5) },
      { page: 2, pageSize: 5, expected: sortedRegions.slice(5, 10) },
      { page: 3, pageSize: 5, expected: sortedRegions.slice(10, 12) },
      { page: 4, pageSize: 5, expected: [] },
      { page: 1, pageSize: 1, expected: sortedRegions.slice(0, 1) },
      { page: 12, pageSize: 1, expected: sortedRegions.slice(11, 12) },
      { page: 1, pageSize: 100, expected: sortedRegions },
    ];
    for (const { page, pageSize, expected } of pages) {
      it(`page ${page} of size ${pageSize} holds ${expected.length} region(s)`, async () => {
        const response = await request(context().app)
          .get(`/api/v1/regions?page=${page}&pageSize=${pageSize}`)
          .expect(200);
        const body = response.body as ListBody<RegionBody>;
        expect(body.items.map((region) => region.code)).to.deep.equal(expected);
        expect([body.total, body.page, body.pageSize]).to.deep.equal([12, page, pageSize]);
      });
    }

    const refusals: Array<{ query: string; errors: Array<{ path: string; message: string }> }> = [
      { query: "pageSize=101", errors: [{ path: "pageSize", message: "La valeur maximale est 100." }] },
      { query: "pageSize=0", errors: [{ path: "pageSize", message: "La valeur minimale est 1." }] },
      { query: "page=0", errors: [{ path: "page", message: "La valeur minimale est 1." }] },
      { query: "page=-1", errors: [{ path: "page", message: "La valeur minimale est 1." }] },
      { query: "page=1.5", errors: [{ path: "page", message: "Un nombre entier est attendu." }] },
      { query: "pageSize=abc", errors: [{ path: "pageSize", message: "Un nombre est attendu." }] },
      {
        query: "page=0&pageSize=101",
        errors: [
          { path: "page", message: "La valeur minimale est 1." },
          { path: "pageSize", message: "La valeur maximale est 100." },
        ],
      },
      { query: "colour=red", errors: [{ path: "colour", message: "Ce champ n'est pas accepté." }] },
    ];
    for (const { query, errors } of refusals) {
      for (const path of ["/api/v1/regions", "/api/v1/solutions", "/api/v1/calls"]) {
        it(`${path}?${query} → 422 on ${errors.map((error) => error.path).join(", ")}`, async () => {
          const response = await request(context().app).get(`${path}?${query}`);
          const problem = expectProblem(response, 422, "validation-failed");
          expect(problem.errors).to.deep.equal(errors);
          expect(problem.instance).to.equal(`${path}?${query}`);
        });
      }
    }
  });
});
