import { Anchor, Button, Group, Modal, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useCurrentUser } from "../../api/session";
import {
  cancelEnrolment,
  trainingKeys,
  useEnrolments,
  useTrainingSession,
  type Enrolment,
  type MyEnrolment,
  type TrainingSession,
} from "../../api/training";
import type { User } from "../../api/types";
import { ConfirmActionBody } from "../../components/ConfirmActionBody";
import { Fact } from "../../components/Fact";
import { ListSkeleton } from "../../components/ListSkeleton";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { StatusMessage } from "../../components/StatusMessage";
import { loginPathFor } from "../../navigation";
import { NotFoundPage } from "../NotFoundPage";
import { EnrolForm } from "./EnrolForm";
import { EnrolmentsTable } from "./EnrolmentsTable";
import { EnrolmentStatusBadge, MY_TRAINING_PATH, SeatsLeft, SESSIONS_PATH, usePlace, useSessionWhen } from "./shared";

const trainerSessionPath = (id: string) => `/formateur/sessions/${encodeURIComponent(id)}`;

/** What happened after "S'inscrire", said once in a polite live region. */
function useResultMessage() {
  const { t } = useTranslation();
  return (enrolment: Enrolment, forClient: boolean) => {
    const position = enrolment.waitlistPosition ?? 1;
    if (!forClient) {
      return enrolment.status === "waitlisted"
        ? t("training.session.result.waitlisted", { position })
        : t("training.session.result.enrolled");
    }
    const values = {
      name: enrolment.holderName,
      company: enrolment.company?.name ?? t("training.session.result.noCompany"),
      position,
    };
    return enrolment.status === "waitlisted"
      ? t("training.session.result.clientWaitlisted", values)
      : t("training.session.result.clientEnrolled", values);
  };
}

function CancelMineBody({
  enrolment,
  onClose,
  onDone,
}: {
  enrolment: MyEnrolment;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelEnrolment(enrolment.id),
    onSuccess: async () => {
      onDone();
      await queryClient.invalidateQueries({ queryKey: trainingKeys.all });
    },
  });
  return (
    <ConfirmActionBody
      text={t("training.session.cancel.text")}
      confirmLabel={t("training.session.cancel.confirm")}
      onConfirm={() => cancel.mutate()}
      onClose={onClose}
      pending={cancel.isPending}
      error={cancel.error}
    />
  );
}

/** The applicant's own live enrolment: its status in words, and "cancel" while it is allowed. */
function MyEnrolmentPanel({
  session,
  enrolment,
  onCancelled,
}: {
  session: TrainingSession;
  enrolment: MyEnrolment;
  onCancelled: () => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const live = enrolment.status === "enrolled" || enrolment.status === "waitlisted";
  const mayCancel = live && !session.hasStarted && session.status === "scheduled";
  return (
    <Stack gap="md" align="flex-start">
      <EnrolmentStatusBadge enrolment={enrolment} />
      <Text>{t(`training.session.mine.${enrolment.status}`, { position: enrolment.waitlistPosition ?? 1 })}</Text>
      <Group gap="sm">
        <Button component={Link} to={MY_TRAINING_PATH} variant="light" size="md">
          {t("training.sessions.mine")}
        </Button>
        {mayCancel ? (
          <Button
            variant="outline"
            color="red"
            size="md"
            onClick={() => {
              setInstance((count) => count + 1);
              setOpened(true);
            }}
          >
            {t("training.session.cancel.open")}
          </Button>
        ) : null}
      </Group>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("training.session.cancel.title")}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <CancelMineBody
          key={instance}
          enrolment={enrolment}
          onClose={() => setOpened(false)}
          onDone={() => {
            setOpened(false);
            onCancelled();
          }}
        />
      </Modal>
    </Stack>
  );
}

/** A prescriber's enrolments for this session (their clients' managers), each cancellable. */
function ClientEnrolments({ session, onCancelled }: { session: TrainingSession; onCancelled: (text: string) => void }) {
  const { t } = useTranslation();
  const enrolments = useEnrolments({ page: 1, pageSize: 100, sessionId: session.id });
  const body = () => {
    if (enrolments.isPending) return <ListSkeleton label={t("training.mine.loading")} rows={2} />;
    if (enrolments.isError) {
      return (
        <QueryErrorAlert
          title={t("training.mine.errorTitle")}
          error={enrolments.error}
          onRetry={() => void enrolments.refetch()}
          retrying={enrolments.isFetching}
        />
      );
    }
    const { items, total } = enrolments.data;
    if (items.length === 0) return <Text>{t("training.session.prescriber.listEmpty")}</Text>;
    return (
      <EnrolmentsTable
        enrolments={items}
        caption={t("training.enrolments.caption", { count: total })}
        withPerson
        withSession={false}
        onCancelled={(cancelled) =>
          onCancelled(
            t("training.enrolments.cancelDone", { name: cancelled.holderName, title: cancelled.session.title }),
          )
        }
      />
    );
  };
  return (
    <Stack gap="sm">
      <Title order={3} fz="h4">
        {t("training.session.prescriber.listTitle")}
      </Title>
      {body()}
    </Stack>
  );
}

