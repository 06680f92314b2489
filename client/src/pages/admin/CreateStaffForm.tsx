import { Radio, Stack, Text, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { sessionKeys } from "../../api/session";
import type { Locale, StaffRole, User } from "../../api/types";
import { DevMailNote } from "../../components/DevMailNote";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { StatusMessage } from "../../components/StatusMessage";
import { useLanguage } from "../../i18n/useLanguage";
import { EmailAddress } from "../auth/CheckMailbox";
import { emailRules, fullNameRules } from "../auth/validation";
import { STAFF_ROLES } from "./UserActionModals";

interface StaffValues {
  role: StaffRole | "";
  fullName: string;
  email: string;
  phone: string;
  locale: Locale;
}

const FORM_ID = "staff";
const id = (name: string) => fieldId(FORM_ID, name);
const FIELDS = fieldRefs<StaffValues>(FORM_ID, ["role", "fullName", "email", "phone", "locale"]);

export function CreateStaffForm() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<User | null>(null);
  const empty: StaffValues = { role: "", fullName: "", email: "", phone: "", locale: language };
  const form = useForm<StaffValues>({ defaultValues: empty, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError, showFieldError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);

  const onValid = async (values: StaffValues) => {
    clear();
    setCreated(null);
    const phone = values.phone.trim();
    try {
      const user = await accountsApi.createUser({
        role: values.role === "" ? "officer" : values.role,
        fullName: values.fullName.trim(),
        email: values.email.trim(),
        locale: values.locale,
        ...(phone === "" ? {} : { phone }),
      });
      await queryClient.invalidateQueries({ queryKey: sessionKeys.users });
      form.reset(empty);
      setCreated(user);
    } catch (error) {
      // "This address already has an account" concerns the e-mail field.
      if (error instanceof ApiError && error.status === 409) {
        showFieldError("email", error.detail ?? error.title);
        return;
      }
      showError(error);
    }
  };

  return (
    <Stack gap="md">
      <Text>{t("admin.users.create.intro")}</Text>
      {feedback ? (
        <ErrorSummary
          title={feedback.title}
          items={feedback.items}
          description={feedback.description}
          focusKey={feedback.focusKey}
          headingOrder={3}
        />
      ) : null}
      <StatusMessage>
        {created ? (
          <Stack gap="xs">
            <Text>
              <Trans
                i18nKey="admin.users.create.done"
                values={{ name: created.fullName, email: created.email }}
                components={{ email: <EmailAddress /> }}
              />
            </Text>
            <DevMailNote />
          </Stack>
        ) : null}
      </StatusMessage>
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md">
          <RequiredNote />
          <Controller
            control={form.control}
            name="role"
            rules={{ validate: (value) => value !== "" || t("forms.validation.staffRoleRequired") }}
            render={({ field }) => (
              <Radio.Group
                name={field.name}
                value={field.value}
                onChange={(value) => field.onChange(value)}
                label={t("admin.users.create.role")}
                required
                error={fieldError("role")}
              >
                <Stack gap="sm" mt="sm">
                  {STAFF_ROLES.map((role, index) => (
                    <Radio
                      key={role}
                      id={index === 0 ? id("role") : id(`role-${role}`)}
                      ref={index === 0 ? field.ref : undefined}
                      onBlur={field.onBlur}
                      value={role}
                      label={t(`roles.${role}`)}
                      description={t(`admin.users.roleHints.${role}`)}
                      classNames={{ label: "choice-label" }}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
          />
          <TextInput
            id={id("fullName")}
            label={t("fields.fullName.label")}
            autoComplete="off"
            required
            error={fieldError("fullName")}
            {...form.register("fullName", fullNameRules(t, t("forms.validation.staffFullNameRequired")))}
          />
          <TextInput
            id={id("email")}
            label={t("fields.email.label")}
            description={t("admin.users.create.emailHint")}
            type="email"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            dir="ltr"
            required
            error={fieldError("email")}
            {...form.register("email", emailRules(t, "forms.validation.staffEmailRequired"))}
          />
          <TextInput
            id={id("phone")}
            label={`${t("fields.phone.label")} ${t("forms.optional")}`}
            description={t("fields.phone.example")}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            dir="ltr"
            classNames={{ input: "input-short" }}
            error={fieldError("phone")}
            {...form.register("phone")}
          />
          <Controller
            control={form.control}
            name="locale"
            render={({ field }) => (
              <Radio.Group
                name={field.name}
                value={field.value}
                onChange={(value) => field.onChange(value)}
                label={t("admin.users.create.locale")}
                description={t("admin.users.create.localeHint")}
              >
                <Stack gap="sm" mt="sm">
                  <Radio id={id("locale")} ref={field.ref} value="fr" label="Français" lang="fr" />
                  <Radio id={id("locale-ar")} value="ar" label="العربية" lang="ar" />
                </Stack>
              </Radio.Group>
            )}
          />
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("admin.users.create.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
