import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ApiError, NETWORK_ERROR_STATUS } from "../../api/client";
import {
  certificatePdfUrl,
  listCertificates,
  trainingKeys,
  type Certificate,
  type Job,
  type TrainingSession,
} from "../../api/training";
import { getJob, issueCertificates, JobRunningError, revokeCertificate } from "../../api/trainingAdmin";
import { FeedbackSummary } from "../../components/forms/ErrorSummary";
import { useFieldError } from "../../components/forms/FieldError";
import { SubmitButton } from "../../components/forms/SubmitButton";
import { fieldId, fieldRefs, useFormFeedback } from "../../components/forms/useFormFeedback";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatCount, formatDay, formatInstantDay } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { asRefusal } from "../review/shared";
import { enrolmentSummary, sessionEnrolmentsKey, useSessionEnrolments } from "./EnrolmentsSection";

const PAGE_SIZE = 100;
const POLL_INTERVAL_MS = 1000;
const REASON_MIN = 3;
const REASON_MAX = 500;

export const sessionCertificatesKey = (sessionId: string) =>
  [...trainingKeys.certificates, "session", sessionId] as const;

async function allCertificates(sessionId: string, signal: AbortSignal): Promise<Certificate[]> {
  const items: Certificate[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await listCertificates({ sessionId, page, pageSize: PAGE_SIZE }, signal);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

const isRunning = (job: Job | undefined) => job !== undefined && (job.status === "queued" || job.status === "running");

/**
 * A refused action that has no form (a button): the server's own words, read out at once and
 * focused. 409 (already running) and 422 (nothing to issue) both say why.
 */
function ActionError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus({ preventScroll: false });
  }, [error]);
  if (!error) return null;
  const network = !(error instanceof ApiError) || error.status === NETWORK_ERROR_STATUS;
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="red"
      variant="light"
      role="alert"
      title={network ? t("forms.sendFailed") : error.status === 409 ? t("trainer.refused") : error.title}
      className="action-error"
    >
      <Text>{network ? t("common.errors.network") : (error.detail ?? error.title)}</Text>
    </Alert>
  );
}

/** The batch's progress: a real progress bar (its value in words too) and a polite live text. */
function JobProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const labelId = useId();
  const counts = { done: formatCount(job.done, language), total: formatCount(job.total, language) };
  const words =
    job.status === "queued"
      ? t("trainer.issue.queued")
      : job.status === "succeeded"
        ? t("trainer.issue.succeeded", { ...counts, count: job.done })
        : t("trainer.issue.progress", { ...counts, count: job.total });
  return (
    <Stack gap={6} className="job-progress">
      <Text fw={700} id={labelId}>
        {t("trainer.issue.progressLabel")}
      </Text>
      <Progress.Root size="xl">
        <Progress.Section
          value={job.percent}
          withAria={false}
          role="progressbar"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={job.percent}
          aria-valuetext={t("trainer.issue.progressValue", { ...counts, percent: job.percent })}
          color={job.status === "failed" ? "red" : job.status === "succeeded" ? "green" : undefined}
          animated={isRunning(job)}
        />
      </Progress.Root>
      <Text role="status" aria-live="polite" className="job-progress__text">
        {words} <span className="nowrap">({t("trainer.issue.percent", { percent: job.percent })})</span>
      </Text>
      {job.status === "failed" ? (
        <Alert color="red" variant="light" role="alert" title={t("trainer.issue.failedTitle")}>
          {t("trainer.issue.failed", { ...counts, error: job.error ?? t("common.errors.generic") })}
        </Alert>
      ) : null}
    </Stack>
  );
}

interface IssueProps {
  session: TrainingSession;
  awaiting: number;
  onAnnounce: (message: string) => void;
}

