/**
 * The JSON Canonicalization Scheme (RFC 8785), for the JSON this programme produces and reads
 * back: plain objects, arrays, strings, finite numbers, booleans and null. A signature covers the
 * canonical bytes, so the same value must always give the same string, whatever order its keys
 * were written in.
 *
 * RFC 8785 was written to match ECMAScript's own serialisation: JSON.stringify already writes
 * strings (minimal escapes, lowercase \u00xx) and numbers (shortest round-trip form, "1e+30",
 * -0 as 0) exactly as required. What is left is the key order and refusing what JSON cannot say:
 * JSON.stringify would silently drop undefined and functions, or write NaN as null, and a
 * signature over a value that does not survive the round trip could never be checked.
 */

export class CanonicalJsonError extends TypeError {
  override name = "CanonicalJsonError";
}

/** Lone surrogates are not Unicode text; I-JSON (RFC 7493), which RFC 8785 requires, forbids them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serialiseString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(`Lone surrogate in a string at ${path}`);
  return JSON.stringify(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function serialise(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case "string":
      return serialiseString(value, path);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`Non-finite number at ${path}`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      // undefined, bigint, function, symbol: none has a JSON form.
      throw new CanonicalJsonError(`Cannot canonicalise a ${typeof value} at ${path}`);
  }
  if (value === null) return "null";
  if (ancestors.has(value)) throw new CanonicalJsonError(`Cycle at ${path}`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // Holes would be written as null by JSON.stringify; they are not part of any value we sign.
      const items: string[] = [];
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) throw new CanonicalJsonError(`Hole in an array at ${path}[${index}]`);
        items.push(serialise(value[index], `${path}[${index}]`, ancestors));
      }
      return `[${items.join(",")}]`;
    }
    // Dates, Maps, Buffers… have a toJSON or no JSON form at all: callers convert them first, so
    // that what is signed is exactly what is written.
    if (!isPlainObject(value)) throw new CanonicalJsonError(`Not a plain object at ${path}`);
    // Array.prototype.sort compares strings by UTF-16 code units, the order RFC 8785 prescribes.
    const keys = Object.keys(value).sort();
    const members = keys.map(
      (key) => `${serialiseString(key, path)}:${serialise(value[key], `${path}.${key}`, ancestors)}`,
    );
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(value);
  }
}

/** The canonical JSON text of `value`; throws CanonicalJsonError on anything JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  return serialise(value, "$", new Set());
}
