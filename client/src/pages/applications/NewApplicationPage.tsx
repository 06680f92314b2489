import { Alert, Anchor, Radio, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { applicationsApi } from "../../api/applications";
import { companiesApi } from "../../api/companies";
import { useCalls } from "../../api/queries";
import { sessionKeys } from "../../api/session";
import type { Call, Company, User } from "../../api/types";
import { FeedbackSummary } from "../../components/forms/ErrorSummary";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatDay } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { useSectorName } from "../companies/CompaniesPage";
import { mayCreateApplications } from "./permissions";
import { useApplicationCache } from "./wizard/useApplicationCache";
import { WizardActions, WizardFrame } from "./wizard/WizardFrame";
import { stepPath } from "./wizard/steps";

const FORM_ID = "new-application";

interface StartValues {
  companyId: string;
  callId: string;
}

const FIELDS = fieldRefs<StartValues>(FORM_ID, ["companyId", "callId"]);
const COMPANY_QUERY = { q: "", page: 1, pageSize: 100 };

function NoCompany({ user }: { user: User }) {
  const { t } = useTranslation();
  const forClients = user.role === "prescriber";
  return (
    <Alert color="yellow" variant="light" title={t("applications.start.noCompanyTitle")}>
      <Stack gap="xs" align="flex-start">
        <Text>{forClients ? t("applications.start.noClient") : t("applications.start.noCompany")}</Text>
        <Anchor component={Link} to="/entreprises/nouvelle" fw={700}>
          {forClients ? t("companies.list.registerClient") : t("companies.list.register")}
        </Anchor>
      </Stack>
    </Alert>
  );
}

function NoOpenCall({ next }: { next: Call | undefined }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Alert color="yellow" variant="light" title={t("applications.start.noCallTitle")}>
      <Stack gap="xs" align="flex-start">
        <Text>
          {next
            ? t("applications.start.nextCall", {
                title: pickLocalized(language, next.titleFr, next.titleAr),
                date: formatDay(next.opensOn, language),
              })
            : t("applications.start.noCall")}
        </Text>
        <Anchor component={Link} to="/simulateur">
          {t("applications.start.simulate")}
        </Anchor>
      </Stack>
    </Alert>
  );
}

