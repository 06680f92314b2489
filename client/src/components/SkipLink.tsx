import { useTranslation } from "react-i18next";

/** First focusable element: lets keyboard and screen-reader users jump over the header. */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t("skipLink")}
    </a>
  );
}
