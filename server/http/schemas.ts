import Joi from "joi";
import { normalisePhone } from "../domain/phone.js";

/** Shared request fields; a `key:` message names the server/i18n sentence shown to the user. */
export const emailField = () => Joi.string().trim().lowercase().email({ tlds: false }).max(254);

export const passwordField = () => Joi.string().min(1).max(1024);

export const fullNameField = () => Joi.string().trim().min(2).max(120);

export const localeField = () => Joi.string().valid("fr", "ar");

/** Any Moroccan or international number, stored as E.164; empty means none. */
export const phoneField = () =>
  Joi.string()
    .trim()
    .max(30)
    .allow("", null)
    .custom((value: string | null, helpers) => {
      if (value === null || value === "") return null;
      return normalisePhone(value) ?? helpers.error("phone.invalid");
    })
    .messages({ "phone.invalid": "key:field.phone.invalid" });

/** CIN: one or two letters then up to seven digits (e.g. "AB123456"). */
export const nationalIdField = () =>
  Joi.string()
    .trim()
    .uppercase()
    .pattern(/^[A-Z]{1,2}\d{1,7}$/)
    .allow(null)
    .empty("")
    .messages({ "string.pattern.base": "key:field.national-id.invalid" });

export const uuidParam = () => Joi.string().guid({ version: ["uuidv4", "uuidv5", "uuidv7"] });
