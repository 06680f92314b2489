import { Alert, Button, Group, Modal, Radio, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { accountsApi } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { sessionKeys } from "../../api/session";
import type { StaffRole, User } from "../../api/types";

export const STAFF_ROLES: StaffRole[] = ["officer", "trainer", "admin"];

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as string[]).includes(role);
}

function useUpdateUser(onDone: (user: User) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: { role?: StaffRole; disabled?: boolean } }) =>
      accountsApi.updateUser(id, changes),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.users });
      onDone(updated);
    },
  });
}

function MutationError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) {
    return null;
  }
  const message =
    error instanceof ApiError
      ? error.status === 0
        ? t("common.errors.network")
        : (error.errors[0]?.message ?? error.detail ?? t("common.errors.generic"))
      : t("common.errors.generic");
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}

interface ModalProps {
  user: User;
  /** Changes at each opening: the dialog starts afresh (no error left from last time). */
  instance: number;
  opened: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}

// The page scrolls behind the dialog rather than being locked: the scroll lock injects a <style>
// tag without the CSP nonce.
const MODAL_DEFAULTS = { centered: true, lockScroll: false, size: "lg" } as const;

type BodyProps = Omit<ModalProps, "opened" | "instance">;

function ChangeRoleBody({ user, onClose, onDone }: BodyProps) {
  const { t } = useTranslation();
  const [role, setRole] = useState<StaffRole>(isStaffRole(user.role) ? user.role : "officer");
  const update = useUpdateUser((updated) =>
    onDone(t("admin.users.roleModal.done", { name: updated.fullName, role: t(`roles.${updated.role}`) })),
  );

  const save = () => {
    if (role === user.role) {
      onClose();
      return;
    }
    update.mutate({ id: user.id, changes: { role } });
  };

  return (
    <Stack gap="md">
      <MutationError error={update.error} />
      <Radio.Group
        value={role}
        onChange={(value) => setRole(isStaffRole(value) ? value : role)}
        label={t("admin.users.roleModal.legend")}
      >
        <Stack gap="sm" mt="sm">
          {STAFF_ROLES.map((candidate) => (
            <Radio
              key={candidate}
              value={candidate}
              label={t(`roles.${candidate}`)}
              description={t(`admin.users.roleHints.${candidate}`)}
              classNames={{ label: "choice-label" }}
            />
          ))}
        </Stack>
      </Radio.Group>
      <Group gap="sm" justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button onClick={save} loading={update.isPending}>
          {t("admin.users.roleModal.submit")}
        </Button>
      </Group>
    </Stack>
  );
}

/** Kept mounted while closing, so Mantine can give the focus back to the row's button. */
export function ChangeRoleModal({ user, instance, opened, onClose, onDone }: ModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      {...MODAL_DEFAULTS}
      opened={opened}
      onClose={onClose}
      title={t("admin.users.roleModal.title", { name: user.fullName })}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <ChangeRoleBody key={instance} user={user} onClose={onClose} onDone={onDone} />
    </Modal>
  );
}

function ToggleDisabledBody({ user, onClose, onDone }: BodyProps) {
  const { t } = useTranslation();
  const disabling = !user.disabled;
  const update = useUpdateUser((updated) =>
    onDone(
      t(updated.disabled ? "admin.users.disableModal.done" : "admin.users.enableModal.done", {
        name: updated.fullName,
      }),
    ),
  );
  const texts = disabling ? "admin.users.disableModal" : "admin.users.enableModal";

  return (
    <Stack gap="md">
      <MutationError error={update.error} />
      <Text>{t(`${texts}.text`, { name: user.fullName })}</Text>
      <Group gap="sm" justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button
          color={disabling ? "red" : "green"}
          onClick={() => update.mutate({ id: user.id, changes: { disabled: disabling } })}
          loading={update.isPending}
        >
          {t(`${texts}.confirm`)}
        </Button>
      </Group>
    </Stack>
  );
}

export function ToggleDisabledModal({ user, instance, opened, onClose, onDone }: ModalProps) {
  const { t } = useTranslation();
  const texts = user.disabled ? "admin.users.enableModal" : "admin.users.disableModal";
  return (
    <Modal
      {...MODAL_DEFAULTS}
      opened={opened}
      onClose={onClose}
      title={t(`${texts}.title`, { name: user.fullName })}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <ToggleDisabledBody key={instance} user={user} onClose={onClose} onDone={onDone} />
    </Modal>
  );
}
