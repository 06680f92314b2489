import { Button, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { DevMailNote } from "../../components/DevMailNote";

interface ResendVerificationButtonProps {
  email: string;
  label?: string;
}

/** "Send me a new confirmation link" for an address already typed (sign-in, check your mailbox). */
export function ResendVerificationButton({ email, label }: ResendVerificationButtonProps) {
  const { t } = useTranslation();
  const resend = useMutation({ mutationFn: () => accountsApi.resendVerification(email.trim()) });
  return (
    <Stack gap="xs" align="flex-start" mt="sm">
      <Button
        variant="outline"
        onClick={() => resend.mutate()}
        loading={resend.isPending}
        classNames={{ root: "wrap-button", label: "wrap-button__label" }}
      >
        {label ?? t("resend.button")}
      </Button>
      <div role="status" aria-live="polite">
        {resend.isSuccess ? <Text>{t("resend.done")}</Text> : null}
        {resend.isError ? (
          <Text c="red.8">
            {resend.error instanceof ApiError && resend.error.detail ? resend.error.detail : t("common.errors.generic")}
          </Text>
        ) : null}
      </div>
      {resend.isSuccess ? <DevMailNote /> : null}
    </Stack>
  );
}
