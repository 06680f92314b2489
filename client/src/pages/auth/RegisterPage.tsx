import { Anchor, Fieldset, Radio, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import type { PrescriberKind, Registration } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { PasswordField } from "../../components/forms/PasswordField";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { useLanguage } from "../../i18n/useLanguage";
import { RegistrationMailSent } from "./CheckMailbox";
import { NarrowPage } from "./NarrowPage";
import { emailRules, fullNameRules, nationalIdRules, newPasswordRules, normaliseNationalId } from "./validation";

export interface RegisterValues {
  role: "" | "applicant" | "prescriber";
  prescriber: { kind: "" | PrescriberKind; organisation: string; registrationNumber: string };
  fullName: string;
  email: string;
  phone: string;
  nationalId: string;
  password: string;
}

const EMPTY: RegisterValues = {
  role: "",
  prescriber: { kind: "", organisation: "", registrationNumber: "" },
  fullName: "",
  email: "",
  phone: "",
  nationalId: "",
  password: "",
};

const FORM_ID = "register";
const id = (name: string) => fieldId(FORM_ID, name);
// The summary links to the first radio of a group: that is where the keyboard lands.
const ROLE_FIRST_ID = id("role");
const KIND_FIRST_ID = id("prescriber.kind");

// In screen order, for the error summary; server paths ("prescriber.registrationNumber") match names.
const FIELDS = fieldRefs<RegisterValues>(FORM_ID, [
  "role",
  "prescriber.kind",
  "prescriber.organisation",
  "prescriber.registrationNumber",
  "fullName",
  "email",
  "phone",
  "nationalId",
  "password",
]);

function toRegistration(values: RegisterValues, locale: Registration["locale"]): Registration {
  const role = values.role === "prescriber" ? "prescriber" : "applicant";
  const phone = values.phone.trim();
  const nationalId = normaliseNationalId(values.nationalId);
  return {
    email: values.email.trim(),
    password: values.password,
    fullName: values.fullName.trim(),
    role,
    locale,
    ...(phone === "" ? {} : { phone }),
    ...(nationalId === "" ? {} : { nationalId }),
    ...(role === "prescriber"
      ? {
          prescriber: {
            kind: values.prescriber.kind === "association" ? "association" : "accountant",
            organisation: values.prescriber.organisation.trim(),
            registrationNumber: values.prescriber.registrationNumber.trim(),
          },
        }
      : {}),
  };
}

interface RegisterFormProps {
  initialValues: RegisterValues;
  onRegistered: (values: RegisterValues) => void;
}

function RegisterForm({ initialValues, onRegistered }: RegisterFormProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const form = useForm<RegisterValues>({ defaultValues: initialValues, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);
  const role = useWatch({ control: form.control, name: "role" });
  const isPrescriber = role === "prescriber";
  // Prescriber fields count only when "prescriber" is chosen; what was typed there is kept anyway.
  const isPrescriberNow = () => form.getValues("role") === "prescriber";
  const whenPrescriber = (message: string) => ({
    validate: (value: string) => !isPrescriberNow() || value.trim() !== "" || message,
  });

  const onValid = async (values: RegisterValues) => {
    clear();
    try {
      await accountsApi.register(toRegistration(values, language));
      onRegistered(values);
    } catch (error) {
      showError(error);
    }
  };

  const optional = (label: string) => `${label} ${t("forms.optional")}`;

  return (
    <>
      {feedback ? (
        <ErrorSummary
          title={feedback.title}
          items={feedback.items}
          description={feedback.description}
          focusKey={feedback.focusKey}
        />
      ) : null}
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="xl">
          <RequiredNote />

          <Controller
            control={form.control}
            name="role"
            rules={{ validate: (value) => value !== "" || t("forms.validation.roleRequired") }}
            render={({ field }) => (
              <Radio.Group
                name={field.name}
                value={field.value}
                onChange={(value) => field.onChange(value)}
                label={t("register.role.legend")}
                labelProps={{ className: "question-label" }}
                required
                error={fieldError("role")}
              >
                <Stack gap="md" mt="sm">
                  <Radio
                    id={ROLE_FIRST_ID}
                    value="applicant"
                    ref={field.ref}
                    onBlur={field.onBlur}
                    label={t("register.role.applicant.label")}
                    description={t("register.role.applicant.hint")}
                    classNames={{ label: "choice-label" }}
                  />
                  <Radio
                    id={id("role-prescriber")}
                    value="prescriber"
                    onBlur={field.onBlur}
                    label={t("register.role.prescriber.label")}
                    description={t("register.role.prescriber.hint")}
                    classNames={{ label: "choice-label" }}
                  />
                </Stack>
              </Radio.Group>
            )}
          />

          {isPrescriber ? (
            <Fieldset legend={t("register.prescriber.legend")} className="form-fieldset">
              <Stack gap="md">
                <Controller
                  control={form.control}
                  name="prescriber.kind"
                  rules={{
                    validate: (value) => !isPrescriberNow() || value !== "" || t("forms.validation.kindRequired"),
                  }}
                  render={({ field }) => (
                    <Radio.Group
                      name={field.name}
                      value={field.value}
                      onChange={(value) => field.onChange(value)}
                      label={t("register.prescriber.kind.legend")}
                      required
                      error={fieldError("prescriber.kind")}
                    >
                      <Stack gap="sm" mt="xs">
                        <Radio
                          id={KIND_FIRST_ID}
                          value="accountant"
                          ref={field.ref}
                          onBlur={field.onBlur}
                          label={t("register.prescriber.kind.accountant")}
                        />
                        <Radio
                          id={id("prescriber.kind-association")}
                          value="association"
                          onBlur={field.onBlur}
                          label={t("register.prescriber.kind.association")}
                        />
                      </Stack>
                    </Radio.Group>
                  )}
                />
                <TextInput
                  id={id("prescriber.organisation")}
                  label={t("register.prescriber.organisation.label")}
                  description={t("register.prescriber.organisation.hint")}
                  autoComplete="organization"
                  required
                  error={fieldError("prescriber.organisation")}
                  {...form.register(
                    "prescriber.organisation",
                    whenPrescriber(t("forms.validation.organisationRequired")),
                  )}
                />
                <TextInput
                  id={id("prescriber.registrationNumber")}
                  label={t("register.prescriber.registrationNumber.label")}
                  description={t("register.prescriber.registrationNumber.hint")}
                  autoComplete="off"
                  required
                  error={fieldError("prescriber.registrationNumber")}
                  {...form.register(
                    "prescriber.registrationNumber",
                    whenPrescriber(t("forms.validation.registrationNumberRequired")),
                  )}
                />
              </Stack>
            </Fieldset>
          ) : null}

          <Fieldset legend={t("register.contact.legend")} className="form-fieldset">
            <Stack gap="md">
              <TextInput
                id={id("fullName")}
                label={t("fields.fullName.label")}
                description={t("fields.fullName.hint")}
                autoComplete="name"
                required
                error={fieldError("fullName")}
                {...form.register("fullName", fullNameRules(t, t("forms.validation.fullNameRequired")))}
              />
              <TextInput
                id={id("email")}
                label={t("fields.email.label")}
                description={t("register.emailHint")}
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
              <TextInput
                id={id("phone")}
                label={optional(t("fields.phone.label"))}
                description={t("fields.phone.hint")}
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                dir="ltr"
                error={fieldError("phone")}
                {...form.register("phone")}
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t("register.identity.legend")} className="form-fieldset">
            <TextInput
              id={id("nationalId")}
              label={optional(t("fields.nationalId.label"))}
              description={t("fields.nationalId.hint")}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              dir="ltr"
              classNames={{ input: "input-short" }}
              error={fieldError("nationalId")}
              {...form.register("nationalId", nationalIdRules(t))}
            />
          </Fieldset>

          <Fieldset legend={t("register.password.legend")} className="form-fieldset">
            <PasswordField
              id={id("password")}
              label={t("fields.password.label")}
              description={t("fields.password.newHint")}
              autoComplete="new-password"
              required
              error={fieldError("password")}
              {...form.register("password", newPasswordRules(t))}
            />
          </Fieldset>

          <Text fz="sm">{t("register.languageNote")}</Text>
          <div>
            <SubmitButton submitting={form.formState.isSubmitting} size="md">
              {t("register.submit")}
            </SubmitButton>
          </div>
        </Stack>
      </form>
    </>
  );
}

export function RegisterPage() {
  const { t } = useTranslation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  // Going back to correct the address brings back everything typed.
  const [lastValues, setLastValues] = useState<RegisterValues>(EMPTY);

  if (sentTo !== null) {
    return (
      <NarrowPage>
        <RegistrationMailSent email={sentTo} onCorrect={() => setSentTo(null)} />
      </NarrowPage>
    );
  }

  return (
    <>
      <title>{t("register.documentTitle")}</title>
      <NarrowPage>
        <Title order={1}>{t("register.title")}</Title>
        <Text fz="lg">{t("register.intro")}</Text>
        <Text>
          {t("register.haveAccount")}{" "}
          <Anchor component={Link} to="/connexion">
            {t("register.login")}
          </Anchor>
        </Text>
        <RegisterForm
          initialValues={lastValues}
          onRegistered={(values) => {
            setLastValues(values);
            setSentTo(values.email.trim());
          }}
        />
      </NarrowPage>
    </>
  );
}
