import { Anchor, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { Trans, useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { CheckMailbox, EmailAddress } from "./CheckMailbox";
import { NarrowPage } from "./NarrowPage";
import { emailRules } from "./validation";

interface ForgotValues {
  email: string;
}

const FIELDS = fieldRefs<ForgotValues>("forgot", ["email"]);

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<ForgotValues>({ defaultValues: { email: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);

  if (sentTo !== null) {
    return (
      <NarrowPage>
        <CheckMailbox
          actions={
            <Anchor component={Link} to="/connexion">
              {t("forgotPassword.backToLogin")}
            </Anchor>
          }
        >
          <Text fz="lg">
            <Trans
              i18nKey="forgotPassword.sentTo"
              values={{ email: sentTo }}
              components={{ email: <EmailAddress /> }}
            />
          </Text>
        </CheckMailbox>
      </NarrowPage>
    );
  }

  const onValid = async (values: ForgotValues) => {
    clear();
    const email = values.email.trim();
    try {
      // Same answer whether the address has an account or not: nothing to tell apart here.
      await accountsApi.requestPasswordReset(email);
      setSentTo(email);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <>
      <title>{t("forgotPassword.documentTitle")}</title>
      <NarrowPage>
        <Title order={1}>{t("forgotPassword.title")}</Title>
        <Text fz="lg">{t("forgotPassword.intro")}</Text>
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
            <TextInput
              id={FIELDS[0]?.id}
              label={t("fields.email.label")}
              type="email"
              inputMode="email"
              autoComplete="email"
              autoCapitalize="none"
              spellCheck={false}
              dir="ltr"
              required
              error={fieldError("email")}
              {...form.register("email", emailRules(t))}
            />
            <div>
              <SubmitButton submitting={form.formState.isSubmitting} size="md">
                {t("forgotPassword.submit")}
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
    </>
  );
}
