import { Anchor, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { listSessions, trainingKeys, type TrainingSession, type TrainingSessionQuery } from "../../api/training";
import type { User } from "../../api/types";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { RequireAuth } from "../../components/RequireAuth";
import { formatCount } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { SessionForm } from "./SessionForm";
import { SessionDates, SessionStateBadge, trainerSessionPath, type TrainerFlashState } from "./shared";

const PAGE_SIZE = 20;
const NEW_SECTION_ID = "nouvelle-session";

function SessionsTable({
  sessions,
  caption,
  withTrainer,
}: {
  sessions: TrainingSession[];
  caption: string;
  withTrainer: boolean;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const count = (value: number) => formatCount(value, language);
  return (
    <div className="table-scroll">
      <Table striped verticalSpacing="sm" className="trainer-sessions-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("trainer.list.session")}</Table.Th>
            <Table.Th scope="col">{t("trainer.list.dates")}</Table.Th>
            <Table.Th scope="col">{t("trainer.list.place")}</Table.Th>
            {withTrainer ? <Table.Th scope="col">{t("trainer.list.trainer")}</Table.Th> : null}
            <Table.Th scope="col" className="numeric">
              {t("trainer.list.enrolled")}
            </Table.Th>
            <Table.Th scope="col">{t("trainer.list.state")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((session) => (
            <Table.Tr key={session.id}>
              <Table.Th scope="row">
                <Anchor component={Link} to={trainerSessionPath(session.id)} fw={700}>
                  {session.title}
                </Anchor>
              </Table.Th>
              <Table.Td>
                <SessionDates session={session} />
              </Table.Td>
              <Table.Td>
                {session.city}
                {session.venue === null && session.onlineUrl !== null ? ` — ${t("trainer.list.online")}` : null}
                {session.venue !== null && session.onlineUrl !== null ? ` — ${t("trainer.list.hybrid")}` : null}
              </Table.Td>
              {withTrainer ? <Table.Td>{session.trainer.fullName}</Table.Td> : null}
              <Table.Td className="numeric nowrap">
                {t("trainer.list.seats", { enrolled: count(session.enrolledCount), capacity: count(session.capacity) })}
                {session.waitlistCount > 0 ? (
                  <Text component="span" display="block" fz="sm">
                    {t("trainer.list.waitlist", { count: session.waitlistCount })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <SessionStateBadge session={session} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function TrainerSessions({ user }: { user: User }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const listHeadingRef = useRef<HTMLHeadingElement>(null);
  const isAdmin = user.role === "admin";
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const query: TrainingSessionQuery = { mine: true, page, pageSize: PAGE_SIZE };
  const sessions = useQuery({
    queryKey: trainingKeys.sessionList(query),
    queryFn: ({ signal }) => listSessions(query, signal),
    placeholderData: keepPreviousData,
  });

  const changePage = (next: number) => {
    setSearchParams(next === 1 ? {} : { page: String(next) });
    listHeadingRef.current?.focus();
  };

  const list = () => {
    if (sessions.isPending) return <ListSkeleton label={t("trainer.list.loading")} rows={4} />;
    if (sessions.isError) {
      return (
        <QueryErrorAlert
          title={t("trainer.list.errorTitle")}
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
          retrying={sessions.isFetching}
        />
      );
    }
    const { items, total, pageSize } = sessions.data;
    if (items.length === 0) {
      return <Text className="empty-state">{isAdmin ? t("trainer.list.emptyAll") : t("trainer.list.empty")}</Text>;
    }
    const from = (sessions.data.page - 1) * pageSize + 1;
    const to = from + items.length - 1;
    return (
      <Stack gap="md" aria-busy={sessions.isFetching}>
        <SessionsTable
          sessions={items}
          caption={t("trainer.list.caption", { from, to, total })}
          withTrainer={isAdmin}
        />
        <ListPagination
          label={t("trainer.list.pagination")}
          page={sessions.data.page}
          totalPages={Math.ceil(total / pageSize)}
          onChange={changePage}
        />
      </Stack>
    );
  };

  return (
    <>
      <title>{isAdmin ? t("trainer.list.documentTitleAll") : t("trainer.list.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{isAdmin ? t("trainer.list.titleAll") : t("trainer.list.title")}</Title>
          <Text fz="lg">{isAdmin ? t("trainer.list.introAll") : t("trainer.list.intro")}</Text>
          <Group>
            <Anchor href={`#${NEW_SECTION_ID}`}>{t("trainer.create.title")}</Anchor>
          </Group>
        </Stack>

        <section aria-labelledby="trainer-sessions-title">
          <Stack gap="md">
            <Title order={2} id="trainer-sessions-title" ref={listHeadingRef} tabIndex={-1}>
              {t("trainer.list.listTitle")}
              <VisuallyHidden>{page > 1 ? ` — ${t("trainer.list.pageOf", { page })}` : ""}</VisuallyHidden>
            </Title>
            <Text>{t("trainer.list.order")}</Text>
            {list()}
          </Stack>
        </section>

        <Paper component="section" withBorder p="lg" id={NEW_SECTION_ID} aria-labelledby="create-session-heading">
          <Stack gap="md" maw={760}>
            <Title order={2} id="create-session-heading">
              {t("trainer.create.title")}
            </Title>
            <Text>{isAdmin ? t("trainer.create.introAdmin") : t("trainer.create.intro")}</Text>
            <SessionForm
              formId="new-session"
              user={user}
              submitLabel={t("trainer.create.submit")}
              onSaved={async (created) => {
                await queryClient.invalidateQueries({ queryKey: trainingKeys.sessions });
                void navigate(trainerSessionPath(created.id), {
                  state: { sessionCreated: true } satisfies TrainerFlashState,
                });
              }}
            />
          </Stack>
        </Paper>
      </Stack>
    </>
  );
}

/** Trainers see their own sessions, admins every one; both create new ones here. */
export function TrainerSessionsPage() {
  return <RequireAuth permission="manageTraining">{(user) => <TrainerSessions user={user} />}</RequireAuth>;
}
