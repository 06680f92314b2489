import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useRegions, useSectors } from "../../api/queries";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";

/**
 * The sector and region lists, loaded before the form shows: a native select given a value it does
 * not list yet would silently fall back to "Choisissez…".
 */
export function ReferenceGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const sectors = useSectors();
  const regions = useRegions();
  if (sectors.isPending || regions.isPending) {
    return <LoadingStatus label={t("common.loading")} />;
  }
  const failed = sectors.isError ? sectors : regions.isError ? regions : null;
  if (failed) {
    return (
      <QueryErrorAlert
        title={t("companies.form.referenceError")}
        error={failed.error}
        onRetry={() => void failed.refetch()}
        retrying={failed.isFetching}
      />
    );
  }
  return <>{children}</>;
}
