import { PROGRAMME_TIME_ZONE } from "../domain/calendar.js";
import { formatMoney, type Centimes } from "../domain/money.js";
import { formatAmount } from "../pdf/format.js";
import type { Locale } from "./index.js";

/**
 * An amount for people: "400 000,00 MAD" / "400 000,00 درهم", grouped with no-break spaces as on
 * Moroccan invoices, the same in e-mails, answers and PDFs. Built from the decimal string: the
 * amount never passes through a float.
 */
export function displayMoney(amount: Centimes, locale: Locale): string {
  return formatAmount(formatMoney(amount), locale);
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat("fr-MA", { dateStyle: "long", timeZone: "UTC" }),
  ar: new Intl.DateTimeFormat("ar-MA", { dateStyle: "long", timeZone: "UTC", numberingSystem: "latn" }),
};

/** A calendar date "2026-06-15" for people: "15 juin 2026". */
export function displayDate(isoDate: string, locale: Locale): string {
  return dateFormats[locale].format(new Date(`${isoDate}T00:00:00Z`));
}

const instantFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat("fr-MA", { dateStyle: "long", timeStyle: "short", timeZone: PROGRAMME_TIME_ZONE }),
  ar: new Intl.DateTimeFormat("ar-MA", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: PROGRAMME_TIME_ZONE,
    numberingSystem: "latn",
  }),
};

/** An instant in Moroccan time: "15 juin 2026 à 11:00". */
export function displayInstant(instant: Date, locale: Locale): string {
  return instantFormats[locale].format(instant);
}
