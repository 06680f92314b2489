import { Alert, Anchor, Button, Group, Paper, Stack, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { companiesApi } from "../../api/companies";
import { ApiError } from "../../api/client";
import { useRegions } from "../../api/queries";
import { sessionKeys } from "../../api/session";
import type { Company, User } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { RequireAuth } from "../../components/RequireAuth";
import { StatusMessage } from "../../components/StatusMessage";
import { formatDay, formatMoney } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { NotFoundPage } from "../NotFoundPage";
import { OwnerStatus, useSectorName } from "./CompaniesPage";
import { CompanyApplications } from "./CompanyApplications";
import { CompanyFields } from "./CompanyFields";
import { companyFieldRefs, profileFrom, valuesOf, type CompanyValues } from "./companyForm";
import { MandatesSection } from "./MandatesSection";
import { ReferenceGate } from "./ReferenceGate";

const FORM_ID = "company-edit";
const FIELDS = companyFieldRefs(FORM_ID);

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="fact__label">{label}</dt>
      <dd className="fact__value">{children}</dd>
    </div>
  );
}

function CompanyFacts({ company }: { company: Company }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectorName = useSectorName();
  const regions = useRegions();
  const region = regions.data?.items.find((candidate) => candidate.code === company.regionCode);
  const regionName = region ? (language === "ar" ? region.nameAr : region.nameFr) : company.regionCode;
  return (
    <Stack gap="lg">
      <section aria-labelledby="facts-identification">
        <Title order={3} id="facts-identification" mb="xs">
          {t("companies.form.identification")}
        </Title>
        <dl className="facts">
          <Fact label={t("companies.list.ice")}>
            <bdi dir="ltr">{company.ice}</bdi>
          </Fact>
          <Fact label={t("companies.fields.legalForm.label")}>{t(`companies.legalForms.${company.legalForm}`)}</Fact>
          <Fact label={t("companies.list.owner")}>
            <OwnerStatus company={company} />
          </Fact>
        </dl>
      </section>
      <section aria-labelledby="facts-registrations">
        <Title order={3} id="facts-registrations" mb="xs">
          {t("companies.form.registrations")}
        </Title>
        <dl className="facts">
          <Fact label={t("companies.fields.rcNumber.label")}>
            <bdi>{company.rcNumber}</bdi>
          </Fact>
          <Fact label={t("companies.fields.rcCourt.label")}>{company.rcCourt}</Fact>
          <Fact label={t("companies.fields.ifNumber.label")}>
            <bdi dir="ltr">{company.ifNumber}</bdi>
          </Fact>
          <Fact label={t("companies.fields.cnssNumber.label")}>
            <bdi dir="ltr">{company.cnssNumber}</bdi>
          </Fact>
        </dl>
      </section>
      <section aria-labelledby="facts-activity">
        <Title order={3} id="facts-activity" mb="xs">
          {t("companies.form.activity")}
        </Title>
        <dl className="facts">
          <Fact label={t("companies.fields.sector.label")}>{sectorName(company.sectorCode)}</Fact>
          <Fact label={t("companies.fields.region.label")}>{regionName}</Fact>
          <Fact label={t("companies.fields.city.label")}>{company.city}</Fact>
          <Fact label={t("companies.fields.address.label")}>{company.address}</Fact>
          <Fact label={t("companies.fields.foundedOn.label")}>{formatDay(company.foundedOn, language)}</Fact>
          <Fact label={t("companies.fields.employees.label")}>{company.employees}</Fact>
          <Fact label={t("companies.facts.turnover")}>{formatMoney(company.annualTurnover, language)}</Fact>
        </dl>
      </section>
    </Stack>
  );
}

