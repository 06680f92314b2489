import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Application } from "../../../api/applications";
import { applicationKeys } from "../../../api/queries";
import { useLanguage } from "../../../i18n/useLanguage";

/**
 * After the server answered with the whole application (create, PATCH, submit, withdraw…): show
 * that answer at once, and mark every other copy (lists, the other language, the history) stale.
 */
export function useApplicationCache() {
  const queryClient = useQueryClient();
  const { language } = useLanguage();
  return useCallback(
    (application: Application) => {
      void queryClient.invalidateQueries({ queryKey: applicationKeys.all, refetchType: "none" });
      queryClient.setQueryData(applicationKeys.localized(application.id, language), application);
    },
    [language, queryClient],
  );
}
