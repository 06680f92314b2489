// Budget of the programme's calls: stacked bars (paid, committed, available) per call and, for one
// call, per sector; the tables give the exact amounts, written like the budget page's.
import { NativeSelect, Table, Text, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BudgetAmounts, CallBudgetStats } from "../../api/stats";
import { formatMoney } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { toCentimes } from "../../money";
import { stackedBudget, type BudgetPartNames } from "./chartOptions";
import { dirhams } from "./numbers";
import {
  barsHeight,
  ChartWithTable,
  HiddenCaption,
  ScrollableTable,
  StatsSection,
  useLocalizedName,
} from "./StatsBlocks";

const COLUMNS = ["envelope", "committed", "paid", "available"] as const;

interface BudgetRow extends BudgetAmounts {
  key: string;
  label: string;
}

function BudgetTable({ caption, labelHeader, rows }: { caption: string; labelHeader: string; rows: BudgetRow[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <ScrollableTable label={caption}>
      <Table striped verticalSpacing={6} className="stats-table stats-table--money">
        <HiddenCaption>{caption}</HiddenCaption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{labelHeader}</Table.Th>
            {COLUMNS.map((column) => (
              <Table.Th key={column} scope="col" className="numeric">
                {t(`budget.parts.${column}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw={400}>
                {row.label}
              </Table.Th>
              {COLUMNS.map((column) => (
                <Table.Td key={column} className="numeric nowrap">
                  <bdi>{formatMoney(row[column], language)}</bdi>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

function nothingPaid(rows: BudgetAmounts[]): boolean {
  return rows.every((row) => {
    try {
      return toCentimes(row.paid) === 0n;
    } catch {
      return false;
    }
  });
}

export function BudgetSection({ budget }: { budget: CallBudgetStats[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const name = useLocalizedName();
  const [chosen, setChosen] = useState("");
  const call = budget.find((candidate) => candidate.callId === chosen) ?? budget[0];
  const title = (row: CallBudgetStats) => name({ nameFr: row.titleFr, nameAr: row.titleAr });

  const names: BudgetPartNames = useMemo(
    () => ({
      paid: t("budget.parts.paid"),
      committed: t("budget.parts.committed"),
      available: t("budget.parts.available"),
    }),
    [t],
  );
  const { callRows, sectorRows, callOption, sectorOption } = useMemo(() => {
    const toDatum = (row: BudgetRow) => ({
      label: row.label,
      paid: dirhams(row.paid),
      committed: dirhams(row.committed),
      available: dirhams(row.available),
    });
    const calls: BudgetRow[] = budget.map((row) => ({
      ...row,
      key: row.callId,
      label: name({ nameFr: row.titleFr, nameAr: row.titleAr }),
    }));
    const sectors: BudgetRow[] = (call?.bySector ?? []).map((row) => ({ ...row, key: row.code, label: name(row) }));
    return {
      callRows: calls,
      sectorRows: sectors,
      callOption: (width: number) => stackedBudget(calls.map(toDatum), names, language, width),
      sectorOption: (width: number) => stackedBudget(sectors.map(toDatum), names, language, width),
    };
  }, [budget, call, name, names, language]);

  if (!call) {
    return (
      <StatsSection id="stats-budget" title={t("stats.budget.title")} definition={t("stats.budget.definition")}>
        <Text className="empty-state">{t("stats.budget.empty")}</Text>
      </StatsSection>
    );
  }
  const sectorCaption = t("stats.budget.bySectorOf", { call: title(call) });
  return (
    <StatsSection id="stats-budget" title={t("stats.budget.title")} definition={t("stats.budget.definition")}>
      {nothingPaid(budget) ? <Text className="empty-state">{t("stats.budget.nothingPaid")}</Text> : null}
      <ChartWithTable
        title={t("stats.budget.byCall")}
        option={callOption}
        height={barsHeight(callRows.length, 44, 80)}
        tableBelow
        table={
          <BudgetTable caption={t("stats.budget.byCallCaption")} labelHeader={t("stats.budget.call")} rows={callRows} />
        }
      />
      {budget.length > 1 ? (
        <NativeSelect
          id="stats-budget-call"
          label={t("stats.budget.chooseCall")}
          value={call.callId}
          onChange={(event) => setChosen(event.currentTarget.value)}
          data={budget.map((row) => ({ value: row.callId, label: title(row) }))}
          maw={480}
        />
      ) : null}
      {sectorRows.length === 0 ? (
        <div className="stats-block">
          <Title order={3} fz="h4" mb="sm">
            {sectorCaption}
          </Title>
          <Text className="empty-state">{t("stats.budget.noSectors")}</Text>
        </div>
      ) : (
        <ChartWithTable
          title={sectorCaption}
          option={sectorOption}
          height={barsHeight(sectorRows.length, 40, 80)}
          tableBelow
          table={<BudgetTable caption={sectorCaption} labelHeader={t("stats.sector")} rows={sectorRows} />}
        />
      )}
    </StatsSection>
  );
}
