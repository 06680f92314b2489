import { Checkbox, NativeSelect, Skeleton, Stack, Text, Textarea } from "@mantine/core";
import type { TFunction } from "i18next";
import { Controller, useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { applicationsApi, type Application } from "../../../api/applications";
import { useSectors, useSolutions } from "../../../api/queries";
import type { Solution } from "../../../api/types";
import { FeedbackSummary } from "../../../components/forms/ErrorSummary";
import { useFieldError } from "../../../components/forms/FieldError";
import { fieldId, fieldRefs, useFormFeedback } from "../../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../../components/LoadingStatus";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { formatCount, formatMoney } from "../../../format";
import { pickLocalized } from "../../../i18n/languages";
import { useLanguage } from "../../../i18n/useLanguage";
import { useSectorName } from "../../companies/CompaniesPage";
import type { WizardStep } from "./steps";
import { useApplicationCache } from "./useApplicationCache";
import { useStepNavigation } from "./useStepNavigation";
import { WizardActions } from "./WizardFrame";

const FORM_ID = "solution";
export const DESCRIPTION_MAX_LENGTH = 4000;
const SOLUTIONS_PAGE_SIZE = 100;

interface SolutionValues {
  sectorCode: string;
  solutionIds: string[];
  description: string;
}

const FIELDS = fieldRefs<SolutionValues>(FORM_ID, ["sectorCode", "solutionIds", "description"]);

function solutionDescription(solution: Solution, t: TFunction, money: (amount: string) => string) {
  const price =
    solution.priceMin === solution.priceMax
      ? t("catalog.card.priceSingle", { amount: money(solution.priceMin) })
      : t("catalog.card.priceRange", { min: money(solution.priceMin), max: money(solution.priceMax) });
  return t("applications.solution.cardFacts", { supplier: solution.supplier.name, price });
}

function SolutionChoices({ sectorCode, form }: { sectorCode: string; form: UseFormReturn<SolutionValues> }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const solutions = useSolutions(sectorCode, 1, SOLUTIONS_PAGE_SIZE);
  const fieldError = useFieldError(form);
  const money = (amount: string) => formatMoney(amount, language);

  if (solutions.isPending) {
    return (
      <div aria-busy="true">
        <LoadingStatus label={t("catalog.loadingSolutions")} />
        <Stack gap="xs" aria-hidden="true">
          <Skeleton height={64} />
          <Skeleton height={64} />
        </Stack>
      </div>
    );
  }
  if (solutions.isError) {
    return (
      <QueryErrorAlert
        title={t("catalog.solutionsErrorTitle")}
        error={solutions.error}
        onRetry={() => void solutions.refetch()}
        retrying={solutions.isFetching}
      />
    );
  }
  const items = solutions.data.items.filter((solution) => solution.sectorCode === sectorCode);
  return (
    <Controller
      control={form.control}
      name="solutionIds"
      render={({ field }) => (
        <Checkbox.Group
          value={field.value}
          onChange={field.onChange}
          label={`${t("applications.solution.solutions")} ${t("forms.optional")}`}
          description={t("applications.solution.solutionsHint")}
          error={fieldError("solutionIds")}
          classNames={{ label: "question-label" }}
        >
          {items.length === 0 ? (
            <Text className="empty-state" mt="sm">
              {t("catalog.empty")}
            </Text>
          ) : (
            <Stack gap="sm" mt="sm">
              {items.map((solution, index) => (
                <Checkbox
                  key={solution.id}
                  id={index === 0 ? fieldId(FORM_ID, "solutionIds") : `${FORM_ID}-solution-${solution.id}`}
                  ref={index === 0 ? field.ref : undefined}
                  value={solution.id}
                  label={pickLocalized(language, solution.nameFr, solution.nameAr)}
                  description={solutionDescription(solution, t, money)}
                  classNames={{ root: "choice-card", label: "choice-label" }}
                />
              ))}
            </Stack>
          )}
        </Checkbox.Group>
      )}
    />
  );
}

/** Step 2: the sector, the catalogue's solutions of that sector, and the project in the applicant's words. */
export function SolutionStep({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectors = useSectors();
  const sectorName = useSectorName();
  const remember = useApplicationCache();
  const goTo = useStepNavigation(application.id);
  const form = useForm<SolutionValues>({
    defaultValues: {
      sectorCode: application.sectorCode,
      solutionIds: application.solutionIds,
      description: application.description,
    },
    shouldFocusError: false,
  });
  const fieldError = useFieldError(form);
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, FIELDS);
  const sectorCode = useWatch({ control: form.control, name: "sectorCode" });
  const description = useWatch({ control: form.control, name: "description" });
  const dirty = form.formState.isDirty;

  const save = async (values: SolutionValues, target: WizardStep) => {
    clear();
    try {
      const updated = await applicationsApi.update(application.id, {
        sectorCode: values.sectorCode,
        solutionIds: values.solutionIds,
        description: values.description.trim(),
      });
      remember(updated);
      goTo(target);
    } catch (error) {
      showError(error);
    }
  };

  const submitTo = (target: WizardStep) => form.handleSubmit((values) => save(values, target), onInvalid);

  return (
    <Stack gap="lg">
      <FeedbackSummary feedback={feedback} />
      <form noValidate onSubmit={submitTo("costs")}>
        <Stack gap="xl">
          <NativeSelect
            id={fieldId(FORM_ID, "sectorCode")}
            label={t("applications.solution.sector")}
            description={t("applications.solution.sectorHint", { sector: sectorName(application.company.sectorCode) })}
            required
            error={fieldError("sectorCode")}
            data={(sectors.data?.items ?? []).map((sector) => ({
              value: sector.code,
              label: pickLocalized(language, sector.nameFr, sector.nameAr),
            }))}
            {...form.register("sectorCode", {
              validate: (value) => value !== "" || t("simulator.form.sectorRequired"),
              onChange: () => form.setValue("solutionIds", []),
            })}
          />
          <SolutionChoices key={sectorCode} sectorCode={sectorCode} form={form} />
          <Textarea
            id={fieldId(FORM_ID, "description")}
            label={`${t("applications.solution.description")} ${t("forms.optional")}`}
            description={t("applications.solution.descriptionHint", {
              length: formatCount(description.length, language),
              max: formatCount(DESCRIPTION_MAX_LENGTH, language),
            })}
            minRows={6}
            rows={6}
            size="md"
            maxLength={DESCRIPTION_MAX_LENGTH}
            error={fieldError("description")}
            {...form.register("description", {
              validate: (value) =>
                value.length <= DESCRIPTION_MAX_LENGTH ||
                t("applications.solution.descriptionTooLong", { max: formatCount(DESCRIPTION_MAX_LENGTH, language) }),
            })}
          />
          <WizardActions
            submitting={form.formState.isSubmitting}
            onPrevious={() => (dirty ? void submitTo("company")() : goTo("company"))}
          />
        </Stack>
      </form>
    </Stack>
  );
}
