import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <title>{t("notFound.documentTitle")}</title>
      <Stack gap="md" align="flex-start" py="xl">
        <Title order={1}>{t("notFound.title")}</Title>
        <Text fz="lg">{t("notFound.text")}</Text>
        <Button component={Link} to="/">
          {t("notFound.home")}
        </Button>
      </Stack>
    </>
  );
}
