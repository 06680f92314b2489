import { Anchor, Button, Group, Modal, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Fact } from "../../components/Fact";
import { applicationLinks, applicationsApi, type Application, type ApplicationStatus } from "../../api/applications";
import { useApplicationHistory } from "../../api/queries";
import type { User } from "../../api/types";
import { ConfirmActionBody } from "../../components/ConfirmActionBody";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { RequireAuth } from "../../components/RequireAuth";
import { StatusMessage } from "../../components/StatusMessage";
import { formatInstant, formatMoney } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import type { ApplicationFlashState } from "./flash";
import { HistoryTimeline } from "./HistoryTimeline";
import { AmountsPanel } from "./AmountsPanel";
import { ClaimSection } from "./ClaimSection";
import { mayReview, reviewPath } from "../review/shared";
import { ApplicationGate } from "./ApplicationGate";
import { ApplicationStatusBadge } from "./StatusBadge";
import { ApplicationSummarySections, EligibilitySection } from "./wizard/ReviewStep";
import { stepPath } from "./wizard/steps";
import { useApplicationCache } from "./wizard/useApplicationCache";

function ReceiptLink({ application, variant = "light" }: { application: Application; variant?: "light" | "filled" }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Button
      component="a"
      href={applicationLinks.receipt(application.id, language)}
      variant={variant}
      size="md"
      classNames={{ root: "wrap-button", label: "wrap-button__label" }}
    >
      {t("applications.detail.receipt")}
    </Button>
  );
}

function SubmittedPanel({ application }: { application: Application }) {
  const { t } = useTranslation();
  if (!application.reference) return null;
  return (
    <div role="status" className="confirmation-panel--success">
      <Stack gap="sm" align="flex-start">
        <Title order={2}>{t("applications.detail.submittedTitle")}</Title>
        <Text fz="lg">
          {t("applications.detail.submittedReference")}{" "}
          <strong>
            <bdi dir="ltr">{application.reference}</bdi>
          </strong>
        </Text>
        <Text>{t("applications.detail.submittedNext")}</Text>
        {application.permissions.downloadReceipt ? <ReceiptLink application={application} variant="filled" /> : null}
      </Stack>
    </div>
  );
}

function WithdrawBody({
  application,
  onClose,
  onDone,
}: {
  application: Application;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const remember = useApplicationCache();
  const withdraw = useMutation({
    mutationFn: () => applicationsApi.withdraw(application.id),
    onSuccess: (updated) => {
      remember(updated);
      onDone();
    },
  });
  return (
    <ConfirmActionBody
      text={t("applications.withdraw.text")}
      confirmLabel={t("applications.withdraw.confirm")}
      onConfirm={() => withdraw.mutate()}
      onClose={onClose}
      pending={withdraw.isPending}
      error={withdraw.error}
    />
  );
}

const DECIDED = ["approved", "claim_submitted", "paid", "closed", "rejected", "cancelled"] as const;
type Decided = (typeof DECIDED)[number];

function isDecided(status: ApplicationStatus): status is Decided {
  return (DECIDED as readonly string[]).includes(status);
}

/** The programme's decision, as the company reads it: the amount granted, then paid. */
function DecisionSection({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { review, status } = application;
  if (!isDecided(status)) return null;
  const granted = review?.approvedAmount;
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="decision-title" className="decision-summary">
      <Stack gap="md">
        <Title order={2} fz="h3" id="decision-title">
          {t("applications.decision.title")}
        </Title>
        {granted && status !== "rejected" ? (
          <dl className="facts">
            <Fact label={t("applications.decision.granted")} className="fact fact--highlight amount">
              <bdi className="amount__value">{formatMoney(granted, language)}</bdi>
            </Fact>
            {review?.decidedAt ? (
              <Fact label={t("applications.decision.decidedAt")}>{formatInstant(review.decidedAt, language)}</Fact>
            ) : null}
            {review?.paidAmount ? (
              <Fact label={t("applications.decision.paid")} className="fact amount">
                <bdi className="amount__value">{formatMoney(review.paidAmount, language)}</bdi>
              </Fact>
            ) : null}
          </dl>
        ) : null}
        <Text>{t(`applications.decision.text.${status}`)}</Text>
      </Stack>
    </Paper>
  );
}

function History({ application }: { application: Application }) {
  const { t } = useTranslation();
  const history = useApplicationHistory(application.id);
  const body = () => {
    if (history.isPending) return <LoadingStatus label={t("applications.history.loading")} />;
    if (history.isError) {
      return (
        <QueryErrorAlert
          title={t("applications.history.errorTitle")}
          error={history.error}
          onRetry={() => void history.refetch()}
          retrying={history.isFetching}
        />
      );
    }
    return <HistoryTimeline entries={history.data.items} />;
  };
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="history-title">
      <Stack gap="md">
        <Title order={2} fz="h3" id="history-title">
          {t("applications.history.title")}
        </Title>
        {body()}
      </Stack>
    </Paper>
  );
}

