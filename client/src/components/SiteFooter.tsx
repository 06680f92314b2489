import { Container, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <Container size="lg">
        <Stack gap={6}>
          <Text fw={700}>{t("footer.programme")}</Text>
          <Text>{t("footer.kingdom")}</Text>
          <nav aria-label={t("footer.navLabel")}>
            <ul className="plain-list footer-nav">
              <li>
                <Link to="/donnees-ouvertes" className="footer-nav__link">
                  {t("nav.openData")}
                </Link>
              </li>
            </ul>
          </nav>
          <Text fz="sm">{t("footer.privacy")}</Text>
        </Stack>
      </Container>
    </footer>
  );
}