function EnrolSection({
  session,
  user,
  announcement,
  onAnnounce,
}: {
  session: TrainingSession;
  user: User | null;
  announcement: string | null;
  onAnnounce: (text: string | null) => void;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const resultMessage = useResultMessage();

  const body = () => {
    if (user === null) {
      return (
        <Stack gap="sm" align="flex-start">
          <Text>{t("training.session.signInText")}</Text>
          <Button component={Link} to={loginPathFor(`${location.pathname}${location.search}`)} size="md">
            {t("training.session.signIn")}
          </Button>
          <Anchor component={Link} to="/inscription">
            {t("training.session.register")}
          </Anchor>
        </Stack>
      );
    }
    if (session.myEnrolment) {
      return (
        <MyEnrolmentPanel
          session={session}
          enrolment={session.myEnrolment}
          onCancelled={() => onAnnounce(t("training.session.cancel.done"))}
        />
      );
    }
    const mayEnrolRole = user.role === "applicant" || user.role === "prescriber";
    if (!mayEnrolRole) {
      return (
        <Stack gap="sm" align="flex-start">
          <Text>{t("training.session.notForRole")}</Text>
          {session.permissions.manage ? (
            <Button component={Link} to={trainerSessionPath(session.id)} size="md">
              {t("training.session.manage")}
            </Button>
          ) : null}
        </Stack>
      );
    }
    if (!session.permissions.enrol) {
      return <Text>{t("training.session.closed")}</Text>;
    }
    return (
      <EnrolForm
        session={session}
        user={user}
        onEnrolled={(enrolment) => onAnnounce(resultMessage(enrolment, user.role === "prescriber"))}
        onAttempt={() => onAnnounce(null)}
      />
    );
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="enrol-title">
      <Stack gap="md">
        <Title order={2} fz="h3" id="enrol-title">
          {t("training.session.enrolTitle")}
        </Title>
        <StatusMessage>{announcement}</StatusMessage>
        {body()}
        {user?.role === "prescriber" ? <ClientEnrolments session={session} onCancelled={onAnnounce} /> : null}
      </Stack>
    </Paper>
  );
}

function SessionDetail({ session, user }: { session: TrainingSession; user: User | null }) {
  const { t } = useTranslation();
  const when = useSessionWhen()(session);
  const place = usePlace()(session);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const cancelled = session.status === "cancelled";

  return (
    <>
      <title>{t("training.session.documentTitle", { title: session.title })}</title>
      <Stack gap="xl" maw={960}>
        <Stack gap="xs">
          <Anchor component={Link} to={SESSIONS_PATH}>
            {t("training.session.back")}
          </Anchor>
          <Title order={1}>{session.title}</Title>
        </Stack>
        {cancelled ? (
          <Text className="training-notice training-notice--stopped" fw={700}>
            {t("training.session.cancelled")}
          </Text>
        ) : session.hasStarted ? (
          <Text className="training-notice" fw={700}>
            {t("training.session.started")}
          </Text>
        ) : null}
        <dl className="facts">
          <Fact label={t("training.facts.date")}>{when.day}</Fact>
          <Fact label={t("training.facts.time")}>
            {when.time}{" "}
            <Text component="span" fz="sm" fw={400}>
              ({t("training.timeZoneNote")})
            </Text>
          </Fact>
          <Fact label={t("training.facts.city")}>{session.city}</Fact>
          <Fact label={t("training.facts.place")}>
            <Stack gap={2}>
              <span>{place}</span>
              {session.onlineUrl ? (
                <Anchor href={session.onlineUrl} target="_blank" rel="noreferrer" fw={400}>
                  {t("training.session.onlineLink")}
                </Anchor>
              ) : null}
            </Stack>
          </Fact>
          <Fact label={t("training.facts.trainer")}>{session.trainer.fullName}</Fact>
          {!cancelled ? (
            <Fact label={t("training.facts.seats")}>
              <SeatsLeft session={session} />
            </Fact>
          ) : null}
          <Fact label={t("training.facts.capacity")}>
            {t("training.facts.capacityValue", { count: session.capacity })}
          </Fact>
          {session.waitlistCount > 0 ? (
            <Fact label={t("training.facts.waitlist")}>
              {t("training.facts.waitlistValue", { count: session.waitlistCount })}
            </Fact>
          ) : null}
          <Fact label={t("training.facts.passMark")}>
            {t("training.facts.passMarkValue", { passMark: session.passMark })}
          </Fact>
        </dl>
        {session.description.trim() !== "" ? (
          <section aria-labelledby="session-description-title">
            <Stack gap="xs">
              <Title order={2} fz="h3" id="session-description-title">
                {t("training.session.descriptionTitle")}
              </Title>
              <Text className="preserve-lines">{session.description}</Text>
            </Stack>
          </section>
        ) : null}
        {!cancelled ? (
          <EnrolSection session={session} user={user} announcement={announcement} onAnnounce={setAnnouncement} />
        ) : null}
      </Stack>
    </>
  );
}

export function SessionPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const me = useCurrentUser();
  const session = useTrainingSession(id);
  if (session.isPending || me.isPending) {
    return <LoadingStatus label={t("training.session.loading")} />;
  }
  if (session.isError) {
    if (session.error instanceof ApiError && [403, 404].includes(session.error.status)) {
      return <NotFoundPage />;
    }
    return (
      <QueryErrorAlert
        title={t("training.session.errorTitle")}
        error={session.error}
        onRetry={() => void session.refetch()}
        retrying={session.isFetching}
      />
    );
  }
  return <SessionDetail key={id} session={session.data} user={me.data ?? null} />;
}