function StartForm({ companies, calls, preselected }: { companies: Company[]; calls: Call[]; preselected: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const navigate = useNavigate();
  const remember = useApplicationCache();
  const sectorName = useSectorName();
  const form = useForm<StartValues>({
    defaultValues: {
      companyId: companies.some((company) => company.id === preselected)
        ? preselected
        : companies.length === 1
          ? (companies[0]?.id ?? "")
          : "",
      callId: calls.length === 1 ? (calls[0]?.id ?? "") : "",
    },
    shouldFocusError: false,
  });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const error = (name: keyof StartValues) => form.formState.errors[name]?.message;

  const onValid = async (values: StartValues) => {
    clear();
    const company = companies.find((candidate) => candidate.id === values.companyId);
    if (!company) return;
    try {
      const created = await applicationsApi.create({
        companyId: company.id,
        callId: values.callId,
        sectorCode: company.sectorCode,
        solutionIds: [],
        description: "",
        lines: [],
      });
      remember(created);
      void navigate(stepPath(created.id, "solution"));
    } catch (failure) {
      showError(failure);
    }
  };

  const single = calls.length === 1 ? calls[0] : undefined;

  return (
    <Stack gap="lg">
      <FeedbackSummary feedback={feedback} />
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="xl">
          <Controller
            control={form.control}
            name="companyId"
            rules={{ validate: (value) => value !== "" || t("applications.start.companyRequired") }}
            render={({ field }) => (
              <Radio.Group
                name={field.name}
                value={field.value}
                onChange={field.onChange}
                label={t("applications.start.company")}
                description={t("applications.start.companyHint")}
                error={error("companyId")}
                classNames={{ label: "question-label" }}
                required
              >
                <Stack gap="sm" mt="sm">
                  {companies.map((company, index) => (
                    <Radio
                      key={company.id}
                      id={index === 0 ? fieldId(FORM_ID, "companyId") : `${FORM_ID}-company-${company.id}`}
                      ref={index === 0 ? field.ref : undefined}
                      value={company.id}
                      label={company.name}
                      description={t("applications.start.companyFacts", {
                        ice: company.ice,
                        city: company.city,
                        sector: sectorName(company.sectorCode),
                      })}
                      classNames={{ root: "choice-card", label: "choice-label" }}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
          />
          {single ? (
            <Stack gap={4}>
              <Text className="question-label">{t("applications.start.call")}</Text>
              <Text>
                {t("applications.start.callSingle", {
                  title: pickLocalized(language, single.titleFr, single.titleAr),
                  date: formatDay(single.closesOn, language),
                })}
              </Text>
            </Stack>
          ) : (
            <Controller
              control={form.control}
              name="callId"
              rules={{ validate: (value) => value !== "" || t("applications.start.callRequired") }}
              render={({ field }) => (
                <Radio.Group
                  name={field.name}
                  value={field.value}
                  onChange={field.onChange}
                  label={t("applications.start.call")}
                  error={error("callId")}
                  classNames={{ label: "question-label" }}
                  required
                >
                  <Stack gap="sm" mt="sm">
                    {calls.map((call, index) => (
                      <Radio
                        key={call.id}
                        id={index === 0 ? fieldId(FORM_ID, "callId") : `${FORM_ID}-call-${call.id}`}
                        ref={index === 0 ? field.ref : undefined}
                        value={call.id}
                        label={pickLocalized(language, call.titleFr, call.titleAr)}
                        description={t("home.call.openUntil", { date: formatDay(call.closesOn, language) })}
                        classNames={{ root: "choice-card", label: "choice-label" }}
                      />
                    ))}
                  </Stack>
                </Radio.Group>
              )}
            />
          )}
          <Text>{t("applications.start.draftNote")}</Text>
          <WizardActions submitting={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Stack>
  );
}

function NewApplication({ user }: { user: User }) {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const companies = useQuery({
    queryKey: [...sessionKeys.companies, COMPANY_QUERY],
    queryFn: ({ signal }) => companiesApi.list(COMPANY_QUERY, signal),
  });
  const calls = useCalls();

  const body = () => {
    if (companies.isPending || calls.isPending) {
      return <LoadingStatus label={t("common.loading")} />;
    }
    const failed = companies.isError ? companies : calls.isError ? calls : null;
    if (failed) {
      return (
        <QueryErrorAlert
          title={t("applications.start.loadError")}
          error={failed.error}
          onRetry={() => void failed.refetch()}
          retrying={failed.isFetching}
        />
      );
    }
    const eligibleCompanies = (companies.data?.items ?? []).filter((company) => company.permissions.createApplication);
    const allCalls = calls.data?.items ?? [];
    const open = allCalls.filter((call) => call.status === "open");
    const upcoming = [...allCalls]
      .filter((call) => call.status === "upcoming")
      .sort((a, b) => a.opensOn.localeCompare(b.opensOn))[0];
    return (
      <Stack gap="lg">
        {eligibleCompanies.length === 0 ? <NoCompany user={user} /> : null}
        {open.length === 0 ? <NoOpenCall next={upcoming} /> : null}
        {eligibleCompanies.length > 0 && open.length > 0 ? (
          <StartForm companies={eligibleCompanies} calls={open} preselected={searchParams.get("entreprise") ?? ""} />
        ) : null}
      </Stack>
    );
  };

  return (
    <WizardFrame step="company" applicationId={null} user={user}>
      <Text fz="lg">{t("applications.start.intro")}</Text>
      {body()}
    </WizardFrame>
  );
}

function NewApplicationGuard({ user }: { user: User }) {
  return mayCreateApplications(user.role) ? <NewApplication user={user} /> : <AccessReserved />;
}

export function NewApplicationPage() {
  return <RequireAuth>{(user) => <NewApplicationGuard user={user} />}</RequireAuth>;
}
