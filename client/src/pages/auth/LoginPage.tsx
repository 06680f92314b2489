import { Anchor, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Link, Navigate, useLocation, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { replaceSessionUser, useCurrentUser } from "../../api/session";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { PasswordField } from "../../components/forms/PasswordField";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { useLanguage } from "../../i18n/useLanguage";
import { safeNextPath } from "../../navigation";
import { NarrowPage } from "./NarrowPage";
import { ResendVerificationButton } from "./ResendVerificationButton";
import { emailRules, requiredText } from "./validation";

interface LoginValues {
  email: string;
  password: string;
}

const FORM_ID = "login";
const FIELDS = fieldRefs<LoginValues>(FORM_ID, ["email", "password"]);
const [EMAIL_FIELD, PASSWORD_FIELD] = FIELDS as [(typeof FIELDS)[number], (typeof FIELDS)[number]];

export function LoginPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const next = safeNextPath(searchParams.get("next"));
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const { setLanguage } = useLanguage();
  const form = useForm<LoginValues>({ defaultValues: { email: "", password: "" }, shouldFocusError: false });
  const { feedback, show, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);

  if (me.isPending) {
    return <LoadingStatus label={t("common.loading")} />;
  }
  // Signed in (now, or already on arrival): on to where the person was going, message included.
  if (me.data) {
    return <Navigate to={next} replace state={location.state as unknown} />;
  }

  const onValid = async (values: LoginValues) => {
    clear();
    try {
      const user = await accountsApi.login({ email: values.email.trim(), password: values.password });
      setLanguage(user.locale);
      replaceSessionUser(queryClient, user);
    } catch (error) {
      if (error instanceof ApiError && error.code === "invalid-credentials") {
        // Which of the two is wrong is not said (that would reveal who has an account).
        show({
          title: error.title,
          items: [{ fieldId: EMAIL_FIELD.id, message: error.detail ?? error.title }],
          code: error.code,
        });
        return;
      }
      if (error instanceof ApiError && error.code === "too-many-requests" && error.retryAfterSeconds) {
        const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
        show({
          title: error.title,
          items: [],
          description: `${error.detail ?? ""} ${t("login.retryIn", { count: minutes })}`.trim(),
          code: error.code,
        });
        return;
      }
      showError(error);
    }
  };

  const extraHelp = () => {
    if (feedback?.code === "email-not-verified") {
      return <ResendVerificationButton email={form.getValues("email")} />;
    }
    if (feedback?.code === "invalid-credentials" || feedback?.code === "account-locked") {
      return (
        <Text mt="xs">
          <Anchor component={Link} to="/mot-de-passe-oublie">
            {t("login.forgotten")}
          </Anchor>
        </Text>
      );
    }
    return null;
  };

  return (
    <>
      <title>{t("login.documentTitle")}</title>
      <NarrowPage>
        <Title order={1}>{t("login.title")}</Title>
        <Text fz="lg">{t("login.intro")}</Text>
        {feedback ? (
          <ErrorSummary
            title={feedback.title}
            items={feedback.items}
            description={feedback.description}
            focusKey={feedback.focusKey}
          >
            {extraHelp()}
          </ErrorSummary>
        ) : null}
        <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
          <Stack gap="md">
            <RequiredNote />
            <TextInput
              id={EMAIL_FIELD.id}
              label={t("fields.email.label")}
              type="email"
              inputMode="email"
              autoComplete="email"
              autoCapitalize="none"
              spellCheck={false}
              required
              dir="ltr"
              error={fieldError("email")}
              {...form.register("email", emailRules(t))}
            />
            <PasswordField
              id={PASSWORD_FIELD.id}
              label={t("fields.password.label")}
              autoComplete="current-password"
              required
              error={fieldError("password")}
              {...form.register("password", requiredText(t("forms.validation.passwordRequired")))}
            />
            <Text>
              <Anchor component={Link} to="/mot-de-passe-oublie">
                {t("login.forgotten")}
              </Anchor>
            </Text>
            <div>
              <SubmitButton submitting={form.formState.isSubmitting} size="md">
                {t("login.submit")}
              </SubmitButton>
            </div>
          </Stack>
        </form>
        <Text>
          {t("login.noAccount")}{" "}
          <Anchor component={Link} to="/inscription">
            {t("login.createAccount")}
          </Anchor>
        </Text>
      </NarrowPage>
    </>
  );
}
