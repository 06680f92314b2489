import { applyRate, minCentimes, sumCentimes, type Centimes } from "./money.js";

/**
 * The subsidy arithmetic of SPEC.md "Rules", on integer centimes only. Rates are fractions in
 * ten-thousandths (0.60 → 6000) as parseRate reads them.
 */

export const LINE_CATEGORIES = ["software", "hardware", "services", "training"] as const;
export type LineCategory = (typeof LINE_CATEGORIES)[number];

/** Moroccan VAT rates (CGI art. 98–99): exempt, 7 %, 10 %, 14 %, 20 %. */
export const VAT_RATES = ["0.00", "0.07", "0.10", "0.14", "0.20"] as const;
export type VatRate = (typeof VAT_RATES)[number];

export interface CostLine {
  amountExclTax: Centimes;
  /** Ten-thousandths: 2000 for 20 %. */
  vatRate: bigint;
}

export interface GrantRules {
  /** Ten-thousandths: 6000 for 60 %. */
  rate: bigint;
  capPerCompany: Centimes;
}

export interface GrantComputation {
  eligibleAmount: Centimes;
  vatAmount: Centimes;
  /** VAT of each line, in the lines' order. */
  lineVats: Centimes[];
  grantAmount: Centimes;
  ownShare: Centimes;
  /** What is left of the company's cap before this application: cap − grants already approved. */
  capRemaining: Centimes;
}

/**
 * VAT of one line, rounded half up to the centime as on an invoice. The grant never depends on
 * it (it is computed on amounts excl. VAT); only the applicant's own share does.
 */
export function lineVat(line: CostLine): Centimes {
  return (line.amountExclTax * line.vatRate + 5_000n) / 10_000n;
}

/**
 * grantAmount = min(floor(rate × eligible), cap − already approved in the programme), never
 * below zero; ownShare = eligible + VAT − grant.
 */
export function computeGrant(
  lines: readonly CostLine[],
  rules: GrantRules,
  alreadyApproved: Centimes,
): GrantComputation {
  const eligibleAmount = sumCentimes(lines.map((line) => line.amountExclTax));
  const lineVats = lines.map(lineVat);
  const vatAmount = sumCentimes(lineVats);
  const capRemaining = rules.capPerCompany - alreadyApproved > 0n ? rules.capPerCompany - alreadyApproved : 0n;
  const grantAmount = minCentimes(applyRate(eligibleAmount, rules.rate), capRemaining);
  return {
    eligibleAmount,
    vatAmount,
    lineVats,
    grantAmount,
    ownShare: eligibleAmount + vatAmount - grantAmount,
    capRemaining,
  };
}
