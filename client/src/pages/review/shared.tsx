import { Alert, Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ApiError, NETWORK_ERROR_STATUS } from "../../api/client";
import type { Role } from "../../api/types";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";

/** Officers instruct files; admins see the queue and the budgets too, and cancel grants. */
export function mayReview(role: Role): boolean {
  return role === "officer" || role === "admin";
}

export const reviewPath = (applicationId: string) => `/instruction/${applicationId}`;

/** Permis Numérique holders' files are treated first: the words say it, not only the colour. */
export function FastTrackBadge() {
  const { t } = useTranslation();
  return <span className="user-status user-status--active">{t("review.fastTrack")}</span>;
}

/**
 * The server's refusal as the forms show it: its field paths renamed to the form's (the server's
 * "reason" is the form's "text"…), and a 409 titled in plain words, because the server's generic
 * title "Conflit" reads here like a conflict of interest. The explanation stays the server's.
 */
export function asRefusal(error: unknown, conflictTitle: string, rename: (path: string) => string = (path) => path) {
  if (!(error instanceof ApiError)) return error;
  if (error.errors.length === 0 && error.status !== 409) return error;
  return new ApiError(
    {
      type: error.type,
      code: error.code || undefined,
      title: error.status === 409 ? conflictTitle : error.title,
      status: error.status,
      detail: error.detail,
      errors: error.errors.map((fieldError) => ({ ...fieldError, path: rename(fieldError.path) })),
      requestId: error.requestId,
    },
    error.retryAfterSeconds,
  );
}

/**
 * A refused action that has no form (a button): the server's title and explanation, read out at
 * once. 403 (four-eyes, declared conflict), 409 (status, budget) and 422 all say why.
 */
export function ActionErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus({ preventScroll: false });
  }, [error]);
  if (!error) return null;
  const network = !(error instanceof ApiError) || error.status === NETWORK_ERROR_STATUS;
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="red"
      variant="light"
      role="alert"
      title={network ? t("forms.sendFailed") : error.status === 409 ? t("review.refused") : error.title}
      className="action-error"
    >
      {network ? (
        <Text>{t("common.errors.network")}</Text>
      ) : (
        <Stack gap={4}>
          {error.detail ? <Text>{error.detail}</Text> : null}
          {error.errors.map((fieldError, index) => (
            <Text key={`${fieldError.path}-${index}`}>{fieldError.message}</Text>
          ))}
        </Stack>
      )}
    </Alert>
  );
}

interface ReasonValues {
  text: string;
}

interface ReasonFormProps {
  /** Prefix of the ids, unique on the page. */
  formId: string;
  label: string;
  hint?: string;
  /** The server's name of the field ("reason", "message", "comment"), to place its messages. */
  serverPath: string;
  minLength: number;
  requiredMessage: string;
  tooShortMessage: string;
  submitLabel: string;
  /** Red button: the action is a refusal or cannot be undone. */
  danger?: boolean;
  /** Beside the submit button, e.g. "Annuler" in a dialog. */
  onCancel?: () => void;
  intro?: ReactNode;
  headingOrder?: 2 | 3;
  onSubmit: (text: string) => Promise<unknown>;
}

/**
 * One required text (a reason, a message to the company): its own error summary, focused, with
 * the server's refusals (403, 409, 422) said in its words. Nothing typed is lost on an error.
 */
export function ReasonForm({
  formId,
  label,
  hint,
  serverPath,
  minLength,
  requiredMessage,
  tooShortMessage,
  submitLabel,
  danger = false,
  onCancel,
  intro,
  headingOrder = 3,
  onSubmit,
}: ReasonFormProps) {
  const { t } = useTranslation();
  const fields = fieldRefs<ReasonValues>(formId, ["text"]);
  const form = useForm<ReasonValues>({ defaultValues: { text: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, fields);
  const fieldError = useFieldError(form);

  const onValid = async (values: ReasonValues) => {
    clear();
    try {
      await onSubmit(values.text.trim());
      form.reset({ text: "" });
    } catch (error) {
      showError(asRefusal(error, t("review.refused"), (path) => (path === serverPath ? "text" : path)));
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
          headingOrder={headingOrder}
        />
      ) : null}
      {intro}
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md">
          <Textarea
            id={fieldId(formId, "text")}
            label={label}
            description={hint}
            required
            autosize
            minRows={3}
            maxRows={10}
            size="md"
            error={fieldError("text")}
            {...form.register("text", {
              validate: (value) => {
                const text = value.trim();
                if (text === "") return requiredMessage;
                return text.length >= minLength || tooShortMessage;
              },
            })}
          />
          <Group gap="sm" justify={onCancel ? "flex-end" : "flex-start"}>
            {onCancel ? (
              <Button variant="default" size="md" onClick={onCancel}>
                {t("common.cancel")}
              </Button>
            ) : null}
            <SubmitButton submitting={form.formState.isSubmitting} color={danger ? "red" : undefined}>
              {submitLabel}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
