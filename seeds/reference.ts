import type { Sequelize, Transaction } from "sequelize";
import {
  Call,
  CallRules,
  Envelope,
  Programme,
  ProgrammeBudgetLine,
  Region,
  Sector,
  Solution,
  Supplier,
} from "../server/models/index.js";
import { solutions, suppliers } from "./data/catalogue.js";
import { regions } from "./data/regions.js";
import { sectors } from "./data/sectors.js";

export const HISTORICAL_PROGRAMME_CODE = "maroc-numeric-2013";
export const CURRENT_PROGRAMME_CODE = "moussanada-numerique";

/** "Productivité PME" line of Maroc Numeric 2013, in MAD per year (320 M in all). */
const PRODUCTIVITE_PME_BY_YEAR: ReadonlyArray<[number, string]> = [
  [2009, "73000000.00"],
  [2010, "64000000.00"],
  [2011, "63000000.00"],
  [2012, "61000000.00"],
  [2013, "59000000.00"],
];

export const DEFAULT_CALL_RULES = {
  rate: "0.6000",
  capPerCompany: "400000.00",
  minCompanyAgeYears: 2,
  maxTurnover: "100000000.00",
} as const;

/** Envelope of the yearly call: 80 M MAD, split evenly over the five founding sectors. */
const CURRENT_CALL_ENVELOPE = "80000000.00";
const CURRENT_CALL_SECTOR_ENVELOPE = "16000000.00";

async function seedRegionsAndSectors(transaction: Transaction): Promise<void> {
  await Region.bulkCreate([...regions], { ignoreDuplicates: true, transaction });
  await Sector.bulkCreate([...sectors], { ignoreDuplicates: true, transaction });
}

async function seedCatalogue(transaction: Transaction): Promise<void> {
  await Supplier.bulkCreate(
    suppliers.map((supplier) => ({ ...supplier })),
    { ignoreDuplicates: true, transaction },
  );
  const supplierIds = new Map((await Supplier.findAll({ transaction })).map((row) => [row.code, row.id]));
  await Solution.bulkCreate(
    solutions.map(({ supplierCode, ...solution }) => {
      const supplierId = supplierIds.get(supplierCode);
      if (!supplierId) throw new Error(`Solution ${solution.code}: unknown supplier ${supplierCode}`);
      return { ...solution, supplierId };
    }),
    { ignoreDuplicates: true, transaction },
  );
}

async function seedHistoricalProgramme(transaction: Transaction): Promise<void> {
  const [programme] = await Programme.findOrCreate({
    where: { code: HISTORICAL_PROGRAMME_CODE },
    defaults: {
      code: HISTORICAL_PROGRAMME_CODE,
      nameFr: "Maroc Numeric 2013 — Productivité de la PME",
      nameAr: "المغرب الرقمي 2013 — إنتاجية المقاولات الصغرى والمتوسطة",
      startsOn: "2009-01-01",
      endsOn: "2013-12-31",
      targetEquippedSmes: 3000,
      targetPermits: 10000,
    },
    transaction,
  });
  await ProgrammeBudgetLine.bulkCreate(
    PRODUCTIVITE_PME_BY_YEAR.map(([year, amount]) => ({
      programmeId: programme.id,
      code: "productivite-pme",
      nameFr: "Productivité PME",
      nameAr: "إنتاجية المقاولات الصغرى والمتوسطة",
      year,
      amount,
    })),
    { ignoreDuplicates: true, transaction },
  );
}

async function seedCurrentCall(year: number, transaction: Transaction): Promise<void> {
  const [programme] = await Programme.findOrCreate({
    where: { code: CURRENT_PROGRAMME_CODE },
    defaults: {
      code: CURRENT_PROGRAMME_CODE,
      nameFr: "Moussanada Numérique",
      nameAr: "مساندة الرقمية",
      startsOn: `${year}-01-01`,
      endsOn: `${year + 4}-12-31`,
      targetEquippedSmes: 3000,
      targetPermits: 10000,
    },
    transaction,
  });
  const code = `moussanada-${year}`;
  const existing = await Call.findOne({ where: { code }, transaction });
  if (existing) return;
  const call = await Call.create(
    {
      programmeId: programme.id,
      code,
      titleFr: `Appel à candidatures Moussanada ${year}`,
      titleAr: `طلب ترشيحات مساندة ${year}`,
      opensOn: `${year}-01-01`,
      closesOn: `${year}-12-31`,
    },
    { transaction },
  );
  const rules = await CallRules.create({ callId: call.id, version: 1, ...DEFAULT_CALL_RULES }, { transaction });
  const sectorCodes = sectors.map((sector) => sector.code);
  await rules.sequelize.getQueryInterface().bulkInsert(
    "call_rule_sectors",
    sectorCodes.map((sectorCode) => ({ call_rules_id: rules.id, sector_code: sectorCode })),
    { transaction },
  );
  await Envelope.bulkCreate(
    [
      { callId: call.id, sectorCode: null, amount: CURRENT_CALL_ENVELOPE },
      ...sectorCodes.map((sectorCode) => ({ callId: call.id, sectorCode, amount: CURRENT_CALL_SECTOR_ENVELOPE })),
    ],
    { transaction },
  );
}

/**
 * Loads the reference data every environment needs. Only missing rows are added: once loaded,
 * the catalogue and the calls belong to the programme's administrators and a restart never
 * overwrites their changes.
 */
export async function seedReferenceData(sequelize: Sequelize, options: { year: number }): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    await seedRegionsAndSectors(transaction);
    await seedCatalogue(transaction);
    await seedHistoricalProgramme(transaction);
    await seedCurrentCall(options.year, transaction);
  });
}
