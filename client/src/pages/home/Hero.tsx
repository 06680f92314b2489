import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { formatMoney, formatRate } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { REFERENCE_RULES } from "../../programme";

export function Hero() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <section className="hero" aria-labelledby="hero-title">
      <Stack gap="lg" align="flex-start">
        <Title order={1} id="hero-title">
          {t("home.hero.title")}
        </Title>
        <Text fz="xl" className="hero__lead">
          {t("home.hero.lead", {
            rate: formatRate(REFERENCE_RULES.rate, language),
            cap: formatMoney(REFERENCE_RULES.capPerCompany, language),
          })}
        </Text>
        <Group gap="md">
          <Button
            component={Link}
            to="/simulateur"
            size="lg"
            classNames={{ root: "wrap-button", label: "wrap-button__label" }}
          >
            {t("home.hero.simulate")}
          </Button>
          <Button
            component={Link}
            to="/solutions"
            size="lg"
            variant="outline"
            classNames={{ root: "wrap-button", label: "wrap-button__label" }}
          >
            {t("home.hero.cta")}
          </Button>
        </Group>
      </Stack>
    </section>
  );
}