function ApplicationDetail({ application, user }: { application: Application; user: User }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const location = useLocation();
  // Only while the file is still as it was submitted: after a withdrawal the message would mislead.
  const justSubmitted =
    (location.state as ApplicationFlashState | null)?.applicationSubmitted === true &&
    application.status === "submitted";
  const [withdrawOpened, setWithdrawOpened] = useState(false);
  const [withdrawInstance, setWithdrawInstance] = useState(0);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const { permissions } = application;
  const title = application.reference
    ? t("applications.detail.title", { reference: application.reference })
    : t("applications.detail.titleDraft", { company: application.company.name });

  return (
    <>
      <title>{t("applications.detail.documentTitle", { title })}</title>
      <Stack gap="xl" maw={960}>
        <Stack gap="xs">
          <Anchor component={Link} to="/dossiers">
            {user.role === "prescriber" ? t("applications.list.backClients") : t("applications.list.back")}
          </Anchor>
          <Title order={1}>{title}</Title>
          <Group gap="sm">
            <ApplicationStatusBadge status={application.status} />
            {application.fastTrack ? (
              <span className="user-status user-status--active">{t("applications.detail.fastTrack")}</span>
            ) : null}
          </Group>
        </Stack>
        {justSubmitted ? <SubmittedPanel application={application} /> : null}
        <StatusMessage>{announcement}</StatusMessage>
        <dl className="facts">
          <Fact label={t("applications.list.reference")}>
            {application.reference ? <bdi dir="ltr">{application.reference}</bdi> : t("applications.list.draft")}
          </Fact>
          <Fact label={t("applications.start.company")}>
            <Anchor component={Link} to={`/entreprises/${application.company.id}`}>
              {application.company.name}
            </Anchor>
          </Fact>
          <Fact label={t("applications.start.call")}>
            {pickLocalized(language, application.call.titleFr, application.call.titleAr)}
          </Fact>
          {application.submittedAt ? (
            <Fact label={t("applications.detail.submittedAt")}>{formatInstant(application.submittedAt, language)}</Fact>
          ) : null}
          <Fact label={t("applications.list.updatedAt")}>{formatInstant(application.updatedAt, language)}</Fact>
        </dl>
        {application.filedViaMandate ? <Text>{t("applications.detail.viaMandate")}</Text> : null}
        {mayReview(user.role) && application.reference ? (
          <div>
            <Button component={Link} to={reviewPath(application.id)} size="md">
              {t("applications.detail.review")}
            </Button>
          </div>
        ) : null}
        <DecisionSection application={application} />
        {permissions.update || permissions.withdraw || (permissions.downloadReceipt && !justSubmitted) ? (
          <Group gap="sm">
            {permissions.update ? (
              <Button component={Link} to={stepPath(application.id, "solution")} size="md">
                {t("applications.detail.continue")}
              </Button>
            ) : null}
            {permissions.downloadReceipt && !justSubmitted ? <ReceiptLink application={application} /> : null}
            {permissions.withdraw ? (
              <Button
                variant="outline"
                color="red"
                size="md"
                onClick={() => {
                  setAnnouncement(null);
                  setWithdrawInstance((count) => count + 1);
                  setWithdrawOpened(true);
                }}
              >
                {t("applications.withdraw.open")}
              </Button>
            ) : null}
          </Group>
        ) : null}
        <Paper component="section" withBorder p="lg" aria-labelledby="amounts-title">
          <Stack gap="md">
            <Title order={2} fz="h3" id="amounts-title">
              {t("applications.detail.amountsTitle")}
            </Title>
            <AmountsPanel amounts={application} />
          </Stack>
        </Paper>
        <ClaimSection application={application} onSubmitted={() => setAnnouncement(t("claims.submitted"))} />
        <EligibilitySection application={application} withRemedies={permissions.update} />
        <ApplicationSummarySections application={application} editable={false} />
        {permissions.readHistory !== false ? <History application={application} /> : null}
      </Stack>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={withdrawOpened}
        onClose={() => setWithdrawOpened(false)}
        title={t("applications.withdraw.title")}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <WithdrawBody
          key={withdrawInstance}
          application={application}
          onClose={() => setWithdrawOpened(false)}
          onDone={() => {
            setWithdrawOpened(false);
            setAnnouncement(t("applications.withdraw.done"));
          }}
        />
      </Modal>
    </>
  );
}

export function ApplicationPage() {
  const { id = "" } = useParams();
  return (
    <RequireAuth>
      {(user) => (
        <ApplicationGate key={id} id={id}>
          {(application) => <ApplicationDetail application={application} user={user} />}
        </ApplicationGate>
      )}
    </RequireAuth>
  );
}
