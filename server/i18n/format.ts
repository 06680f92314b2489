import { PROGRAMME_TIME_ZONE } from "../domain/calendar.js";
import { formatMoney, type Centimes } from "../domain/money.js";
import { formatAmount } from "../pdf/format.js";
import { translate, type Locale } from "./index.js";

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

const dayFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat("fr-MA", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: PROGRAMME_TIME_ZONE,
  }),
  ar: new Intl.DateTimeFormat("ar-MA", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: PROGRAMME_TIME_ZONE,
    numberingSystem: "latn",
  }),
};

const clockFormat = new Intl.DateTimeFormat("fr-MA", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: PROGRAMME_TIME_ZONE,
});

/**
 * When a session takes place, in Moroccan time: "mercredi 1 juillet 2026, de 09:00 à 17:00", or
 * both days when it spans several.
 */
export function displaySessionPeriod(startsAt: Date, endsAt: Date, locale: Locale): string {
  const startDay = dayFormats[locale].format(startsAt);
  const endDay = dayFormats[locale].format(endsAt);
  const from = clockFormat.format(startsAt);
  const to = clockFormat.format(endsAt);
  if (startDay === endDay) return translate(locale, "training.period-one-day", { day: startDay, from, to });
  return translate(locale, "training.period-several-days", { startDay, from, endDay, to });
}

/** Where a session takes place: its venue, its online link, or both. */
export function displaySessionPlace(
  session: { venue: string | null; onlineUrl: string | null; city: string },
  locale: Locale,
): string {
  const online = session.onlineUrl ? translate(locale, "training.online", { url: session.onlineUrl }) : null;
  const venue = session.venue ? `${session.venue}, ${session.city}` : null;
  return [venue, online].filter((part): part is string => part !== null).join(" — ");
}