function EditCompanyForm({
  company,
  onDone,
  onCancel,
}: {
  company: Company;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const form = useForm<CompanyValues>({ defaultValues: valuesOf(company, language), shouldFocusError: false });
  const { feedback, show, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);

  const onValid = async (values: CompanyValues) => {
    clear();
    try {
      const updated = await companiesApi.update(company.id, profileFrom(values));
      queryClient.setQueryData(sessionKeys.company(company.id), updated);
      await queryClient.invalidateQueries({ queryKey: sessionKeys.companies, exact: false, refetchType: "none" });
      onDone();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        show({ title: t("companies.form.iceTakenTitle"), items: [], description: error.detail ?? error.title });
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
          headingOrder={3}
        />
      ) : null}
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="xl">
          <RequiredNote />
          <CompanyFields form={form} formId={FORM_ID} />
          <Group gap="sm">
            <SubmitButton submitting={form.formState.isSubmitting}>{t("companies.edit.submit")}</SubmitButton>
            <Button variant="default" size="md" onClick={onCancel}>
              {t("common.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function CompanyProfile({ company, user }: { company: Company; user: User }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const actingForClient = user.role === "prescriber";

  const stopEditing = (done: boolean) => {
    setEditing(false);
    setSaved(done);
    // Back to the button that opened the form, so keyboard users are not lost at the top of the page.
    requestAnimationFrame(() => editButton.current?.focus());
  };

  return (
    <>
      <title>{t("companies.profile.documentTitle", { name: company.name })}</title>
      <Stack gap="xl" maw={860}>
        <Stack gap="xs">
          <Anchor component={Link} to="/entreprises">
            {actingForClient ? t("companies.list.backClients") : t("companies.list.back")}
          </Anchor>
          <Title order={1}>{company.name}</Title>
        </Stack>
        {actingForClient ? (
          <Alert color="blue" variant="light">
            {t("companies.profile.mandateNotice")}
          </Alert>
        ) : null}
        {!company.claimed && company.managerName ? (
          <Alert color="yellow" variant="light">
            {t("companies.profile.awaitingClaim", { name: company.managerName })}
          </Alert>
        ) : null}
        <Paper component="section" withBorder p="lg" aria-labelledby="profile-title">
          <Stack gap="md">
            <Group justify="space-between" align="center" wrap="wrap">
              <Title order={2} id="profile-title">
                {t("companies.profile.title")}
              </Title>
              {company.permissions.update && !editing ? (
                <Button
                  ref={editButton}
                  variant="light"
                  onClick={() => {
                    setSaved(false);
                    setEditing(true);
                  }}
                >
                  {t("companies.edit.open")}
                </Button>
              ) : null}
            </Group>
            <StatusMessage>{saved ? t("companies.edit.done") : null}</StatusMessage>
            {editing ? (
              <ReferenceGate>
                <EditCompanyForm
                  company={company}
                  onDone={() => stopEditing(true)}
                  onCancel={() => stopEditing(false)}
                />
              </ReferenceGate>
            ) : (
              <CompanyFacts company={company} />
            )}
          </Stack>
        </Paper>
        <CompanyApplications company={company} />
        {company.permissions.listMandates ? <MandatesSection company={company} /> : null}
      </Stack>
    </>
  );
}

function CompanyLoader({ id, user }: { id: string; user: User }) {
  const { t } = useTranslation();
  const company = useQuery({
    queryKey: sessionKeys.company(id),
    queryFn: ({ signal }) => companiesApi.get(id, signal),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500 && error.status !== 0) && count < 2,
  });
  if (company.isPending) {
    return <LoadingStatus label={t("common.loading")} />;
  }
  if (company.isError) {
    // 404 and 403 look alike on purpose: the server does not say whether a company exists.
    if (company.error instanceof ApiError && (company.error.status === 404 || company.error.status === 403)) {
      return <NotFoundPage />;
    }
    return (
      <QueryErrorAlert
        title={t("companies.profile.errorTitle")}
        error={company.error}
        onRetry={() => void company.refetch()}
        retrying={company.isFetching}
      />
    );
  }
  return <CompanyProfile company={company.data} user={user} />;
}

export function CompanyPage() {
  const { id = "" } = useParams();
  return <RequireAuth>{(user) => <CompanyLoader key={id} id={id} user={user} />}</RequireAuth>;
}
