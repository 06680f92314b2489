import { Button, Container, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * Last resort when rendering throws. It stands alone (no header) because the layout itself may be
 * what failed; a full reload is the simplest recovery for a shopkeeper.
 */
export function CrashPage() {
  const { t } = useTranslation();
  return (
    <main id="main" className="site-main">
      <Container size="sm">
        <Stack gap="md" align="flex-start" py="xl">
          <Title order={1}>{t("crash.title")}</Title>
          <Text fz="lg">{t("crash.text")}</Text>
          <Button onClick={() => window.location.reload()}>{t("crash.reload")}</Button>
        </Stack>
      </Container>
    </main>
  );
}
