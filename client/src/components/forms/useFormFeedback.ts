import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { get, type FieldErrors, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ApiError, NETWORK_ERROR_STATUS } from "../../api/client";
import { isSessionExpired, sessionKeys } from "../../api/session";
import type { SummaryItem } from "./ErrorSummary";

/** A form field as the error summary knows it: its react-hook-form name and its element id. */
export interface FieldRef<T extends FieldValues> {
  name: Path<T>;
  id: string;
}

export interface Feedback {
  title: string;
  items: SummaryItem[];
  description?: string;
  /** The API's problem code, for forms that add their own help (e.g. "send a new link"). */
  code?: string;
  focusKey: number;
}

/** The message of the error at a dotted path ("prescriber.kind") of react-hook-form's errors. */
function messageAt(errors: FieldErrors, name: string): string | undefined {
  const error = get(errors, name) as { message?: unknown } | undefined;
  return typeof error?.message === "string" ? error.message : undefined;
}

/** "register" + "prescriber.kind" → "register-prescriber-kind": ids for labels and summary links. */
export function fieldId(formId: string, name: string): string {
  return `${formId}-${name.replace(/\./g, "-")}`;
}

export function fieldRefs<T extends FieldValues>(formId: string, names: Array<Path<T>>): Array<FieldRef<T>> {
  return names.map((name) => ({ name, id: fieldId(formId, name) }));
}

/**
 * The error summary's state for one form: client-side validation failures, field errors the server
 * sent back (mapped onto the fields by `path`), and refusals that concern the whole form.
 * Values are never reset on error: nothing the person typed is lost.
 */
export function useFormFeedback<T extends FieldValues>(form: UseFormReturn<T>, fields: Array<FieldRef<T>>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const attempts = useRef(0);

  const show = useCallback((next: Omit<Feedback, "focusKey">) => {
    attempts.current += 1;
    setFeedback({ ...next, focusKey: attempts.current });
  }, []);

  const clear = useCallback(() => setFeedback(null), []);

  /** Field errors in the order the fields appear on screen. */
  const itemsFrom = useCallback(
    (errors: FieldErrors<T>): SummaryItem[] =>
      fields.flatMap((field) => {
        const message = messageAt(errors, field.name);
        return message !== undefined && message !== "" ? [{ fieldId: field.id, message }] : [];
      }),
    [fields],
  );

  const onInvalid = useCallback(
    (errors: FieldErrors<T>) => {
      const items = itemsFrom(errors);
      show({ title: t("forms.summary.title", { count: items.length }), items });
    },
    [itemsFrom, show, t],
  );

  /** One server message put on one field, e.g. a 409 "this address already has an account". */
  const showFieldError = useCallback(
    (name: Path<T>, message: string) => {
      form.setError(name, { type: "server", message });
      const field = fields.find((candidate) => candidate.name === name);
      show({ title: t("forms.summary.title", { count: 1 }), items: [{ fieldId: field?.id, message }] });
    },
    [fields, form, show, t],
  );

  /** Any failure of the submit request, said in plain words. */
  const showError = useCallback(
    (error: unknown) => {
      // The session ended (timeout, signed out elsewhere): the page's guard asks to sign in again.
      if (isSessionExpired(error)) {
        queryClient.setQueryData(sessionKeys.me, null);
      }
      if (!(error instanceof ApiError)) {
        show({ title: t("forms.sendFailed"), items: [], description: t("common.errors.generic") });
        return;
      }
      if (error.status === NETWORK_ERROR_STATUS) {
        show({ title: t("forms.sendFailed"), items: [], description: t("common.errors.network") });
        return;
      }
      if (error.errors.length > 0) {
        const items: SummaryItem[] = [];
        for (const fieldError of error.errors) {
          const field = fields.find((candidate) => candidate.name === fieldError.path);
          if (field) {
            form.setError(field.name, { type: "server", message: fieldError.message });
            items.push({ fieldId: field.id, message: fieldError.message });
          } else {
            items.push({ message: fieldError.message });
          }
        }
        // The server's order is the schema's; the person reads the form top to bottom.
        const order = (item: SummaryItem) => {
          const index = fields.findIndex((field) => field.id === item.fieldId);
          return index === -1 ? fields.length : index;
        };
        items.sort((a, b) => order(a) - order(b));
        show({ title: t("forms.summary.title", { count: items.length }), items, code: error.code });
        return;
      }
      if (error.status >= 500) {
        show({
          title: t("forms.sendFailed"),
          items: [],
          description: error.detail ?? t("common.errors.server"),
          code: error.code,
        });
        return;
      }
      show({ title: error.title, items: [], description: error.detail, code: error.code });
    },
    [fields, form, queryClient, show, t],
  );

  return { feedback, show, clear, onInvalid, showError, showFieldError };
}

/** The message of a field's error, for Mantine's `error` prop. */
export function errorMessageOf<T extends FieldValues>(form: UseFormReturn<T>, name: Path<T>): string | undefined {
  const message = messageAt(form.formState.errors, name);
  return message === "" ? undefined : message;
}
