import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Normalises a phone number to E.164, reading national numbers as Moroccan ("06 12 34 56 78" →
 * "+212612345678"); null when it is not a valid number.
 */
export function normalisePhone(input: string): string | null {
  const cleaned = input.trim();
  if (cleaned === "") return null;
  const parsed = parsePhoneNumberFromString(cleaned, "MA");
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}
