import { Alert, Checkbox, Paper, Stack, Text, Title } from "@mantine/core";
import { useRef } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import {
  applicationsApi,
  ELIGIBILITY_RULES,
  newIdempotencyKey,
  type Application,
  type EligibilityRule,
} from "../../../api/applications";
import { ApiError, NETWORK_ERROR_STATUS } from "../../../api/client";
import { FeedbackSummary, type SummaryItem } from "../../../components/forms/ErrorSummary";
import { useFieldError } from "../../../components/forms/FieldError";
import { fieldId, fieldRefs, useFormFeedback } from "../../../components/forms/useFormFeedback";
import { formatMoney } from "../../../format";
import { useLanguage } from "../../../i18n/useLanguage";
import { AmountsPanel } from "../AmountsPanel";
import type { ApplicationFlashState } from "../flash";
import { applicationPagePath, REMEDIES, stepPath } from "./steps";
import { useApplicationCache } from "./useApplicationCache";
import { WizardActions } from "./WizardFrame";

const FORM_ID = "submit";

interface SubmitValues {
  certify: boolean;
}

const FIELDS = fieldRefs<SubmitValues>(FORM_ID, ["certify"]);

function isRule(value: string): value is EligibilityRule {
  return (ELIGIBILITY_RULES as readonly string[]).includes(value);
}

/** Where a failed criterion of a 422 "application-ineligible" is put right. */
function remedyPath(application: Application, path: string): string | undefined {
  const rule = path.replace(/^eligibility\./, "");
  if (!isRule(rule)) return undefined;
  const remedy = REMEDIES[rule];
  switch (remedy.kind) {
    case "step":
      return stepPath(application.id, remedy.step);
    case "company":
      return `/entreprises/${application.company.id}`;
    case "otherApplications":
      return `/dossiers?entreprise=${encodeURIComponent(application.company.id)}`;
    default:
      return undefined;
  }
}

/** A network failure or a server fault may have reached the server: the same key must be sent again. */
function mayHaveBeenApplied(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === NETWORK_ERROR_STATUS || error.status >= 500;
}

/** Step 6: the sworn statement, then the submission, sent at most once whatever the clicks and retries. */
export function SubmitStep({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const navigate = useNavigate();
  const remember = useApplicationCache();
  const form = useForm<SubmitValues>({ defaultValues: { certify: false }, shouldFocusError: false });
  const fieldError = useFieldError(form);
  const { feedback, show, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  // One key per attempt: kept while the outcome is unknown, so a second click or a retry is the same request.
  const attemptKey = useRef<string | null>(null);

  const onValid = async () => {
    clear();
    attemptKey.current ??= newIdempotencyKey();
    try {
      const submitted = await applicationsApi.submit(application.id, attemptKey.current);
      attemptKey.current = null;
      // Leave the wizard first, at once (flushSync): were the submitted file cached while this page
      // is still shown, it would redirect by itself (a submitted file is not editable) and drop the
      // message that the application page shows.
      await navigate(applicationPagePath(application.id), {
        state: { applicationSubmitted: true } satisfies ApplicationFlashState,
        flushSync: true,
      });
      remember(submitted);
    } catch (error) {
      if (!mayHaveBeenApplied(error)) attemptKey.current = null;
      if (error instanceof ApiError && error.code === "application-ineligible") {
        const items: SummaryItem[] = error.errors.map((criterion) => ({
          message: criterion.message,
          to: remedyPath(application, criterion.path),
        }));
        show({
          title: t("applications.submit.ineligibleTitle", { count: items.length }),
          description: t("applications.submit.ineligibleText"),
          items,
          code: error.code,
        });
        return;
      }
      showError(error);
    }
  };

  if (!application.permissions.submit) {
    return (
      <Alert color="yellow" variant="light">
        {t("applications.submit.notAllowed")}
      </Alert>
    );
  }

  return (
    <Stack gap="lg">
      <FeedbackSummary feedback={feedback} />
      <Paper component="section" withBorder p="lg" aria-labelledby="submit-recap">
        <Stack gap="md">
          <Title order={2} fz="h3" id="submit-recap">
            {t("applications.submit.recapTitle")}
          </Title>
          <Text>
            {t("applications.submit.recap", {
              company: application.company.name,
              grant: formatMoney(application.grantAmount, language),
            })}
          </Text>
          <AmountsPanel amounts={application} />
        </Stack>
      </Paper>
      {!application.eligible ? (
        <Alert color="yellow" variant="light">
          {t("applications.submit.notEligibleYet")}
        </Alert>
      ) : null}
      <form noValidate onSubmit={(event) => void form.handleSubmit(onValid, onInvalid)(event)}>
        <Stack gap="lg">
          <Text>{t("applications.submit.afterwards")}</Text>
          <Checkbox
            id={fieldId(FORM_ID, "certify")}
            label={t("applications.submit.certify")}
            classNames={{ label: "choice-label" }}
            error={fieldError("certify")}
            required
            {...form.register("certify", {
              validate: (value) => value || t("applications.submit.certifyRequired"),
            })}
          />
          <WizardActions
            submitting={form.formState.isSubmitting}
            submitLabel={t("applications.submit.button")}
            previousTo={stepPath(application.id, "review")}
          />
        </Stack>
      </form>
    </Stack>
  );
}
