import { Container, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <Container size="lg">
        <Stack gap={6}>
          <Text fw={700}>{t("footer.programme")}</Text>
          <Text>{t("footer.kingdom")}</Text>
          <Text fz="sm">{t("footer.privacy")}</Text>
        </Stack>
      </Container>
    </footer>
  );
}
