// The programme's funnel: accounts → companies → drafts → submitted → approved → paid, as an
// ECharts funnel with its drop-off table, then the company steps per region and per sector.
import { Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { FunnelBreakdown, FunnelStep, StatsOverview } from "../../api/stats";
import { useLanguage } from "../../i18n/useLanguage";
import { funnel } from "./chartOptions";
import { formatCount, formatPercent } from "./numbers";
import { ChartWithTable, NotApplicable, ScrollableTable, StatsSection, useLocalizedName } from "./StatsBlocks";

function DropOffTable({ steps, caption }: { steps: FunnelStep[]; caption: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <ScrollableTable label={caption}>
      <Table striped verticalSpacing={6} className="stats-table stats-table--funnel">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("stats.funnel.step")}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("stats.count")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("stats.funnel.lost")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("stats.funnel.conversion")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps.map((step) => (
            <Table.Tr key={step.step}>
              <Table.Th scope="row" fw={400}>
                {t(`stats.funnel.steps.${step.step}`)}
              </Table.Th>
              <Table.Td className="numeric nowrap">{formatCount(step.count, language)}</Table.Td>
              <Table.Td className="numeric nowrap">
                {/* Negative when a step gains (more companies than accounts): "−7", never "7−" in Arabic. */}
                {step.dropOff === null ? <NotApplicable /> : <bdi dir="ltr">{formatCount(step.dropOff, language)}</bdi>}
              </Table.Td>
              <Table.Td className="numeric nowrap">
                {step.conversion === null ? <NotApplicable /> : formatPercent(step.conversion, language)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

/** One row per region (or sector), one column per company step: the count, then the conversion. */
function BreakdownFunnelTable({
  rows,
  caption,
  labelHeader,
}: {
  rows: FunnelBreakdown[];
  caption: string;
  labelHeader: string;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const name = useLocalizedName();
  const steps = rows[0]?.steps.map((step) => step.step) ?? [];
  return (
    <ScrollableTable label={caption}>
      <Table striped verticalSpacing={6} className="stats-table stats-table--wide">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{labelHeader}</Table.Th>
            {steps.map((step) => (
              <Table.Th key={step} scope="col" className="numeric">
                {t(`stats.funnel.steps.${step}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.code}>
              <Table.Th scope="row" fw={400}>
                {name(row)}
              </Table.Th>
              {row.steps.map((step) => (
                <Table.Td key={step.step} className="numeric nowrap">
                  <span className="stats-funnel-cell__count">{formatCount(step.count, language)}</span>
                  {step.conversion === null ? null : (
                    <span className="stats-funnel-cell__rate">
                      <VisuallyHidden>{t("stats.funnel.conversionShort")} </VisuallyHidden>
                      {formatPercent(step.conversion, language)}
                    </span>
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

export function FunnelSection({ funnel: data }: { funnel: StatsOverview["funnel"] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const title = t("stats.funnel.chart");
  const option = useMemo(
    () => (width: number) =>
      funnel(
        data.steps.map((step) => {
          const label = t(`stats.funnel.steps.${step.step}`);
          return {
            label,
            value: step.count,
            text: t("stats.funnel.label", { step: label, number: formatCount(step.count, language) }),
          };
        }),
        t("stats.funnel.series"),
        language,
        width,
      ),
    [data.steps, t, language],
  );
  const empty = data.steps.every((step) => step.count === 0);
  return (
    <StatsSection id="stats-funnel" title={t("stats.funnel.title")} definition={t("stats.funnel.definition")}>
      {empty ? (
        <Text className="empty-state">{t("stats.funnel.empty")}</Text>
      ) : (
        <>
          <ChartWithTable
            title={title}
            option={option}
            height={Math.max(260, data.steps.length * 56)}
            table={<DropOffTable steps={data.steps} caption={t("stats.funnel.dropOffCaption")} />}
          />
          <div className="stats-block">
            <Title order={3} fz="h4" mb="sm">
              {t("stats.funnel.byRegion")}
            </Title>
            <BreakdownFunnelTable
              rows={data.byRegion}
              caption={t("stats.funnel.byRegionCaption")}
              labelHeader={t("stats.region")}
            />
          </div>
          <div className="stats-block">
            <Title order={3} fz="h4" mb="sm">
              {t("stats.funnel.bySector")}
            </Title>
            <BreakdownFunnelTable
              rows={data.bySector}
              caption={t("stats.funnel.bySectorCaption")}
              labelHeader={t("stats.sector")}
            />
          </div>
        </>
      )}
    </StatsSection>
  );
}
