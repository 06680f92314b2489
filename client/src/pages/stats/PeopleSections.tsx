// Median delays (facts) and the prescribers' contribution (shares via a mandate, top 10 table).
import { Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { MedianDelay, StatsOverview } from "../../api/stats";
import { Fact } from "../../components/Fact";
import { useLanguage } from "../../i18n/useLanguage";
import { formatCount, formatDecimal, formatShare } from "./numbers";
import { ScrollableTable, StatsSection } from "./StatsBlocks";

function DelayFact({ label, delay, none }: { label: string; delay: MedianDelay; none: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Fact label={label} className="fact amount">
      {delay.medianDays === null ? (
        <span className="fact__value--text">{none}</span>
      ) : (
        <>
          <span className="amount__value">
            {t("stats.delays.days", { count: delay.medianDays, days: formatDecimal(delay.medianDays, language) })}
          </span>
          <Text component="span" display="block" fz="sm" fw={400}>
            {t("stats.delays.over", { count: delay.count, formatted: formatCount(delay.count, language) })}
          </Text>
        </>
      )}
    </Fact>
  );
}

export function DelaysSection({ delays }: { delays: StatsOverview["delays"] }) {
  const { t } = useTranslation();
  return (
    <StatsSection id="stats-delays" title={t("stats.delays.title")} definition={t("stats.delays.definition")}>
      <dl className="facts amounts">
        <DelayFact
          label={t("stats.delays.decision")}
          delay={delays.submissionToDecision}
          none={t("stats.delays.noDecision")}
        />
        <DelayFact
          label={t("stats.delays.payment")}
          delay={delays.submissionToPayment}
          none={t("stats.delays.noPayment")}
        />
      </dl>
    </StatsSection>
  );
}

export function PrescribersSection({ prescribers }: { prescribers: StatsOverview["prescribers"] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const share = (part: number, whole: number) => {
    const percent = formatShare(part, whole, language);
    const values = { part: formatCount(part, language), whole: formatCount(whole, language) };
    return percent === null
      ? t("stats.prescribers.shareWithoutPercent", values)
      : t("stats.prescribers.share", { ...values, percent });
  };
  const caption = t("stats.prescribers.topCaption");
  return (
    <StatsSection
      id="stats-prescribers"
      title={t("stats.prescribers.title")}
      definition={t("stats.prescribers.definition")}
    >
      <dl className="facts amounts">
        <Fact label={t("stats.prescribers.submitted")} className="fact amount">
          <span className="amount__value">{share(prescribers.submittedViaMandate, prescribers.submitted)}</span>
        </Fact>
        <Fact label={t("stats.prescribers.approved")} className="fact amount">
          <span className="amount__value">{share(prescribers.approvedViaMandate, prescribers.approved)}</span>
        </Fact>
      </dl>
      <div className="stats-block">
        <Title order={3} fz="h4" mb="sm">
          {t("stats.prescribers.top")}
        </Title>
        {prescribers.top.length === 0 ? (
          <Text className="empty-state">{t("stats.prescribers.empty")}</Text>
        ) : (
          <ScrollableTable label={caption}>
            <Table striped verticalSpacing={6} className="stats-table stats-table--prescribers">
              <Table.Caption className="table-caption">{caption}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" className="numeric">
                    {t("stats.prescribers.rank")}
                  </Table.Th>
                  <Table.Th scope="col">{t("stats.prescribers.organisation")}</Table.Th>
                  <Table.Th scope="col" className="numeric">
                    {t("stats.prescribers.submittedColumn")}
                  </Table.Th>
                  <Table.Th scope="col" className="numeric">
                    {t("stats.prescribers.approvedColumn")}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {prescribers.top.map((row, index) => (
                  <Table.Tr key={`${index}-${row.organisation}`}>
                    <Table.Td className="numeric">{formatCount(index + 1, language)}</Table.Td>
                    <Table.Th scope="row" fw={400}>
                      {row.organisation}
                    </Table.Th>
                    <Table.Td className="numeric nowrap">{formatCount(row.submitted, language)}</Table.Td>
                    <Table.Td className="numeric nowrap">{formatCount(row.approved, language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        )}
      </div>
    </StatsSection>
  );
}
