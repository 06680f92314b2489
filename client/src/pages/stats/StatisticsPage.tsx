// /statistiques (officers and admins): the programme's overview. Loaded lazily by the router, so
// that ECharts weighs on this page only.
import { Anchor, Button, Group, NativeSelect, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useCalls } from "../../api/queries";
import { refreshStats, REFRESH_WAIT_MS, useOverview, type StatsOverview } from "../../api/stats";
import type { Programme, User } from "../../api/types";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatInstant } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { mayReview } from "../review/shared";
import { BudgetSection } from "./BudgetSection";
import { EquippedSection, PermitsSection } from "./BreakdownSections";
import { FunnelSection } from "./FunnelSection";
import { DelaysSection, PrescribersSection } from "./PeopleSections";
import { TargetCards } from "./TargetCards";

/** A refresh asked for: the overview's `generatedAt` at that moment, and whether we gave up waiting. */
interface PendingRefresh {
  since: string | null;
  timedOut: boolean;
}

interface FreshnessProps {
  overview: StatsOverview;
  onRefresh: () => void;
  busy: boolean;
  status: string;
}

/** When the figures were computed, the "Actualiser" button, and what the refresh is doing. */
function Freshness({ overview, onRefresh, busy, status }: FreshnessProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <div className="stats-freshness">
      <Group gap="md" align="center" wrap="wrap">
        <Stack gap={2}>
          <Text fw={700}>
            {overview.generatedAt === null
              ? t("stats.freshness.never")
              : t("stats.freshness.generatedAt", { date: formatInstant(overview.generatedAt, language) })}
          </Text>
          <Text fz="sm">{t("stats.freshness.hint")}</Text>
        </Stack>
        {/* Kept focusable while busy (aria-disabled), so that keyboard users do not lose their place. */}
        <Button
          variant="outline"
          size="md"
          onClick={() => {
            if (!busy) onRefresh();
          }}
          aria-disabled={busy || undefined}
          data-disabled={busy || undefined}
        >
          {t("stats.freshness.refresh")}
        </Button>
      </Group>
      <div role="status" aria-live="polite" className="stats-freshness__status">
        {status}
      </div>
    </div>
  );
}

function Contents() {
  const { t } = useTranslation();
  const links = [
    ["stats-targets", t("stats.targets.title")],
    ["stats-equipped", t("stats.equipped.title")],
    ["stats-permits", t("stats.permits.title")],
    ["stats-budget", t("stats.budget.title")],
    ["stats-funnel", t("stats.funnel.title")],
    ["stats-delays", t("stats.delays.title")],
    ["stats-prescribers", t("stats.prescribers.title")],
  ] as const;
  return (
    <nav aria-label={t("stats.contents")}>
      <ul className="plain-list stats-contents">
        {links.map(([id, label]) => (
          <li key={id}>
            <Anchor href={`#${id}`}>{label}</Anchor>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Report({ programme }: { programme: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [pending, setPending] = useState<PendingRefresh | null>(null);
  const overview = useOverview(programme, pending && !pending.timedOut ? { since: pending.since } : undefined);
  const refresh = useMutation({ mutationFn: refreshStats });
  const generatedAt = overview.data?.generatedAt;
  const updated =
    pending !== null && generatedAt !== undefined && generatedAt !== null && generatedAt !== pending.since;
  const waiting = pending !== null && !updated && !pending.timedOut;

  useEffect(() => {
    if (!waiting) return undefined;
    const timer = window.setTimeout(
      () => setPending((previous) => (previous ? { ...previous, timedOut: true } : previous)),
      REFRESH_WAIT_MS,
    );
    return () => window.clearTimeout(timer);
  }, [waiting]);

  if (overview.isPending) return <ListSkeleton label={t("stats.loading")} rows={6} />;
  if (!overview.data) {
    return (
      <QueryErrorAlert
        title={t("stats.errorTitle")}
        error={overview.error}
        onRetry={() => void overview.refetch()}
        retrying={overview.isFetching}
      />
    );
  }
  const data = overview.data;
  const date = data.generatedAt === null ? "" : formatInstant(data.generatedAt, language);
  const status = refresh.isPending
    ? t("stats.freshness.requesting")
    : refresh.isError
      ? t("stats.freshness.failed")
      : updated
        ? t("stats.freshness.done", { date })
        : pending?.timedOut
          ? data.generatedAt === null
            ? t("stats.freshness.never")
            : t("stats.freshness.slow", { date })
          : waiting
            ? t("stats.freshness.waiting")
            : "";
  const onRefresh = () => {
    const since = data.generatedAt;
    refresh.mutate(undefined, { onSuccess: () => setPending({ since, timedOut: false }) });
  };

  return (
    <Stack gap="xl" aria-busy={waiting}>
      <Text fw={700} fz="lg">
        {t("stats.programmeOf", { name: pickLocalized(language, data.programme.nameFr, data.programme.nameAr) })}
      </Text>
      <Freshness overview={data} onRefresh={onRefresh} busy={refresh.isPending || waiting} status={status} />
      <Contents />
      <TargetCards overview={data} />
      <EquippedSection equipped={data.equipped} />
      <PermitsSection permits={data.permits} />
      <BudgetSection budget={data.budget} />
      <FunnelSection funnel={data.funnel} />
      <DelaysSection delays={data.delays} />
      <PrescribersSection prescribers={data.prescribers} />
    </Stack>
  );
}

/** The programmes of the calls: a choice is offered only when there are several. */
function useProgrammes(): Programme[] {
  const calls = useCalls();
  const byCode = new Map<string, Programme>();
  for (const call of calls.data?.items ?? []) byCode.set(call.programme.code, call.programme);
  return [...byCode.values()];
}

function Statistics() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const programme = searchParams.get("programme") ?? "";
  const programmes = useProgrammes();
  return (
    <>
      <title>{t("stats.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{t("stats.title")}</Title>
          <Text fz="lg">{t("stats.intro")}</Text>
        </Stack>
        {programmes.length > 1 ? (
          <NativeSelect
            id="stats-programme"
            label={t("stats.programme")}
            value={programme}
            onChange={(event) => setSearchParams({ programme: event.currentTarget.value }, { replace: true })}
            data={[
              { value: "", label: t("stats.programmeDefault") },
              ...programmes.map((candidate) => ({
                value: candidate.code,
                label: pickLocalized(language, candidate.nameFr, candidate.nameAr),
              })),
            ]}
            maw={480}
          />
        ) : null}
        {/* Keyed: another programme does not wait for a refresh asked for the previous one. */}
        <Report key={programme} programme={programme} />
      </Stack>
    </>
  );
}

function StatisticsGuard({ user }: { user: User }) {
  return mayReview(user.role) ? <Statistics /> : <AccessReserved />;
}

export function StatisticsPage() {
  return <RequireAuth>{(user) => <StatisticsGuard user={user} />}</RequireAuth>;
}
