import { Button, VisuallyHidden, type ButtonProps } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface SubmitButtonProps extends ButtonProps {
  submitting: boolean;
  children: ReactNode;
}

/**
 * While the request runs the button shows a spinner and is disabled (no double submit), and a
 * polite status tells screen-reader users that something is happening.
 */
export function SubmitButton({ submitting, children, size = "md", ...props }: SubmitButtonProps) {
  const { t } = useTranslation();
  return (
    <>
      <Button
        type="submit"
        size={size}
        loading={submitting}
        classNames={{ root: "wrap-button", label: "wrap-button__label" }}
        {...props}
      >
        {children}
      </Button>
      <VisuallyHidden role="status" aria-live="polite">
        {submitting ? t("forms.submitting") : ""}
      </VisuallyHidden>
    </>
  );
}
