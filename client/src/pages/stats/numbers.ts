// Numbers of the statistics and open data pages, written for the locale (Latin digits in Arabic,
// as everywhere in the client). Money keeps going through format.ts (never a float on screen).
import { formatCount } from "../../format";
import type { Language } from "../../i18n/languages";
import { toCentimes } from "../../money";

export { formatCount };

const percentFormats = new Map<Language, Intl.NumberFormat>();
const smallPercentFormats = new Map<Language, Intl.NumberFormat>();
const compactFormats = new Map<Language, Intl.NumberFormat>();
const decimalFormats = new Map<Language, Intl.NumberFormat>();
const monthFormats = new Map<Language, Intl.DateTimeFormat>();

/** "ar-MA-u-nu-latn": Arabic words, Latin digits (the budget page's choice). */
export function numberLocale(language: Language): string {
  return language === "ar" ? "ar-MA-u-nu-latn" : "fr-MA";
}

function cached<T>(cache: Map<Language, T>, language: Language, create: () => T): T {
  let value = cache.get(language);
  if (!value) {
    value = create();
    cache.set(language, value);
  }
  return value;
}

/** 0.8412 → "84,1 %" (fr), "84,1%" (ar); below 1 %, two decimals (0.0003 → "0,03 %", not "0 %"). */
export function formatPercent(ratio: number, language: Language): string {
  const format = cached(
    percentFormats,
    language,
    () => new Intl.NumberFormat(numberLocale(language), { style: "percent", maximumFractionDigits: 1 }),
  );
  if (ratio > 0 && ratio < 0.01) {
    return cached(
      smallPercentFormats,
      language,
      () => new Intl.NumberFormat(numberLocale(language), { style: "percent", maximumFractionDigits: 2 }),
    ).format(ratio);
  }
  return format.format(ratio);
}

/** part ÷ whole as a percentage, or null when the whole is 0 (nothing to compare with). */
export function formatShare(part: number, whole: number, language: Language): string | null {
  return whole > 0 ? formatPercent(part / whole, language) : null;
}

/** 12.5 → "12,5". */
export function formatDecimal(value: number, language: Language): string {
  return cached(
    decimalFormats,
    language,
    () => new Intl.NumberFormat(numberLocale(language), { maximumFractionDigits: 1 }),
  ).format(value);
}

/** 50000000 → "50 M" / "50 مليون": axis labels only; the tables have the exact amounts. */
export function formatCompact(value: number, language: Language): string {
  return cached(
    compactFormats,
    language,
    () => new Intl.NumberFormat(numberLocale(language), { notation: "compact", maximumFractionDigits: 1 }),
  ).format(value);
}

/** "2026-06" → "juin 2026" / "يونيو 2026". */
export function formatMonth(month: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15, 12));
  return cached(
    monthFormats,
    language,
    () => new Intl.DateTimeFormat(numberLocale(language), { month: "long", year: "numeric", timeZone: "UTC" }),
  ).format(date);
}

/** A decimal string as a number of dirhams, for drawing only (bars need a length, not an exact sum). */
export function dirhams(amount: string): number {
  try {
    return Number(toCentimes(amount)) / 100;
  } catch {
    return 0;
  }
}
