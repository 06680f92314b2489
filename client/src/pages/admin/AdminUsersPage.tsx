import { Anchor, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { sessionKeys } from "../../api/session";
import type { User } from "../../api/types";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { RequireAuth } from "../../components/RequireAuth";
import { StatusMessage } from "../../components/StatusMessage";
import { CreateStaffForm } from "./CreateStaffForm";
import { ChangeRoleModal, ToggleDisabledModal } from "./UserActionModals";
import { UsersFilterForm } from "./UsersFilterForm";
import { filtersFrom, paramsFrom, queryFrom, type UserFilters } from "./usersFilters";
import { UsersTable, type UserAction } from "./UsersTable";

const CREATE_SECTION_ID = "ajouter";

function UsersAdmin({ me }: { me: User }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = filtersFrom(searchParams);
  const query = queryFrom(filters);
  const users = useQuery({
    queryKey: [...sessionKeys.users, query],
    queryFn: ({ signal }) => accountsApi.listUsers(query, signal),
    placeholderData: keepPreviousData,
  });
  // The last action stays set while its dialog closes; `opened` says whether it is on screen.
  const [action, setAction] = useState<UserAction | null>(null);
  const [dialogOpened, setDialogOpened] = useState(false);
  const [dialogInstance, setDialogInstance] = useState(0);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const listHeadingRef = useRef<HTMLHeadingElement>(null);

  const apply = (next: UserFilters) => {
    setAnnouncement(null);
    setSearchParams(paramsFrom(next));
  };

  const changePage = (page: number) => {
    apply({ ...filters, page });
    listHeadingRef.current?.focus();
  };

  const openDialog = (next: UserAction) => {
    setAnnouncement(null);
    setAction(next);
    setDialogInstance((count) => count + 1);
    setDialogOpened(true);
  };

  const closeDialog = () => setDialogOpened(false);

  const done = (message: string) => {
    setDialogOpened(false);
    setAnnouncement(message);
  };

  const list = () => {
    if (users.isPending) {
      return <ListSkeleton label={t("admin.users.loading")} rows={5} />;
    }
    if (users.isError) {
      return (
        <QueryErrorAlert
          title={t("admin.users.errorTitle")}
          error={users.error}
          onRetry={() => void users.refetch()}
          retrying={users.isFetching}
        />
      );
    }
    const { items, total, page, pageSize } = users.data;
    if (items.length === 0) {
      return <Text className="empty-state">{t("admin.users.empty")}</Text>;
    }
    const from = (page - 1) * pageSize + 1;
    const to = from + items.length - 1;
    return (
      <Stack gap="md" aria-busy={users.isFetching}>
        <UsersTable
          users={items}
          currentUserId={me.id}
          caption={t("admin.users.table.caption", { from, to, total })}
          onAction={openDialog}
        />
        <ListPagination
          label={t("admin.users.pagination")}
          page={page}
          totalPages={Math.ceil(total / pageSize)}
          onChange={changePage}
        />
      </Stack>
    );
  };

  // A new key when the address changes: the filter form shows what is applied (e.g. after "Effacer").
  const filterKey = `${filters.role}|${filters.status}|${filters.q}`;

  return (
    <>
      <title>{t("admin.users.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{t("admin.users.title")}</Title>
          <Text fz="lg">{t("admin.users.intro")}</Text>
          <Group>
            <Anchor href={`#${CREATE_SECTION_ID}`}>{t("admin.users.create.title")}</Anchor>
          </Group>
        </Stack>

        <section aria-labelledby="users-list-title">
          <Stack gap="md">
            <Title order={2} id="users-list-title" ref={listHeadingRef} tabIndex={-1}>
              {t("admin.users.listTitle")}
            </Title>
            <UsersFilterForm key={filterKey} filters={filters} onApply={apply} />
            <StatusMessage>{announcement}</StatusMessage>
            {list()}
          </Stack>
        </section>

        <Paper component="section" withBorder p="lg" id={CREATE_SECTION_ID} aria-labelledby="create-staff-title">
          <Stack gap="md">
            <Title order={2} id="create-staff-title">
              {t("admin.users.create.title")}
            </Title>
            <CreateStaffForm />
          </Stack>
        </Paper>
      </Stack>

      {action ? (
        <>
          <ChangeRoleModal
            user={action.user}
            instance={dialogInstance}
            opened={dialogOpened && action.kind === "role"}
            onClose={closeDialog}
            onDone={done}
          />
          <ToggleDisabledModal
            user={action.user}
            instance={dialogInstance}
            opened={dialogOpened && action.kind === "toggle"}
            onClose={closeDialog}
            onDone={done}
          />
        </>
      ) : null}
    </>
  );
}

export function AdminUsersPage() {
  return <RequireAuth permission="manageUsers">{(me) => <UsersAdmin me={me} />}</RequireAuth>;
}
