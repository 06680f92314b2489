import { Button, TextInput, VisuallyHidden, type TextInputProps } from "@mantine/core";
import { useState, type Ref } from "react";
import { useTranslation } from "react-i18next";

interface PasswordFieldProps extends Omit<TextInputProps, "type" | "rightSection"> {
  id: string;
  autoComplete: "current-password" | "new-password";
  ref?: Ref<HTMLInputElement>;
}

/**
 * A password input with a visible "Afficher / Masquer" text button (a keyboard-reachable button
 * with words, not an eye icon): people check what they typed instead of typing it twice.
 */
export function PasswordField({ id, ref, ...props }: PasswordFieldProps) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  return (
    <TextInput
      {...props}
      ref={ref}
      id={id}
      type={visible ? "text" : "password"}
      autoCapitalize="none"
      autoCorrect="off"
      spellCheck={false}
      rightSectionWidth="auto"
      rightSectionPointerEvents="all"
      rightSection={
        <Button
          variant="subtle"
          size="compact-sm"
          me={4}
          aria-controls={id}
          aria-pressed={visible}
          onClick={() => setVisible((current) => !current)}
        >
          {visible ? t("forms.password.hide") : t("forms.password.show")}
          <VisuallyHidden>{t("forms.password.whichField")}</VisuallyHidden>
        </Button>
      }
    />
  );
}
