import { expect } from "chai";
import { QueryTypes, type Sequelize } from "sequelize";
import { runSeeds } from "../../seeds/index.js";
import { CURRENT_PROGRAMME_CODE, HISTORICAL_PROGRAMME_CODE } from "../../seeds/reference.js";
import { solutions as seededSolutions, suppliers as seededSuppliers } from "../../seeds/data/catalogue.js";
import { regions as seededRegions } from "../../seeds/data/regions.js";
import { sectors as seededSectors } from "../../seeds/data/sectors.js";
import type { Clock } from "../../server/domain/calendar.js";
import { Call, Solution } from "../../server/models/index.js";
import { ownerSequelize, resetDatabase, TEST_NOW, testSequelize } from "../helpers/testDatabase.js";

const REFERENCE_TABLES = [
  "regions",
  "sectors",
  "suppliers",
  "solutions",
  "programmes",
  "programme_budget_lines",
  "calls",
  "call_rules",
  "call_rule_sectors",
  "envelopes",
] as const;

const clockAt = (instant: string): Clock => ({ now: () => new Date(instant) });

async function rowCounts(sequelize: Sequelize): Promise<Record<string, string>> {
  const counts: Record<string, string> = {};
  for (const table of REFERENCE_TABLES) {
    // count(*) is a bigint, which pg hands over as a string: compared as such.
    const [row] = await sequelize.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    counts[table] = row?.count ?? "missing";
  }
  return counts;
}

/** Every row of every reference table that has an id, as "table:code → id". */
async function identities(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ identity: string }>(
    `SELECT 'suppliers:' || code || ' ' || id AS identity FROM suppliers
     UNION ALL SELECT 'solutions:' || code || ' ' || id FROM solutions
     UNION ALL SELECT 'programmes:' || code || ' ' || id FROM programmes
     UNION ALL SELECT 'calls:' || code || ' ' || id FROM calls
     UNION ALL SELECT 'call_rules:' || call_id || ':' || version || ' ' || id FROM call_rules
     UNION ALL SELECT 'envelopes:' || call_id || ':' || coalesce(sector_code, '*') || ' ' || id FROM envelopes
     UNION ALL SELECT 'budget:' || programme_id || ':' || code || ':' || year || ' ' || id FROM programme_budget_lines
     ORDER BY 1`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.identity);
}

