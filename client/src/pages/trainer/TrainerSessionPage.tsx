import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { getSession, trainingKeys, type TrainingSession } from "../../api/training";
import type { User } from "../../api/types";
import { Fact } from "../../components/Fact";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatCount } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { NotFoundPage } from "../NotFoundPage";
import { retryUnlessClientError } from "../../api/queries";
import { CertificatesSection } from "./CertificatesSection";
import { EnrolmentsSection } from "./EnrolmentsSection";
import { SessionForm } from "./SessionForm";
import { SessionDates, SessionStateBadge, TRAINER_HOME, type TrainerFlashState } from "./shared";

function SessionFacts({ session }: { session: TrainingSession }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const count = (value: number) => formatCount(value, language);
  return (
    <Stack gap="md">
      <dl className="facts">
        <Fact label={t("trainer.facts.when")}>
          <SessionDates session={session} />
        </Fact>
        <Fact label={t("trainer.facts.city")}>{session.city}</Fact>
        <Fact label={t("trainer.facts.trainer")}>{session.trainer.fullName}</Fact>
        <Fact label={t("trainer.facts.seats")}>
          {t("trainer.facts.seatsValue", {
            enrolled: count(session.enrolledCount),
            capacity: count(session.capacity),
            left: count(session.seatsLeft),
          })}
        </Fact>
        <Fact label={t("trainer.facts.waitlist")}>{count(session.waitlistCount)}</Fact>
        <Fact label={t("trainer.facts.passMark")}>{t("trainer.facts.passMarkValue", { mark: session.passMark })}</Fact>
      </dl>
      <dl className="facts facts--stacked">
        <Fact label={t("trainer.facts.venue")}>
          <span className="fact__value--text">{session.venue ?? t("trainer.facts.noVenue")}</span>
        </Fact>
        <Fact label={t("trainer.facts.onlineUrl")}>
          {session.onlineUrl ? (
            <Anchor href={session.onlineUrl} className="document-name">
              <bdi dir="ltr">{session.onlineUrl}</bdi>
            </Anchor>
          ) : (
            <span className="fact__value--text">{t("trainer.facts.noOnlineUrl")}</span>
          )}
        </Fact>
        <div className="fact">
          <dt className="fact__label">{t("trainer.facts.description")}</dt>
          <dd className="fact__value fact__value--text preserve-lines">
            {session.description.trim() === "" ? t("trainer.facts.noDescription") : session.description}
          </dd>
        </div>
      </dl>
    </Stack>
  );
}

function SessionDetails({
  session,
  user,
  onAnnounce,
}: {
  session: TrainingSession;
  user: User;
  onAnnounce: (message: string) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [instance, setInstance] = useState(0);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const formHeadingRef = useRef<HTMLHeadingElement>(null);

  const open = () => {
    setInstance((count) => count + 1);
    setEditing(true);
    requestAnimationFrame(() => formHeadingRef.current?.focus());
  };

  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => editButtonRef.current?.focus());
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="session-facts-title">
      <Stack gap="md">
        <Title order={2} id="session-facts-title">
          {t("trainer.facts.title")}
        </Title>
        <SessionFacts session={session} />
        {session.permissions.update && !editing ? (
          <div>
            <Button ref={editButtonRef} variant="light" size="md" onClick={open}>
              {t("trainer.edit.button")}
            </Button>
          </div>
        ) : null}
        {editing ? (
          <section aria-labelledby="session-edit-title" className="decision-step">
            <Stack gap="md" maw={760}>
              <Title order={3} id="session-edit-title" ref={formHeadingRef} tabIndex={-1}>
                {t("trainer.edit.title")}
              </Title>
              <SessionForm
                key={instance}
                formId="edit-session"
                user={user}
                session={session}
                submitLabel={t("trainer.edit.submit")}
                onSaved={(saved) => {
                  queryClient.setQueryData(trainingKeys.session(saved.id), saved);
                  void queryClient.invalidateQueries({ queryKey: trainingKeys.sessions });
                  // Raising the capacity promotes people from the waiting list.
                  void queryClient.invalidateQueries({ queryKey: trainingKeys.enrolments });
                  close();
                  onAnnounce(t("trainer.edit.done"));
                }}
                onNothingChanged={() => {
                  close();
                  onAnnounce(t("trainer.edit.nothingChanged"));
                }}
              />
              <div>
                <Button variant="default" size="md" onClick={close}>
                  {t("trainer.edit.cancel")}
                </Button>
              </div>
            </Stack>
          </section>
        ) : null}
      </Stack>
    </Paper>
  );
}

function TrainerSession({ session, user }: { session: TrainingSession; user: User }) {
  const { t } = useTranslation();
  const location = useLocation();
  const created = (location.state as TrainerFlashState | null)?.sessionCreated === true;
  const [announcement, setAnnouncement] = useState<string | null>(null);

  const announce = useCallback((message: string) => {
    setAnnouncement(message);
  }, []);

  if (!session.permissions.manage) return <AccessReserved />;

  return (
    <>
      <title>{t("trainer.session.documentTitle", { title: session.title })}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Anchor component={Link} to={TRAINER_HOME}>
            {user.role === "admin" ? t("trainer.session.backAll") : t("trainer.session.back")}
          </Anchor>
          <Title order={1}>{session.title}</Title>
          <Group gap="sm">
            <SessionStateBadge session={session} />
            <Text>
              <SessionDates session={session} />
            </Text>
          </Group>
        </Stack>
        {created && announcement === null ? (
          <Alert color="green" variant="light" role="status">
            {t("trainer.session.created")}
          </Alert>
        ) : null}
        <div role="status" aria-live="polite">
          {announcement ? (
            <Alert color="green" variant="light">
              {announcement}
            </Alert>
          ) : null}
        </div>
        <SessionDetails session={session} user={user} onAnnounce={announce} />
        <EnrolmentsSection session={session} onAnnounce={announce} />
        <CertificatesSection session={session} onAnnounce={announce} />
      </Stack>
    </>
  );
}

function SessionGate({ id, user }: { id: string; user: User }) {
  const { t } = useTranslation();
  const session = useQuery({
    queryKey: trainingKeys.session(id),
    queryFn: ({ signal }) => getSession(id, signal),
    retry: retryUnlessClientError,
  });
  if (session.isPending) return <LoadingStatus label={t("common.loading")} />;
  if (session.isError) {
    if (session.error instanceof ApiError && [403, 404].includes(session.error.status)) return <NotFoundPage />;
    return (
      <QueryErrorAlert
        title={t("trainer.session.errorTitle")}
        error={session.error}
        onRetry={() => void session.refetch()}
        retrying={session.isFetching}
      />
    );
  }
  return <TrainerSession session={session.data} user={user} />;
}

/** One session for its trainer (or an admin): its facts, who comes, results, certificates. */
export function TrainerSessionPage() {
  const { id = "" } = useParams();
  return (
    <RequireAuth permission="manageTraining">{(user) => <SessionGate key={id} id={id} user={user} />}</RequireAuth>
  );
}
