import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useDirection } from "@mantine/core";
import { DEFAULT_LANGUAGE, directionOf, isLanguage, type Language } from "./languages";

/** Current interface language and a switch that keeps i18next, <html> and Mantine in step. */
export function useLanguage(): { language: Language; setLanguage: (language: Language) => void } {
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  const language = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;

  const setLanguage = useCallback(
    (next: Language) => {
      void i18n.changeLanguage(next);
      setDirection(directionOf(next));
    },
    [i18n, setDirection],
  );

  return { language, setLanguage };
}
