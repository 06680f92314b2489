import { PROGRAMME_TIME_ZONE } from "../domain/calendar.js";
import { parseRate } from "../domain/money.js";
import type { Locale } from "../i18n/index.js";

/**
 * Numbers, amounts, dates and sizes as printed on PDFs. Latin digits in both languages (as on
 * Moroccan administrative documents and in the client), and no-break spaces: U+00A0 is a
 * "common separator" for the bidi algorithm, so "400 000,00" stays one number inside Arabic
 * text, where an ordinary space would let its groups swap places.
 */

const NBSP = "\u00A0";

const CURRENCY: Record<Locale, string> = { fr: "MAD", ar: "درهم" };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/**
 * "400000.00" (formatMoney's output, or PostgreSQL's NUMERIC) → "400 000,00 MAD" in French,
 * "400 000,00 درهم" in Arabic. Works on the string's digits: the amount never becomes a float.
 */
export function formatAmount(value: string, locale: Locale, options: { currency?: boolean } = {}): string {
  const match = DECIMAL.exec(value);
  if (!match) throw new TypeError(`Not a decimal amount: ${value}`);
  const [, sign = "", units = "0", fraction = ""] = match;
  const cents = fraction.padEnd(2, "0");
  if (cents.length > 2) throw new TypeError(`More than two decimals in an amount: ${value}`);
  const number = `${sign === "-" ? "−" : ""}${groupThousands(units.replace(/^0+(?=\d)/, ""))},${cents}`;
  return options.currency === false ? number : `${number}${NBSP}${CURRENCY[locale]}`;
}

/**
 * A rate "0.60" or "0.2000" → "60 %" in French. Arabic writes the sign against the digits
 * ("60%"): the bidi algorithm then keeps it on the number's right, where a reader expects it.
 */
export function formatPercent(rate: string, locale: Locale): string {
  const hundredths = parseRate(rate); // ten-thousandths of 1 = hundredths of a percent
  const whole = (hundredths / 100n).toString();
  const decimals = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  const number = decimals ? `${whole},${decimals}` : whole;
  return locale === "fr" ? `${number}${NBSP}%` : `${number}%`;
}

const SIZE_UNITS: Record<Locale, { bytes: string; kilo: string; mega: string }> = {
  fr: { bytes: "octets", kilo: "Ko", mega: "Mo" },
  ar: { bytes: "بايت", kilo: "كيلوبايت", mega: "ميغابايت" },
};

/** One decimal, rounded half up, in integer arithmetic: 1536 bytes → "1,5 Ko". */
function tenths(bytes: number, unit: number): string {
  const scaled = Math.floor((bytes * 10 + unit / 2) / unit);
  const whole = Math.floor(scaled / 10);
  const decimal = scaled % 10;
  return decimal === 0 ? groupThousands(String(whole)) : `${groupThousands(String(whole))},${decimal}`;
}

/** A file size: "820 octets", "12,5 Ko", "3,2 Mo" (binary multiples, as file managers show them). */
export function formatFileSize(bytes: number, locale: Locale): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`Not a file size: ${bytes}`);
  const units = SIZE_UNITS[locale];
  if (bytes < 1024) return `${bytes}${NBSP}${units.bytes}`;
  // Below what would round up to "1024,0 Ko", kilobytes; from there on, megabytes.
  if (bytes * 10 + 512 < 1024 * 1024 * 10) return `${tenths(bytes, 1024)}${NBSP}${units.kilo}`;
  return `${tenths(bytes, 1024 * 1024)}${NBSP}${units.mega}`;
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat("fr-MA", { dateStyle: "long", timeZone: PROGRAMME_TIME_ZONE, numberingSystem: "latn" }),
  ar: new Intl.DateTimeFormat("ar-MA", { dateStyle: "long", timeZone: PROGRAMME_TIME_ZONE, numberingSystem: "latn" }),
};

const timeFormat = new Intl.DateTimeFormat("fr-MA", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: PROGRAMME_TIME_ZONE,
  numberingSystem: "latn",
});

/** The calendar date of an instant in Casablanca: "15 juin 2026", "15 يونيو 2026". */
export function formatDate(instant: Date, locale: Locale): string {
  return dateFormats[locale].format(instant).replace(/[\u200E\u200F\u061C]/g, "");
}

/** The time of an instant in Casablanca, 24-hour: "09:05". */
export function formatTime(instant: Date): string {
  return timeFormat.format(instant);
}
