/**
 * ICE (Identifiant Commun de l'Entreprise): 15 digits; the number is valid when divisible by 97
 * (the last two digits are the check key). BigInt, since 15 digits exceed exact float range
 * only barely, and an exact check must not depend on that.
 */
export const ICE_PATTERN = /^\d{15}$/;

export type IceProblem = "format" | "checksum";

export function checkIce(ice: string): IceProblem | null {
  // Fifteen zeros pass the modulus but are no company's number.
  if (!ICE_PATTERN.test(ice) || /^0+$/.test(ice)) return "format";
  return BigInt(ice) % 97n === 0n ? null : "checksum";
}

/** Completes a 13-digit base with its two-digit key, e.g. for building valid test numbers. */
export function iceWithKey(base13: string): string {
  if (!/^\d{13}$/.test(base13)) throw new RangeError("an ICE base has 13 digits");
  const remainder = (BigInt(base13) * 100n) % 97n;
  const key = (97n - remainder) % 97n;
  return `${base13}${key.toString().padStart(2, "0")}`;
}
