import Joi from "joi";
import { callStatus } from "../../domain/calendar.js";
import { formatRate, parseRate } from "../../domain/money.js";
import type { Call, CallRules, Envelope, Region, Sector, Solution, Supplier } from "../../models/index.js";

const money = () =>
  Joi.string()
    .pattern(/^-?\d+\.\d{2}$/)
    .example("400000.00");

export const regionSchema = Joi.object({
  code: Joi.string().required(),
  nameFr: Joi.string().required(),
  nameAr: Joi.string().required(),
}).label("Region");

export function presentRegion(region: Region) {
  return { code: region.code, nameFr: region.nameFr, nameAr: region.nameAr };
}

export const sectorSchema = Joi.object({
  code: Joi.string().required(),
  nameFr: Joi.string().required(),
  nameAr: Joi.string().required(),
  descriptionFr: Joi.string().allow("").required(),
  descriptionAr: Joi.string().allow("").required(),
}).label("Sector");

export function presentSector(sector: Sector) {
  return {
    code: sector.code,
    nameFr: sector.nameFr,
    nameAr: sector.nameAr,
    descriptionFr: sector.descriptionFr,
    descriptionAr: sector.descriptionAr,
  };
}

export const supplierSchema = Joi.object({
  id: Joi.string().guid().required(),
  code: Joi.string().required(),
  name: Joi.string().required(),
  city: Joi.string().required(),
  website: Joi.string().allow(null).required(),
  email: Joi.string().allow(null).required(),
  phone: Joi.string().allow(null).required(),
}).label("Supplier");

export function presentSupplier(supplier: Supplier) {
  return {
    id: supplier.id,
    code: supplier.code,
    name: supplier.name,
    city: supplier.city,
    website: supplier.website,
    email: supplier.email,
    phone: supplier.phone,
  };
}

export const solutionSchema = Joi.object({
  id: Joi.string().guid().required(),
  code: Joi.string().required(),
  sectorCode: Joi.string().required(),
  supplier: Joi.object({
    id: Joi.string().guid().required(),
    code: Joi.string().required(),
    name: Joi.string().required(),
    city: Joi.string().required(),
    website: Joi.string().allow(null).required(),
  }).required(),
  nameFr: Joi.string().required(),
  nameAr: Joi.string().required(),
  summaryFr: Joi.string().allow("").required(),
  summaryAr: Joi.string().allow("").required(),
  costsFr: Joi.string().allow("").required(),
  costsAr: Joi.string().allow("").required(),
  benefitsFr: Joi.string().allow("").required(),
  benefitsAr: Joi.string().allow("").required(),
  priceMin: money().required(),
  priceMax: money().required(),
}).label("Solution");

export function presentSolution(solution: Solution) {
  const supplier = solution.supplier;
  if (!supplier) throw new Error("presentSolution needs the supplier loaded");
  return {
    id: solution.id,
    code: solution.code,
    sectorCode: solution.sectorCode,
    supplier: {
      id: supplier.id,
      code: supplier.code,
      name: supplier.name,
      city: supplier.city,
      website: supplier.website,
    },
    nameFr: solution.nameFr,
    nameAr: solution.nameAr,
    summaryFr: solution.summaryFr,
    summaryAr: solution.summaryAr,
    costsFr: solution.costsFr,
    costsAr: solution.costsAr,
    benefitsFr: solution.benefitsFr,
    benefitsAr: solution.benefitsAr,
    priceMin: solution.priceMin,
    priceMax: solution.priceMax,
  };
}

export const callSchema = Joi.object({
  id: Joi.string().guid().required(),
  code: Joi.string().required(),
  programme: Joi.object({
    code: Joi.string().required(),
    nameFr: Joi.string().required(),
    nameAr: Joi.string().required(),
  }).required(),
  titleFr: Joi.string().required(),
  titleAr: Joi.string().required(),
  opensOn: Joi.string().isoDate().required(),
  closesOn: Joi.string().isoDate().required(),
  status: Joi.string().valid("upcoming", "open", "closed").required(),
  rules: Joi.object({
    version: Joi.number().integer().required(),
    rate: Joi.string().example("0.60").required(),
    capPerCompany: money().required(),
    minCompanyAgeYears: Joi.number().integer().required(),
    maxTurnover: money().required(),
    sectorCodes: Joi.array().items(Joi.string()).required(),
  }).required(),
  envelope: Joi.object({
    total: money().allow(null).required(),
    bySector: Joi.object().pattern(Joi.string(), money()).required(),
  }).required(),
}).label("Call");

export function currentRules(call: Call): CallRules {
  const rules = [...(call.rules ?? [])].sort((a, b) => b.version - a.version)[0];
  if (!rules) throw new Error(`Call ${call.code} has no rules`);
  return rules;
}

function presentEnvelope(envelopes: Envelope[]) {
  const total = envelopes.find((envelope) => envelope.sectorCode === null);
  const bySector: Record<string, string> = {};
  for (const envelope of envelopes) {
    if (envelope.sectorCode !== null) bySector[envelope.sectorCode] = envelope.amount;
  }
  return { total: total?.amount ?? null, bySector };
}

export function presentCall(call: Call, today: string) {
  const programme = call.programme;
  if (!programme) throw new Error("presentCall needs the programme loaded");
  const rules = currentRules(call);
  return {
    id: call.id,
    code: call.code,
    programme: { code: programme.code, nameFr: programme.nameFr, nameAr: programme.nameAr },
    titleFr: call.titleFr,
    titleAr: call.titleAr,
    opensOn: call.opensOn,
    closesOn: call.closesOn,
    status: callStatus(call, today),
    rules: {
      version: rules.version,
      rate: formatRate(parseRate(rules.rate)),
      capPerCompany: rules.capPerCompany,
      minCompanyAgeYears: rules.minCompanyAgeYears,
      maxTurnover: rules.maxTurnover,
      sectorCodes: (rules.sectors ?? []).map((sector) => sector.code).sort(),
    },
    envelope: presentEnvelope(call.envelopes ?? []),
  };
}
