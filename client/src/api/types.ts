// Response shapes of the public reference-data endpoints (SPEC.md, "HTTP API").
// Money and rates are decimal strings with exact decimals ("400000.00", "0.60"), never numbers.

export interface ListResponse<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ProblemFieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details, as every API error is sent (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  code?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
  requestId?: string;
}

export interface Sector {
  code: string;
  nameFr: string;
  nameAr: string;
  descriptionFr: string;
  descriptionAr: string;
}

export interface Region {
  code: string;
  nameFr: string;
  nameAr: string;
}

export interface Supplier {
  id: string;
  code: string;
  name: string;
  city: string;
  website: string | null;
  email: string | null;
  phone: string | null;
}

export interface SolutionSupplier {
  id: string;
  code: string;
  name: string;
  city: string;
  website: string | null;
}

export interface Solution {
  id: string;
  code: string;
  sectorCode: string;
  supplier: SolutionSupplier;
  nameFr: string;
  nameAr: string;
  summaryFr: string;
  summaryAr: string;
  costsFr: string;
  costsAr: string;
  benefitsFr: string;
  benefitsAr: string;
  priceMin: string;
  priceMax: string;
}

export type CallStatus = "upcoming" | "open" | "closed";

export interface Programme {
  code: string;
  nameFr: string;
  nameAr: string;
}

export interface CallRules {
  version: number;
  rate: string;
  capPerCompany: string;
  minCompanyAgeYears: number;
  maxTurnover: string;
  sectorCodes: string[];
}

export interface CallEnvelope {
  total: string;
  bySector: Record<string, string>;
}

export interface Call {
  id: string;
  code: string;
  programme: Programme;
  titleFr: string;
  titleAr: string;
  /** Calendar day, "YYYY-MM-DD", in Africa/Casablanca. */
  opensOn: string;
  closesOn: string;
  status: CallStatus;
  rules: CallRules;
  envelope: CallEnvelope;
}

// --- Accounts (server/http/presenters/users.ts) -------------------------------------------------

export type Role = "applicant" | "prescriber" | "officer" | "trainer" | "admin";
export type StaffRole = "officer" | "trainer" | "admin";
export type PrescriberKind = "accountant" | "association";
export type Locale = "fr" | "ar";

export interface Permissions {
  applyForSubsidy: boolean;
  actForClients: boolean;
  reviewApplications: boolean;
  manageTraining: boolean;
  manageUsers: boolean;
  manageProgramme: boolean;
}

export type Permission = keyof Permissions;

export interface PrescriberDetails {
  kind: PrescriberKind;
  registrationNumber: string;
  organisation: string;
}

export interface User {
  id: string;
  role: Role;
  fullName: string;
  email: string;
  /** E.164, e.g. "+212612345678". */
  phone: string | null;
  locale: Locale;
  emailVerified: boolean;
  disabled: boolean;
  prescriber: PrescriberDetails | null;
  /** "AB****56": the full number never leaves the server. */
  nationalIdMasked: string | null;
  createdAt: string;
  lastLoginAt: string | null;
  permissions: Permissions;
}

export interface Registration {
  email: string;
  password: string;
  fullName: string;
  phone?: string;
  role: "applicant" | "prescriber";
  locale: Locale;
  nationalId?: string;
  prescriber?: PrescriberDetails;
}

export interface AccountChanges {
  fullName?: string;
  phone?: string | null;
  locale?: Locale;
  nationalId?: string | null;
}

export interface StaffAccount {
  email: string;
  fullName: string;
  role: StaffRole;
  phone?: string;
  locale: Locale;
}

export type UserStatusFilter = "active" | "disabled" | "unverified";

export interface UserListQuery {
  role?: Role;
  status?: UserStatusFilter;
  q?: string;
  page: number;
  pageSize: number;
}

// --- Companies and mandates (server/http/presenters/companies.ts) -------------------------------

export type LegalForm = "SARL" | "SARL_AU" | "SA" | "SNC" | "PP" | "AE";
export const LEGAL_FORMS: LegalForm[] = ["SARL", "SARL_AU", "SA", "SNC", "PP", "AE"];

export interface CompanyPermissions {
  read: boolean;
  update: boolean;
  listMandates: boolean;
  grantMandate: boolean;
  revokeMandate: boolean;
  createApplication: boolean;
}

/** The profile as it is sent and received; money is a decimal string ("4500000.00"). */
export interface CompanyProfile {
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
  /** "YYYY-MM-DD". */
  foundedOn: string;
  employees: number;
  annualTurnover: string;
}

export interface CompanyRegistration extends CompanyProfile {
  managerName?: string;
  managerEmail?: string;
  managerLocale?: Locale;
}

export interface Company extends CompanyProfile {
  id: string;
  owner: { id: string; fullName: string } | null;
  managerName: string | null;
  managerEmail: string | null;
  claimed: boolean;
  createdAt: string;
  updatedAt: string;
  permissions: CompanyPermissions;
}

export interface CompanyListQuery {
  q?: string;
  page: number;
  pageSize: number;
}

export type MandateStatus = "active" | "expired" | "revoked";

export interface Mandate {
  id: string;
  companyId: string;
  prescriber: { id: string; fullName: string; email: string; organisation: string | null };
  source: "owner-grant" | "prescriber-registration";
  expiresOn: string | null;
  status: MandateStatus;
  revokedAt: string | null;
  createdAt: string;
  permissions: { read: boolean; revoke: boolean };
}
