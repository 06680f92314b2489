import { Radio, Stack } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { sessionKeys } from "../../api/session";
import type { Locale, User } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { StatusMessage } from "../../components/StatusMessage";
import { useLanguage } from "../../i18n/useLanguage";

interface LanguageValues {
  locale: Locale;
}

const FIELDS = fieldRefs<LanguageValues>("language", ["locale"]);

/** The language of the e-mails the programme sends, and of the site at each sign-in. */
export function LanguageForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { setLanguage } = useLanguage();
  const [saved, setSaved] = useState(false);
  const form = useForm<LanguageValues>({ defaultValues: { locale: user.locale }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);

  const onValid = async ({ locale }: LanguageValues) => {
    clear();
    setSaved(false);
    try {
      const { user: updated } = await accountsApi.updateAccount({ locale });
      queryClient.setQueryData(sessionKeys.me, updated);
      setLanguage(updated.locale);
      setSaved(true);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Stack gap="md">
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
          <Controller
            control={form.control}
            name="locale"
            render={({ field }) => (
              <Radio.Group
                name={field.name}
                value={field.value}
                onChange={(value) => field.onChange(value)}
                label={t("account.language.legend")}
                description={t("account.language.hint")}
              >
                <Stack gap="sm" mt="sm">
                  <Radio id={FIELDS[0]?.id} ref={field.ref} value="fr" label="Français" lang="fr" />
                  <Radio id="language-locale-ar" value="ar" label="العربية" lang="ar" />
                </Stack>
              </Radio.Group>
            )}
          />
          <StatusMessage>{saved ? t("account.language.saved") : null}</StatusMessage>
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("account.language.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
