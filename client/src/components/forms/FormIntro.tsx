import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Says once, above the fields, what the asterisk means. */
export function RequiredNote() {
  const { t } = useTranslation();
  return (
    <Text fz="sm" c="dimmed">
      {t("forms.requiredNote")}
    </Text>
  );
}
