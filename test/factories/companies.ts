import { randomInt } from "node:crypto";
import { iceWithKey } from "../../server/domain/ice.js";
import { Company, Mandate, type LegalForm, type User } from "../../server/models/index.js";

/**
 * Companies and mandates written straight to the database (fast), and the JSON bodies the API
 * takes to register one.
 */

// One run of the suite shares this module: a counter from a random start never repeats a base.
let nextSerial = randomInt(1_000_000, 9_000_000) * 1000;

/**
 * A valid ICE (15 digits, divisible by 97): `validIce(7)` is always the same number, `validIce()`
 * a new one on every call.
 */
export function validIce(n?: number): string {
  const serial = n ?? (nextSerial += 1);
  if (!Number.isSafeInteger(serial) || serial < 0 || serial >= 10 ** 12) throw new RangeError("0 ≤ n < 10^12");
  return iceWithKey(`1${String(serial).padStart(12, "0")}`);
}

/** The profile fields of POST /api/v1/companies. */
export interface CompanyPayload {
  ice: string;
  name: string;
  legalForm: LegalForm;
  rcNumber: string;
  rcCourt: string;
  ifNumber: string;
  cnssNumber: string;
  sectorCode: string;
  regionCode: string;
  city: string;
  address: string;
  foundedOn: string;
  employees: number;
  annualTurnover: string;
  managerName?: string | null;
  managerEmail?: string | null;
  managerLocale?: "fr" | "ar";
}

/** A valid registration body with a fresh ICE; overrides may add anything (even forged fields). */
export function companyPayload(overrides: Partial<CompanyPayload> & Record<string, unknown> = {}): CompanyPayload {
  return {
    ice: validIce(),
    name: "Atlas Textile SARL",
    legalForm: "SARL",
    rcNumber: "123456",
    rcCourt: "Casablanca",
    ifNumber: "12345678",
    cnssNumber: "1234567",
    sectorCode: "textile-habillement",
    regionCode: "casablanca-settat",
    city: "Casablanca",
    address: "12, rue des Tisserands, Hay Mohammadi",
    foundedOn: "2015-03-01",
    employees: 25,
    annualTurnover: "4500000.50",
    ...overrides,
  };
}

export interface CompanyFactoryOptions extends Partial<Omit<CompanyPayload, "managerLocale">> {
  /** null: a company a prescriber registered, still waiting for its manager to claim it. */
  owner: User | null;
  /** Defaults to the owner; required when there is no owner. */
  createdBy?: User;
}

/** A company written straight to the database, owned by `owner`. */
export async function createCompany(options: CompanyFactoryOptions): Promise<Company> {
  const { owner, createdBy, managerName, managerEmail, ...profile } = options;
  const creator = createdBy ?? owner;
  if (!creator) throw new Error("createCompany: a company without owner needs createdBy (its prescriber)");
  const payload = companyPayload(profile);
  return Company.create({
    ice: payload.ice,
    name: payload.name,
    legalForm: payload.legalForm,
    rcNumber: payload.rcNumber,
    rcCourt: payload.rcCourt,
    ifNumber: payload.ifNumber,
    cnssNumber: payload.cnssNumber,
    sectorCode: payload.sectorCode,
    regionCode: payload.regionCode,
    city: payload.city,
    address: payload.address,
    foundedOn: payload.foundedOn,
    employees: payload.employees,
    annualTurnover: payload.annualTurnover,
    ownerId: owner?.id ?? null,
    managerName: managerName ?? (owner ? owner.fullName : "Dirigeant Invité"),
    managerEmail: managerEmail?.toLowerCase() ?? (owner ? null : `dirigeant-${payload.ice}@example.ma`),
    createdBy: creator.id,
  });
}

export interface MandateFactoryOptions {
  company: Company;
  prescriber: User;
  /** Last valid day (YYYY-MM-DD, inclusive); null or absent: no end. */
  expiresOn?: string | null;
  /** Set: the mandate was revoked at that instant. */
  revokedAt?: Date | string | null;
  /** Defaults to the company's owner, or the prescriber for an unclaimed company. */
  grantedBy?: User;
}

/** A mandate written straight to the database (no e-mail, no audit event). */
export async function createMandate(options: MandateFactoryOptions): Promise<Mandate> {
  const grantedBy = options.grantedBy?.id ?? options.company.ownerId ?? options.prescriber.id;
  const revokedAt = options.revokedAt === undefined || options.revokedAt === null ? null : new Date(options.revokedAt);
  return Mandate.create({
    companyId: options.company.id,
    prescriberId: options.prescriber.id,
    grantedBy,
    source: options.company.ownerId === null ? "prescriber-registration" : "owner-grant",
    expiresOn: options.expiresOn ?? null,
    revokedAt,
    revokedBy: revokedAt ? grantedBy : null,
  });
}

/** A company as the API presents it (server/http/presenters/companies.ts). */
export interface CompanyBody {
  id: string;
  ice: string;
  name: string;
  legalForm: string;
  rcNumber: string;
  rcCourt: string;
  ifNumber: string;
  cnssNumber: string;
  sectorCode: string;
  regionCode: string;
  city: string;
  address: string;
  foundedOn: string;
  employees: number;
  annualTurnover: string;
  owner: { id: string; fullName: string } | null;
  managerName: string | null;
  managerEmail: string | null;
  claimed: boolean;
  createdAt: string;
  updatedAt: string;
  permissions: Record<string, boolean>;
}

export const COMPANY_BODY_KEYS = [
  "address",
  "annualTurnover",
  "city",
  "claimed",
  "cnssNumber",
  "createdAt",
  "employees",
  "foundedOn",
  "ice",
  "id",
  "ifNumber",
  "legalForm",
  "managerEmail",
  "managerName",
  "name",
  "owner",
  "permissions",
  "rcCourt",
  "rcNumber",
  "regionCode",
  "sectorCode",
  "updatedAt",
];

/** A mandate as the API presents it. */
export interface MandateBody {
  id: string;
  companyId: string;
  prescriber: { id: string; fullName: string; email: string; organisation: string | null };
  source: "owner-grant" | "prescriber-registration";
  expiresOn: string | null;
  status: "active" | "expired" | "revoked";
  revokedAt: string | null;
  createdAt: string;
  permissions: Record<string, boolean>;
}
