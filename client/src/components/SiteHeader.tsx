import { Container, Group, Text } from "@mantine/core";
import { Link, NavLink } from "react-router";
import { useTranslation } from "react-i18next";
import { AccountNav } from "./AccountNav";
import { LanguageSwitch } from "./LanguageSwitch";
import { LogoMark } from "./LogoMark";

function Brand() {
  const { t } = useTranslation();
  return (
    <div className="brand">
      <Link to="/" className="brand__link">
        <LogoMark />
        <span className="brand__name">{t("app.name")}</span>
      </Link>
      <Text component="span" fz="sm" c="dimmed" className="brand__tagline">
        {t("app.tagline")}
      </Text>
    </div>
  );
}

function MainNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("nav.label")}>
      <ul className="main-nav">
        <li>
          <NavLink to="/" end className="main-nav__link">
            {t("nav.home")}
          </NavLink>
        </li>
        <li>
          <NavLink to="/solutions" className="main-nav__link">
            {t("nav.solutions")}
          </NavLink>
        </li>
        <li>
          <NavLink to="/simulateur" className="main-nav__link">
            {t("nav.simulator")}
          </NavLink>
        </li>
        <li>
          <NavLink to="/formations" className="main-nav__link">
            {t("training.nav.sessions")}
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

export function SiteHeader() {
  return (
    <header className="site-header">
      <Container size="lg" className="site-header__inner">
        <Brand />
        <Group gap="md" wrap="wrap">
          <MainNav />
          <AccountNav />
          <LanguageSwitch />
        </Group>
      </Container>
    </header>
  );
}
