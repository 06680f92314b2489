import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import {
  certificateCredentialUrl,
  certificatePdfUrl,
  verificationPagePath,
  type Certificate,
} from "../../api/training";
import { Fact } from "../../components/Fact";
import { formatDay, formatInstantDay } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { CertificateStatusBadge } from "./shared";

type CopyState = "idle" | "copied" | "failed";

/** The verification link, readable and selectable, with a button that copies it. */
function VerificationLink({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(certificate.verificationUrl);
      setState("copied");
      timer.current = window.setTimeout(() => setState("idle"), 4000);
    } catch {
      // No clipboard (old browser, refused permission): the link is selected for a manual copy.
      inputRef.current?.focus();
      inputRef.current?.select();
      setState("failed");
    }
  };

  return (
    <Stack gap="xs">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          id={inputId}
          ref={inputRef}
          label={t("training.certificate.link")}
          description={t("training.certificate.linkHint")}
          value={certificate.verificationUrl}
          readOnly
          dir="ltr"
          miw={280}
          className="verification-link"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button variant="light" size="sm" onClick={() => void copy()} aria-describedby={inputId}>
          {state === "copied" ? t("training.certificate.copied") : t("training.certificate.copy")}
        </Button>
      </Group>
      <div role="status" aria-live="polite">
        {state === "copied" ? <Text fz="sm">{t("training.certificate.copied")}</Text> : null}
        {state === "failed" ? <Text fz="sm">{t("training.certificate.copyFailed")}</Text> : null}
      </div>
      <Anchor component={Link} to={verificationPagePath(certificate.verificationCode)}>
        {t("training.certificate.open")}
      </Anchor>
    </Stack>
  );
}

/** One certificate of its holder: what it says, its status, and the three ways to show it. */
export function CertificateCard({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const titleId = useId();
  const revoked = certificate.status === "revoked";
  return (
    <Paper component="article" withBorder p="lg" aria-labelledby={titleId} className="certificate-card">
      <Stack gap="md">
        <Group gap="sm" align="center">
          <Title order={3} id={titleId}>
            {t("training.certificate.title")} <bdi dir="ltr">{certificate.number}</bdi>
          </Title>
          <CertificateStatusBadge status={certificate.status} />
        </Group>
        <dl className="facts">
          <Fact label={t("training.certificate.course")}>{certificate.courseTitle}</Fact>
          <Fact label={t("training.certificate.holder")}>{certificate.holderName}</Fact>
          {certificate.companyName ? (
            <Fact label={t("training.certificate.company")}>{certificate.companyName}</Fact>
          ) : null}
          <Fact label={t("training.certificate.issuedOn")}>{formatDay(certificate.issuedOn, language)}</Fact>
          {revoked && certificate.revokedAt ? (
            <Fact label={t("training.certificate.revokedOn")}>{formatInstantDay(certificate.revokedAt, language)}</Fact>
          ) : null}
          {revoked && certificate.revocationReason ? (
            <Fact label={t("training.certificate.reason")}>
              <span className="fact__value--text preserve-lines">{certificate.revocationReason}</span>
            </Fact>
          ) : null}
        </dl>
        <Text fz="sm">{t("training.certificate.verifications", { count: certificate.verificationCount })}</Text>
        {certificate.permissions.download ? (
          <Stack gap="xs">
            <Group gap="sm">
              {certificate.pdfReady ? (
                <Button component="a" href={certificatePdfUrl(certificate.id)} download size="md">
                  {t("training.certificate.pdf")}
                </Button>
              ) : null}
              <Button
                component="a"
                href={certificateCredentialUrl(certificate.id)}
                download={`permis-numerique-${certificate.number}.json`}
                variant="light"
                size="md"
                aria-describedby={`${titleId}-credential`}
              >
                {t("training.certificate.credential")}
              </Button>
            </Group>
            {certificate.pdfReady ? null : <Text fz="sm">{t("training.certificate.pdfPending")}</Text>}
            <Text fz="sm" id={`${titleId}-credential`}>
              {t("training.certificate.credentialHint")}
            </Text>
          </Stack>
        ) : null}
        <VerificationLink certificate={certificate} />
      </Stack>
    </Paper>
  );
}
