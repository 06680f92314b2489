import Joi from "joi";
import { AppError, type FieldError } from "../errors.js";
import { isMessageKey, type MessageKey } from "../i18n/index.js";

const FIELD_KEY_BY_JOI_TYPE: Record<string, MessageKey> = {};

function fieldKey(joiType: string): MessageKey {
  const cached = FIELD_KEY_BY_JOI_TYPE[joiType];
  if (cached) return cached;
  const candidate = `field.${joiType}`;
  const key: MessageKey = isMessageKey(candidate) ? candidate : "field.invalid";
  FIELD_KEY_BY_JOI_TYPE[joiType] = key;
  return key;
}

function paramsOf(detail: Joi.ValidationErrorItem): Record<string, string | number> {
  const context = detail.context ?? {};
  const params: Record<string, string | number> = {};
  if (typeof context.limit === "number" || typeof context.limit === "string") params.limit = context.limit;
  if (Array.isArray(context.valids)) params.valids = context.valids.map(String).join(", ");
  return params;
}

/**
 * Turns joi's report into field errors with message keys; an explicit `.messages({...})` key on a
 * schema (e.g. "money.format") wins over the generic one, so rules can explain themselves.
 */
export function toFieldErrors(error: Joi.ValidationError, prefix?: string): FieldError[] {
  return error.details.map((detail) => {
    const explicit = detail.message.startsWith("key:") ? detail.message.slice(4) : null;
    const key = explicit && isMessageKey(explicit) ? explicit : fieldKey(detail.type);
    const path = detail.path.map(String).join(".");
    return { path: prefix ? (path ? `${prefix}.${path}` : prefix) : path, key, params: paramsOf(detail) };
  });
}

export function validateOrThrow<T>(schema: Joi.Schema<T>, value: unknown, prefix?: string): T {
  const result = schema.validate(value, { abortEarly: false, stripUnknown: false, convert: true });
  if (result.error) throw AppError.validation(toFieldErrors(result.error, prefix));
  return result.value as T;
}

/** Pagination shared by every list: `page` from 1, `pageSize` up to 100. */
export const paginationSchema = {
  page: Joi.number().integer().min(1).max(100_000).default(1),
  pageSize: Joi.number().integer().min(1).max(100).default(20),
};

export interface Pagination {
  page: number;
  pageSize: number;
}

/** LIMIT and OFFSET of a page, for Sequelize finders. */
export function pageWindow(query: Pagination): { limit: number; offset: number } {
  return { limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
}

/** An ILIKE pattern matching `text` anywhere, its own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
