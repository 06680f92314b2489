// A date and a time typed by a trainer are Moroccan civil time; the API wants the instant (UTC).
// Morocco is UTC+1 most of the year and UTC+0 around Ramadan, on dates that move every year: the
// offset is asked of Intl (the browser's time-zone database), never written here.
import { TIME_ZONE } from "../../format";

export interface LocalDateTime {
  /** "YYYY-MM-DD". */
  date: string;
  /** "HH:MM", 24-hour. */
  time: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** The wall-clock reading in Casablanca at an instant, as numbers. */
function wallClock(instant: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts: Record<string, number> = {};
  for (const part of partsFormat.formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** Minutes Casablanca is ahead of UTC at an instant (60 or 0). */
function offsetMinutesAt(instant: number): number {
  const wall = wallClock(instant);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

export function isLocalDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isLocalTime(value: string): boolean {
  return TIME.test(value);
}

/**
 * "2026-07-01" + "09:00" in Casablanca → "2026-07-01T08:00:00.000Z". The offset is taken at the
 * instant itself (two passes), so a time on the day the clocks change gets that day's offset. A
 * time the clocks skip (02:00–02:59 when they go forward) becomes the same time after the jump.
 * Null when the date or the time is not valid.
 */
export function casablancaToInstant({ date, time }: LocalDateTime): string | null {
  const dateMatch = DATE.exec(date);
  const timeMatch = TIME.exec(time);
  if (!dateMatch || !timeMatch || !isLocalDate(date)) return null;
  const wallAsUtc = Date.UTC(
    Number(dateMatch[1]),
    Number(dateMatch[2]) - 1,
    Number(dateMatch[3]),
    Number(timeMatch[1]),
    Number(timeMatch[2]),
  );
  const first = wallAsUtc - offsetMinutesAt(wallAsUtc) * 60_000;
  const second = wallAsUtc - offsetMinutesAt(first) * 60_000;
  // Where both readings agree the wall time exists; otherwise it fell in the gap of a jump forward.
  const instant = offsetMinutesAt(second) === offsetMinutesAt(first) ? second : Math.max(first, second);
  return new Date(instant).toISOString();
}

const pad = (value: number) => String(value).padStart(2, "0");

/** "2026-07-01T08:00:00.000Z" → { date: "2026-07-01", time: "09:00" }, the Casablanca wall clock. */
export function instantToCasablanca(iso: string): LocalDateTime {
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return { date: "", time: "" };
  const wall = wallClock(instant);
  return {
    date: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`,
    time: `${pad(wall.hour)}:${pad(wall.minute)}`,
  };
}
