import fr from "./fr.json" with { type: "json" };
import ar from "./ar.json" with { type: "json" };

export type Locale = "fr" | "ar";
export const LOCALES: readonly Locale[] = ["fr", "ar"];
export type MessageKey = keyof typeof fr;

const catalogues: Record<Locale, Record<string, string>> = { fr, ar };

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "ar";
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(fr, value);
}

/** French is the reference catalogue: a key missing in Arabic falls back to French, never to the key. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[locale][key] ?? fr[key];
  return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : match,
  );
}

/** Picks fr or ar from an Accept-Language header; French when neither is asked for. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return "fr";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...attributes] = part.trim().split(";");
      const qAttribute = attributes.find((attribute) => attribute.trim().startsWith("q="));
      const quality = qAttribute ? Number(qAttribute.trim().slice(2)) : 1;
      return { language: tag.toLowerCase().split("-")[0], quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  const match = ranked.find((entry) => isLocale(entry.language));
  return match && isLocale(match.language) ? match.language : "fr";
}
