import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import fr from "./fr.json";
import ar from "./ar.json";
import { DEFAULT_LANGUAGE, LANGUAGE_STORAGE_KEY, directionOf, isLanguage, type Language } from "./languages";

// Compile-time guard: the Arabic file must have every key of the French one (extra plural forms are fine).
const arabic: typeof fr = ar;

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    // Private modes may refuse storage access: the default language still works.
    return DEFAULT_LANGUAGE;
  }
}

function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
}

function remember(language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not remembering the choice is acceptable; failing the switch is not.
  }
}

export const initialLanguage = storedLanguage();
applyToDocument(initialLanguage);

i18n.on("languageChanged", (language) => {
  if (!isLanguage(language)) {
    return;
  }
  applyToDocument(language);
  remember(language);
});

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, ar: { translation: arabic } },
  lng: initialLanguage,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: ["fr", "ar"],
  // React escapes text itself; escaping here would show "&amp;" and "&#39;" on screen.
  interpolation: { escapeValue: false },
  // Resources are bundled, so initialisation is synchronous and no Suspense fallback is needed.
  initAsync: false,
});

export default i18n;
