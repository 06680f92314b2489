import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Amounts } from "../../api/applications";
import { Fact } from "../../components/Fact";
import { formatMoney, formatRate } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";

function Amount({ label, value, highlight = false }: { label: string; value: string; highlight?: boolean }) {
  return (
    <Fact label={label} className={highlight ? "fact fact--highlight amount" : "fact amount"}>
      <bdi className="amount__value">{value}</bdi>
    </Fact>
  );
}

/** The four figures the server computed, and the rule they come from (rate and cap). */
export function AmountsPanel({ amounts }: { amounts: Amounts }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const money = (amount: string) => formatMoney(amount, language);
  const rate = formatRate(amounts.rate, language);
  return (
    <>
      <dl className="facts amounts">
        <Amount label={t("applications.amounts.eligible")} value={money(amounts.eligibleAmount)} />
        <Amount label={t("applications.amounts.vat")} value={money(amounts.vatAmount)} />
        <Amount label={t("applications.amounts.grant", { rate })} value={money(amounts.grantAmount)} highlight />
        <Amount label={t("applications.amounts.ownShare")} value={money(amounts.ownShare)} />
      </dl>
      <Text fz="sm" mt="xs">
        {t("applications.amounts.rule", { rate, cap: money(amounts.cap) })}
      </Text>
    </>
  );
}
