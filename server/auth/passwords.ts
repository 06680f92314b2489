import { readFileSync } from "node:fs";
import argon2 from "argon2";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// OWASP SecLists' 10,000 most common passwords (CC BY-SA 3.0), compared case-insensitively.
const commonPasswords = new Set(
  readFileSync(new URL("./data/common-passwords.txt", import.meta.url), "utf8")
    .split("\n")
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line.length > 0),
);

export type PasswordProblem = "too-short" | "too-long" | "too-common";

/** NIST 800-63B style: length and a blocklist, no composition rules. */
export function checkPasswordPolicy(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "too-short";
  if (length > PASSWORD_MAX_LENGTH) return "too-long";
  if (commonPasswords.has(password.toLowerCase())) return "too-common";
  return null;
}

const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the time of a real verification when there is no account (or no password yet), so the
 * answer's timing does not tell whether an e-mail address is registered.
 */
export async function burnVerificationTime(password: string): Promise<false> {
  dummyHash ??= hashPassword("moussanada-timing-equaliser");
  await verifyPassword(await dummyHash, password);
  return false;
}
