import { Alert, Button, Grid, NativeSelect, Paper, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useForm, useWatch, type Path, type UseFormReturn } from "react-hook-form";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { applicationsApi, type Simulation, type SimulationRequest } from "../../api/applications";
import { ApiError } from "../../api/client";
import { pickCurrentCall, useCalls, useSectors } from "../../api/queries";
import { useCurrentUser } from "../../api/session";
import type { User } from "../../api/types";
import { FeedbackSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatMoney } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { loginPathFor } from "../../navigation";
import { AmountsPanel } from "../applications/AmountsPanel";
import { LineFields } from "../applications/LineFields";
import {
  emptyLine,
  lineFieldRefs,
  linesReady,
  simulationLineFrom,
  type LinesFormValues,
} from "../applications/lineForm";
import { newApplicationPath } from "../applications/wizard/steps";
import { useSectorName } from "../companies/CompaniesPage";

const FORM_ID = "simulator";
/** Long enough not to ask at every keystroke, short enough to feel immediate. */
const LIVE_DELAY_MS = 500;

type Mode = "live" | "submit";

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Puts the server's per-field messages next to their fields; says whether any field took one. */
function markFields(form: UseFormReturn<LinesFormValues>, error: ApiError, names: string[]): boolean {
  let marked = false;
  for (const fieldError of error.errors) {
    if (names.includes(fieldError.path)) {
      form.setError(fieldError.path as Path<LinesFormValues>, { type: "server", message: fieldError.message });
      marked = true;
    }
  }
  return marked;
}

function CallToAction({ user }: { user: User | null | undefined }) {
  const { t } = useTranslation();
  if (user && user.role !== "applicant" && user.role !== "prescriber") {
    return null;
  }
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="simulator-cta" className="cta-panel">
      <Stack gap="sm" align="flex-start">
        <Title order={2} fz="h3" id="simulator-cta">
          {t("simulator.cta.title")}
        </Title>
        <Text>{user ? t("simulator.cta.text") : t("simulator.cta.textSignedOut")}</Text>
        <Button
          component={Link}
          to={user ? newApplicationPath() : loginPathFor(newApplicationPath())}
          size="md"
          classNames={{ root: "wrap-button", label: "wrap-button__label" }}
        >
          {t("simulator.cta.button")}
        </Button>
      </Stack>
    </Paper>
  );
}