describe("seeds", () => {
  const sequelize = (): Sequelize => testSequelize();

  beforeEach(async () => {
    await resetDatabase();
  });

  it("loads the reference data of a fresh installation", async () => {
    expect(await rowCounts(sequelize())).to.deep.equal({
      regions: String(seededRegions.length),
      sectors: String(seededSectors.length),
      suppliers: String(seededSuppliers.length),
      solutions: String(seededSolutions.length),
      programmes: "2",
      programme_budget_lines: "5",
      calls: "1",
      call_rules: "1",
      call_rule_sectors: "5",
      envelopes: "6",
    });
    expect(seededRegions).to.have.length(12);
    expect(seededSectors).to.have.length(5);
  });

  it("changes nothing when run twice: same row counts, same ids", async () => {
    const countsBefore = await rowCounts(sequelize());
    const idsBefore = await identities(sequelize());
    expect(idsBefore.length).to.be.greaterThan(30);

    await runSeeds(sequelize(), { env: "test", clock: clockAt(TEST_NOW) });
    await runSeeds(sequelize(), { env: "test", clock: clockAt(TEST_NOW) });

    expect(await rowCounts(sequelize())).to.deep.equal(countsBefore);
    expect(await identities(sequelize())).to.deep.equal(idsBefore);
  });

  it("is safe when three instances seed an empty database at the same time", async () => {
    const countsBefore = await rowCounts(sequelize());
    await ownerSequelize().query(`TRUNCATE ${REFERENCE_TABLES.join(", ")} CASCADE`);
    expect((await rowCounts(sequelize())).regions).to.equal("0");
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => runSeeds(sequelize(), { env: "test", clock: clockAt(TEST_NOW) })),
    );
    expect(results.map((result) => result.status)).to.deep.equal(["fulfilled", "fulfilled", "fulfilled"]);
    expect(await rowCounts(sequelize())).to.deep.equal(countsBefore);
  });

  it("production gets the reference data and no demo account", async () => {
    const summary = await runSeeds(sequelize(), { env: "production", clock: clockAt(TEST_NOW) });
    expect(summary.demoAccounts).to.deep.equal([]);
  });

  it("opens the call of the year the clock is in, keeping earlier years' calls", async () => {
    await runSeeds(sequelize(), { env: "test", clock: clockAt("2027-03-10T09:00:00Z") });
    const calls = await Call.findAll({ order: [["code", "ASC"]] });
    expect(calls.map((call) => [call.code, call.opensOn, call.closesOn])).to.deep.equal([
      ["moussanada-2026", "2026-01-01", "2026-12-31"],
      ["moussanada-2027", "2027-01-01", "2027-12-31"],
    ]);
    const counts = await rowCounts(sequelize());
    expect([
      counts.calls,
      counts.call_rules,
      counts.call_rule_sectors,
      counts.envelopes,
      counts.programmes,
    ]).to.deep.equal(["2", "2", "10", "12", "2"]);
  });

  it("takes the year on Casablanca's date: 23:30 UTC on 31 December is already next year", async () => {
    await runSeeds(sequelize(), { env: "test", clock: clockAt("2026-12-31T23:30:00Z") });
    const codes = (await Call.findAll({ order: [["code", "ASC"]] })).map((call) => call.code);
    expect(codes).to.deep.equal(["moussanada-2026", "moussanada-2027"]);
  });

  describe(`historical programme ${HISTORICAL_PROGRAMME_CODE}`, () => {
    it("has the Productivité PME budget lines 2009–2013: 73, 64, 63, 61 and 59 M MAD", async () => {
      const lines = await sequelize().query<{ year: number; amount: string; code: string }>(
        `SELECT l.year, l.amount, l.code
           FROM programme_budget_lines l JOIN programmes p ON p.id = l.programme_id
          WHERE p.code = :code ORDER BY l.year`,
        { type: QueryTypes.SELECT, replacements: { code: HISTORICAL_PROGRAMME_CODE } },
      );
      expect(lines).to.deep.equal([
        { year: 2009, amount: "73000000.00", code: "productivite-pme" },
        { year: 2010, amount: "64000000.00", code: "productivite-pme" },
        { year: 2011, amount: "63000000.00", code: "productivite-pme" },
        { year: 2012, amount: "61000000.00", code: "productivite-pme" },
        { year: 2013, amount: "59000000.00", code: "productivite-pme" },
      ]);
    });

    it("sums to exactly 320,000,000.00 MAD (summed by PostgreSQL in NUMERIC)", async () => {
      const [row] = await sequelize().query<{ total: string }>(
        `SELECT sum(l.amount)::text AS total
           FROM programme_budget_lines l JOIN programmes p ON p.id = l.programme_id
          WHERE p.code = :code`,
        { type: QueryTypes.SELECT, replacements: { code: HISTORICAL_PROGRAMME_CODE } },
      );
      expect(row?.total).to.equal("320000000.00");
    });

    it("runs from 2009 to 2013 with the strategy's targets", async () => {
      const [programme] = await sequelize().query<{
        starts_on: string;
        ends_on: string;
        target_equipped_smes: number;
        target_permits: number;
      }>("SELECT starts_on, ends_on, target_equipped_smes, target_permits FROM programmes WHERE code = :code", {
        type: QueryTypes.SELECT,
        replacements: { code: HISTORICAL_PROGRAMME_CODE },
      });
      expect(programme).to.deep.equal({
        starts_on: "2009-01-01",
        ends_on: "2013-12-31",
        target_equipped_smes: 3000,
        target_permits: 10000,
      });
    });

    it("the current programme is a separate one", async () => {
      const codes = await sequelize().query<{ code: string }>("SELECT code FROM programmes ORDER BY code", {
        type: QueryTypes.SELECT,
      });
      expect(codes.map((row) => row.code)).to.deep.equal([HISTORICAL_PROGRAMME_CODE, CURRENT_PROGRAMME_CODE]);
    });
  });

  describe("administrators' changes survive a re-seed", () => {
    it("keeps an edited solution as the admin left it", async () => {
      const code = seededSolutions[0]?.code;
      if (!code) throw new Error("fixture: a seeded solution");
      const solution = await Solution.findOne({ where: { code } });
      if (!solution) throw new Error(`solution ${code} is seeded`);
      await solution.update({
        nameFr: "Nom revu par l'administrateur",
        priceMin: "1.00",
        priceMax: "2.50",
        active: false,
      });

      await runSeeds(sequelize(), { env: "test", clock: clockAt(TEST_NOW) });

      const after = await Solution.findOne({ where: { code } });
      expect(after?.id).to.equal(solution.id);
      expect([after?.nameFr, after?.priceMin, after?.priceMax, after?.active]).to.deep.equal([
        "Nom revu par l'administrateur",
        "1.00",
        "2.50",
        false,
      ]);
      expect(await Solution.count({ where: { code } })).to.equal(1);
    });

    it("keeps an edited call and its envelope as the admin left them", async () => {
      const call = await Call.findOne({ where: { code: "moussanada-2026" } });
      if (!call) throw new Error("fixture: the seeded call");
      await call.update({ titleFr: "Appel prolongé", closesOn: "2027-01-31" });
      await sequelize().query(
        "UPDATE envelopes SET amount = '90000000.00' WHERE call_id = :id AND sector_code IS NULL",
        {
          replacements: { id: call.id },
        },
      );

      await runSeeds(sequelize(), { env: "test", clock: clockAt(TEST_NOW) });

      const after = await Call.findOne({ where: { code: "moussanada-2026" } });
      expect([after?.titleFr, after?.closesOn]).to.deep.equal(["Appel prolongé", "2027-01-31"]);
      const [envelope] = await sequelize().query<{ amount: string }>(
        "SELECT amount FROM envelopes WHERE call_id = :id AND sector_code IS NULL",
        { type: QueryTypes.SELECT, replacements: { id: call.id } },
      );
      expect(envelope?.amount).to.equal("90000000.00");
    });
  });

  after(async () => {
    await resetDatabase();
  });
});
