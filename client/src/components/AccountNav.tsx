import { Button, Group, Menu } from "@mantine/core";
import { Link, NavLink, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useCurrentUser, useLogout } from "../api/session";
import type { User } from "../api/types";
import type { FlashState } from "../navigation";

function ChevronDown() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M3 6l5 5 5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** Managers see their files, prescribers their clients' files, officers and admins every submitted one. */
function applicationsLinkKey(
  user: User,
): "nav.applicationsOwn" | "nav.applicationsClients" | "nav.applicationsAll" | null {
  switch (user.role) {
    case "applicant":
      return "nav.applicationsOwn";
    case "prescriber":
      return "nav.applicationsClients";
    case "officer":
    case "admin":
      return "nav.applicationsAll";
    default:
      return null;
  }
}

/** Managers see their companies, prescribers their clients, officers and admins all of them. */
function companiesLinkKey(user: User): "nav.companiesOwn" | "nav.companiesClients" | "nav.companiesAll" | null {
  switch (user.role) {
    case "applicant":
      return "nav.companiesOwn";
    case "prescriber":
      return "nav.companiesClients";
    case "officer":
    case "admin":
      return "nav.companiesAll";
    default:
      return null;
  }
}

function UserMenu({ user }: { user: User }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();

  const signOut = () => {
    logout.mutate(undefined, {
      onSuccess: () => void navigate("/", { state: { flash: "loggedOut" } satisfies FlashState }),
      onError: () =>
        void navigate(`${location.pathname}${location.search}`, {
          replace: true,
          state: { flash: "logoutFailed" } satisfies FlashState,
        }),
    });
  };

  return (
    // No focus placeholder: inside role="menu" only items and separators are allowed (ARIA).
    <Menu position="bottom-end" withinPortal shadow="md" width={240} withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          variant="light"
          size="sm"
          rightSection={<ChevronDown />}
          loading={logout.isPending}
          classNames={{ root: "wrap-button account-button", label: "wrap-button__label" }}
        >
          {user.fullName}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to="/mon-compte">
          {t("nav.account")}
        </Menu.Item>
        {applicationsLinkKey(user) ? (
          <Menu.Item component={Link} to="/dossiers">
            {t(applicationsLinkKey(user) ?? "nav.applicationsOwn")}
          </Menu.Item>
        ) : null}
        {user.role === "officer" || user.role === "admin" ? (
          <>
            <Menu.Item component={Link} to="/instruction">
              {t("nav.queue")}
            </Menu.Item>
            <Menu.Item component={Link} to="/budget">
              {t("nav.budget")}
            </Menu.Item>
            <Menu.Item component={Link} to="/instruction/conflits">
              {t("nav.conflicts")}
            </Menu.Item>
            <Menu.Item component={Link} to="/statistiques">
              {t("nav.statistics")}
            </Menu.Item>
          </>
        ) : null}
        {user.role === "applicant" || user.role === "prescriber" ? (
          <Menu.Item component={Link} to="/mes-formations">
            {t("training.nav.mine")}
          </Menu.Item>
        ) : null}
        {user.permissions.manageTraining ? (
          <Menu.Item component={Link} to="/formateur">
            {user.role === "admin" ? t("trainer.nav.all") : t("trainer.nav.mine")}
          </Menu.Item>
        ) : null}
        {companiesLinkKey(user) ? (
          <Menu.Item component={Link} to="/entreprises">
            {t(companiesLinkKey(user) ?? "nav.companiesOwn")}
          </Menu.Item>
        ) : null}
        {user.permissions.manageUsers ? (
          <Menu.Item component={Link} to="/admin/utilisateurs">
            {t("nav.users")}
          </Menu.Item>
        ) : null}
        <Menu.Divider role="separator" />
        <Menu.Item onClick={signOut}>{t("nav.logout")}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Sign-in links for visitors; the person's name and a menu once signed in. */
export function AccountNav() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (me.isPending) {
    return null;
  }
  if (me.data) {
    return <UserMenu user={me.data} />;
  }
  return (
    <Group gap="xs" wrap="wrap">
      <Button component={NavLink} to="/connexion" variant="subtle" size="sm">
        {t("nav.login")}
      </Button>
      <Button component={NavLink} to="/inscription" size="sm">
        {t("nav.register")}
      </Button>
    </Group>
  );
}
