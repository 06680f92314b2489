import { NativeSelect, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { pickCurrentCall, useCallBudget, useCalls } from "../../api/queries";
import type { BudgetLine, CallBudget } from "../../api/review";
import type { User } from "../../api/types";
import { Fact } from "../../components/Fact";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatMoney } from "../../format";
import { pickLocalized, type Language } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { toCentimes } from "../../money";
import { useSectorName } from "../companies/CompaniesPage";
import { mayReview } from "./shared";

const PARTS = ["paid", "committed", "available"] as const;
type Part = (typeof PARTS)[number];

/** Share of the envelope in hundredths of a percent, computed on centimes (display only). */
function share(part: string, envelope: string): number {
  const total = toCentimes(envelope);
  if (total <= 0n) return 0;
  return Number((toCentimes(part) * 10000n) / total) / 100;
}

/** 0.375 → "0,38 %" (fr) — a share for the eye; the table has the exact amounts. */
function formatShare(percent: number, language: Language): string {
  const text = percent.toLocaleString(language === "ar" ? "ar-MA-u-nu-latn" : "fr-MA", { maximumFractionDigits: 2 });
  return language === "ar" ? `${text}%` : `${text}\u00A0%`;
}

interface Row extends BudgetLine {
  key: string;
  label: string;
}

/**
 * One stacked bar per envelope: paid, committed, available. Drawn with CSS only and hidden from
 * screen readers: the table beside it carries the same numbers and is the accessible source.
 */
