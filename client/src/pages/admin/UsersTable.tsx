import { Button, Group, Table, Text, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { User } from "../../api/types";
import { formatInstant } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { isStaffRole } from "./UserActionModals";

export type UserAction = { kind: "role" | "toggle"; user: User };

function StatusBadge({ user }: { user: User }) {
  const { t } = useTranslation();
  const status = user.disabled ? "disabled" : user.emailVerified ? "active" : "unverified";
  return <span className={`user-status user-status--${status}`}>{t(`admin.users.status.${status}`)}</span>;
}

interface UsersTableProps {
  users: User[];
  currentUserId: string;
  caption: string;
  onAction: (action: UserAction) => void;
}

export function UsersTable({ users, currentUserId, caption, onAction }: UsersTableProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <div className="table-scroll">
      <Table striped highlightOnHover verticalSpacing="sm" className="users-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("admin.users.table.name")}</Table.Th>
            <Table.Th scope="col">{t("fields.email.label")}</Table.Th>
            <Table.Th scope="col">{t("admin.users.table.role")}</Table.Th>
            <Table.Th scope="col">{t("admin.users.table.status")}</Table.Th>
            <Table.Th scope="col">{t("admin.users.table.lastLogin")}</Table.Th>
            <Table.Th scope="col">{t("admin.users.table.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const isSelf = user.id === currentUserId;
            return (
              <Table.Tr key={user.id}>
                <Table.Th scope="row" fw={700}>
                  {user.fullName}
                </Table.Th>
                <Table.Td className="nowrap">
                  <bdi dir="ltr">{user.email}</bdi>
                </Table.Td>
                <Table.Td>{t(`roles.${user.role}`)}</Table.Td>
                <Table.Td>
                  <StatusBadge user={user} />
                </Table.Td>
                <Table.Td className="nowrap">
                  {user.lastLoginAt ? formatInstant(user.lastLoginAt, language) : t("admin.users.table.never")}
                </Table.Td>
                <Table.Td>
                  {isSelf ? (
                    <Text fz="sm" c="dimmed">
                      {t("admin.users.table.self")}
                    </Text>
                  ) : (
                    <Group gap="xs" wrap="wrap">
                      {isStaffRole(user.role) ? (
                        <Button size="compact-sm" variant="light" onClick={() => onAction({ kind: "role", user })}>
                          {t("admin.users.actions.changeRole")}
                          <VisuallyHidden>{t("admin.users.actions.ofUser", { name: user.fullName })}</VisuallyHidden>
                        </Button>
                      ) : null}
                      <Button
                        size="compact-sm"
                        variant="outline"
                        color={user.disabled ? "green" : "red"}
                        onClick={() => onAction({ kind: "toggle", user })}
                      >
                        {t(user.disabled ? "admin.users.actions.enable" : "admin.users.actions.disable")}
                        <VisuallyHidden>{t("admin.users.actions.accountOf", { name: user.fullName })}</VisuallyHidden>
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}
