import { Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { Sector } from "../../api/types";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";

/** Shown on /solutions before a sector is chosen: each sector explained, the whole card a link. */
export function SectorChooser({ sectors }: { sectors: Sector[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <section aria-labelledby="choose-sector">
      <Title order={2} id="choose-sector" mb="md">
        {t("catalog.chooseSector")}
      </Title>
      <SimpleGrid component="ul" cols={{ base: 1, sm: 2, md: 3 }} spacing="md" className="plain-list">
        {sectors.map((sector) => (
          <li key={sector.code}>
            <Paper withBorder p="lg" className="sector-card">
              <Title order={3} fz="lg">
                <Link to={`/solutions/${encodeURIComponent(sector.code)}`} className="sector-card__link">
                  {pickLocalized(language, sector.nameFr, sector.nameAr)}
                </Link>
              </Title>
              <Text mt="xs">{pickLocalized(language, sector.descriptionFr, sector.descriptionAr)}</Text>
            </Paper>
          </li>
        ))}
      </SimpleGrid>
    </section>
  );
}
