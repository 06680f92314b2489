// Building blocks of the statistics page: a titled section, a chart with its table, and the
// count tables. Every chart is paired with a table that carries the same numbers: the table is
// what screen readers and keyboard users read, the chart is for the eye.
import { Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useCallback, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { EChart, type ChartOptionSource } from "./EChart";
import { formatCount } from "./numbers";

/** "Casablanca-Settat" or "الدار البيضاء-سطات": a named row of the statistics in the page's language. */
export function useLocalizedName() {
  const { language } = useLanguage();
  return useCallback(
    (named: { nameFr: string; nameAr: string }) => pickLocalized(language, named.nameFr, named.nameAr),
    [language],
  );
}

interface StatsSectionProps {
  id: string;
  title: string;
  /** What the figures count, in one or two sentences. */
  definition?: string;
  children: ReactNode;
}

/** A region of the page, reachable from "Sur cette page" by its id. */
export function StatsSection({ id, title, definition, children }: StatsSectionProps) {
  return (
    <Paper component="section" withBorder p="lg" id={id} aria-labelledby={`${id}-title`} className="stats-section">
      <Stack gap="lg">
        <Stack gap="xs">
          <Title order={2} id={`${id}-title`}>
            {title}
          </Title>
          {definition ? <Text>{definition}</Text> : null}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}

interface ChartWithTableProps {
  title: string;
  option: ChartOptionSource;
  height: number;
  /** The table with the same numbers (its caption repeats the title for screen readers). */
  table: ReactNode;
  /** Wide tables go below the chart rather than beside it. */
  tableBelow?: boolean;
}

/** A sub-heading, the chart, and the table that carries the same numbers, beside or below it. */
export function ChartWithTable({ title, option, height, table, tableBelow = false }: ChartWithTableProps) {
  const { t } = useTranslation();
  return (
    <div className="stats-block">
      <Title order={3} fz="h4" mb="sm">
        {title}
      </Title>
      <div className={tableBelow ? "stats-pair stats-pair--stacked" : "stats-pair"}>
        <EChart option={option} height={height} description={t("stats.chartOf", { title })} />
        {table}
      </div>
    </div>
  );
}

/** The caption names the table for screen readers; the visible heading above says the same. */
export function HiddenCaption({ children }: { children: string }) {
  return (
    <Table.Caption className="stats-caption">
      <VisuallyHidden>{children}</VisuallyHidden>
    </Table.Caption>
  );
}

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** Two columns: what is counted (a row header) and how many. */
export function CountTable({ caption, labelHeader, rows }: { caption: string; labelHeader: string; rows: CountRow[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Table striped verticalSpacing={6} className="stats-table">
      <HiddenCaption>{caption}</HiddenCaption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{labelHeader}</Table.Th>
          <Table.Th scope="col" className="numeric">
            {t("stats.count")}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key}>
            <Table.Th scope="row" fw={400}>
              {row.label}
            </Table.Th>
            <Table.Td className="numeric nowrap">{formatCount(row.count, language)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * A table that may be wider than a phone: it scrolls sideways, so keyboard users must be able to
 * focus it (axe's scrollable-region-focusable), and the named region says what they reached.
 */
export function ScrollableTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/** "—" for the eye, "sans objet" for screen readers (the first step has no previous one). */
export function NotApplicable() {
  const { t } = useTranslation();
  return (
    <>
      <span aria-hidden="true">—</span>
      <VisuallyHidden>{t("stats.notApplicable")}</VisuallyHidden>
    </>
  );
}

/** Pixels for a chart of horizontal bars: a row per bar, plus the axis. */
export function barsHeight(rows: number, rowHeight = 30, extra = 40): number {
  return Math.max(160, rows * rowHeight + extra);
}
