import { randomUUID } from "node:crypto";
import { hashPassword } from "../../server/auth/passwords.js";
import type { Locale } from "../../server/i18n/index.js";
import { User, type PrescriberKind, type Role } from "../../server/models/index.js";
import { TEST_NOW } from "../helpers/testDatabase.js";

/** Not among the 10,000 most common passwords, and long enough. */
export const TEST_PASSWORD = "Tajine au safran 2026";

// argon2id costs 50–100 ms a hash: each distinct password is hashed once for the whole run.
const hashes = new Map<string, Promise<string>>();

export function passwordHashFor(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.ma`;
}

export interface UserFactoryOptions {
  role?: Role;
  email?: string;
  fullName?: string;
  /** null: an account without a password yet (staff account not set up). */
  password?: string | null;
  verified?: boolean;
  disabled?: boolean;
  locale?: Locale;
  phone?: string | null;
  prescriber?: { kind: PrescriberKind; registrationNumber: string; organisation: string };
}

/** A user written straight to the database (verified and active unless told otherwise). */
export async function createUser(options: UserFactoryOptions = {}): Promise<User> {
  const role = options.role ?? "applicant";
  const password = options.password === undefined ? TEST_PASSWORD : options.password;
  const prescriber =
    role === "prescriber"
      ? (options.prescriber ?? {
          kind: "accountant",
          registrationNumber: "OEC-CASA-0001",
          organisation: "Cabinet Test",
        })
      : null;
  return User.create({
    role,
    fullName: options.fullName ?? `Utilisateur ${role}`,
    email: options.email ?? uniqueEmail(role),
    phone: options.phone ?? null,
    locale: options.locale ?? "fr",
    passwordHash: password === null ? null : await passwordHashFor(password),
    emailVerifiedAt: options.verified === false ? null : new Date(TEST_NOW),
    disabledAt: options.disabled ? new Date(TEST_NOW) : null,
    prescriberKind: prescriber?.kind ?? null,
    prescriberRegistrationNumber: prescriber?.registrationNumber ?? null,
    prescriberOrganisation: prescriber?.organisation ?? null,
    nationalIdEncrypted: null,
    lastLoginAt: null,
  });
}