function BudgetBars({ rows }: { rows: Row[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <figure className="budget-chart" aria-labelledby="budget-chart-caption">
      <figcaption id="budget-chart-caption" className="budget-chart__caption">
        {t("budget.chartCaption")}
      </figcaption>
      <ul className="plain-list budget-chart__legend" aria-hidden="true">
        {PARTS.map((part) => (
          <li key={part}>
            <span className={`budget-swatch budget-swatch--${part}`} />
            {t(`budget.parts.${part}`)}
          </li>
        ))}
      </ul>
      <div aria-hidden="true" className="budget-chart__rows">
        {rows.map((row) => (
          <div key={row.key} className="budget-chart__row">
            <span className="budget-chart__label">{row.label}</span>
            <div className="budget-bar">
              {PARTS.map((part: Part) => {
                const width = share(row[part], row.envelope);
                return width > 0 ? (
                  <span
                    key={part}
                    className={`budget-bar__segment budget-bar__segment--${part}`}
                    style={{ inlineSize: `${width}%` }}
                  />
                ) : null;
              })}
            </div>
            <span className="budget-chart__shares">
              {PARTS.map(
                (part) => `${t(`budget.parts.${part}`)} ${formatShare(share(row[part], row.envelope), language)}`,
              ).join(" · ")}
            </span>
          </div>
        ))}
      </div>
    </figure>
  );
}

function BudgetTable({ rows, caption }: { rows: Row[]; caption: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  // Focusable: on a narrow screen the table scrolls sideways, and keyboard users must be able to
  // scroll it too (axe's scrollable-region-focusable); a named region says what they reached.
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <Table striped verticalSpacing="sm" className="budget-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("budget.envelopeOf")}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("budget.parts.envelope")}
            </Table.Th>
            {(["committed", "paid", "available"] as const).map((part) => (
              <Table.Th key={part} scope="col" className="numeric">
                {t(`budget.parts.${part}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row">{row.label}</Table.Th>
              {(["envelope", "committed", "paid", "available"] as const).map((part) => (
                <Table.Td key={part} className="numeric nowrap">
                  <bdi>{formatMoney(row[part], language)}</bdi>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function BudgetReport({ budget, callTitle }: { budget: CallBudget; callTitle: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectorName = useSectorName();
  const money = (amount: string) => formatMoney(amount, language);
  const rows: Row[] = [
    { key: "call", label: t("budget.wholeCall"), ...budget },
    ...budget.bySector.map((sector) => ({ ...sector, key: sector.sectorCode, label: sectorName(sector.sectorCode) })),
  ];
  return (
    <Stack gap="xl">
      <Paper component="section" withBorder p="lg" aria-labelledby="budget-call-title">
        <Stack gap="md">
          <Title order={2} id="budget-call-title">
            {t("budget.callTitle", { call: callTitle })}
          </Title>
          <dl className="facts amounts">
            <Fact label={t("budget.parts.envelope")} className="fact amount">
              <bdi className="amount__value">{money(budget.envelope)}</bdi>
            </Fact>
            <Fact label={t("budget.parts.committed")} className="fact amount">
              <bdi className="amount__value">{money(budget.committed)}</bdi>
            </Fact>
            <Fact label={t("budget.parts.paid")} className="fact amount">
              <bdi className="amount__value">{money(budget.paid)}</bdi>
            </Fact>
            <Fact label={t("budget.parts.available")} className="fact fact--highlight amount">
              <bdi className="amount__value">{money(budget.available)}</bdi>
            </Fact>
          </dl>
          <Text fz="sm">{t("budget.identity")}</Text>
        </Stack>
      </Paper>
      <Paper component="section" withBorder p="lg" aria-labelledby="budget-sectors-title">
        <Stack gap="md">
          <Title order={2} id="budget-sectors-title">
            {t("budget.sectorsTitle")}
          </Title>
          {budget.bySector.length === 0 ? <Text>{t("budget.noSectors")}</Text> : null}
          <div className="budget-layout">
            <BudgetBars rows={rows} />
            <BudgetTable rows={rows} caption={t("budget.tableCaption", { call: callTitle })} />
          </div>
        </Stack>
      </Paper>
    </Stack>
  );
}

function Budget() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const calls = useCalls();
  const items = calls.data?.items ?? [];
  const requested = searchParams.get("appel") ?? "";
  const call = items.find((candidate) => candidate.id === requested) ?? pickCurrentCall(items) ?? items[0];
  const budget = useCallBudget(call?.id);

  const report = () => {
    if (calls.isPending || (call && budget.isPending)) return <LoadingStatus label={t("budget.loading")} />;
    if (calls.isError) {
      return (
        <QueryErrorAlert
          title={t("budget.errorTitle")}
          error={calls.error}
          onRetry={() => void calls.refetch()}
          retrying={calls.isFetching}
        />
      );
    }
    if (!call) return <Text className="empty-state">{t("budget.noCall")}</Text>;
    if (budget.isError) {
      return (
        <QueryErrorAlert
          title={t("budget.errorTitle")}
          error={budget.error}
          onRetry={() => void budget.refetch()}
          retrying={budget.isFetching}
        />
      );
    }
    if (!budget.data) return null;
    return (
      <div aria-busy={budget.isFetching}>
        <BudgetReport budget={budget.data} callTitle={pickLocalized(language, call.titleFr, call.titleAr)} />
      </div>
    );
  };

  return (
    <>
      <title>{t("budget.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{t("budget.title")}</Title>
          <Text fz="lg">{t("budget.intro")}</Text>
        </Stack>
        {items.length > 0 ? (
          <NativeSelect
            id="budget-call"
            label={t("applications.start.call")}
            value={call?.id ?? ""}
            onChange={(event) => setSearchParams({ appel: event.currentTarget.value }, { replace: true })}
            data={items.map((candidate) => ({
              value: candidate.id,
              label: pickLocalized(language, candidate.titleFr, candidate.titleAr),
            }))}
            maw={480}
          />
        ) : null}
        {report()}
      </Stack>
    </>
  );
}

function BudgetGuard({ user }: { user: User }) {
  return mayReview(user.role) ? <Budget /> : <AccessReserved />;
}

export function BudgetPage() {
  return <RequireAuth>{(user) => <BudgetGuard user={user} />}</RequireAuth>;
}
