/**
 * Money is a count of centimes held in a BigInt. It enters and leaves the system as a decimal
 * string ("400000.00"), the way PostgreSQL's NUMERIC(14,2) and the JSON API carry it; a
 * JavaScript number never holds an amount.
 */
export type Centimes = bigint;

/** The largest amount NUMERIC(14,2) can hold: 999,999,999,999.99 MAD. */
export const MAX_CENTIMES: Centimes = 99_999_999_999_999n;

const INPUT_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

export type MoneyParseFailure = "format" | "too-many-decimals" | "negative" | "too-large";

export function describeMoneyInput(input: string): MoneyParseFailure | null {
  if (INPUT_PATTERN.test(input)) return null;
  if (/^-/.test(input)) return "negative";
  if (/^\d+\.\d{3,}$/.test(input)) return "too-many-decimals";
  if (/^\d{13,}(\.\d{1,2})?$/.test(input)) return "too-large";
  return "format";
}

/** Parses a user-supplied amount; null when it is not a plain decimal with at most two decimals. */
export function parseMoney(input: string): Centimes | null {
  if (!INPUT_PATTERN.test(input)) return null;
  const [units = "0", fraction = ""] = input.split(".");
  return BigInt(units) * 100n + BigInt(fraction.padEnd(2, "0"));
}

/** Reads a NUMERIC(14,2) value as returned by pg ("12.50", "-3.00"); throws on anything else. */
export function fromDatabase(value: string): Centimes {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(value);
  if (!match) throw new TypeError(`Not a NUMERIC(14,2) value: ${value}`);
  const [, sign, units = "0", fraction = "00"] = match;
  const magnitude = BigInt(units) * 100n + BigInt(fraction);
  return sign === "-" ? -magnitude : magnitude;
}

/** Formats centimes the way the API and the database expect: "400000.00". */
export function formatMoney(amount: Centimes): string {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const units = magnitude / 100n;
  const fraction = (magnitude % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${units.toString()}.${fraction}`;
}

/** A rate such as "0.60" or "0.6000" as a fraction in ten-thousandths (6000). */
export function parseRate(value: string): bigint {
  const match = /^(0|1)(?:\.(\d{1,4}))?$/.exec(value);
  if (!match) throw new TypeError(`Not a rate between 0 and 1: ${value}`);
  const [, units = "0", fraction = ""] = match;
  const rate = BigInt(units) * 10_000n + BigInt(fraction.padEnd(4, "0"));
  if (rate > 10_000n) throw new TypeError(`Rate above 1: ${value}`);
  return rate;
}

/** "0.6000" → "0.60": the shortest form with at least two decimals. */
export function formatRate(tenThousandths: bigint): string {
  const units = tenThousandths / 10_000n;
  const fraction = (tenThousandths % 10_000n)
    .toString()
    .padStart(4, "0")
    .replace(/0{1,2}$/, "");
  return `${units.toString()}.${fraction.length < 2 ? fraction.padEnd(2, "0") : fraction}`;
}

/** rate × amount, rounded down to the centime (the programme never pays a fraction up). */
export function applyRate(amount: Centimes, rateTenThousandths: bigint): Centimes {
  if (amount < 0n) throw new RangeError("applyRate expects a non-negative amount");
  return (amount * rateTenThousandths) / 10_000n;
}

export function minCentimes(first: Centimes, ...others: Centimes[]): Centimes {
  return others.reduce((smallest, amount) => (amount < smallest ? amount : smallest), first);
}

export function sumCentimes(amounts: Iterable<Centimes>): Centimes {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}
