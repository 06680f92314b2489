import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { otherLanguage } from "../i18n/languages";
import { useLanguage } from "../i18n/useLanguage";

/**
 * Labelled in the language it switches to ("العربية" on the French site), as people look for
 * their own language. The lang attribute lets screen readers pronounce that label correctly.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  const target = otherLanguage(language);
  return (
    <Button variant="outline" size="sm" onClick={() => setLanguage(target)} lang={target}>
      {t("language.switchTo")}
    </Button>
  );
}
