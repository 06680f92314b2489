import { Alert, Fieldset, Group, NativeSelect, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";
import { useForm, type Path, type UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { sessionKeys } from "../../api/session";
import type { TrainingSession } from "../../api/training";
import {
  createSession,
  listTrainers,
  updateSession,
  type SessionChanges,
  type SessionInput,
} from "../../api/trainingAdmin";
import type { User } from "../../api/types";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { FeedbackSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { RequiredNote } from "../../components/forms/FormIntro";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { asRefusal } from "../review/shared";
import { casablancaToInstant, instantToCasablanca, isLocalDate, isLocalTime } from "./casablancaTime";

export interface SessionValues {
  title: string;
  description: string;
  city: string;
  venue: string;
  onlineUrl: string;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  capacity: string;
  passMark: string;
  trainerId: string;
}

const FIELD_NAMES: Array<Path<SessionValues>> = [
  "trainerId",
  "title",
  "description",
  "city",
  "venue",
  "onlineUrl",
  "startDate",
  "startTime",
  "endDate",
  "endTime",
  "capacity",
  "passMark",
];

/** The server speaks of instants; the form of a date and a time each. */
const SERVER_PATHS: Record<string, Path<SessionValues>> = { startsAt: "startDate", endsAt: "endDate" };

export const DEFAULT_PASS_MARK = 70;
const INTEGER = /^\d+$/;

function emptyValues(): SessionValues {
  return {
    title: "",
    description: "",
    city: "",
    venue: "",
    onlineUrl: "",
    startDate: "",
    startTime: "09:00",
    endDate: "",
    endTime: "17:00",
    capacity: "20",
    passMark: String(DEFAULT_PASS_MARK),
    trainerId: "",
  };
}

export function valuesOf(session: TrainingSession): SessionValues {
  const start = instantToCasablanca(session.startsAt);
  const end = instantToCasablanca(session.endsAt);
  return {
    title: session.title,
    description: session.description,
    city: session.city,
    venue: session.venue ?? "",
    onlineUrl: session.onlineUrl ?? "",
    startDate: start.date,
    startTime: start.time,
    endDate: end.date,
    endTime: end.time,
    capacity: String(session.capacity),
    passMark: String(session.passMark),
    trainerId: session.trainer.id,
  };
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

/** The values as the API takes them (validated first: dates and numbers are well formed). */
function inputOf(values: SessionValues, withTrainer: boolean): SessionInput {
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    city: values.city.trim(),
    venue: orNull(values.venue),
    onlineUrl: orNull(values.onlineUrl),
    startsAt: casablancaToInstant({ date: values.startDate, time: values.startTime }) ?? "",
    endsAt: casablancaToInstant({ date: values.endDate, time: values.endTime }) ?? "",
    capacity: Number(values.capacity.trim()),
    passMark: Number(values.passMark.trim()),
    ...(withTrainer && values.trainerId !== "" ? { trainerId: values.trainerId } : {}),
  };
}

/** Only what differs from the session as it is: a started session refuses any other change. */
function changesOf(values: SessionValues, session: TrainingSession, withTrainer: boolean): SessionChanges {
  const input = inputOf(values, withTrainer);
  const before: SessionInput = {
    title: session.title,
    description: session.description,
    city: session.city,
    venue: session.venue,
    onlineUrl: session.onlineUrl,
    startsAt: new Date(session.startsAt).toISOString(),
    endsAt: new Date(session.endsAt).toISOString(),
    capacity: session.capacity,
    passMark: session.passMark,
    trainerId: session.trainer.id,
  };
  const changes: SessionChanges = {};
  for (const key of Object.keys(input) as Array<keyof SessionInput>) {
    if (input[key] !== before[key]) Object.assign(changes, { [key]: input[key] });
  }
  return changes;
}

function TrainerSelect({
  id,
  error,
  registration,
  current,
}: {
  id: string;
  error: ReactNode;
  registration: UseFormRegisterReturn<"trainerId">;
  /** The session's trainer, kept in the list even if the account was disabled since. */
  current?: { id: string; fullName: string };
}) {
  const { t } = useTranslation();
  const trainers = useQuery({
    queryKey: [...sessionKeys.users, "trainers"],
    queryFn: ({ signal }) => listTrainers(signal),
    staleTime: 60_000,
  });
  if (trainers.isPending) {
    return <LoadingStatus label={t("trainer.form.trainersLoading")} />;
  }
  if (trainers.isError) {
    return (
      <QueryErrorAlert
        title={t("trainer.form.trainersError")}
        error={trainers.error}
        onRetry={() => void trainers.refetch()}
        retrying={trainers.isFetching}
      />
    );
  }
  const items = trainers.data.items;
  const listed = current === undefined || items.some((trainer) => trainer.id === current.id);
  const options = [
    { value: "", label: t("trainer.form.trainerChoose") },
    ...(listed ? [] : [{ value: current.id, label: current.fullName }]),
    ...items.map((trainer) => ({ value: trainer.id, label: trainer.fullName })),
  ];
  // Rendered once the list is there: react-hook-form then selects the current value.
  return (
    <Stack gap={4}>
      <NativeSelect
        id={id}
        label={t("trainer.form.trainer")}
        description={t("trainer.form.trainerHint")}
        required
        data={options}
        classNames={{ wrapper: "input-short" }}
        error={error}
        {...registration}
      />
      {items.length === 0 ? <Text fz="sm">{t("trainer.form.noTrainer")}</Text> : null}
    </Stack>
  );
}

interface SessionFormProps {
  /** Prefix of the ids, unique on the page. */
  formId: string;
  user: User;
  /** Absent: a new session. */
  session?: TrainingSession;
  submitLabel: string;
  /** After the server agreed (create: POST; edit: PATCH of what changed). */
  onSaved: (session: TrainingSession) => void | Promise<void>;
  onNothingChanged?: () => void;
}

/**
 * The session's facts: what, where (a place, an online link or both), when (Moroccan time), how
 * many seats and the pass mark. Once the session has started only its description may change.
 */
export function SessionForm({ formId, user, session, submitLabel, onSaved, onNothingChanged }: SessionFormProps) {
  const { t } = useTranslation();
  const isAdmin = user.role === "admin";
  const started = session?.hasStarted ?? false;
  const form = useForm<SessionValues>({
    defaultValues: session ? valuesOf(session) : emptyValues(),
    shouldFocusError: false,
  });
  const fields = useMemo(() => fieldRefs<SessionValues>(formId, FIELD_NAMES), [formId]);
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, fields);
  const fieldError = useFieldError(form);
  const id = (name: string) => fieldId(formId, name);

  const onValid = async (values: SessionValues) => {
    clear();
    try {
      let saved: TrainingSession;
      if (session) {
        const changes: SessionChanges = started
          ? values.description.trim() === session.description
            ? {}
            : { description: values.description.trim() }
          : changesOf(values, session, isAdmin);
        if (Object.keys(changes).length === 0) {
          onNothingChanged?.();
          return;
        }
        saved = await updateSession(session.id, changes);
      } else {
        saved = await createSession(inputOf(values, isAdmin));
      }
      form.reset(valuesOf(saved));
      await onSaved(saved);
    } catch (error) {
      showError(asRefusal(error, t("trainer.refused"), (path) => SERVER_PATHS[path] ?? path));
    }
  };

  const rules = {
    title: {
      validate: (value: string) => {
        const text = value.trim();
        if (text === "") return t("trainer.form.validation.titleRequired");
        if (text.length < 3) return t("trainer.form.validation.tooShort", { min: 3 });
        return text.length <= 200 || t("trainer.form.validation.tooLong", { max: 200 });
      },
    },
    description: {
      validate: (value: string) => value.trim().length <= 4000 || t("trainer.form.validation.tooLong", { max: 4000 }),
    },
    city: {
      validate: (value: string) => {
        const text = value.trim();
        if (text === "") return t("trainer.form.validation.cityRequired");
        if (text.length < 2) return t("trainer.form.validation.tooShort", { min: 2 });
        return text.length <= 100 || t("trainer.form.validation.tooLong", { max: 100 });
      },
    },
    venue: {
      validate: (value: string, values: SessionValues) => {
        const text = value.trim();
        if (text === "" && values.onlineUrl.trim() === "") return t("trainer.form.validation.placeRequired");
        if (text === "") return true;
        if (text.length < 3) return t("trainer.form.validation.tooShort", { min: 3 });
        return text.length <= 300 || t("trainer.form.validation.tooLong", { max: 300 });
      },
    },
    onlineUrl: {
      validate: (value: string) => {
        const text = value.trim();
        if (text === "") return true;
        if (!/^https:\/\//i.test(text)) return t("trainer.form.validation.urlHttps");
        try {
          new URL(text);
          return true;
        } catch {
          return t("trainer.form.validation.urlInvalid");
        }
      },
    },
    startDate: {
      validate: (value: string) => {
        if (value === "") return t("trainer.form.validation.startDateRequired");
        return isLocalDate(value) || t("trainer.form.validation.dateInvalid");
      },
    },
    startTime: {
      validate: (value: string) => {
        if (value === "") return t("trainer.form.validation.startTimeRequired");
        return isLocalTime(value) || t("trainer.form.validation.timeInvalid");
      },
    },
    endDate: {
      validate: (value: string, values: SessionValues) => {
        if (value === "") return t("trainer.form.validation.endDateRequired");
        if (!isLocalDate(value)) return t("trainer.form.validation.dateInvalid");
        const start = casablancaToInstant({ date: values.startDate, time: values.startTime });
        const end = casablancaToInstant({ date: value, time: values.endTime });
        if (start === null || end === null) return true;
        return end > start || t("trainer.form.validation.endBeforeStart");
      },
    },
    endTime: {
      validate: (value: string) => {
        if (value === "") return t("trainer.form.validation.endTimeRequired");
        return isLocalTime(value) || t("trainer.form.validation.timeInvalid");
      },
    },
    capacity: {
      validate: (value: string) => {
        const text = value.trim();
        if (text === "") return t("trainer.form.validation.capacityRequired");
        const number = Number(text);
        return (INTEGER.test(text) && number >= 1 && number <= 1000) || t("trainer.form.validation.capacityRange");
      },
    },
    passMark: {
      validate: (value: string) => {
        const text = value.trim();
        if (text === "") return t("trainer.form.validation.passMarkRequired");
        const number = Number(text);
        return (INTEGER.test(text) && number >= 0 && number <= 100) || t("trainer.form.validation.passMarkRange");
      },
    },
  };

  // The end date follows the start date while it is empty: most sessions last one day.
  const startDate = form.register("startDate", rules.startDate);

  return (
    <Stack gap="md">
      <FeedbackSummary feedback={feedback} headingOrder={3} />
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="lg">
          {started ? (
            <Alert color="blue" variant="light">
              {t("trainer.form.startedNote")}
            </Alert>
          ) : (
            <RequiredNote />
          )}
          {!started && isAdmin ? (
            <TrainerSelect
              id={id("trainerId")}
              error={fieldError("trainerId")}
              current={session?.trainer}
              registration={form.register("trainerId", {
                validate: (value) => value !== "" || t("trainer.form.validation.trainerRequired"),
              })}
            />
          ) : null}
          {!started ? (
            <TextInput
              id={id("title")}
              label={t("trainer.form.title")}
              description={t("trainer.form.titleHint")}
              required
              autoComplete="off"
              error={fieldError("title")}
              {...form.register("title", rules.title)}
            />
          ) : null}
          <Textarea
            id={id("description")}
            label={`${t("trainer.form.description")} ${t("forms.optional")}`}
            description={t("trainer.form.descriptionHint")}
            autosize
            minRows={3}
            maxRows={12}
            error={fieldError("description")}
            {...form.register("description", rules.description)}
          />
          {!started ? (
            <>
              <Fieldset legend={t("trainer.form.placeLegend")} className="form-fieldset" variant="unstyled">
                <Stack gap="md">
                  <Text>{t("trainer.form.placeHint")}</Text>
                  <TextInput
                    id={id("city")}
                    label={t("trainer.form.city")}
                    required
                    autoComplete="address-level2"
                    classNames={{ input: "input-short" }}
                    error={fieldError("city")}
                    {...form.register("city", rules.city)}
                  />
                  <TextInput
                    id={id("venue")}
                    label={t("trainer.form.venue")}
                    description={t("trainer.form.venueHint")}
                    autoComplete="off"
                    error={fieldError("venue")}
                    {...form.register("venue", { ...rules.venue, deps: ["onlineUrl"] })}
                  />
                  <TextInput
                    id={id("onlineUrl")}
                    label={t("trainer.form.onlineUrl")}
                    description={t("trainer.form.onlineUrlHint")}
                    type="url"
                    inputMode="url"
                    autoComplete="off"
                    autoCapitalize="none"
                    spellCheck={false}
                    dir="ltr"
                    error={fieldError("onlineUrl")}
                    {...form.register("onlineUrl", { ...rules.onlineUrl, deps: ["venue"] })}
                  />
                </Stack>
              </Fieldset>
              <Fieldset legend={t("trainer.form.whenLegend")} className="form-fieldset" variant="unstyled">
                <Stack gap="md">
                  <Text>{t("trainer.form.whenHint")}</Text>
                  <Group gap="md" align="flex-start" wrap="wrap">
                    <TextInput
                      id={id("startDate")}
                      type="date"
                      label={t("trainer.form.startDate")}
                      required
                      error={fieldError("startDate")}
                      {...startDate}
                      onChange={async (event) => {
                        await startDate.onChange(event);
                        if (form.getValues("endDate") === "") form.setValue("endDate", event.target.value);
                      }}
                    />
                    <TextInput
                      id={id("startTime")}
                      type="time"
                      label={t("trainer.form.startTime")}
                      required
                      error={fieldError("startTime")}
                      {...form.register("startTime", rules.startTime)}
                    />
                  </Group>
                  <Group gap="md" align="flex-start" wrap="wrap">
                    <TextInput
                      id={id("endDate")}
                      type="date"
                      label={t("trainer.form.endDate")}
                      required
                      error={fieldError("endDate")}
                      {...form.register("endDate", rules.endDate)}
                    />
                    <TextInput
                      id={id("endTime")}
                      type="time"
                      label={t("trainer.form.endTime")}
                      required
                      error={fieldError("endTime")}
                      {...form.register("endTime", rules.endTime)}
                    />
                  </Group>
                </Stack>
              </Fieldset>
              <TextInput
                id={id("capacity")}
                label={t("trainer.form.capacity")}
                description={session ? t("trainer.form.capacityHintEdit") : t("trainer.form.capacityHint")}
                inputMode="numeric"
                autoComplete="off"
                dir="ltr"
                required
                classNames={{ input: "input-short" }}
                error={fieldError("capacity")}
                {...form.register("capacity", rules.capacity)}
              />
              <TextInput
                id={id("passMark")}
                label={t("trainer.form.passMark")}
                description={t("trainer.form.passMarkHint", { mark: DEFAULT_PASS_MARK })}
                inputMode="numeric"
                autoComplete="off"
                dir="ltr"
                required
                classNames={{ input: "input-short" }}
                error={fieldError("passMark")}
                {...form.register("passMark", rules.passMark)}
              />
            </>
          ) : null}
          <div>
            <SubmitButton submitting={form.formState.isSubmitting}>{submitLabel}</SubmitButton>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