interface ResultPanelProps {
  result: Simulation | null;
  pending: boolean;
  notice: string | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

function ResultPanel({ result, pending, notice, headingRef }: ResultPanelProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectorName = useSectorName();
  const announcement = result
    ? t("simulator.result.announce", { grant: formatMoney(result.grantAmount, language) })
    : "";
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="simulator-result" className="result-panel">
      <Stack gap="md" aria-busy={pending}>
        <Title order={2} id="simulator-result" ref={headingRef} tabIndex={-1}>
          {t("simulator.result.title")}
        </Title>
        <VisuallyHidden role="status" aria-live="polite">
          {announcement}
        </VisuallyHidden>
        {pending ? (
          <Text fz="sm" c="dimmed">
            {t("simulator.result.computing")}
          </Text>
        ) : null}
        {notice ? (
          <Alert color="yellow" variant="light">
            {notice}
          </Alert>
        ) : null}
        {result ? (
          <>
            <Text>
              {t("simulator.result.call", { title: pickLocalized(language, result.callTitleFr, result.callTitleAr) })}
            </Text>
            {result.sectorEligible ? (
              <Alert color="green" variant="light">
                {t("simulator.result.sectorEligible", { sector: sectorName(result.sectorCode) })}
              </Alert>
            ) : (
              <Alert color="red" variant="light">
                {t("simulator.result.sectorNotEligible", { sector: sectorName(result.sectorCode) })}
              </Alert>
            )}
            <AmountsPanel amounts={result} />
            <Text fz="sm" c="dimmed">
              {t("simulator.result.disclaimer")}
            </Text>
          </>
        ) : !notice ? (
          <Text>{t("simulator.result.empty")}</Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

function SimulatorForm({ initialSector }: { initialSector: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectors = useSectors();
  const calls = useCalls();
  const me = useCurrentUser();
  const callId = calls.data ? pickCurrentCall(calls.data.items)?.id : undefined;
  const form = useForm<LinesFormValues>({
    defaultValues: { sectorCode: initialSector, lines: [emptyLine("software")] },
    shouldFocusError: false,
  });
  const fieldError = useFieldError(form);
  const values = useWatch({ control: form.control });
  const lineCount = values.lines?.length ?? 0;
  const fields = useMemo(
    () => [...fieldRefs<LinesFormValues>(FORM_ID, ["sectorCode"]), ...lineFieldRefs(FORM_ID, lineCount, false)],
    [lineCount],
  );
  const fieldNames = useMemo(() => fields.map((field) => field.name as string), [fields]);
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, fields);
  const [result, setResult] = useState<Simulation | null>(null);
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const lines = (values.lines ?? []).map((line) => ({ ...emptyLine(), ...line }));
  const sectorCode = values.sectorCode ?? "";
  const request: SimulationRequest | null =
    sectorCode !== "" && linesReady(lines, false)
      ? { ...(callId ? { callId } : {}), sectorCode, lines: lines.map(simulationLineFrom) }
      : null;
  const requestKey = request ? JSON.stringify(request) : "";

  /** What the result panel says instead of amounts: the fields to fix, no open call, no network… */
  const noticeFor = (error: unknown): string => {
    if (!(error instanceof ApiError)) return t("common.errors.generic");
    if (error.status === 0) return t("common.errors.network");
    const marked = markFields(form, error, fieldNames);
    const unplaced = error.errors.find((fieldError) => !fieldNames.includes(fieldError.path));
    if (unplaced) return unplaced.message;
    if (marked) return t("simulator.result.fixFields");
    return error.detail ?? t("common.errors.generic");
  };

  const run = async (next: SimulationRequest, mode: Mode) => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setPending(true);
    try {
      const simulation = await applicationsApi.simulate(next, current.signal);
      form.clearErrors();
      // Nothing left to correct: an error summary from an earlier attempt would now mislead.
      clear();
      setResult(simulation);
      setNotice(null);
      if (mode === "submit") resultHeading.current?.focus();
    } catch (error) {
      if (isAbort(error)) return;
      setResult(null);
      setNotice(noticeFor(error));
      if (mode === "submit") showError(error);
    } finally {
      if (controller.current === current) {
        controller.current = null;
        setPending(false);
      }
    }
  };

  // Live estimate: once the person stops typing, ask the server (the only one that computes amounts).
  useEffect(() => {
    if (requestKey === "") return undefined;
    const timer = window.setTimeout(() => {
      void run(JSON.parse(requestKey) as SimulationRequest, "live");
    }, LIVE_DELAY_MS);
    return () => window.clearTimeout(timer);
    // `run` reads the latest form through refs and setters; the request itself is the trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey]);

  useEffect(() => () => controller.current?.abort(), []);

  const onValid = async (submitted: LinesFormValues) => {
    clear();
    await run(
      {
        ...(callId ? { callId } : {}),
        sectorCode: submitted.sectorCode,
        lines: submitted.lines.map(simulationLineFrom),
      },
      "submit",
    );
  };

  return (
    <Grid gutter="xl">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          <FeedbackSummary feedback={feedback} />
          <form
            noValidate
            onSubmit={(event) => void form.handleSubmit(onValid, onInvalid)(event)}
            aria-labelledby="simulator-form-title"
          >
            <Stack gap="lg">
              <Title order={2} id="simulator-form-title">
                {t("simulator.form.title")}
              </Title>
              <NativeSelect
                id={fieldId(FORM_ID, "sectorCode")}
                label={t("simulator.form.sector")}
                description={t("simulator.form.sectorHint")}
                required
                error={fieldError("sectorCode")}
                data={[
                  { value: "", label: t("companies.form.choose") },
                  ...(sectors.data?.items ?? []).map((sector) => ({
                    value: sector.code,
                    label: pickLocalized(language, sector.nameFr, sector.nameAr),
                  })),
                ]}
                {...form.register("sectorCode", {
                  validate: (value) => value !== "" || t("simulator.form.sectorRequired"),
                })}
              />
              <Stack gap="xs">
                <Title order={3}>{t("simulator.form.linesTitle")}</Title>
                <Text>{t("simulator.form.linesIntro")}</Text>
              </Stack>
              <LineFields form={form} formId={FORM_ID} detailed={false} newLineCategory="software" />
              <div>
                <SubmitButton submitting={form.formState.isSubmitting}>{t("simulator.form.submit")}</SubmitButton>
              </div>
            </Stack>
          </form>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="lg" className="sticky-column">
          <ResultPanel result={result} pending={pending} notice={notice} headingRef={resultHeading} />
          <CallToAction user={me.data} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function SimulatorPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const sectors = useSectors();
  const requested = searchParams.get("secteur") ?? "";

  const body = () => {
    if (sectors.isPending) return <LoadingStatus label={t("common.loading")} />;
    if (sectors.isError) {
      return (
        <QueryErrorAlert
          title={t("companies.form.referenceError")}
          error={sectors.error}
          onRetry={() => void sectors.refetch()}
          retrying={sectors.isFetching}
        />
      );
    }
    const known = sectors.data.items.some((sector) => sector.code === requested);
    return <SimulatorForm initialSector={known ? requested : ""} />;
  };

  return (
    <>
      <title>{t("simulator.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs" maw={760}>
          <Title order={1}>{t("simulator.title")}</Title>
          <Text fz="lg">{t("simulator.intro")}</Text>
        </Stack>
        {body()}
      </Stack>
    </>
  );
}
