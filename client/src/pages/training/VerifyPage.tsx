import { Button, Group, List, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent, type ReactNode } from "react";
import { useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useVerification, verificationPagePath, type Verification } from "../../api/training";
import { Fact } from "../../components/Fact";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatDay } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";

const CODE = /^[A-Za-z0-9_-]{1,128}$/;

/** The code typed, or taken from a pasted verification link (".../verify/<code>"). */
export function codeFrom(input: string): string {
  const text = input.trim();
  const fromLink = /\/verify\/([^/?#\s]+)/.exec(text);
  if (fromLink?.[1]) {
    try {
      return decodeURIComponent(fromLink[1]);
    } catch {
      return fromLink[1];
    }
  }
  return text.replace(/\s+/g, "");
}

function CodeForm({ initial = "", headingOrder }: { initial?: string; headingOrder?: 2 }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.querySelector<HTMLInputElement>("#verify-code");
    const code = codeFrom(String(new FormData(event.currentTarget).get("code") ?? ""));
    if (code === "" || !CODE.test(code)) {
      setError(code === "" ? t("training.verify.codeRequired") : t("training.verify.codeInvalid"));
      input?.focus();
      return;
    }
    setError(null);
    void navigate(verificationPagePath(code));
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={headingOrder ? "verify-form-title" : undefined}>
      <Stack gap="md">
        {headingOrder ? (
          <Title order={headingOrder} fz="h3" id="verify-form-title">
            {t("training.verify.another")}
          </Title>
        ) : null}
        <form noValidate onSubmit={submit} aria-label={t("training.verify.formLabel")}>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput
              id="verify-code"
              name="code"
              label={t("training.verify.code")}
              description={t("training.verify.codeHint")}
              defaultValue={initial}
              required
              size="md"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              dir="ltr"
              maw={560}
              className="verify-code"
              error={error ?? undefined}
            />
            <Button type="submit" size="md">
              {t("training.verify.submit")}
            </Button>
          </Group>
        </form>
      </Stack>
    </Paper>
  );
}

/** Nothing else than the contract's fields is ever shown: no e-mail, no company, no score. */
function VerificationFacts({ verification }: { verification: Verification }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <dl className="facts" aria-label={t("training.verify.detailsLabel")}>
      <Fact label={t("training.certificate.number")}>
        <bdi dir="ltr">{verification.number}</bdi>
      </Fact>
      <Fact label={t("training.certificate.holder")}>{verification.holderName}</Fact>
      <Fact label={t("training.certificate.course")}>{verification.courseTitle}</Fact>
      <Fact label={t("training.certificate.issuedOn")}>{formatDay(verification.issuedOn, language)}</Fact>
      {verification.revokedOn ? (
        <Fact label={t("training.certificate.revokedOn")}>{formatDay(verification.revokedOn, language)}</Fact>
      ) : null}
    </dl>
  );
}

interface VerdictProps {
  tone: "valid" | "revoked" | "unknown";
  title: string;
  children: ReactNode;
}

/** The answer, big: a mark, a sentence and a colour that all say the same thing. */
function Verdict({ tone, title, children }: VerdictProps) {
  const mark = tone === "valid" ? "✓" : tone === "revoked" ? "✕" : "?";
  return (
    <section className={`verdict verdict--${tone}`} aria-labelledby="verdict-title">
      <Stack gap="md">
        <Group gap="md" wrap="nowrap" align="center">
          <span className="verdict__mark" aria-hidden="true">
            {mark}
          </span>
          <Title order={2} id="verdict-title" className="verdict__title">
            {title}
          </Title>
        </Group>
        {children}
      </Stack>
    </section>
  );
}

function WhatWasChecked() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="verify-checked-title">
      <Stack gap="xs">
        <Title order={2} fz="h3" id="verify-checked-title">
          {t("training.verify.checkedTitle")}
        </Title>
        <List spacing="xs" className="bullet-list">
          <List.Item>{t("training.verify.checkedCode1")}</List.Item>
          <List.Item>{t("training.verify.checkedStatus")}</List.Item>
          <List.Item>{t("training.verify.checkedCompare")}</List.Item>
        </List>
        <Text>{t("training.verify.privacy")}</Text>
      </Stack>
    </section>
  );
}

function Result({ code }: { code: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const verification = useVerification(code);

  if (verification.isPending) {
    return <LoadingStatus label={t("training.verify.checking")} />;
  }
  if (verification.isError) {
    const error = verification.error;
    if (error instanceof ApiError && error.status === 404) {
      return (
        <Verdict tone="unknown" title={t("training.verify.notFound")}>
          <Text fz="lg">{t("training.verify.notFoundText")}</Text>
        </Verdict>
      );
    }
    if (error instanceof ApiError && error.status === 429) {
      return (
        <Verdict tone="unknown" title={t("training.verify.tooMany")}>
          <Text fz="lg">
            {error.retryAfterSeconds === undefined
              ? t("training.verify.tooManyText")
              : t("training.verify.tooManyWait", { count: error.retryAfterSeconds })}
          </Text>
          <div>
            <Button size="md" variant="light" onClick={() => void verification.refetch()}>
              {t("common.retry")}
            </Button>
          </div>
        </Verdict>
      );
    }
    return (
      <QueryErrorAlert
        title={t("training.verify.errorTitle")}
        error={error}
        onRetry={() => void verification.refetch()}
        retrying={verification.isFetching}
      />
    );
  }
  const result = verification.data;
  const valid = result.valid && result.status === "valid";
  return (
    <>
      <Verdict
        tone={valid ? "valid" : "revoked"}
        title={
          valid
            ? t("training.verify.valid")
            : t("training.verify.revoked", { date: result.revokedOn ? formatDay(result.revokedOn, language) : "—" })
        }
      >
        <Text fz="lg">{valid ? t("training.verify.validText") : t("training.verify.revokedText")}</Text>
        <VerificationFacts verification={result} />
      </Verdict>
      <WhatWasChecked />
    </>
  );
}

export function VerifyPage() {
  const { t } = useTranslation();
  const { code: rawCode } = useParams();
  const code = (rawCode ?? "").trim();

  if (code === "") {
    return (
      <>
        <title>{t("training.verify.documentTitle")}</title>
        <Stack gap="xl" maw={880}>
          <Stack gap="xs">
            <Title order={1}>{t("training.verify.title")}</Title>
            <Text fz="lg">{t("training.verify.intro")}</Text>
          </Stack>
          <CodeForm />
        </Stack>
      </>
    );
  }

  return (
    <>
      <title>{t("training.verify.resultDocumentTitle")}</title>
      <Stack gap="xl" maw={880}>
        <Stack gap="xs">
          <Title order={1}>{t("training.verify.resultTitle")}</Title>
          <Text>
            {t("training.verify.checkedCode")}{" "}
            <bdi dir="ltr" className="verify-code__value">
              {code}
            </bdi>
          </Text>
        </Stack>
        <Result key={code} code={code} />
        <CodeForm key={code} headingOrder={2} />
      </Stack>
    </>
  );
}
