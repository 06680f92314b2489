import { Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { sessionKeys } from "../../api/session";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { PasswordField } from "../../components/forms/PasswordField";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import type { FlashState } from "../../navigation";
import { NarrowPage } from "./NarrowPage";
import { newPasswordRules } from "./validation";

interface ResetValues {
  password: string;
}

const FIELDS = fieldRefs<ResetValues>("reset", ["password"]);

/** The link is used, expired or cut: say so, and offer the way to a new one. */
function LinkNotValid({ message }: { message: string }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <Stack gap="md" align="flex-start">
      <Title order={1} ref={headingRef} tabIndex={-1}>
        {t("resetPassword.invalidTitle")}
      </Title>
      <Text fz="lg">{message}</Text>
      <Button component={Link} to="/mot-de-passe-oublie">
        {t("resetPassword.requestNew")}
      </Button>
    </Stack>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token")?.trim() ?? "";
  // An account an admin created: the person chooses a first password, nothing is "reset".
  const setup = searchParams.get("setup") === "1";
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [invalidLink, setInvalidLink] = useState<string | null>(null);
  const form = useForm<ResetValues>({ defaultValues: { password: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);

  const documentTitle = <title>{t(setup ? "resetPassword.setupDocumentTitle" : "resetPassword.documentTitle")}</title>;

  if (token === "" || invalidLink !== null) {
    return (
      <NarrowPage>
        {documentTitle}
        <LinkNotValid message={invalidLink ?? t("resetPassword.missingToken")} />
      </NarrowPage>
    );
  }

  const onValid = async (values: ResetValues) => {
    clear();
    try {
      await accountsApi.confirmPasswordReset({ token, password: values.password });
      // Every session of that account was closed: if it was the one signed in here, it no longer is.
      await queryClient.invalidateQueries({ queryKey: sessionKeys.me });
      await navigate("/connexion", {
        replace: true,
        state: { flash: setup ? "passwordSetUp" : "passwordReset" } satisfies FlashState,
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === "token-invalid") {
        setInvalidLink(error.detail ?? t("resetPassword.missingToken"));
        return;
      }
      showError(error);
    }
  };

  return (
    <NarrowPage>
      {documentTitle}
      <Title order={1}>{t(setup ? "resetPassword.setupTitle" : "resetPassword.title")}</Title>
      <Text fz="lg">{t(setup ? "resetPassword.setupIntro" : "resetPassword.intro")}</Text>
      {feedback ? (
        <ErrorSummary
          title={feedback.title}
          items={feedback.items}
          description={feedback.description}
          focusKey={feedback.focusKey}
        />
      ) : null}
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md">
          <RequiredNote />
          <PasswordField
            id={FIELDS[0]?.id ?? "reset-password"}
            label={t("resetPassword.passwordLabel")}
            description={t("fields.password.newHint")}
            autoComplete="new-password"
            required
            error={fieldError("password")}
            {...form.register("password", newPasswordRules(t))}
          />
          <div>
            <SubmitButton submitting={form.formState.isSubmitting} size="md">
              {t("resetPassword.submit")}
            </SubmitButton>
          </div>
        </Stack>
      </form>
      <Text>
        <Anchor component={Link} to="/connexion">
          {t("forgotPassword.backToLogin")}
        </Anchor>
      </Text>
    </NarrowPage>
  );
}
