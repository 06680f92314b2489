import { Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import type { User } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { PasswordField } from "../../components/forms/PasswordField";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { StatusMessage } from "../../components/StatusMessage";
import { newPasswordRules, requiredText } from "../auth/validation";

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
}

const FORM_ID = "password";
const FIELDS = fieldRefs<PasswordValues>(FORM_ID, ["currentPassword", "newPassword"]);

export function ChangePasswordForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const [changed, setChanged] = useState(false);
  const form = useForm<PasswordValues>({
    defaultValues: { currentPassword: "", newPassword: "" },
    shouldFocusError: false,
  });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);

  const onValid = async (values: PasswordValues) => {
    clear();
    setChanged(false);
    try {
      await accountsApi.changePassword(values);
      form.reset();
      setChanged(true);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Stack gap="md">
      <Text>{t("account.password.intro")}</Text>
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
        <Stack gap="md">
          <RequiredNote />
          {/* Lets password managers know which account the new password belongs to. */}
          <input type="email" name="username" autoComplete="username" value={user.email} readOnly hidden />
          <PasswordField
            id={fieldId(FORM_ID, "currentPassword")}
            label={t("account.password.current")}
            autoComplete="current-password"
            required
            error={fieldError("currentPassword")}
            {...form.register("currentPassword", requiredText(t("forms.validation.currentPasswordRequired")))}
          />
          <PasswordField
            id={fieldId(FORM_ID, "newPassword")}
            label={t("account.password.new")}
            description={t("fields.password.newHint")}
            autoComplete="new-password"
            required
            error={fieldError("newPassword")}
            {...form.register("newPassword", newPasswordRules(t))}
          />
          <StatusMessage>{changed ? t("account.password.changed") : null}</StatusMessage>
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("account.password.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
