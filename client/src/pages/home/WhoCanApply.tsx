import { List, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { ELIGIBLE_SECTOR_CODES, REFERENCE_RULES } from "../../programme";
import { Section } from "./Section";

export function WhoCanApply() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Section title={t("home.who.title")}>
      <Text>{t("home.who.intro")}</Text>
      <List type="ordered" spacing="sm" className="conditions-list">
        <List.Item>
          {t("home.who.sector")}
          <List withPadding spacing={4} className="bullet-list">
            {ELIGIBLE_SECTOR_CODES.map((code) => (
              <List.Item key={code}>{t(`sectors.${code}`)}</List.Item>
            ))}
          </List>
        </List.Item>
        <List.Item>{t("home.who.age", { count: REFERENCE_RULES.minCompanyAgeYears })}</List.Item>
        <List.Item>{t("home.who.turnover", { amount: formatMoney(REFERENCE_RULES.maxTurnover, language) })}</List.Item>
      </List>
    </Section>
  );
}
