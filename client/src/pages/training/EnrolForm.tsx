import { Anchor, NativeSelect, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { companiesApi } from "../../api/companies";
import { sessionKeys } from "../../api/session";
import { enrol, trainingKeys, type Enrolment, type TrainingSession } from "../../api/training";
import type { User } from "../../api/types";
import { FeedbackSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";

const COMPANY_QUERY = { q: "", page: 1, pageSize: 100 };
const FORM_ID = "enrol";

interface EnrolValues {
  companyId: string;
}

const FIELDS = fieldRefs<EnrolValues>(FORM_ID, ["companyId"]);

/**
 * The server's refusal in its own words: a 409 ("already enrolled", "the session has started") or
 * a 403 gets a plain title instead of the server's generic "Conflit"; the explanation stays its own.
 */
function asRefusal(error: unknown, title: string): unknown {
  if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 403)) return error;
  return new ApiError(
    {
      type: error.type,
      code: error.code || undefined,
      title,
      status: error.status,
      detail: error.detail ?? error.title,
      errors: error.errors,
      requestId: error.requestId,
    },
    error.retryAfterSeconds,
  );
}

interface EnrolFormProps {
  session: TrainingSession;
  user: User;
  onEnrolled: (enrolment: Enrolment) => void;
  /** A new attempt: the previous attempt's message is out of date. */
  onAttempt: () => void;
}

/**
 * An applicant enrols themself (choosing the company when they run several); a prescriber enrols
 * the manager of one of their client companies. A full session puts the person on the waiting list.
 */
export function EnrolForm({ session, user, onEnrolled, onAttempt }: EnrolFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const prescriber = user.role === "prescriber";
  const companies = useQuery({
    queryKey: [...sessionKeys.companies, COMPANY_QUERY],
    queryFn: ({ signal }) => companiesApi.list(COMPANY_QUERY, signal),
  });
  const form = useForm<EnrolValues>({ defaultValues: { companyId: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const fieldError = useFieldError(form);
  const texts = prescriber ? "training.session.prescriber" : "training.session.applicant";
  const full = session.seatsLeft <= 0;

  if (companies.isPending) {
    return <LoadingStatus label={t(`${texts}.companiesLoading`)} />;
  }
  if (companies.isError) {
    return (
      <QueryErrorAlert
        title={t(`${texts}.companiesError`)}
        error={companies.error}
        onRetry={() => void companies.refetch()}
        retrying={companies.isFetching}
      />
    );
  }
  const choices = companies.data.items;
  if (prescriber && choices.length === 0) {
    return (
      <Stack gap="xs" align="flex-start">
        <Text>{t("training.session.prescriber.noClients")}</Text>
        <Anchor component={Link} to="/entreprises">
          {t("training.session.prescriber.clients")}
        </Anchor>
      </Stack>
    );
  }
  // An applicant with one company (or none) has nothing to choose: the server takes it.
  const withChoice = prescriber || choices.length > 1;

  const onValid = async (values: EnrolValues) => {
    clear();
    onAttempt();
    try {
      const enrolment = await enrol(session.id, withChoice ? { companyId: values.companyId } : {});
      form.reset({ companyId: "" });
      onEnrolled(enrolment);
      await queryClient.invalidateQueries({ queryKey: trainingKeys.all });
    } catch (error) {
      showError(asRefusal(error, t("training.session.refused")));
    }
  };

  return (
    <Stack gap="md">
      <FeedbackSummary feedback={feedback} headingOrder={3} />
      <Text>{t(`${texts}.intro`)}</Text>
      {full ? <Text>{t("training.session.fullNote")}</Text> : null}
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md" align="flex-start">
          {withChoice ? (
            <NativeSelect
              id={fieldId(FORM_ID, "companyId")}
              label={t(`${texts}.company`)}
              description={prescriber ? undefined : t("training.session.applicant.companyHint")}
              required
              size="md"
              miw={280}
              error={fieldError("companyId")}
              data={[
                { value: "", label: t(`${texts}.choose`) },
                ...choices.map((company) => ({ value: company.id, label: company.name })),
              ]}
              {...form.register("companyId", {
                validate: (value) => value !== "" || t(`${texts}.companyRequired`),
              })}
            />
          ) : null}
          <SubmitButton submitting={form.formState.isSubmitting}>
            {full ? t(`${texts}.submitWaitlist`) : t(`${texts}.submit`)}
          </SubmitButton>
        </Stack>
      </form>
    </Stack>
  );
}
