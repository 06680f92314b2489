import { Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Section } from "./Section";

const STEPS = ["profile", "solution", "documents", "follow"] as const;

export function HowItWorks() {
  const { t } = useTranslation();
  return (
    <Section title={t("home.steps.title")}>
      <SimpleGrid component="ol" cols={{ base: 1, sm: 2, md: 4 }} spacing="md" className="steps">
        {STEPS.map((step, index) => (
          <Paper component="li" key={step} withBorder p="md" className="steps__item">
            <span className="steps__number" aria-hidden="true">
              {index + 1}
            </span>
            <Title order={3} fz="lg">
              {t(`home.steps.${step}.title`)}
            </Title>
            <Text mt="xs">{t(`home.steps.${step}.text`)}</Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Text className="note">{t("home.steps.accountant")}</Text>
    </Section>
  );
}
