import { Button, Group, NativeSelect, TextInput } from "@mantine/core";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Role, UserStatusFilter } from "../../api/types";
import { ROLES, STATUSES, type UserFilters } from "./usersFilters";

interface UsersFilterFormProps {
  filters: UserFilters;
  onApply: (filters: UserFilters) => void;
}

/** A plain search form: nothing changes until "Filtrer" is pressed (no surprise reloads while typing). */
export function UsersFilterForm({ filters, onApply }: UsersFilterFormProps) {
  const { t } = useTranslation();
  const anyFilter = filters.role !== "" || filters.status !== "" || filters.q !== "";

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onApply({
      role: String(data.get("role") ?? "") as Role | "",
      status: String(data.get("status") ?? "") as UserStatusFilter | "",
      q: String(data.get("q") ?? "").trim(),
      page: 1,
    });
  };

  return (
    <form role="search" aria-label={t("admin.users.filters.label")} onSubmit={submit} className="filters-form">
      <Group gap="md" align="flex-end" wrap="wrap">
        <NativeSelect
          id="users-filter-role"
          name="role"
          label={t("admin.users.filters.role")}
          defaultValue={filters.role}
          data={[
            { value: "", label: t("admin.users.filters.allRoles") },
            ...ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) })),
          ]}
        />
        <NativeSelect
          id="users-filter-status"
          name="status"
          label={t("admin.users.filters.status")}
          defaultValue={filters.status}
          data={[
            { value: "", label: t("admin.users.filters.allStatuses") },
            ...STATUSES.map((status) => ({ value: status, label: t(`admin.users.status.${status}`) })),
          ]}
        />
        <TextInput
          id="users-filter-q"
          name="q"
          type="search"
          label={t("admin.users.filters.q")}
          description={t("admin.users.filters.qHint")}
          defaultValue={filters.q}
          maxLength={100}
          miw={260}
        />
        <Group gap="xs">
          <Button type="submit" size="md">
            {t("admin.users.filters.apply")}
          </Button>
          {anyFilter ? (
            <Button variant="subtle" size="md" onClick={() => onApply({ role: "", status: "", q: "", page: 1 })}>
              {t("admin.users.filters.reset")}
            </Button>
          ) : null}
        </Group>
      </Group>
    </form>
  );
}
