import { Anchor, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../api/accounts";

/**
 * In development and demonstrations nothing is really e-mailed: the server keeps the messages at
 * /dev/mail. The client cannot know the server's mode, so it asks: the note appears only when
 * /api/v1/dev/mails answers (it does not exist in production).
 */
export function DevMailNote() {
  const { t } = useTranslation();
  const devMails = useQuery({
    queryKey: ["dev-mails-available"],
    queryFn: async ({ signal }) => {
      await accountsApi.devMails(signal);
      return true;
    },
    retry: false,
    staleTime: Infinity,
  });
  if (devMails.data !== true) {
    return null;
  }
  return (
    <Text className="note" fz="sm">
      {/* A plain link (not the client router): /dev/mail is a page of the server. */}
      {t("devMail.note")}{" "}
      <Anchor href="/dev/mail" fw={700}>
        <bdi dir="ltr">/dev/mail</bdi>
      </Anchor>
    </Text>
  );
}
