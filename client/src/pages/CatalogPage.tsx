import { Anchor, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { pickCurrentCall, useCalls, useSectors } from "../api/queries";
import type { CallRules, Sector } from "../api/types";
import { LoadingStatus } from "../components/LoadingStatus";
import { QueryErrorAlert } from "../components/QueryErrorAlert";
import { formatMoney, formatRate } from "../format";
import { useLanguage } from "../i18n/useLanguage";
import { REFERENCE_RULES } from "../programme";
import { SectorChooser } from "./catalog/SectorChooser";
import { SectorNav } from "./catalog/SectorNav";
import { SectorSolutions } from "./catalog/SectorSolutions";

/** Estimates follow the current call's rules once known, the published reference rules before. */
function useEstimateRules() {
  const calls = useCalls();
  const call = calls.data ? pickCurrentCall(calls.data.items) : undefined;
  return call ? call.rules : REFERENCE_RULES;
}

function SectorsSkeleton() {
  const { t } = useTranslation();
  return (
    <div aria-busy="true">
      <LoadingStatus label={t("catalog.loadingSectors")} />
      <Group gap="sm" aria-hidden="true">
        {[120, 90, 140, 110, 100].map((width) => (
          <Skeleton key={width} height={40} width={width} radius="xl" />
        ))}
      </Group>
    </div>
  );
}

function UnknownSector() {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" align="flex-start">
      <Text>{t("catalog.unknownSector")}</Text>
      <Anchor component={Link} to="/solutions">
        {t("catalog.allSectors")}
      </Anchor>
    </Stack>
  );
}

interface CatalogBodyProps {
  sectors: Sector[];
  sectorCode: string | undefined;
  rules: Pick<CallRules, "rate" | "capPerCompany">;
}

function CatalogBody({ sectors, sectorCode, rules }: CatalogBodyProps) {
  if (sectorCode === undefined) {
    return <SectorChooser sectors={sectors} />;
  }
  const sector = sectors.find((candidate) => candidate.code === sectorCode);
  if (!sector) {
    return <UnknownSector />;
  }
  // A new key per sector: its page number and focus target start afresh.
  return <SectorSolutions key={sector.code} sector={sector} rules={rules} />;
}

export function CatalogPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { sectorCode } = useParams();
  const sectors = useSectors();
  const rules = useEstimateRules();

  const body = () => {
    if (sectors.isPending) {
      return <SectorsSkeleton />;
    }
    if (sectors.isError) {
      return (
        <QueryErrorAlert
          title={t("catalog.sectorsErrorTitle")}
          error={sectors.error}
          onRetry={() => void sectors.refetch()}
          retrying={sectors.isFetching}
        />
      );
    }
    return (
      <Stack gap="xl">
        <SectorNav sectors={sectors.data.items} />
        <CatalogBody sectors={sectors.data.items} sectorCode={sectorCode} rules={rules} />
      </Stack>
    );
  };

  return (
    <>
      <title>{t("catalog.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="sm">
          <Title order={1}>{t("catalog.title")}</Title>
          <Text fz="lg">{t("catalog.intro")}</Text>
          <Text className="note">
            {t("catalog.subsidyNote", {
              rate: formatRate(rules.rate, language),
              cap: formatMoney(rules.capPerCompany, language),
            })}
          </Text>
        </Stack>
        {body()}
      </Stack>
    </>
  );
}
