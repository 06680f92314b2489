import { VisuallyHidden } from "@mantine/core";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { errorMessageOf } from "./useFormFeedback";

/**
 * The `error` prop of a field: its message, preceded for screen readers by "Erreur :" so the
 * message is not mistaken for a hint. Mantine binds it to the input with aria-describedby.
 */
export function useFieldError<T extends FieldValues>(form: UseFormReturn<T>) {
  const { t } = useTranslation();
  return (name: Path<T>) => {
    const message = errorMessageOf(form, name);
    if (message === undefined) {
      return undefined;
    }
    return (
      <>
        <VisuallyHidden>{t("forms.errorPrefix")}</VisuallyHidden>
        {message}
      </>
    );
  };
}
