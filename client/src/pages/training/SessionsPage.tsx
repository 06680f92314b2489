import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../../api/session";
import { useTrainingSessions, type TrainingSession, type TrainingSessionQuery } from "../../api/training";
import { Fact } from "../../components/Fact";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { EnrolmentStatusBadge, MY_TRAINING_PATH, SeatsLeft, sessionPagePath, usePlace, useSessionWhen } from "./shared";

const PAGE_SIZE = 12;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Filters {
  city: string;
  from: string;
  to: string;
  page: number;
}

const NO_FILTERS: Filters = { city: "", from: "", to: "", page: 1 };

const dayOrEmpty = (value: string | null) => (value !== null && DAY.test(value) ? value : "");

/** In the address (?ville=&du=&au=&page=): shareable, and the back button works. */
function filtersFrom(params: URLSearchParams): Filters {
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    city: (params.get("ville") ?? "").trim().slice(0, 100),
    from: dayOrEmpty(params.get("du")),
    to: dayOrEmpty(params.get("au")),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

function paramsFrom(filters: Filters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.city) params.ville = filters.city;
  if (filters.from) params.du = filters.from;
  if (filters.to) params.au = filters.to;
  if (filters.page > 1) params.page = String(filters.page);
  return params;
}

function queryFrom(filters: Filters): TrainingSessionQuery {
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    ...(filters.city ? { city: filters.city } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
  };
}

const anyFilter = (filters: Filters) => filters.city !== "" || filters.from !== "" || filters.to !== "";

/** The cities of the coming sessions, offered while typing (the filter is the exact name). */
function useCitySuggestions(): string[] {
  const sessions = useTrainingSessions({ page: 1, pageSize: 100 });
  const cities = new Set((sessions.data?.items ?? []).map((session) => session.city));
  return [...cities].sort((a, b) => a.localeCompare(b));
}

/** Nothing changes until "Filtrer" is pressed (no surprise reloads while typing). */
function FilterForm({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const { t } = useTranslation();
  const cities = useCitySuggestions();
  const [rangeError, setRangeError] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const from = dayOrEmpty(String(data.get("from") ?? ""));
    const to = dayOrEmpty(String(data.get("to") ?? ""));
    if (from !== "" && to !== "" && to < from) {
      setRangeError(true);
      event.currentTarget.querySelector<HTMLInputElement>("#sessions-to")?.focus();
      return;
    }
    setRangeError(false);
    onApply({ city: String(data.get("city") ?? "").trim(), from, to, page: 1 });
  };

  return (
    <Paper withBorder p="lg">
      <form role="search" aria-label={t("training.sessions.filtersLabel")} onSubmit={submit} noValidate>
        <Stack gap="md">
          <Group gap="md" align="flex-start" wrap="wrap">
            <TextInput
              id="sessions-city"
              name="city"
              label={t("training.sessions.city")}
              description={t("training.sessions.cityHint")}
              defaultValue={filters.city}
              maxLength={100}
              autoComplete="off"
              list="sessions-cities"
              miw={220}
            />
            <datalist id="sessions-cities">
              {cities.map((city) => (
                <option key={city} value={city} />
              ))}
            </datalist>
            <TextInput
              id="sessions-from"
              name="from"
              type="date"
              label={t("training.sessions.from")}
              description={t("training.sessions.fromHint")}
              defaultValue={filters.from}
              dir="ltr"
              miw={240}
            />
            <TextInput
              id="sessions-to"
              name="to"
              type="date"
              label={t("training.sessions.to")}
              description={t("training.sessions.toHint")}
              defaultValue={filters.to}
              dir="ltr"
              miw={240}
              error={rangeError ? t("training.sessions.toBeforeFrom") : undefined}
            />
          </Group>
          <Group gap="xs">
            <Button type="submit" size="md">
              {t("training.sessions.apply")}
            </Button>
            {anyFilter(filters) ? (
              <Button variant="subtle" size="md" onClick={() => onApply(NO_FILTERS)}>
                {t("training.sessions.reset")}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function SessionCard({ session }: { session: TrainingSession }) {
  const { t } = useTranslation();
  const when = useSessionWhen()(session);
  const place = usePlace()(session);
  return (
    <Paper component="article" withBorder p="lg" className="session-card">
      <Stack gap="sm">
        <Title order={2} fz="h3">
          <Anchor component={Link} to={sessionPagePath(session.id)} className="session-card__link" fw={700}>
            {session.title}
          </Anchor>
        </Title>
        <dl className="facts facts--stacked">
          <Fact label={t("training.facts.date")}>{when.day}</Fact>
          <Fact label={t("training.facts.time")}>
            {when.time}{" "}
            <Text component="span" fz="sm" fw={400}>
              ({t("training.timeZoneNote")})
            </Text>
          </Fact>
          <Fact label={t("training.facts.city")}>{session.city}</Fact>
          <Fact label={t("training.facts.place")}>{place}</Fact>
          <Fact label={t("training.facts.seats")}>
            <SeatsLeft session={session} />
          </Fact>
        </dl>
        {session.myEnrolment ? (
          <Group gap="xs">
            <Text fz="sm">{t("training.sessions.yourStatus")}</Text>
            <EnrolmentStatusBadge enrolment={session.myEnrolment} />
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}

export function SessionsPage() {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = filtersFrom(searchParams);
  const sessions = useTrainingSessions(queryFrom(filters));
  const me = useCurrentUser();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const mayEnrol = me.data?.role === "applicant" || me.data?.role === "prescriber";

  const apply = (next: Filters) => setSearchParams(paramsFrom(next));

  const list = () => {
    if (sessions.isPending) {
      return <ListSkeleton label={t("training.sessions.loading")} />;
    }
    if (sessions.isError) {
      return (
        <QueryErrorAlert
          title={t("training.sessions.errorTitle")}
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
          retrying={sessions.isFetching}
        />
      );
    }
    const { items, total, page, pageSize } = sessions.data;
    if (items.length === 0) {
      return (
        <Stack gap="sm" className="empty-state" align="center">
          <Text>{anyFilter(filters) ? t("training.sessions.noMatch") : t("training.sessions.empty")}</Text>
          {anyFilter(filters) ? (
            <Button variant="light" size="md" onClick={() => apply(NO_FILTERS)}>
              {t("training.sessions.reset")}
            </Button>
          ) : null}
        </Stack>
      );
    }
    const from = (page - 1) * pageSize + 1;
    return (
      <Stack gap="md" aria-busy={sessions.isFetching}>
        <Text fw={700} id="sessions-caption">
          {t("training.sessions.caption", { from, to: from + items.length - 1, total })}
        </Text>
        <ul className="plain-list session-grid" aria-labelledby="sessions-caption">
          {items.map((session) => (
            <li key={session.id}>
              <SessionCard session={session} />
            </li>
          ))}
        </ul>
        <ListPagination
          label={t("training.sessions.pagination")}
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
      <title>{t("training.sessions.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1} ref={headingRef} tabIndex={-1}>
            {t("training.sessions.title")}
          </Title>
          <Text fz="lg">{t("training.sessions.intro")}</Text>
          {mayEnrol ? (
            <Anchor component={Link} to={MY_TRAINING_PATH}>
              {t("training.sessions.mine")}
            </Anchor>
          ) : null}
        </Stack>
        <FilterForm key={searchParams.toString()} filters={filters} onApply={apply} />
        {list()}
      </Stack>
    </>
  );
}
