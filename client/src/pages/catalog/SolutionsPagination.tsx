import { Pagination } from "@mantine/core";
import { useTranslation } from "react-i18next";

interface SolutionsPaginationProps {
  page: number;
  totalPages: number;
  onChange: (page: number) => void;
}

export function SolutionsPagination({ page, totalPages, onChange }: SolutionsPaginationProps) {
  const { t } = useTranslation();
  if (totalPages <= 1) {
    return null;
  }
  return (
    <nav aria-label={t("catalog.pagination.label")}>
      <Pagination
        value={page}
        total={totalPages}
        onChange={onChange}
        withEdges
        getItemProps={(item) => ({
          "aria-label": t("catalog.pagination.page", { page: item }),
          "aria-current": item === page ? "page" : undefined,
        })}
        getControlProps={(control) => ({ "aria-label": t(`catalog.pagination.${control}`) })}
      />
    </nav>
  );
}
