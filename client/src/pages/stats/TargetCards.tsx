// The programme's two targets: equipped SMEs (3 000) and Permis Numérique (10 000), with progress
// and what is still missing.
import { Paper, Progress, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { StatsOverview } from "../../api/stats";
import { useLanguage } from "../../i18n/useLanguage";
import { formatCount, formatPercent } from "./numbers";

interface TargetCardProps {
  id: string;
  title: string;
  count: number;
  target: number;
  /** "Il manque N PME…" with N already written for the locale. */
  missing: (formatted: string) => string;
}

function TargetCard({ id, title, count, target, missing }: TargetCardProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const ratio = target > 0 ? count / target : 1;
  const percent = formatPercent(ratio, language);
  // A start, however small, stays visible (a sliver of the bar); the words give the exact figure.
  const shown = count > 0 ? Math.min(100, Math.max(0.75, ratio * 100)) : 0;
  const left = target - count;
  const progressText = t("stats.targets.progressText", {
    value: formatCount(count, language),
    target: formatCount(target, language),
    percent,
  });
  return (
    <Paper withBorder p="lg" className="stats-target" aria-labelledby={`${id}-title`} component="article">
      <Stack gap="sm">
        <Title order={3} id={`${id}-title`} fz="h4">
          {title}
        </Title>
        <Text className="stats-target__figure">
          <span className="stats-target__count">{formatCount(count, language)}</span>{" "}
          <span className="stats-target__target">
            {t("stats.targets.ofTarget", { target: formatCount(target, language) })}
          </span>
        </Text>
        {/* The bar says count of target, in words too: aria-valuetext rather than a bare percentage. */}
        <Progress.Root
          size="xl"
          radius="sm"
          role="progressbar"
          aria-labelledby={`${id}-title`}
          aria-valuemin={0}
          aria-valuemax={target}
          aria-valuenow={Math.min(count, target)}
          aria-valuetext={progressText}
          className="stats-target__bar"
        >
          <Progress.Section value={shown} color="green.7" withAria={false} />
        </Progress.Root>
        <Text fw={700}>{t("stats.targets.percentOfTarget", { percent })}</Text>
        <Text>
          {left > 0
            ? missing(formatCount(left, language))
            : left === 0
              ? t("stats.targets.reached")
              : t("stats.targets.exceeded", { number: formatCount(-left, language) })}
        </Text>
      </Stack>
    </Paper>
  );
}

export function TargetCards({ overview }: { overview: StatsOverview }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="stats-targets-title" id="stats-targets">
      <Title order={2} id="stats-targets-title" mb="md">
        {t("stats.targets.title")}
      </Title>
      <div className="stats-targets">
        <TargetCard
          id="stats-target-equipped"
          title={t("stats.targets.equipped")}
          count={overview.equipped.total}
          target={overview.equipped.target}
          missing={(count) => t("stats.targets.missingEquipped", { number: count })}
        />
        <TargetCard
          id="stats-target-permits"
          title={t("stats.targets.permits")}
          count={overview.permits.total}
          target={overview.permits.target}
          missing={(count) => t("stats.targets.missingPermits", { number: count })}
        />
      </div>
    </section>
  );
}
