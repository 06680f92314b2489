import { Anchor, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../api/session";
import type { Permission, User } from "../api/types";
import { loginPathFor } from "../navigation";
import { LoadingStatus } from "./LoadingStatus";
import { QueryErrorAlert } from "./QueryErrorAlert";

interface RequireAuthProps {
  /** Without it any signed-in person may enter. */
  permission?: Permission;
  children: (user: User) => ReactNode;
}

export function AccessReserved() {
  const { t } = useTranslation();
  return (
    <>
      <title>{t("accessReserved.documentTitle")}</title>
      <Stack gap="md" align="flex-start" py="xl">
        <Title order={1}>{t("accessReserved.title")}</Title>
        <Text fz="lg">{t("accessReserved.text")}</Text>
        <Anchor component={Link} to="/mon-compte">
          {t("accessReserved.account")}
        </Anchor>
        <Anchor component={Link} to="/">
          {t("notFound.home")}
        </Anchor>
      </Stack>
    </>
  );
}

/**
 * A page for signed-in people: signed-out visitors go to the sign-in page, which brings them back
 * here afterwards; a role without the permission gets a plain "access reserved" page.
 */
export function RequireAuth({ permission, children }: RequireAuthProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useCurrentUser();
  if (me.isPending) {
    return <LoadingStatus label={t("common.loading")} />;
  }
  if (me.isError) {
    return (
      <QueryErrorAlert
        title={t("session.loadError")}
        error={me.error}
        onRetry={() => void me.refetch()}
        retrying={me.isFetching}
      />
    );
  }
  if (me.data === null) {
    return <Navigate to={loginPathFor(`${location.pathname}${location.search}`)} replace />;
  }
  if (permission && !me.data.permissions[permission]) {
    return <AccessReserved />;
  }
  return <>{children(me.data)}</>;
}
