// Equipped SMEs and Permis Numérique: by year, by region, by sector, each a chart and its table.
import { Text } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Breakdown, PermitStats } from "../../api/stats";
import { Fact } from "../../components/Fact";
import { useLanguage } from "../../i18n/useLanguage";
import { columnsByYear, horizontalBars } from "./chartOptions";
import { formatCount } from "./numbers";
import { barsHeight, ChartWithTable, CountTable, StatsSection, useLocalizedName, type CountRow } from "./StatsBlocks";

interface BreakdownTexts {
  byYear: string;
  byRegion: string;
  bySector: string;
  series: string;
}

/** The three charts and tables of a breakdown: by year (columns), by region and sector (bars). */
function BreakdownCharts({ breakdown, texts }: { breakdown: Breakdown; texts: BreakdownTexts }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const name = useLocalizedName();
  const { series } = texts;
  // Built again only when the figures or the language change (a poll that brings the same figures
  // keeps the same objects), so that the charts do not redraw for nothing.
  const { years, regions, sectors, yearOption, regionOption, sectorOption } = useMemo(() => {
    const named = (rows: Breakdown["byRegion"]): CountRow[] =>
      rows.map((row) => ({ key: row.code, label: name(row), count: row.count }));
    const bars = (rows: CountRow[]) => rows.map((row) => ({ label: row.label, value: row.count }));
    const yearRows = breakdown.byYear.map((row) => ({
      key: String(row.year),
      label: String(row.year),
      count: row.count,
    }));
    const regionRows = named(breakdown.byRegion);
    const sectorRows = named(breakdown.bySector);
    return {
      years: yearRows,
      regions: regionRows,
      sectors: sectorRows,
      yearOption: columnsByYear(bars(yearRows), series, language),
      regionOption: (width: number) => horizontalBars(bars(regionRows), series, language, width),
      sectorOption: (width: number) => horizontalBars(bars(sectorRows), series, language, width),
    };
  }, [breakdown, name, series, language]);

  return (
    <>
      <ChartWithTable
        title={texts.byYear}
        option={yearOption}
        height={260}
        table={<CountTable caption={texts.byYear} labelHeader={t("stats.year")} rows={years} />}
      />
      <ChartWithTable
        title={texts.byRegion}
        option={regionOption}
        height={barsHeight(regions.length)}
        table={<CountTable caption={texts.byRegion} labelHeader={t("stats.region")} rows={regions} />}
      />
      <ChartWithTable
        title={texts.bySector}
        option={sectorOption}
        height={barsHeight(sectors.length)}
        table={<CountTable caption={texts.bySector} labelHeader={t("stats.sector")} rows={sectors} />}
      />
    </>
  );
}

export function EquippedSection({ equipped }: { equipped: Breakdown }) {
  const { t } = useTranslation();
  const texts: BreakdownTexts = {
    byYear: t("stats.equipped.byYear"),
    byRegion: t("stats.equipped.byRegion"),
    bySector: t("stats.equipped.bySector"),
    series: t("stats.equipped.series"),
  };
  return (
    <StatsSection id="stats-equipped" title={t("stats.equipped.title")} definition={t("stats.equipped.definition")}>
      {equipped.total === 0 ? (
        <Text className="empty-state">{t("stats.equipped.empty")}</Text>
      ) : (
        <BreakdownCharts breakdown={equipped} texts={texts} />
      )}
    </StatsSection>
  );
}

export function PermitsSection({ permits }: { permits: PermitStats }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const texts: BreakdownTexts = {
    byYear: t("stats.permits.byYear"),
    byRegion: t("stats.permits.byRegion"),
    bySector: t("stats.permits.bySector"),
    series: t("stats.permits.series"),
  };
  return (
    <StatsSection id="stats-permits" title={t("stats.permits.title")} definition={t("stats.permits.definition")}>
      <dl className="facts">
        <Fact label={t("stats.permits.series")}>{formatCount(permits.total, language)}</Fact>
        <Fact label={t("stats.permits.revoked")}>{formatCount(permits.revoked, language)}</Fact>
      </dl>
      {permits.total === 0 ? (
        <Text className="empty-state">{t("stats.permits.empty")}</Text>
      ) : (
        <BreakdownCharts breakdown={permits} texts={texts} />
      )}
    </StatsSection>
  );
}
