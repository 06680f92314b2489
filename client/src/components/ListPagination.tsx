import { Pagination } from "@mantine/core";
import { useTranslation } from "react-i18next";

interface ListPaginationProps {
  /** Names the navigation landmark, e.g. "Pages de la liste des utilisateurs". */
  label: string;
  page: number;
  totalPages: number;
  onChange: (page: number) => void;
}

export function ListPagination({ label, page, totalPages, onChange }: ListPaginationProps) {
  const { t } = useTranslation();
  if (totalPages <= 1) {
    return null;
  }
  return (
    <nav aria-label={label}>
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
