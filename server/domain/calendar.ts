/** The programme runs on Moroccan civil time: "today" is today in Africa/Casablanca. */
export const PROGRAMME_TIME_ZONE = "Africa/Casablanca";

const isoDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: PROGRAMME_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** YYYY-MM-DD of the instant in Casablanca. */
export function localDate(instant: Date): string {
  return isoDate.format(instant);
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type CallStatus = "upcoming" | "open" | "closed";

/** Dates are inclusive: a call closing on the 31st still accepts files all day on the 31st. */
export function callStatus(window: { opensOn: string; closesOn: string }, today: string): CallStatus {
  if (today < window.opensOn) return "upcoming";
  if (today > window.closesOn) return "closed";
  return "open";
}
