import { Alert, Button, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError, NETWORK_ERROR_STATUS } from "../api/client";

type ErrorMessageKey =
  "common.errors.network" | "common.errors.server" | "common.errors.notFound" | "common.errors.generic";

function messageKeyFor(error: unknown): ErrorMessageKey {
  if (!(error instanceof ApiError)) {
    return "common.errors.generic";
  }
  if (error.status === NETWORK_ERROR_STATUS) {
    return "common.errors.network";
  }
  if (error.status === 404) {
    return "common.errors.notFound";
  }
  if (error.status >= 500) {
    return "common.errors.server";
  }
  return "common.errors.generic";
}

interface QueryErrorAlertProps {
  title: string;
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}

/** A failed load, said in plain words, with the one action that helps: try again. */
export function QueryErrorAlert({ title, error, onRetry, retrying = false }: QueryErrorAlertProps) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" title={title} role="alert" className="query-error">
      <Stack gap="sm" align="flex-start">
        <Text>{t(messageKeyFor(error))}</Text>
        <Button color="red" variant="filled" onClick={onRetry} loading={retrying}>
          {t("common.retry")}
        </Button>
      </Stack>
    </Alert>
  );
}
