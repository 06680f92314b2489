import {
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import type { ApplicationListQuery, ApplicationStatus, ApplicationSummary } from "../../api/applications";
import { useApplications, useCalls, useRegions, useSectors } from "../../api/queries";
import { exportLinks } from "../../api/review";
import type { User } from "../../api/types";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatMoney } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { useSectorName } from "../companies/CompaniesPage";
import { ApplicationStatusBadge } from "../applications/StatusBadge";
import {
  anyQueueFilter,
  daysFrom,
  NO_FILTERS,
  QUEUE_SORTS,
  QUEUE_STATUSES,
  queueFiltersFrom,
  queueParamsFrom,
  queueQueryFrom,
  type QueueFilters,
  type QueueSort,
} from "./queueFilters";
import { FastTrackBadge, mayReview, reviewPath } from "./shared";

export function useRegionName() {
  const { language } = useLanguage();
  const regions = useRegions();
  return (code: string) => {
    const region = regions.data?.items.find((candidate) => candidate.code === code);
    return region ? pickLocalized(language, region.nameFr, region.nameAr) : code;
  };
}

/** "12 j" on screen, "12 jours" for screen readers. */
export function DaysWaiting({ days }: { days: number | null | undefined }) {
  const { t } = useTranslation();
  if (days === null || days === undefined) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <VisuallyHidden>{t("review.queue.notWaiting")}</VisuallyHidden>
      </>
    );
  }
  return (
    <>
      <span aria-hidden="true">{t("review.queue.daysShort", { count: days })}</span>
      <VisuallyHidden>{t("review.queue.daysLong", { count: days })}</VisuallyHidden>
    </>
  );
}

