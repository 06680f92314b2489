import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Application } from "../../api/applications";
import { ApiError } from "../../api/client";
import { useApplication } from "../../api/queries";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { useLanguage } from "../../i18n/useLanguage";
import { NotFoundPage } from "../NotFoundPage";

/**
 * Loads one application (in the interface's language) for a page: a polite status while it
 * loads, "not found" for 403 and 404 alike (the server never says whether a file exists), a
 * retry for the rest.
 */
export function ApplicationGate({ id, children }: { id: string; children: (application: Application) => ReactNode }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const application = useApplication(id, language);
  if (application.isPending) {
    return <LoadingStatus label={t("common.loading")} />;
  }
  if (application.isError) {
    if (application.error instanceof ApiError && [403, 404].includes(application.error.status)) {
      return <NotFoundPage />;
    }
    return (
      <QueryErrorAlert
        title={t("applications.detail.errorTitle")}
        error={application.error}
        onRetry={() => void application.refetch()}
        retrying={application.isFetching}
      />
    );
  }
  return <>{children(application.data)}</>;
}