/** "Émettre les Permis Numériques": starts the background batch and follows it every second. */
function IssueCertificates({ session, awaiting, onAnnounce }: IssueProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const finished = useRef<string | null>(null);
  const job = useQuery({
    queryKey: trainingKeys.job(jobId ?? ""),
    queryFn: ({ signal }) => getJob(jobId ?? "", signal),
    enabled: jobId !== null,
    refetchInterval: (query) =>
      query.state.data === undefined || isRunning(query.state.data) ? POLL_INTERVAL_MS : false,
    // A background tab keeps following: the trainer comes back to a finished bar.
    refetchIntervalInBackground: true,
  });

  // Once the batch ends: the certificates, the enrolments and the session as they are now.
  useEffect(() => {
    if (!job.data || isRunning(job.data) || finished.current === job.data.id) return;
    finished.current = job.data.id;
    void queryClient.invalidateQueries({ queryKey: sessionCertificatesKey(session.id) });
    void queryClient.invalidateQueries({ queryKey: sessionEnrolmentsKey(session.id) });
    void queryClient.invalidateQueries({ queryKey: trainingKeys.session(session.id) });
    onAnnounce(
      job.data.status === "succeeded"
        ? t("trainer.issue.done", { count: job.data.done })
        : t("trainer.issue.failedAnnounce", { count: job.data.done }),
    );
  }, [job.data, onAnnounce, queryClient, session.id, t]);

  const follow = (next: Job | string) => {
    const id = typeof next === "string" ? next : next.id;
    if (typeof next !== "string") queryClient.setQueryData(trainingKeys.job(id), next);
    finished.current = null;
    setJobId(id);
  };

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      follow(await issueCertificates(session.id));
    } catch (failure) {
      if (failure instanceof JobRunningError && failure.jobId !== null) {
        follow(failure.jobId);
        onAnnounce(t("trainer.issue.alreadyRunning"));
      } else {
        setError(failure);
      }
    } finally {
      setStarting(false);
    }
  };

  const running = isRunning(job.data) || (jobId !== null && job.isPending);

  return (
    <Stack gap="md">
      <Text>{t("trainer.issue.intro")}</Text>
      <Text fw={700}>
        {awaiting === 0 ? t("trainer.issue.noneAwaiting") : t("trainer.issue.awaiting", { count: awaiting })}
      </Text>
      <ActionError error={error} />
      <div>
        <Button
          size="md"
          onClick={() => void start()}
          loading={starting}
          disabled={running}
          classNames={{ root: "wrap-button", label: "wrap-button__label" }}
        >
          {t("trainer.issue.button")}
        </Button>
      </div>
      {job.isError ? (
        <QueryErrorAlert
          title={t("trainer.issue.jobError")}
          error={job.error}
          onRetry={() => void job.refetch()}
          retrying={job.isFetching}
        />
      ) : null}
      {job.data ? <JobProgress job={job.data} /> : null}
    </Stack>
  );
}

interface RevokeValues {
  reason: string;
}

const REVOKE_FORM_ID = "revoke";
const REVOKE_FIELDS = fieldRefs<RevokeValues>(REVOKE_FORM_ID, ["reason"]);

