import { Paper, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useRef } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useSolutions } from "../../api/queries";
import type { CallRules, Sector } from "../../api/types";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { SolutionCard } from "./SolutionCard";
import { SolutionsPagination } from "./SolutionsPagination";

const PAGE_SIZE = 12;
const SKELETON_CARDS = 4;

type Rules = Pick<CallRules, "rate" | "capPerCompany">;

function usePageParam(): [number, (page: number) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const parsed = Number.parseInt(searchParams.get("page") ?? "1", 10);
  const page = Number.isInteger(parsed) && parsed >= 1 ? parsed : 1;
  const setPage = (next: number) => {
    setSearchParams(next === 1 ? {} : { page: String(next) });
  };
  return [page, setPage];
}

function SolutionsSkeleton() {
  const { t } = useTranslation();
  return (
    <div aria-busy="true">
      <LoadingStatus label={t("catalog.loadingSolutions")} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" aria-hidden="true">
        {Array.from({ length: SKELETON_CARDS }, (_, index) => (
          <Paper key={index} withBorder p="lg">
            <Stack gap="sm">
              <Skeleton height={24} width="70%" />
              <Skeleton height={14} />
              <Skeleton height={14} width="85%" />
              <Skeleton height={14} width="50%" />
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </div>
  );
}

export function SectorSolutions({ sector, rules }: { sector: Sector; rules: Rules }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [page, setPage] = usePageParam();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const solutions = useSolutions(sector.code, page, PAGE_SIZE);

  const changePage = (next: number) => {
    setPage(next);
    // Keep keyboard and screen-reader users at the top of the new page of results.
    headingRef.current?.focus();
  };

  const list = () => {
    if (solutions.isPending) {
      return <SolutionsSkeleton />;
    }
    if (solutions.isError) {
      return (
        <QueryErrorAlert
          title={t("catalog.solutionsErrorTitle")}
          error={solutions.error}
          onRetry={() => void solutions.refetch()}
          retrying={solutions.isFetching}
        />
      );
    }
    const { items, total, pageSize } = solutions.data;
    if (items.length === 0) {
      return <Text className="empty-state">{t("catalog.empty")}</Text>;
    }
    return (
      <Stack gap="lg">
        <Text fw={700}>{t("catalog.solutionsCount", { count: total })}</Text>
        <SimpleGrid component="ul" cols={{ base: 1, md: 2 }} spacing="md" className="plain-list">
          {items.map((solution) => (
            <li key={solution.id}>
              <SolutionCard solution={solution} rules={rules} />
            </li>
          ))}
        </SimpleGrid>
        <SolutionsPagination page={page} totalPages={Math.ceil(total / pageSize)} onChange={changePage} />
      </Stack>
    );
  };

  return (
    <section aria-labelledby="sector-title">
      <Stack gap="md">
        <Title order={2} id="sector-title" ref={headingRef} tabIndex={-1}>
          {pickLocalized(language, sector.nameFr, sector.nameAr)}
        </Title>
        <Text>{pickLocalized(language, sector.descriptionFr, sector.descriptionAr)}</Text>
        {list()}
      </Stack>
    </section>
  );
}
