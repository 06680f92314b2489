import { callStatus } from "./calendar.js";
import type { Centimes } from "./money.js";

/**
 * The eligibility verdict of SPEC.md "Rules": every criterion, in a fixed order, with the facts
 * its sentence needs. Pure: the caller gathers the facts inside its transaction.
 */

export const ELIGIBILITY_RULES = [
  "call_open",
  "sector",
  "company_age",
  "turnover",
  "investment",
  "quote",
  "tax_and_cnss",
  "no_other_open_application",
] as const;
export type EligibilityRule = (typeof ELIGIBILITY_RULES)[number];

export interface EligibilityFacts {
  /** The submission date (or today for a draft), YYYY-MM-DD in Casablanca. */
  onDate: string;
  call: { opensOn: string; closesOn: string };
  rules: { minCompanyAgeYears: number; maxTurnover: Centimes; sectorCodes: readonly string[] };
  company: { foundedOn: string; annualTurnover: Centimes };
  sectorCode: string;
  eligibleAmount: Centimes;
  documentTypes: readonly string[];
  /** Another application of the company in the same call that is neither a draft nor finished. */
  otherOpenApplication: { reference: string | null } | null;
}

export interface CriterionVerdict {
  rule: EligibilityRule;
  ok: boolean;
  /** Which sentence explains the verdict, and its values (amounts stay centimes for the formatter). */
  reason: string;
  values: Record<string, string | number | Centimes>;
}

/** Whole years from `from` to `to` (both YYYY-MM-DD): a company founded on 2024-06-15 is 2 on 2026-06-15. */
export function fullYearsBetween(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? years - 1 : years;
}

function callOpen(facts: EligibilityFacts): CriterionVerdict {
  const status = callStatus(facts.call, facts.onDate);
  return {
    rule: "call_open",
    ok: status === "open",
    reason: status,
    values: { opensOn: facts.call.opensOn, closesOn: facts.call.closesOn },
  };
}

function sector(facts: EligibilityFacts): CriterionVerdict {
  const ok = facts.rules.sectorCodes.includes(facts.sectorCode);
  return { rule: "sector", ok, reason: ok ? "eligible" : "not-eligible", values: { sectorCode: facts.sectorCode } };
}

function companyAge(facts: EligibilityFacts): CriterionVerdict {
  const years = fullYearsBetween(facts.company.foundedOn, facts.onDate);
  const ok = years >= facts.rules.minCompanyAgeYears;
  return {
    rule: "company_age",
    ok,
    reason: ok ? "old-enough" : "too-young",
    values: { years: Math.max(years, 0), minimum: facts.rules.minCompanyAgeYears, foundedOn: facts.company.foundedOn },
  };
}

function turnover(facts: EligibilityFacts): CriterionVerdict {
  const ok = facts.company.annualTurnover <= facts.rules.maxTurnover;
  return {
    rule: "turnover",
    ok,
    reason: ok ? "within" : "above",
    values: { turnover: facts.company.annualTurnover, maximum: facts.rules.maxTurnover },
  };
}

function investment(facts: EligibilityFacts): CriterionVerdict {
  const ok = facts.eligibleAmount > 0n;
  return { rule: "investment", ok, reason: ok ? "present" : "missing", values: { amount: facts.eligibleAmount } };
}

function quote(facts: EligibilityFacts): CriterionVerdict {
  const count = facts.documentTypes.filter((type) => type === "quote").length;
  return { rule: "quote", ok: count > 0, reason: count > 0 ? "present" : "missing", values: { count } };
}

function taxAndCnss(facts: EligibilityFacts): CriterionVerdict {
  const has = (type: string) => facts.documentTypes.includes(type);
  if (has("sworn_declaration")) return { rule: "tax_and_cnss", ok: true, reason: "sworn-declaration", values: {} };
  if (has("tax_certificate") && has("cnss_certificate")) {
    return { rule: "tax_and_cnss", ok: true, reason: "certificates", values: {} };
  }
  if (has("tax_certificate")) return { rule: "tax_and_cnss", ok: false, reason: "cnss-missing", values: {} };
  if (has("cnss_certificate")) return { rule: "tax_and_cnss", ok: false, reason: "tax-missing", values: {} };
  return { rule: "tax_and_cnss", ok: false, reason: "missing", values: {} };
}

function noOtherOpenApplication(facts: EligibilityFacts): CriterionVerdict {
  const other = facts.otherOpenApplication;
  if (!other) return { rule: "no_other_open_application", ok: true, reason: "none", values: {} };
  return { rule: "no_other_open_application", ok: false, reason: "open", values: { reference: other.reference ?? "" } };
}

export function judgeEligibility(facts: EligibilityFacts): CriterionVerdict[] {
  return [
    callOpen(facts),
    sector(facts),
    companyAge(facts),
    turnover(facts),
    investment(facts),
    quote(facts),
    taxAndCnss(facts),
    noOtherOpenApplication(facts),
  ];
}
