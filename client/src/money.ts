// Exact money arithmetic for the client. The API sends money as decimal strings ("400000.00") and
// rates as decimal strings ("0.60"); a float would round 60 % of 666,666.67 the wrong way, so every
// computation goes through BigInt centimes. Pure functions only: unit-testable without a browser.

/** A decimal string as sent by the API, e.g. "45000.00" or "0.60". */
export type DecimalString = `${number}`;

export const DEFAULT_RATE = "0.60";
export const DEFAULT_CAP_PER_COMPANY = "400000.00";

const MONEY_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;
const RATE_PATTERN = /^(\d+)(?:\.(\d+))?$/;

export function isDecimalString(value: string): value is DecimalString {
  return /^-?\d+(?:\.\d+)?$/.test(value);
}

/** "45000.5" → 4500050n. Throws on anything that is not a non-negative amount with ≤ 2 decimals. */
export function toCentimes(amount: string): bigint {
  const match = MONEY_PATTERN.exec(amount.trim());
  if (!match) {
    throw new RangeError(`Invalid money amount: "${amount}"`);
  }
  const units = match[1] ?? "0";
  const fraction = (match[2] ?? "").padEnd(2, "0");
  return BigInt(units) * 100n + BigInt(fraction);
}

/** 4500050n → "45000.50" (the API's own format). */
export function fromCentimes(centimes: bigint): DecimalString {
  const sign = centimes < 0n ? "-" : "";
  const absolute = centimes < 0n ? -centimes : centimes;
  const units = absolute / 100n;
  const fraction = (absolute % 100n).toString().padStart(2, "0");
  return `${sign}${units}.${fraction}` as DecimalString;
}

/** "0.60" → 60n/100n, kept as a fraction so that any number of decimals stays exact. */
export function toRatio(rate: string): { numerator: bigint; denominator: bigint } {
  const match = RATE_PATTERN.exec(rate.trim());
  if (!match) {
    throw new RangeError(`Invalid rate: "${rate}"`);
  }
  const fraction = match[2] ?? "";
  return {
    numerator: BigInt(`${match[1] ?? "0"}${fraction}`),
    denominator: 10n ** BigInt(fraction.length),
  };
}

/**
 * Subsidy for one investment amount: floor-to-centime(rate × amount), capped, never below 0.
 * Same rule as the server's grantAmount when the company has no previous grant.
 * subsidyFor("666666.67") === "400000.00"; subsidyFor("0.05") === "0.03".
 */
export function subsidyFor(
  amount: string,
  rate: string = DEFAULT_RATE,
  cap: string = DEFAULT_CAP_PER_COMPANY,
): DecimalString {
  const { numerator, denominator } = toRatio(rate);
  // Amounts and rates are non-negative, so BigInt's truncating division is a floor.
  const raw = (toCentimes(amount) * numerator) / denominator;
  const capped = raw < toCentimes(cap) ? raw : toCentimes(cap);
  return fromCentimes(capped < 0n ? 0n : capped);
}

export interface SubsidyRange {
  min: DecimalString;
  max: DecimalString;
}

/** Estimated subsidy for a solution's reference price range. */
export function subsidyRange(
  priceMin: string,
  priceMax: string,
  rate: string = DEFAULT_RATE,
  cap: string = DEFAULT_CAP_PER_COMPANY,
): SubsidyRange {
  return { min: subsidyFor(priceMin, rate, cap), max: subsidyFor(priceMax, rate, cap) };
}
