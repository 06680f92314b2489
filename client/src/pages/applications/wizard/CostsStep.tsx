import { Grid, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm, useWatch, type Path } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { applicationsApi, type Application } from "../../../api/applications";
import { ApiError } from "../../../api/client";
import { FeedbackSummary } from "../../../components/forms/ErrorSummary";
import { useFormFeedback } from "../../../components/forms/useFormFeedback";
import { formatMoney } from "../../../format";
import { useLanguage } from "../../../i18n/useLanguage";
import { AmountsPanel } from "../AmountsPanel";
import { LineFields } from "../LineFields";
import { emptyLine, lineFieldRefs, lineInputFrom, linesReady, lineValuesOf, type LinesFormValues } from "../lineForm";
import type { WizardStep } from "./steps";
import { useApplicationCache } from "./useApplicationCache";
import { useStepNavigation } from "./useStepNavigation";
import { WizardActions } from "./WizardFrame";

const FORM_ID = "costs";
/** The draft is saved (and the totals recomputed by the server) this long after the last keystroke. */
const AUTOSAVE_DELAY_MS = 800;

type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; grant: string } | { kind: "invalid" };

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Step 3: the investment lines, saved as the person types, and the totals the server computes from them. */
export function CostsStep({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const remember = useApplicationCache();
  const goTo = useStepNavigation(application.id);
  const form = useForm<LinesFormValues>({
    defaultValues: {
      sectorCode: application.sectorCode,
      lines: application.lines.length > 0 ? application.lines.map(lineValuesOf) : [emptyLine()],
    },
    shouldFocusError: false,
  });
  const lines = useWatch({ control: form.control, name: "lines" });
  const fields = useMemo(() => lineFieldRefs(FORM_ID, lines.length, true), [lines.length]);
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, fields);
  const [saved, setSaved] = useState(() =>
    JSON.stringify(application.lines.map((line) => lineInputFrom(lineValuesOf(line)))),
  );
  const [saveState, setSaveState] = useState<SaveState>({ kind: "idle" });
  const autosave = useRef<AbortController | null>(null);
  const leaving = useRef(false);

  const payload = linesReady(lines, true) ? JSON.stringify(lines.map(lineInputFrom)) : "";
  const inSync = payload === saved;

  const saveInBackground = async (next: string) => {
    if (leaving.current) return;
    autosave.current?.abort();
    const controller = new AbortController();
    autosave.current = controller;
    setSaveState({ kind: "saving" });
    try {
      const updated = await applicationsApi.update(
        application.id,
        { lines: JSON.parse(next) as ReturnType<typeof lineInputFrom>[] },
        controller.signal,
      );
      if (leaving.current) return;
      form.clearErrors();
      clear();
      remember(updated);
      setSaved(next);
      setSaveState({ kind: "saved", grant: updated.grantAmount });
    } catch (error) {
      if (isAbort(error) || leaving.current) return;
      // The server's words go next to the fields they are about; the summary waits for "Continuer".
      if (error instanceof ApiError) {
        for (const fieldError of error.errors) {
          if (fields.some((field) => field.name === fieldError.path)) {
            form.setError(fieldError.path as Path<LinesFormValues>, { type: "server", message: fieldError.message });
          }
        }
      }
      setSaveState({ kind: "invalid" });
    }
  };

  useEffect(() => {
    if (payload === "" || payload === saved) return undefined;
    const timer = window.setTimeout(() => void saveInBackground(payload), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
    // The lines themselves are the trigger; saveInBackground reads everything else when it runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [payload, saved]);

  useEffect(() => () => autosave.current?.abort(), []);

  const save = async (values: LinesFormValues, target: WizardStep) => {
    clear();
    leaving.current = true;
    autosave.current?.abort();
    try {
      const updated = await applicationsApi.update(application.id, { lines: values.lines.map(lineInputFrom) });
      remember(updated);
      goTo(target);
    } catch (error) {
      leaving.current = false;
      showError(error);
    }
  };

  const submitTo = (target: WizardStep) => form.handleSubmit((values) => save(values, target), onInvalid);

  const status = () => {
    switch (saveState.kind) {
      case "saving":
        return t("applications.costs.saving");
      case "saved":
        return t("applications.costs.saved", { grant: formatMoney(saveState.grant, language) });
      case "invalid":
        return t("applications.costs.invalid");
      default:
        return "";
    }
  };

  return (
    <Stack gap="lg">
      <FeedbackSummary feedback={feedback} />
      <form noValidate onSubmit={(event) => void submitTo("documents")(event)}>
        <Grid gutter="xl">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="md">
              <Title order={2}>{t("applications.costs.linesTitle")}</Title>
              <Text>{t("applications.costs.intro")}</Text>
              <LineFields form={form} formId={FORM_ID} detailed computed={inSync ? application.lines : undefined} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Paper component="section" withBorder p="lg" aria-labelledby="costs-totals" className="sticky-column">
              <Stack gap="sm">
                <Title order={2} id="costs-totals">
                  {t("applications.costs.totalsTitle")}
                </Title>
                <AmountsPanel amounts={application} />
                <Text fz="sm" role="status" aria-live="polite" className="save-status">
                  {status()}
                </Text>
                {!inSync && saveState.kind !== "saving" ? (
                  <Text fz="sm" c="dimmed">
                    {t("applications.costs.pending")}
                  </Text>
                ) : null}
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={12}>
            <WizardActions
              submitting={form.formState.isSubmitting}
              onPrevious={() => (inSync ? goTo("solution") : void submitTo("solution")())}
            />
          </Grid.Col>
        </Grid>
      </form>
    </Stack>
  );
}
