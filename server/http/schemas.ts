import Joi from "joi";
import { describeMoneyInput, formatMoney, parseMoney } from "../domain/money.js";
import { normalisePhone } from "../domain/phone.js";

/** Shared request fields; a `key:` message names the server/i18n sentence shown to the user. */
export const emailField = () => Joi.string().trim().lowercase().email({ tlds: false }).max(254);

export const passwordField = () => Joi.string().min(1).max(1024);

export const fullNameField = () => Joi.string().trim().min(2).max(120);

export const localeField = () => Joi.string().valid("fr", "ar");

/**
 * An optional text field where blank means "none" (null), as a cleared form field sends it. Built
 * on Joi.any(): with Joi.string().allow(""), the blank value would skip the custom rule.
 */
function optionalText(errorCode: string, maxLength: number, normalise: (text: string) => string | null) {
  return Joi.any().custom((value: unknown, helpers) => {
    if (value === null) return null;
    if (typeof value !== "string" || value.length > maxLength) return helpers.error(errorCode);
    const trimmed = value.trim();
    if (trimmed === "") return null;
    return normalise(trimmed) ?? helpers.error(errorCode);
  });
}

/** Any Moroccan or international number, stored as E.164; blank means none. */
export const phoneField = () =>
  optionalText("phone.invalid", 30, normalisePhone).messages({ "phone.invalid": "key:field.phone.invalid" });

/** CIN: one or two letters then up to seven digits (e.g. "AB123456"); blank means none. */
export const nationalIdField = () =>
  optionalText("nationalId.invalid", 20, (text) => {
    const upper = text.toUpperCase();
    return /^[A-Z]{1,2}\d{1,7}$/.test(upper) ? upper : null;
  }).messages({ "nationalId.invalid": "key:field.national-id.invalid" });

/**
 * Amounts are strings ("1250000.00"); a JSON number, "1e5" or "12,50" is refused. The validated
 * value is the canonical two-decimal form ("12.5" → "12.50") the NUMERIC column and the API use.
 */
export const moneyField = () =>
  Joi.string()
    .custom((value: string, helpers) => {
      const centimes = parseMoney(value);
      if (centimes !== null) return formatMoney(centimes);
      return helpers.error(`money.${describeMoneyInput(value) ?? "format"}`);
    })
    .messages({
      "money.format": "key:field.money.format",
      "money.too-many-decimals": "key:field.money.too-many-decimals",
      "money.negative": "key:field.money.negative",
      "money.too-large": "key:field.money.too-large",
      "string.base": "key:field.money.format",
    });

/** A calendar date "YYYY-MM-DD" that exists (no 2026-02-30): one check, so one error. */
export const dateField = () =>
  Joi.string().custom((value: string, helpers) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return helpers.error("date.base");
    const parsed = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value
      ? helpers.error("date.base")
      : value;
  });
