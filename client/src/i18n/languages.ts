export const LANGUAGES = ["fr", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "fr";
export const LANGUAGE_STORAGE_KEY = "moussanada.language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function otherLanguage(language: Language): Language {
  return language === "fr" ? "ar" : "fr";
}

export function directionOf(language: Language): "ltr" | "rtl" {
  return language === "ar" ? "rtl" : "ltr";
}

export function localeOf(language: Language): string {
  return language === "ar" ? "ar-MA" : "fr-MA";
}

/** The Arabic field when the interface is in Arabic and the record has one, else the French one. */
export function pickLocalized(language: Language, french: string, arabic: string | null | undefined): string {
  if (language === "ar" && arabic && arabic.trim() !== "") {
    return arabic;
  }
  return french;
}
