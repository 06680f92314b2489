// The company form's values, checks and conversion. Checks mirror the server's
// (server/http/routes/companies.ts): most mistakes are caught before sending, the server has the last word.
import type { TFunction } from "i18next";
import type { Company, CompanyProfile, LegalForm, Locale, Role } from "../../api/types";
import { fieldRefs } from "../../components/forms/useFormFeedback";

export interface CompanyValues {
  ice: string;
  name: string;
  legalForm: LegalForm | "";
  rcNumber: string;
  rcCourt: string;
  ifNumber: string;
  cnssNumber: string;
  sectorCode: string;
  regionCode: string;
  city: string;
  address: string;
  foundedOn: string;
  employees: string;
  annualTurnover: string;
  managerName: string;
  managerEmail: string;
  managerLocale: Locale;
}

/** In the order they appear on screen: the error summary lists them in that order. */
export const PROFILE_FIELD_NAMES = [
  "ice",
  "name",
  "legalForm",
  "rcNumber",
  "rcCourt",
  "ifNumber",
  "cnssNumber",
  "sectorCode",
  "regionCode",
  "city",
  "address",
  "foundedOn",
  "employees",
  "annualTurnover",
] as const satisfies ReadonlyArray<keyof CompanyValues>;

export const MANAGER_FIELD_NAMES = ["managerName", "managerEmail", "managerLocale"] as const;

export function companyFieldRefs(formId: string) {
  return fieldRefs<CompanyValues>(formId, [...PROFILE_FIELD_NAMES, ...MANAGER_FIELD_NAMES]);
}

export function emptyCompanyValues(locale: Locale): CompanyValues {
  return {
    ice: "",
    name: "",
    legalForm: "",
    rcNumber: "",
    rcCourt: "",
    ifNumber: "",
    cnssNumber: "",
    sectorCode: "",
    regionCode: "",
    city: "",
    address: "",
    foundedOn: "",
    employees: "",
    annualTurnover: "",
    managerName: "",
    managerEmail: "",
    managerLocale: locale,
  };
}

export function valuesOf(company: Company, locale: Locale): CompanyValues {
  return {
    ...emptyCompanyValues(locale),
    ice: company.ice,
    name: company.name,
    legalForm: company.legalForm,
    rcNumber: company.rcNumber,
    rcCourt: company.rcCourt,
    ifNumber: company.ifNumber,
    cnssNumber: company.cnssNumber,
    sectorCode: company.sectorCode,
    regionCode: company.regionCode,
    city: company.city,
    address: company.address,
    foundedOn: company.foundedOn,
    employees: String(company.employees),
    annualTurnover: company.annualTurnover,
  };
}

/** "001 234 567 000 089" → "001234567000089": people copy the number with spaces. */
export function normaliseIce(value: string): string {
  return value.replace(/[\s.-]+/g, "");
}

/** 15 digits, and the number is divisible by 97 (server/domain/ice.ts). */
export function isValidIce(ice: string): boolean {
  return /^\d{15}$/.test(ice) && BigInt(ice) % 97n === 0n;
}

/** "4 500 000.00" → "4500000.00"; spaces between thousands are forgiven, the comma is not guessed. */
export function normaliseAmount(value: string): string {
  return value.replace(/[\s\u00a0\u202f]+/g, "");
}

const AMOUNT = /^\d+(?:\.\d{1,2})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The profile to send: trimmed, the turnover as a string (never a float), employees as an integer. */
export function profileFrom(values: CompanyValues): CompanyProfile {
  return {
    ice: normaliseIce(values.ice),
    name: values.name.trim(),
    legalForm: values.legalForm === "" ? "SARL" : values.legalForm,
    rcNumber: values.rcNumber.trim(),
    rcCourt: values.rcCourt.trim(),
    ifNumber: values.ifNumber.trim(),
    cnssNumber: values.cnssNumber.trim(),
    sectorCode: values.sectorCode,
    regionCode: values.regionCode,
    city: values.city.trim(),
    address: values.address.trim(),
    foundedOn: values.foundedOn,
    employees: Number.parseInt(values.employees.trim(), 10),
    annualTurnover: normaliseAmount(values.annualTurnover),
  };
}

const required = (message: string) => ({ validate: (value: string) => value.trim() !== "" || message });

/** react-hook-form rules for each field; messages say what to do, not what went wrong. */
export function companyRules(t: TFunction) {
  const v = "companies.form.validation";
  return {
    ice: {
      validate: (value: string) => {
        const ice = normaliseIce(value);
        if (ice === "") return t(`${v}.iceRequired`);
        return isValidIce(ice) || t(`${v}.iceInvalid`);
      },
    },
    name: {
      validate: (value: string) => {
        if (value.trim() === "") return t(`${v}.nameRequired`);
        return value.trim().length >= 2 || t(`${v}.nameTooShort`);
      },
    },
    legalForm: required(t(`${v}.legalFormRequired`)),
    rcNumber: required(t(`${v}.rcNumberRequired`)),
    rcCourt: required(t(`${v}.rcCourtRequired`)),
    ifNumber: {
      validate: (value: string) => {
        if (value.trim() === "") return t(`${v}.ifNumberRequired`);
        return /^\d{1,10}$/.test(value.trim()) || t(`${v}.digitsOnly`);
      },
    },
    cnssNumber: {
      validate: (value: string) => {
        if (value.trim() === "") return t(`${v}.cnssNumberRequired`);
        return /^\d{1,10}$/.test(value.trim()) || t(`${v}.digitsOnly`);
      },
    },
    sectorCode: required(t(`${v}.sectorRequired`)),
    regionCode: required(t(`${v}.regionRequired`)),
    city: required(t(`${v}.cityRequired`)),
    address: {
      validate: (value: string) => {
        if (value.trim() === "") return t(`${v}.addressRequired`);
        return value.trim().length >= 3 || t(`${v}.addressTooShort`);
      },
    },
    foundedOn: {
      validate: (value: string) => {
        if (value === "") return t(`${v}.foundedOnRequired`);
        return DAY.test(value) || t(`${v}.foundedOnInvalid`);
      },
    },
    employees: {
      validate: (value: string) => {
        if (value.trim() === "") return t(`${v}.employeesRequired`);
        return /^\d{1,7}$/.test(value.trim()) || t(`${v}.employeesInvalid`);
      },
    },
    annualTurnover: {
      validate: (value: string) => {
        const amount = normaliseAmount(value);
        if (amount === "") return t(`${v}.turnoverRequired`);
        return AMOUNT.test(amount) || t(`${v}.turnoverInvalid`);
      },
    },
  };
}

/** Who may register a company, and in which words: the manager for itself, a prescriber for a client. */
export function mayRegisterCompanies(role: Role): boolean {
  return role === "applicant" || role === "prescriber";
}

export function mayListCompanies(role: Role): boolean {
  return role === "applicant" || role === "prescriber" || role === "officer" || role === "admin";
}
