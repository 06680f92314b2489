import { Anchor, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { companiesApi } from "../../api/companies";
import { ApiError } from "../../api/client";
import { sessionKeys } from "../../api/session";
import type { CompanyRegistration, User } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, useFormFeedback } from "../../components/forms/useFormFeedback";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { useLanguage } from "../../i18n/useLanguage";
import type { FlashState } from "../../navigation";
import { CompanyFields, ManagerFields } from "./CompanyFields";
import {
  companyFieldRefs,
  emptyCompanyValues,
  mayRegisterCompanies,
  profileFrom,
  type CompanyValues,
} from "./companyForm";
import { ReferenceGate } from "./ReferenceGate";

const FORM_ID = "company";
const FIELDS = companyFieldRefs(FORM_ID);

function NewCompanyForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const forClient = user.permissions.actForClients;
  const form = useForm<CompanyValues>({ defaultValues: emptyCompanyValues(language), shouldFocusError: false });
  const { feedback, show, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);

  const onValid = async (values: CompanyValues) => {
    clear();
    const registration: CompanyRegistration = {
      ...profileFrom(values),
      ...(forClient
        ? {
            managerName: values.managerName.trim(),
            managerEmail: values.managerEmail.trim(),
            managerLocale: values.managerLocale,
          }
        : {}),
    };
    try {
      const company = await companiesApi.register(registration);
      await queryClient.invalidateQueries({ queryKey: sessionKeys.companies });
      void navigate(`/entreprises/${company.id}`, { state: { flash: "companyRegistered" } satisfies FlashState });
    } catch (error) {
      // The ICE is already registered: the server's message says how to ask its owner for access.
      if (error instanceof ApiError && error.status === 409) {
        const iceId = fieldId(FORM_ID, "ice");
        form.setError("ice", { type: "server", message: t("companies.form.iceTaken") });
        show({
          title: t("companies.form.iceTakenTitle"),
          items: [{ fieldId: iceId, message: t("companies.form.iceTaken") }],
          description: error.detail ?? error.title,
          code: error.code,
        });
        return;
      }
      showError(error);
    }
  };

  return (
    <Stack gap="lg">
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
          <CompanyFields form={form} formId={FORM_ID} />
          {forClient ? <ManagerFields form={form} formId={FORM_ID} /> : null}
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>
              {forClient ? t("companies.new.submitClient") : t("companies.new.submit")}
            </SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}

function NewCompany({ user }: { user: User }) {
  const { t } = useTranslation();
  if (!mayRegisterCompanies(user.role)) {
    return <AccessReserved />;
  }
  const forClient = user.permissions.actForClients;
  return (
    <>
      <title>{forClient ? t("companies.new.documentTitleClient") : t("companies.new.documentTitle")}</title>
      <Stack gap="xl" maw={760}>
        <Stack gap="xs">
          <Anchor component={Link} to="/entreprises">
            {forClient ? t("companies.list.backClients") : t("companies.list.back")}
          </Anchor>
          <Title order={1}>{forClient ? t("companies.new.titleClient") : t("companies.new.title")}</Title>
          <Text fz="lg">{forClient ? t("companies.new.introClient") : t("companies.new.intro")}</Text>
        </Stack>
        <ReferenceGate>
          <NewCompanyForm user={user} />
        </ReferenceGate>
      </Stack>
    </>
  );
}

export function NewCompanyPage() {
  return <RequireAuth>{(user) => <NewCompany user={user} />}</RequireAuth>;
}
