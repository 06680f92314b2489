import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { pickCurrentCall, useCalls, useSectors } from "../../api/queries";
import type { Call, Sector } from "../../api/types";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatDay, formatMoney, formatRate } from "../../format";
import { pickLocalized, type Language } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { Section } from "./Section";

function CallSkeleton() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg" aria-busy="true">
      <LoadingStatus label={t("home.call.loading")} />
      <Stack gap="sm" aria-hidden="true">
        <Skeleton height={24} width="60%" />
        <Skeleton height={16} width="40%" />
        <Skeleton height={16} width="50%" />
      </Stack>
    </Paper>
  );
}

interface FactProps {
  label: string;
  value: string;
}

function Fact({ label, value }: FactProps) {
  return (
    <div className="fact">
      <dt className="fact__label">{label}</dt>
      <dd className="fact__value">{value}</dd>
    </div>
  );
}

function sectorNames(call: Call, sectors: Sector[] | undefined, language: Language): string {
  const separator = language === "ar" ? "، " : ", ";
  return call.rules.sectorCodes
    .map((code) => {
      const sector = sectors?.find((candidate) => candidate.code === code);
      return sector ? pickLocalized(language, sector.nameFr, sector.nameAr) : code;
    })
    .join(separator);
}

function CallCard({ call }: { call: Call }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectors = useSectors();
  const isOpen = call.status === "open";

  return (
    <Paper withBorder p="lg" className="call-card">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={3} fz="xl">
            {pickLocalized(language, call.titleFr, call.titleAr)}
          </Title>
          <Badge size="lg" variant="light" color={isOpen ? "green" : "gray"}>
            {isOpen ? t("home.call.statusOpen") : t("home.call.statusUpcoming")}
          </Badge>
        </Group>
        <Text fw={700}>
          {isOpen
            ? t("home.call.openUntil", { date: formatDay(call.closesOn, language) })
            : t("home.call.opensOn", { date: formatDay(call.opensOn, language) })}
        </Text>
        <dl className="facts">
          <Fact
            label={t("home.call.rate")}
            value={t("home.call.rateValue", { rate: formatRate(call.rules.rate, language) })}
          />
          <Fact label={t("home.call.cap")} value={formatMoney(call.rules.capPerCompany, language)} />
          <Fact label={t("home.call.eligibleSectors")} value={sectorNames(call, sectors.data?.items, language)} />
        </dl>
      </Stack>
    </Paper>
  );
}

export function CurrentCall() {
  const { t } = useTranslation();
  const calls = useCalls();

  const content = () => {
    if (calls.isPending) {
      return <CallSkeleton />;
    }
    if (calls.isError) {
      return (
        <QueryErrorAlert
          title={t("home.call.errorTitle")}
          error={calls.error}
          onRetry={() => void calls.refetch()}
          retrying={calls.isFetching}
        />
      );
    }
    const call = pickCurrentCall(calls.data.items);
    if (!call) {
      return <Text>{t("home.call.none")}</Text>;
    }
    return <CallCard call={call} />;
  };

  return <Section title={t("home.call.title")}>{content()}</Section>;
}
