import { randomUUID } from "node:crypto";
import { Call, CallRules, Envelope, Programme, Sector, Solution, Supplier } from "../../server/models/index.js";

const unique = () => randomUUID().slice(0, 8);

export async function createSector(overrides: Partial<{ code: string; nameFr: string; nameAr: string }> = {}) {
  const code = overrides.code ?? `secteur-${unique()}`;
  return Sector.create({ code, nameFr: `Secteur ${code}`, nameAr: `قطاع ${code}`, ...overrides });
}

export async function createSupplier(overrides: Partial<{ code: string; name: string; city: string }> = {}) {
  const code = overrides.code ?? `fournisseur-${unique()}`;
  return Supplier.create({
    code,
    name: `Fournisseur ${code}`,
    city: "Casablanca",
    website: null,
    email: null,
    phone: null,
    ...overrides,
  });
}

export async function createSolution(
  overrides: Partial<{
    code: string;
    sectorCode: string;
    supplierId: string;
    priceMin: string;
    priceMax: string;
    active: boolean;
  }> = {},
) {
  const supplierId = overrides.supplierId ?? (await createSupplier()).id;
  const code = overrides.code ?? `solution-${unique()}`;
  return Solution.create({
    code,
    sectorCode: overrides.sectorCode ?? "commerce",
    supplierId,
    nameFr: `Solution ${code}`,
    nameAr: `حل ${code}`,
    priceMin: overrides.priceMin ?? "10000.00",
    priceMax: overrides.priceMax ?? "50000.00",
    ...(overrides.active === undefined ? {} : { active: overrides.active }),
  });
}

export interface CallFactoryOptions {
  code?: string;
  programmeCode?: string;
  opensOn?: string;
  closesOn?: string;
  rate?: string;
  capPerCompany?: string;
  minCompanyAgeYears?: number;
  maxTurnover?: string;
  sectorCodes?: string[];
  envelope?: string;
  envelopeBySector?: Record<string, string>;
}

/** A call with one version of rules and its envelopes; defaults are SPEC.md's default rules. */
export async function createCall(options: CallFactoryOptions = {}) {
  const programmeCode = options.programmeCode ?? "moussanada-numerique";
  const [programme] = await Programme.findOrCreate({
    where: { code: programmeCode },
    defaults: {
      code: programmeCode,
      nameFr: programmeCode,
      nameAr: programmeCode,
      startsOn: "2020-01-01",
      endsOn: "2030-12-31",
    },
  });
  const call = await Call.create({
    programmeId: programme.id,
    code: options.code ?? `appel-${unique()}`,
    titleFr: "Appel de test",
    titleAr: "طلب اختبار",
    opensOn: options.opensOn ?? "2026-01-01",
    closesOn: options.closesOn ?? "2026-12-31",
  });
  const rules = await CallRules.create({
    callId: call.id,
    version: 1,
    rate: options.rate ?? "0.6000",
    capPerCompany: options.capPerCompany ?? "400000.00",
    minCompanyAgeYears: options.minCompanyAgeYears ?? 2,
    maxTurnover: options.maxTurnover ?? "100000000.00",
  });
  const sectorCodes = options.sectorCodes ?? [
    "textile-habillement",
    "cuir",
    "agroalimentaire",
    "automobile",
    "commerce",
  ];
  if (sectorCodes.length > 0) {
    await call.sequelize.getQueryInterface().bulkInsert(
      "call_rule_sectors",
      sectorCodes.map((sectorCode) => ({ call_rules_id: rules.id, sector_code: sectorCode })),
    );
  }
  await Envelope.create({ callId: call.id, sectorCode: null, amount: options.envelope ?? "1000000.00" });
  for (const [sectorCode, amount] of Object.entries(options.envelopeBySector ?? {})) {
    await Envelope.create({ callId: call.id, sectorCode, amount });
  }
  return { call, rules, programme };
}