function QueueTable({ applications, caption }: { applications: ApplicationSummary[]; caption: string }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectorName = useSectorName();
  const regionName = useRegionName();
  return (
    <div className="table-scroll">
      <Table striped verticalSpacing="sm" className="queue-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("applications.list.reference")}</Table.Th>
            <Table.Th scope="col">{t("applications.start.company")}</Table.Th>
            <Table.Th scope="col">{t("review.queue.region")}</Table.Th>
            <Table.Th scope="col">{t("review.queue.sector")}</Table.Th>
            <Table.Th scope="col">{t("applications.start.call")}</Table.Th>
            <Table.Th scope="col">{t("applications.list.status")}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("review.queue.waiting")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("review.queue.grant")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {applications.map((application) => (
            <Table.Tr key={application.id}>
              <Table.Th scope="row" className="nowrap">
                <Anchor component={Link} to={reviewPath(application.id)} fw={700}>
                  <bdi dir="ltr">{application.reference ?? "—"}</bdi>
                </Anchor>
              </Table.Th>
              <Table.Td>
                <Stack gap={2}>
                  <span>{application.company.name}</span>
                  <Text component="span" fz="sm" c="dimmed">
                    {t("review.queue.ice")} <bdi dir="ltr">{application.company.ice}</bdi>
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>{regionName(application.company.regionCode)}</Table.Td>
              <Table.Td>{sectorName(application.sectorCode)}</Table.Td>
              <Table.Td>{pickLocalized(language, application.call.titleFr, application.call.titleAr)}</Table.Td>
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  <ApplicationStatusBadge status={application.status} />
                  {application.fastTrack ? <FastTrackBadge /> : null}
                </Stack>
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <DaysWaiting days={application.daysWaiting} />
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <bdi>{formatMoney(application.grantAmount, language)}</bdi>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** Nothing changes until "Filtrer" is pressed (no surprise reloads while choosing). */
function QueueFilterForm({ filters, onApply }: { filters: QueueFilters; onApply: (filters: QueueFilters) => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectors = useSectors();
  const regions = useRegions();
  const calls = useCalls();
  const [daysError, setDaysError] = useState(false);
  // The selects keep their initial value: they are drawn again once their options have arrived.
  const ready = [sectors, regions, calls].every((query) => !query.isPending);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const days = String(data.get("minDays") ?? "").trim();
    if (days !== "" && daysFrom(days) === "") {
      setDaysError(true);
      event.currentTarget.querySelector<HTMLInputElement>("#queue-minDays")?.focus();
      return;
    }
    setDaysError(false);
    const statuses = data.getAll("status").map(String);
    const fastTrack = String(data.get("fastTrack") ?? "");
    const sort = String(data.get("sort") ?? "queue");
    onApply({
      statuses: QUEUE_STATUSES.filter((status) => statuses.includes(status)),
      sector: String(data.get("sector") ?? ""),
      region: String(data.get("region") ?? ""),
      callId: String(data.get("callId") ?? ""),
      fastTrack: fastTrack === "yes" || fastTrack === "no" ? fastTrack : "",
      minDays: daysFrom(days),
      q: String(data.get("q") ?? "").trim(),
      sort: (QUEUE_SORTS as readonly string[]).includes(sort) ? (sort as QueueSort) : "queue",
      page: 1,
    });
  };

  return (
    <Paper withBorder p="lg">
      <form key={String(ready)} role="search" aria-label={t("review.queue.filtersLabel")} onSubmit={submit} noValidate>
        <Stack gap="md">
          <fieldset className="form-fieldset status-filter" aria-describedby="queue-statuses-hint">
            <legend>{t("review.queue.statuses")}</legend>
            <Text fz="sm" id="queue-statuses-hint" mb="xs">
              {t("review.queue.statusesHint")}
            </Text>
            <div className="status-filter__options">
              {QUEUE_STATUSES.map((status: ApplicationStatus) => (
                <Checkbox
                  key={status}
                  id={`queue-status-${status}`}
                  name="status"
                  value={status}
                  size="sm"
                  defaultChecked={filters.statuses.includes(status)}
                  label={t(`applications.status.${status}`)}
                />
              ))}
            </div>
          </fieldset>
          <Group gap="md" align="flex-end" wrap="wrap">
            <TextInput
              id="queue-q"
              name="q"
              type="search"
              label={t("applications.list.q")}
              description={t("review.queue.qHint")}
              defaultValue={filters.q}
              maxLength={100}
              miw={260}
            />
            <NativeSelect
              id="queue-sector"
              name="sector"
              label={t("review.queue.sector")}
              defaultValue={filters.sector}
              data={[
                { value: "", label: t("review.queue.allSectors") },
                ...(sectors.data?.items ?? []).map((sector) => ({
                  value: sector.code,
                  label: pickLocalized(language, sector.nameFr, sector.nameAr),
                })),
              ]}
            />
            <NativeSelect
              id="queue-region"
              name="region"
              label={t("review.queue.region")}
              defaultValue={filters.region}
              data={[
                { value: "", label: t("review.queue.allRegions") },
                ...(regions.data?.items ?? []).map((region) => ({
                  value: region.code,
                  label: pickLocalized(language, region.nameFr, region.nameAr),
                })),
              ]}
            />
            <NativeSelect
              id="queue-callId"
              name="callId"
              label={t("applications.start.call")}
              defaultValue={filters.callId}
              data={[
                { value: "", label: t("review.queue.allCalls") },
                ...(calls.data?.items ?? []).map((call) => ({
                  value: call.id,
                  label: pickLocalized(language, call.titleFr, call.titleAr),
                })),
              ]}
            />
          </Group>
          <Group gap="md" align="flex-end" wrap="wrap">
            <NativeSelect
              id="queue-fastTrack"
              name="fastTrack"
              label={t("review.queue.fastTrack")}
              defaultValue={filters.fastTrack}
              data={[
                { value: "", label: t("review.queue.fastTrackAll") },
                { value: "yes", label: t("review.queue.fastTrackYes") },
                { value: "no", label: t("review.queue.fastTrackNo") },
              ]}
            />
            <TextInput
              id="queue-minDays"
              name="minDays"
              inputMode="numeric"
              label={t("review.queue.minDays")}
              description={t("review.queue.minDaysHint")}
              defaultValue={filters.minDays}
              maxLength={4}
              dir="ltr"
              classNames={{ input: "input-short" }}
              error={daysError ? t("review.queue.minDaysInvalid") : undefined}
            />
            <NativeSelect
              id="queue-sort"
              name="sort"
              label={t("review.queue.sort")}
              defaultValue={filters.sort}
              data={QUEUE_SORTS.map((sort) => ({ value: sort, label: t(`review.queue.sorts.${sort}`) }))}
            />
          </Group>
          <Group gap="xs">
            <Button type="submit" size="md">
              {t("applications.list.apply")}
            </Button>
            {anyQueueFilter(filters) || filters.sort !== "queue" ? (
              <Button variant="subtle" size="md" onClick={() => onApply(NO_FILTERS)}>
                {t("applications.list.reset")}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Exports({ query, callId }: { query: ApplicationListQuery; callId: string }) {
  const { t } = useTranslation();
  const button = {
    variant: "outline",
    size: "md",
    classNames: { root: "wrap-button", label: "wrap-button__label" },
  } as const;
  return (
    <section aria-labelledby="queue-exports-title">
      <Stack gap="xs">
        <Title order={2} fz="h4" id="queue-exports-title">
          {t("review.exports.title")}
        </Title>
        <Text fz="sm">{t("review.exports.hint")}</Text>
        <Group gap="sm">
          <Button component="a" href={exportLinks.applications("csv", query)} {...button}>
            {t("review.exports.csv")}
          </Button>
          <Button component="a" href={exportLinks.applications("xlsx", query)} {...button}>
            {t("review.exports.xlsx")}
          </Button>
          <Anchor href={exportLinks.payments("csv", callId)}>{t("review.exports.paymentsCsv")}</Anchor>
          <Anchor href={exportLinks.payments("xlsx", callId)}>{t("review.exports.paymentsXlsx")}</Anchor>
        </Group>
      </Stack>
    </section>
  );
}

function Queue() {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = queueFiltersFrom(searchParams);
  const query = queueQueryFrom(filters);
  const applications = useApplications(query);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const apply = (next: QueueFilters) => setSearchParams(queueParamsFrom(next));

  const list = () => {
    if (applications.isPending) {
      return <ListSkeleton label={t("applications.list.loading")} />;
    }
    if (applications.isError) {
      return (
        <QueryErrorAlert
          title={t("applications.list.errorTitle")}
          error={applications.error}
          onRetry={() => void applications.refetch()}
          retrying={applications.isFetching}
        />
      );
    }
    const { items, total, page, pageSize } = applications.data;
    if (items.length === 0) {
      return (
        <Text className="empty-state">
          {anyQueueFilter(filters) ? t("applications.list.noMatch") : t("review.queue.empty")}
        </Text>
      );
    }
    const from = (page - 1) * pageSize + 1;
    return (
      <Stack gap="md" aria-busy={applications.isFetching}>
        <QueueTable
          applications={items}
          caption={t("review.queue.caption", {
            from,
            to: from + items.length - 1,
            total,
            order: t(`review.queue.sorts.${filters.sort}`),
          })}
        />
        <ListPagination
          label={t("applications.list.pagination")}
          page={page}
          totalPages={Math.ceil(total / pageSize)}
          onChange={(next) => {
            apply({ ...filters, page: next });
            headingRef.current?.focus();
          }}
        />
      </Stack>
    );
  };

  return (
    <>
      <title>{t("review.queue.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1} ref={headingRef} tabIndex={-1}>
            {t("review.queue.title")}
          </Title>
          <Text fz="lg">{t("review.queue.intro")}</Text>
          <Group gap="md">
            <Anchor component={Link} to="/budget">
              {t("nav.budget")}
            </Anchor>
            <Anchor component={Link} to="/instruction/conflits">
              {t("nav.conflicts")}
            </Anchor>
          </Group>
        </Stack>
        <QueueFilterForm key={searchParams.toString()} filters={filters} onApply={apply} />
        <Exports query={query} callId={filters.callId} />
        {list()}
      </Stack>
    </>
  );
}

function QueueGuard({ user }: { user: User }) {
  return mayReview(user.role) ? <Queue /> : <AccessReserved />;
}

export function QueuePage() {
  return <RequireAuth>{(user) => <QueueGuard user={user} />}</RequireAuth>;
}
