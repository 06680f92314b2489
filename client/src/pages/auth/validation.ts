// Client-side checks mirror the server's (server/http/schemas.ts, server/auth/passwords.ts) so most
// mistakes are caught before sending; the server checks everything again and has the last word.
import type { TFunction } from "i18next";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NATIONAL_ID = /^[A-Z]{1,2}\d{1,7}$/;

export function emailRules(
  t: TFunction,
  requiredKey:
    "forms.validation.emailRequired" | "forms.validation.staffEmailRequired" = "forms.validation.emailRequired",
) {
  return {
    validate: (value: string) => {
      const trimmed = value.trim();
      if (trimmed === "") return t(requiredKey);
      return EMAIL.test(trimmed) || t("forms.validation.emailInvalid");
    },
  };
}

/** Length only, counted in characters as the server does: no composition rules. */
export function newPasswordRules(t: TFunction) {
  return {
    validate: (value: string) => {
      const length = [...value].length;
      if (length === 0) return t("forms.validation.newPasswordRequired");
      if (length < PASSWORD_MIN_LENGTH) return t("forms.validation.passwordTooShort");
      return length <= PASSWORD_MAX_LENGTH || t("forms.validation.passwordTooLong");
    },
  };
}

export function requiredText(message: string) {
  return { validate: (value: string) => value.trim() !== "" || message };
}

export function fullNameRules(t: TFunction, requiredMessage: string) {
  return {
    validate: (value: string) => {
      const trimmed = value.trim();
      if (trimmed === "") return requiredMessage;
      return trimmed.length >= 2 || t("forms.validation.fullNameTooShort");
    },
  };
}

/** "ab 123456" → "AB123456", as the server stores it. */
export function normaliseNationalId(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase();
}

/** Optional CIN: empty, or one or two letters then up to seven digits. */
export function nationalIdRules(t: TFunction) {
  return {
    validate: (value: string) => {
      const normalised = normaliseNationalId(value);
      return normalised === "" || NATIONAL_ID.test(normalised) || t("forms.validation.nationalIdInvalid");
    },
  };
}
