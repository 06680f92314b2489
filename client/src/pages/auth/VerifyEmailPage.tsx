import { Alert, Button, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useSearchParams } from "react-router";
import { Trans, useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { CheckMailbox, EmailAddress } from "./CheckMailbox";
import { NarrowPage } from "./NarrowPage";
import { emailRules } from "./validation";

function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

function Verified() {
  const { t } = useTranslation();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <Stack gap="md" align="flex-start" className="confirmation-panel confirmation-panel--success">
      <title>{t("verifyEmail.documentTitle")}</title>
      <Title order={1} ref={headingRef} tabIndex={-1}>
        {t("verifyEmail.successTitle")}
      </Title>
      <Text fz="lg">{t("verifyEmail.successText")}</Text>
      <Button component={Link} to="/connexion" size="md">
        {t("verifyEmail.login")}
      </Button>
    </Stack>
  );
}

interface ResendValues {
  email: string;
}

const RESEND_FIELDS = fieldRefs<ResendValues>("resend", ["email"]);

/** For a used or expired link: the address, and a fresh link goes out. */
function ResendForm({ onResent }: { onResent: (email: string) => void }) {
  const { t } = useTranslation();
  const form = useForm<ResendValues>({ defaultValues: { email: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, RESEND_FIELDS);
  const fieldError = useFieldError(form);

  const onValid = async (values: ResendValues) => {
    clear();
    const email = values.email.trim();
    try {
      await accountsApi.resendVerification(email);
      onResent(email);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <section aria-labelledby="resend-title" className="form-section">
      <Stack gap="md">
        <Title order={2} id="resend-title">
          {t("verifyEmail.resendTitle")}
        </Title>
        <Text>{t("verifyEmail.resendIntro")}</Text>
        {feedback ? (
          <ErrorSummary
            title={feedback.title}
            items={feedback.items}
            description={feedback.description}
            focusKey={feedback.focusKey}
            headingOrder={3}
          />
        ) : null}
        <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
          <Stack gap="md" align="flex-start">
            <TextInput
              id={RESEND_FIELDS[0]?.id}
              label={t("fields.email.label")}
              type="email"
              inputMode="email"
              autoComplete="email"
              autoCapitalize="none"
              spellCheck={false}
              dir="ltr"
              required
              w="100%"
              error={fieldError("email")}
              {...form.register("email", emailRules(t))}
            />
            <SubmitButton submitting={form.formState.isSubmitting}>{t("verifyEmail.resendSubmit")}</SubmitButton>
          </Stack>
        </form>
      </Stack>
    </section>
  );
}

function ResentMail({ email }: { email: string }) {
  return (
    <CheckMailbox>
      <Text fz="lg">
        <Trans i18nKey="verifyEmail.resentTo" values={{ email }} components={{ email: <EmailAddress /> }} />
      </Text>
    </CheckMailbox>
  );
}

function LinkNotValid({ message }: { message: string }) {
  const { t } = useTranslation();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [resentTo, setResentTo] = useState<string | null>(null);
  if (resentTo !== null) {
    return <ResentMail email={resentTo} />;
  }
  return (
    <Stack gap="xl">
      <title>{t("verifyEmail.documentTitle")}</title>
      <Stack gap="md">
        <Title order={1} ref={headingRef} tabIndex={-1}>
          {t("verifyEmail.invalidTitle")}
        </Title>
        <Text fz="lg">{message}</Text>
      </Stack>
      <ResendForm onResent={setResentTo} />
    </Stack>
  );
}

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token")?.trim() ?? "";
  // A query rather than a mutation: it runs once per token, even when React mounts twice in
  // development, and a second run would find the token already used.
  const verification = useQuery({
    queryKey: ["verify-email", token],
    queryFn: () => accountsApi.verifyEmail(token),
    enabled: token !== "",
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });

  const body = () => {
    if (token === "") {
      return <LinkNotValid message={t("verifyEmail.missingToken")} />;
    }
    if (verification.isPending) {
      return (
        <Stack gap="md">
          <title>{t("verifyEmail.documentTitle")}</title>
          <Title order={1}>{t("verifyEmail.checkingTitle")}</Title>
          <LoadingStatus label={t("verifyEmail.checking")} />
          <Text>{t("verifyEmail.checking")}</Text>
        </Stack>
      );
    }
    if (verification.isSuccess) {
      return <Verified />;
    }
    const error = verification.error;
    if (error instanceof ApiError && error.code === "token-invalid") {
      return <LinkNotValid message={error.detail ?? t("verifyEmail.missingToken")} />;
    }
    if (error instanceof ApiError && error.status === 422) {
      return <LinkNotValid message={t("verifyEmail.missingToken")} />;
    }
    return (
      <Stack gap="md" align="flex-start">
        <title>{t("verifyEmail.documentTitle")}</title>
        <Title order={1}>{t("verifyEmail.errorTitle")}</Title>
        <Alert color="red" variant="light" role="alert">
          {error instanceof ApiError && error.status === 0 ? t("common.errors.network") : t("common.errors.server")}
        </Alert>
        <Button onClick={() => void verification.refetch()} loading={verification.isFetching}>
          {t("common.retry")}
        </Button>
      </Stack>
    );
  };

  return <NarrowPage>{body()}</NarrowPage>;
}
