import { List, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatMoney, formatRate } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { subsidyFor } from "../../money";
import { EXAMPLE_PRICE, REFERENCE_RULES } from "../../programme";
import { Section } from "./Section";

export function WhatIsMoussanada() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const rate = formatRate(REFERENCE_RULES.rate, language);
  const cap = formatMoney(REFERENCE_RULES.capPerCompany, language);
  const subsidy = subsidyFor(EXAMPLE_PRICE, REFERENCE_RULES.rate, REFERENCE_RULES.capPerCompany);

  return (
    <Section title={t("home.what.title")}>
      <Text>{t("home.what.intro")}</Text>
      <List spacing="xs" className="bullet-list">
        <List.Item>{t("home.what.rate", { rate })}</List.Item>
        <List.Item>{t("home.what.cap", { cap })}</List.Item>
      </List>
      <Text className="example-box">
        {t("home.what.example", {
          price: formatMoney(EXAMPLE_PRICE, language),
          subsidy: formatMoney(subsidy, language),
        })}
      </Text>
    </Section>
  );
}
