// Display formatting only. Money is written from its decimal string's digits (never a float), the
// same way as the server's e-mails and PDFs; rates go to Intl as strings, which it formats exactly.
import { isDecimalString } from "./money";
import type { Language } from "./i18n/languages";
import { localeOf } from "./i18n/languages";

export const TIME_ZONE = "Africa/Casablanca";

const percentFormats = new Map<Language, Intl.NumberFormat>();
const dateFormats = new Map<Language, Intl.DateTimeFormat>();

function cached<T>(cache: Map<Language, T>, language: Language, create: () => T): T {
  const existing = cache.get(language);
  if (existing) {
    return existing;
  }
  const created = create();
  cache.set(language, created);
  return created;
}

const NBSP = "\u00A0";
const CURRENCY: Record<Language, string> = { fr: "MAD", ar: "درهم" };
const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * "400000.00" → "400 000,00 MAD" (fr) or "400 000,00 درهم" (ar), as the server writes amounts in
 * e-mails and PDFs and as Moroccan invoices do: groups of three separated by no-break spaces, a
 * decimal comma, Latin digits. Built from the string's digits: the amount never becomes a float.
 * U+00A0 keeps the number in one piece inside Arabic text (a plain space would let groups swap).
 */
export function formatMoney(amount: string, language: Language): string {
  const match = MONEY.exec(amount.trim());
  if (!match) {
    return amount;
  }
  const [, sign = "", units = "0", fraction = ""] = match;
  const grouped = units.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const number = `${sign === "-" ? "\u2212" : ""}${grouped},${fraction.padEnd(2, "0")}`;
  return `${number}${NBSP}${CURRENCY[language]}`;
}

/** "0.60" → "60 %". */
export function formatRate(rate: string, language: Language): string {
  if (!isDecimalString(rate)) {
    return rate;
  }
  const format = cached(
    percentFormats,
    language,
    () => new Intl.NumberFormat(localeOf(language), { style: "percent", maximumFractionDigits: 2 }),
  );
  return format.format(rate);
}

/** "2026-12-31" → "31 décembre 2026", as a calendar day in Morocco. */
export function formatDay(isoDay: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!match) {
    return isoDay;
  }
  // Noon UTC is the same calendar day in Africa/Casablanca whatever its offset (UTC+0 or UTC+1).
  const noonUtc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  const format = cached(
    dateFormats,
    language,
    () => new Intl.DateTimeFormat(localeOf(language), { dateStyle: "long", timeZone: TIME_ZONE }),
  );
  return format.format(noonUtc);
}

const instantDayFormats = new Map<Language, Intl.DateTimeFormat>();
const instantFormats = new Map<Language, Intl.DateTimeFormat>();

/** "2026-06-15T10:00:00Z" → "15 juin 2026", the calendar day in Morocco. */
export function formatInstantDay(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const format = cached(
    instantDayFormats,
    language,
    () => new Intl.DateTimeFormat(localeOf(language), { dateStyle: "long", timeZone: TIME_ZONE }),
  );
  return format.format(date);
}

/** "2026-06-15T10:00:00Z" → "15 juin 2026 à 11:00", Moroccan time. */
export function formatInstant(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const format = cached(
    instantFormats,
    language,
    () => new Intl.DateTimeFormat(localeOf(language), { dateStyle: "long", timeStyle: "short", timeZone: TIME_ZONE }),
  );
  return format.format(date);
}

/** "+212612345678" → "06 12 34 56 78", as Moroccans write it; other numbers as stored. */
export function formatPhone(e164: string | null): string {
  if (!e164) {
    return "";
  }
  const moroccan = /^\+212(\d{9})$/.exec(e164);
  if (!moroccan?.[1]) {
    return e164;
  }
  const national = `0${moroccan[1]}`;
  return national.replace(/(\d{2})(?=\d)/g, "$1 ");
}

const sizeFormats = new Map<string, Intl.NumberFormat>();

/** 2048 → "2 ko", 1536000 → "1,5 Mo": decimal units, as file managers show them. */
export function formatFileSize(bytes: number, language: Language): string {
  const [value, unit] =
    bytes >= 1_000_000 ? [bytes / 1_000_000, "megabyte"] : bytes >= 1000 ? [bytes / 1000, "kilobyte"] : [bytes, "byte"];
  const key = `${language}:${unit}`;
  let format = sizeFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(language), { style: "unit", unit, maximumFractionDigits: 1 });
    sizeFormats.set(key, format);
  }
  return format.format(value);
}

const countFormats = new Map<Language, Intl.NumberFormat>();

/**
 * 4000 → "4 000": counts grouped like the amounts (no-break spaces, Latin digits), where CLDR's
 * fr-MA would write "4.000" next to "400 000,00 MAD". Non-integers keep Intl's decimal comma.
 */
export function formatCount(value: number, language: Language): string {
  if (!Number.isSafeInteger(value)) {
    return cached(countFormats, language, () => new Intl.NumberFormat(localeOf(language))).format(value);
  }
  const grouped = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return value < 0 ? `\u2212${grouped}` : grouped;
}