function RevokeForm({
  certificate,
  onCancel,
  onRevoked,
}: {
  certificate: Certificate;
  onCancel: () => void;
  onRevoked: (certificate: Certificate) => void;
}) {
  const { t } = useTranslation();
  const form = useForm<RevokeValues>({ defaultValues: { reason: "" }, shouldFocusError: false });
  const { feedback, clear, onInvalid, showError } = useFormFeedback(form, REVOKE_FIELDS);
  const fieldError = useFieldError(form);

  const onValid = async ({ reason }: RevokeValues) => {
    clear();
    try {
      onRevoked(await revokeCertificate(certificate.id, reason.trim()));
    } catch (error) {
      showError(asRefusal(error, t("trainer.refused")));
    }
  };

  return (
    <Stack gap="md">
      <FeedbackSummary feedback={feedback} headingOrder={3} />
      <Text>{t("trainer.revoke.text", { name: certificate.holderName, number: certificate.number })}</Text>
      <form noValidate onSubmit={form.handleSubmit(onValid, onInvalid)}>
        <Stack gap="md">
          <Textarea
            id={fieldId(REVOKE_FORM_ID, "reason")}
            label={t("trainer.revoke.reason")}
            description={t("trainer.revoke.reasonHint", { min: REASON_MIN, max: REASON_MAX })}
            required
            autosize
            minRows={3}
            maxRows={8}
            maxLength={REASON_MAX}
            error={fieldError("reason")}
            {...form.register("reason", {
              validate: (value) => {
                const text = value.trim();
                if (text === "") return t("trainer.revoke.reasonRequired");
                if (text.length < REASON_MIN) return t("trainer.revoke.reasonTooShort", { min: REASON_MIN });
                return text.length <= REASON_MAX || t("trainer.revoke.reasonTooLong", { max: REASON_MAX });
              },
            })}
          />
          <Group gap="sm" justify="flex-end">
            <Button variant="default" size="md" onClick={onCancel}>
              {t("common.cancel")}
            </Button>
            <SubmitButton submitting={form.formState.isSubmitting} color="red">
              {t("trainer.revoke.confirm")}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function CertificateStatus({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (certificate.status === "valid") {
    return <span className="user-status user-status--active">{t("trainer.certificates.valid")}</span>;
  }
  return (
    <Stack gap={4} align="flex-start">
      <span className="user-status application-status--stopped">{t("trainer.certificates.revoked")}</span>
      {certificate.revokedAt ? (
        <Text fz="sm">
          {t("trainer.certificates.revokedOn", { date: formatInstantDay(certificate.revokedAt, language) })}
        </Text>
      ) : null}
      {certificate.revocationReason ? (
        <Text fz="sm" className="preserve-lines">
          {t("trainer.certificates.reason", { reason: certificate.revocationReason })}
        </Text>
      ) : null}
    </Stack>
  );
}

function CertificatesTable({
  certificates,
  onRevoke,
}: {
  certificates: Certificate[];
  onRevoke: (certificate: Certificate) => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const withActions = certificates.some((certificate) => certificate.permissions.revoke);
  return (
    <div className="table-scroll">
      <Table striped verticalSpacing="sm" className="session-certificates-table">
        <Table.Caption className="table-caption">
          {t("trainer.certificates.caption", { count: certificates.length })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("trainer.certificates.number")}</Table.Th>
            <Table.Th scope="col">{t("trainer.certificates.holder")}</Table.Th>
            <Table.Th scope="col">{t("trainer.certificates.issuedOn")}</Table.Th>
            <Table.Th scope="col">{t("trainer.certificates.status")}</Table.Th>
            <Table.Th scope="col">{t("trainer.certificates.verification")}</Table.Th>
            <Table.Th scope="col">{t("trainer.certificates.pdf")}</Table.Th>
            {withActions ? <Table.Th scope="col">{t("trainer.certificates.actions")}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {certificates.map((certificate) => (
            <Table.Tr key={certificate.id}>
              <Table.Th scope="row" className="nowrap">
                <bdi dir="ltr">{certificate.number}</bdi>
              </Table.Th>
              <Table.Td>
                {certificate.holderName}
                {certificate.companyName ? (
                  <Text fz="sm" component="span" display="block">
                    {certificate.companyName}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td className="nowrap">{formatDay(certificate.issuedOn, language)}</Table.Td>
              <Table.Td>
                <CertificateStatus certificate={certificate} />
              </Table.Td>
              <Table.Td>
                <Anchor href={certificate.verificationUrl}>
                  {t("trainer.certificates.verify")}
                  <VisuallyHidden>{t("trainer.certificates.ofNumber", { number: certificate.number })}</VisuallyHidden>
                </Anchor>
                <Text fz="sm">{t("trainer.certificates.verifications", { count: certificate.verificationCount })}</Text>
              </Table.Td>
              <Table.Td>
                {!certificate.permissions.download ? (
                  <Text fz="sm">{t("trainer.certificates.pdfNotYours")}</Text>
                ) : certificate.pdfReady ? (
                  <Anchor href={certificatePdfUrl(certificate.id)} download>
                    {t("trainer.certificates.download")}
                    <VisuallyHidden>
                      {t("trainer.certificates.ofNumber", { number: certificate.number })}
                    </VisuallyHidden>
                  </Anchor>
                ) : (
                  <Text fz="sm">{t("trainer.certificates.pdfPending")}</Text>
                )}
              </Table.Td>
              {withActions ? (
                <Table.Td>
                  {certificate.permissions.revoke && certificate.status === "valid" ? (
                    <Button size="compact-md" variant="outline" color="red" onClick={() => onRevoke(certificate)}>
                      {t("trainer.revoke.button")}
                      <VisuallyHidden>
                        {t("trainer.certificates.ofNumber", { number: certificate.number })}
                      </VisuallyHidden>
                    </Button>
                  ) : null}
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

interface CertificatesSectionProps {
  session: TrainingSession;
  onAnnounce: (message: string) => void;
}

/** The session's Permis Numériques: issuing them (a batch with its progress), the list, revoking. */
export function CertificatesSection({ session, onAnnounce }: CertificatesSectionProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const enrolments = useSessionEnrolments(session.id);
  const certificates = useQuery({
    queryKey: sessionCertificatesKey(session.id),
    queryFn: ({ signal }) => allCertificates(session.id, signal),
  });
  const [revoking, setRevoking] = useState<Certificate | null>(null);
  const [dialogOpened, setDialogOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const awaiting = enrolments.data ? enrolmentSummary(enrolments.data).awaitingCertificate : 0;

  const openRevoke = (certificate: Certificate) => {
    setRevoking(certificate);
    setInstance((count) => count + 1);
    setDialogOpened(true);
  };

  const onRevoked = (revoked: Certificate) => {
    queryClient.setQueryData<Certificate[]>(sessionCertificatesKey(session.id), (current) =>
      current?.map((item) => (item.id === revoked.id ? revoked : item)),
    );
    void queryClient.invalidateQueries({ queryKey: sessionEnrolmentsKey(session.id) });
    setDialogOpened(false);
    onAnnounce(t("trainer.revoke.done", { name: revoked.holderName, number: revoked.number }));
  };

  const list = () => {
    if (certificates.isPending) return <ListSkeleton label={t("trainer.certificates.loading")} rows={2} />;
    if (certificates.isError) {
      return (
        <QueryErrorAlert
          title={t("trainer.certificates.errorTitle")}
          error={certificates.error}
          onRetry={() => void certificates.refetch()}
          retrying={certificates.isFetching}
        />
      );
    }
    if (certificates.data.length === 0) {
      return <Text className="empty-state">{t("trainer.certificates.empty")}</Text>;
    }
    return <CertificatesTable certificates={certificates.data} onRevoke={openRevoke} />;
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="certificates-title">
      <Stack gap="md">
        <Title order={2} id="certificates-title">
          {t("trainer.certificates.title")}
        </Title>
        {session.permissions.issueCertificates ? (
          <IssueCertificates session={session} awaiting={awaiting} onAnnounce={onAnnounce} />
        ) : (
          <Text>{session.hasStarted ? t("trainer.issue.notAllowed") : t("trainer.issue.notYet")}</Text>
        )}
        <Title order={3} id="certificates-list-title">
          {t("trainer.certificates.listTitle")}
        </Title>
        {list()}
      </Stack>
      {revoking ? (
        <Modal
          centered
          lockScroll={false}
          size="lg"
          opened={dialogOpened}
          onClose={() => setDialogOpened(false)}
          title={t("trainer.revoke.title", { number: revoking.number })}
          closeButtonProps={{ "aria-label": t("common.close") }}
        >
          <RevokeForm
            key={instance}
            certificate={revoking}
            onCancel={() => setDialogOpened(false)}
            onRevoked={onRevoked}
          />
        </Modal>
      ) : null}
    </Paper>
  );
}
