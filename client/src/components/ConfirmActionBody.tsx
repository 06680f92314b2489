import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";

interface ConfirmActionBodyProps {
  /** What the action means, said plainly before the person commits to it. */
  text: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  /** The failed attempt, if any: shown above the text, the dialog stays open. */
  error: unknown;
}

/** The inside of a "are you sure?" dialog for a destructive action: its error, its text, Cancel and confirm. */
export function ConfirmActionBody({ text, confirmLabel, onConfirm, onClose, pending, error }: ConfirmActionBodyProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      {error ? (
        <Alert color="red" variant="light" role="alert">
          {error instanceof ApiError && error.status !== 0
            ? (error.detail ?? t("common.errors.generic"))
            : t("common.errors.network")}
        </Alert>
      ) : null}
      <Text>{text}</Text>
      <Group gap="sm" justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button color="red" onClick={onConfirm} loading={pending}>
          {confirmLabel}
        </Button>
      </Group>
    </Stack>
  );
}
