import { Button, Group, List, Text } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { Section } from "./Section";

export function PermisNumerique() {
  const { t } = useTranslation();
  return (
    <Section title={t("home.permis.title")}>
      <Text>{t("home.permis.intro")}</Text>
      <List spacing="xs" className="bullet-list">
        <List.Item>{t("home.permis.certificate")}</List.Item>
        <List.Item>{t("home.permis.verifiable")}</List.Item>
        <List.Item>{t("home.permis.priority")}</List.Item>
      </List>
      <Group gap="sm">
        <Button component={Link} to="/formations" size="md">
          {t("training.home.sessions")}
        </Button>
        <Button component={Link} to="/verify" variant="light" size="md">
          {t("training.home.verify")}
        </Button>
      </Group>
    </Section>
  );
}
