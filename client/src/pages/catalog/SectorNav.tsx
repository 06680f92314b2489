import { NavLink } from "react-router";
import { useTranslation } from "react-i18next";
import type { Sector } from "../../api/types";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";

/**
 * Sectors as a segmented list of links rather than ARIA tabs: each sector has its own URL that can
 * be bookmarked or shared, and links are what assistive technologies expect for navigation.
 */
export function SectorNav({ sectors }: { sectors: Sector[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <nav aria-label={t("catalog.sectorsLabel")}>
      <ul className="sector-nav">
        {sectors.map((sector) => (
          <li key={sector.code}>
            <NavLink to={`/solutions/${encodeURIComponent(sector.code)}`} className="sector-nav__link">
              {pickLocalized(language, sector.nameFr, sector.nameAr)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
