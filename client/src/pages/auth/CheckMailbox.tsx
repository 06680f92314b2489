import { Button, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { DevMailNote } from "../../components/DevMailNote";
import { ResendVerificationButton } from "./ResendVerificationButton";

interface CheckMailboxProps {
  /** What was sent, in words that stay true whether or not the address has an account. */
  children: ReactNode;
  /** Extra actions: "send it again", "correct my address"… */
  actions?: ReactNode;
}

/** An e-mail address inside a sentence, kept left-to-right inside Arabic text. */
export function EmailAddress({ children }: { children?: ReactNode }) {
  return (
    <bdi dir="ltr" className="email-address">
      {children}
    </bdi>
  );
}

/**
 * "Check your mailbox": the next step happens in the person's e-mail. The heading takes the focus
 * so screen-reader users hear that the page changed.
 */
export function CheckMailbox({ children, actions }: CheckMailboxProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <>
      <title>{t("checkMailbox.documentTitle")}</title>
      <Stack gap="md" align="flex-start" className="confirmation-panel">
        <Title order={1} ref={headingRef} tabIndex={-1}>
          {t("checkMailbox.title")}
        </Title>
        {children}
        <Text>{t("checkMailbox.spam")}</Text>
        <DevMailNote />
        {actions}
      </Stack>
    </>
  );
}

/** The register page's version: one e-mail went to this address, whatever it said. */
export function RegistrationMailSent({ email, onCorrect }: { email: string; onCorrect: () => void }) {
  const { t } = useTranslation();
  return (
    <CheckMailbox
      actions={
        <Stack gap="xs" align="flex-start">
          <Text fw={700}>{t("checkMailbox.nothingYet")}</Text>
          <ResendVerificationButton email={email} label={t("checkMailbox.resend")} />
          <Text fw={700} mt="md">
            {t("checkMailbox.wrongAddress")}
          </Text>
          <Button variant="outline" onClick={onCorrect}>
            {t("checkMailbox.correct")}
          </Button>
        </Stack>
      }
    >
      <Text fz="lg">
        <Trans i18nKey="checkMailbox.sentTo" values={{ email }} components={{ email: <EmailAddress /> }} />
      </Text>
      <Text>{t("checkMailbox.next")}</Text>
    </CheckMailbox>
  );
}
