import { Checkbox, Stack, Text, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { sessionKeys } from "../../api/session";
import type { AccountChanges, User } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { StatusMessage } from "../../components/StatusMessage";
import { formatPhone } from "../../format";
import { fullNameRules, nationalIdRules, normaliseNationalId } from "../auth/validation";

interface DetailsValues {
  fullName: string;
  phone: string;
  nationalId: string;
  removeNationalId: boolean;
}

const FORM_ID = "details";
const FIELDS = fieldRefs<DetailsValues>(FORM_ID, ["fullName", "phone", "nationalId", "removeNationalId"]);
const id = (name: keyof DetailsValues) => fieldId(FORM_ID, name);

function valuesOf(user: User): DetailsValues {
  return { fullName: user.fullName, phone: formatPhone(user.phone), nationalId: "", removeNationalId: false };
}

/** Only what changed is sent; an untouched CIN field keeps the stored number. */
function changesOf(user: User, values: DetailsValues): AccountChanges {
  const initial = valuesOf(user);
  const changes: AccountChanges = {};
  const fullName = values.fullName.trim();
  if (fullName !== initial.fullName) changes.fullName = fullName;
  const phone = values.phone.trim();
  if (phone !== initial.phone) changes.phone = phone === "" ? null : phone;
  const nationalId = normaliseNationalId(values.nationalId);
  if (nationalId !== "") changes.nationalId = nationalId;
  else if (values.removeNationalId && user.nationalIdMasked) changes.nationalId = null;
  return changes;
}

type Outcome = "saved" | "unchanged" | null;

export function AccountDetailsForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const form = useForm<DetailsValues>({ defaultValues: valuesOf(user), shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);
  const hasNationalId = user.nationalIdMasked !== null;
  const typingNewCin = useWatch({ control: form.control, name: "nationalId" }).trim() !== "";

  const onValid = async (values: DetailsValues) => {
    clear();
    setOutcome(null);
    const changes = changesOf(user, values);
    if (Object.keys(changes).length === 0) {
      setOutcome("unchanged");
      return;
    }
    try {
      const { user: updated } = await accountsApi.updateAccount(changes);
      queryClient.setQueryData(sessionKeys.me, updated);
      form.reset(valuesOf(updated));
      setOutcome("saved");
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
          <RequiredNote />
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
            id={id("phone")}
            label={`${t("fields.phone.label")} ${t("forms.optional")}`}
            description={t("fields.phone.hint")}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            dir="ltr"
            classNames={{ input: "input-short" }}
            error={fieldError("phone")}
            {...form.register("phone")}
          />
          <Stack gap={6}>
            {hasNationalId ? (
              <Text>
                <Trans
                  i18nKey="account.details.nationalIdStored"
                  values={{ masked: user.nationalIdMasked }}
                  components={{ cin: <bdi dir="ltr" className="masked-id" /> }}
                />
              </Text>
            ) : null}
            <TextInput
              id={id("nationalId")}
              label={`${t(hasNationalId ? "account.details.nationalIdNew" : "fields.nationalId.label")} ${t("forms.optional")}`}
              description={
                hasNationalId
                  ? `${t("account.details.nationalIdKeep")} ${t("fields.nationalId.hint")}`
                  : t("fields.nationalId.hint")
              }
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              dir="ltr"
              classNames={{ input: "input-short" }}
              error={fieldError("nationalId")}
              {...form.register("nationalId", nationalIdRules(t))}
            />
            {hasNationalId ? (
              <Checkbox
                id={id("removeNationalId")}
                mt="xs"
                label={t("account.details.removeNationalId")}
                disabled={typingNewCin}
                {...form.register("removeNationalId")}
              />
            ) : null}
          </Stack>
          <StatusMessage color={outcome === "unchanged" ? "blue" : "green"}>
            {outcome === null ? null : t(outcome === "saved" ? "account.details.saved" : "account.details.unchanged")}
          </StatusMessage>
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{t("account.details.submit")}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
