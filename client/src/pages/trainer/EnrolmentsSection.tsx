import { Button, Checkbox, Input, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError, NETWORK_ERROR_STATUS } from "../../api/client";
import { listEnrolments, trainingKeys, type Enrolment, type TrainingSession } from "../../api/training";
import { recordResult } from "../../api/trainingAdmin";
import { Fact } from "../../components/Fact";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatCount, formatInstant } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { EnrolmentStatusBadge, enrolmentStatusText } from "./shared";

const PAGE_SIZE = 100;
const SCORE = /^\d{1,3}$/;

export const sessionEnrolmentsKey = (sessionId: string) => [...trainingKeys.enrolments, "session", sessionId] as const;

/** Every enrolment of the session (a session seats up to 1,000 people: several pages of 100). */
async function allEnrolments(sessionId: string, signal: AbortSignal): Promise<Enrolment[]> {
  const items: Enrolment[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await listEnrolments({ sessionId, page, pageSize: PAGE_SIZE }, signal);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

export function useSessionEnrolments(sessionId: string) {
  return useQuery({
    queryKey: sessionEnrolmentsKey(sessionId),
    queryFn: ({ signal }) => allEnrolments(sessionId, signal),
  });
}

/** Enrolled, present, passed, failed and still without a result: what the trainer checks at a glance. */
export function enrolmentSummary(enrolments: Enrolment[]) {
  const live = enrolments.filter((enrolment) => !["waitlisted", "cancelled"].includes(enrolment.status));
  return {
    enrolled: live.length,
    present: live.filter((enrolment) => enrolment.attended === true).length,
    passed: live.filter((enrolment) => enrolment.status === "passed").length,
    failed: live.filter((enrolment) => enrolment.status === "failed").length,
    pending: live.filter((enrolment) => enrolment.status === "enrolled" || enrolment.status === "attended").length,
    waitlisted: enrolments.filter((enrolment) => enrolment.status === "waitlisted").length,
    awaitingCertificate: live.filter((enrolment) => enrolment.status === "passed" && enrolment.certificate === null)
      .length,
  };
}

/** Why a row cannot be changed, said in the row rather than leaving a greyed-out mystery. */
function readOnlyReason(enrolment: Enrolment, t: TFunction): string {
  if (enrolment.status === "waitlisted") return t("trainer.results.readOnly.waitlisted");
  if (enrolment.status === "cancelled") return t("trainer.results.readOnly.cancelled");
  if (enrolment.certificate) {
    return t("trainer.results.readOnly.certified", { number: enrolment.certificate.number });
  }
  return t("trainer.results.readOnly.other");
}

function errorMessages(error: unknown, t: TFunction): string[] {
  if (!(error instanceof ApiError)) return [t("common.errors.generic")];
  if (error.status === NETWORK_ERROR_STATUS) return [t("common.errors.network")];
  if (error.errors.length > 0) return error.errors.map((fieldError) => fieldError.message);
  return [error.detail ?? error.title];
}

interface ResultRowProps {
  enrolment: Enrolment;
  started: boolean;
  onSaved: (enrolment: Enrolment) => void;
}

function ResultRow({ enrolment, started, onSaved }: ResultRowProps) {
  const { t } = useTranslation();
  const rowId = useId();
  const [attended, setAttended] = useState(enrolment.attended === true);
  const [score, setScore] = useState(enrolment.score === null ? "" : String(enrolment.score));
  const [problems, setProblems] = useState<string[]>([]);
  const [scoreInvalid, setScoreInvalid] = useState(false);
  const [saving, setSaving] = useState(false);
  const name = enrolment.holderName;
  const editable = started && enrolment.permissions.recordResult;
  const errorId = `${rowId}-error`;

  const save = async () => {
    const text = score.trim();
    if (text !== "" && (!SCORE.test(text) || Number(text) > 100)) {
      setScoreInvalid(true);
      setProblems([t("trainer.results.scoreRange", { name })]);
      return;
    }
    if (!attended && text !== "") {
      setScoreInvalid(true);
      setProblems([t("trainer.results.scoreWhenAbsent", { name })]);
      return;
    }
    setScoreInvalid(false);
    setProblems([]);
    setSaving(true);
    try {
      const saved = await recordResult(enrolment.id, { attended, score: text === "" ? null : Number(text) });
      onSaved(saved);
    } catch (error) {
      setScoreInvalid(error instanceof ApiError && error.errors.some((fieldError) => fieldError.path === "score"));
      setProblems(errorMessages(error, t));
    } finally {
      setSaving(false);
    }
  };

  const presence =
    enrolment.attended === null
      ? t("trainer.results.noValue")
      : enrolment.attended
        ? t("trainer.results.presentYes")
        : t("trainer.results.presentNo");

  return (
    <Table.Tr>
      <Table.Th scope="row">
        <Text fw={700} component="span" display="block">
          {name}
        </Text>
        <Text fz="sm" component="span" display="block" className="email-address" fw={400}>
          <bdi dir="ltr">{enrolment.holderEmail}</bdi>
        </Text>
      </Table.Th>
      <Table.Td>{enrolment.company?.name ?? t("trainer.results.noCompany")}</Table.Td>
      <Table.Td>
        <EnrolmentStatusBadge enrolment={enrolment} />
      </Table.Td>
      {started ? (
        editable ? (
          <>
            <Table.Td>
              <Checkbox
                checked={attended}
                onChange={(event) => setAttended(event.currentTarget.checked)}
                label={
                  <>
                    {t("trainer.results.present")}
                    <VisuallyHidden> {name}</VisuallyHidden>
                  </>
                }
              />
            </Table.Td>
            <Table.Td>
              <Input
                value={score}
                onChange={(event) => setScore(event.currentTarget.value)}
                aria-label={t("trainer.results.scoreOf", { name })}
                // The message is in the row's last cell: Mantine's own aria would drop this link to it.
                withAria={false}
                error={scoreInvalid}
                aria-invalid={scoreInvalid}
                aria-describedby={problems.length > 0 ? errorId : undefined}
                inputMode="numeric"
                autoComplete="off"
                dir="ltr"
                maxLength={3}
                classNames={{ input: "score-input" }}
                onKeyDown={(event) => {
                  if (event.key === "Enter") void save();
                }}
              />
            </Table.Td>
            <Table.Td>
              <Stack gap={4} align="flex-start">
                <Button size="compact-md" variant="light" loading={saving} onClick={() => void save()}>
                  {t("trainer.results.save")}
                  <VisuallyHidden>{t("trainer.results.saveOf", { name })}</VisuallyHidden>
                </Button>
                <div role="alert" id={errorId}>
                  {problems.map((problem) => (
                    <Text key={problem} fz="sm" fw={700} c="red.9">
                      <VisuallyHidden>{t("forms.errorPrefix")}</VisuallyHidden>
                      {problem}
                    </Text>
                  ))}
                </div>
              </Stack>
            </Table.Td>
          </>
        ) : (
          <>
            <Table.Td>{presence}</Table.Td>
            <Table.Td className="nowrap">
              {enrolment.score === null ? t("trainer.results.noValue") : `${enrolment.score} %`}
            </Table.Td>
            <Table.Td>
              <Text fz="sm">{readOnlyReason(enrolment, t)}</Text>
            </Table.Td>
          </>
        )
      ) : null}
    </Table.Tr>
  );
}

interface EnrolmentsSectionProps {
  session: TrainingSession;
  onAnnounce: (message: string) => void;
}

/** Who comes, and once the session has started, who came and with what score. */
export function EnrolmentsSection({ session, onAnnounce }: EnrolmentsSectionProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const enrolments = useSessionEnrolments(session.id);
  const count = (value: number) => formatCount(value, language);

  const onSaved = (saved: Enrolment) => {
    queryClient.setQueryData<Enrolment[]>(sessionEnrolmentsKey(session.id), (current) =>
      current?.map((item) => (item.id === saved.id ? saved : item)),
    );
    void queryClient.invalidateQueries({ queryKey: trainingKeys.session(session.id) });
    const status = enrolmentStatusText(saved, t);
    onAnnounce(
      saved.score === null
        ? t("trainer.results.saved", { name: saved.holderName, status })
        : t("trainer.results.savedWithScore", { name: saved.holderName, status, score: saved.score }),
    );
  };

  const body = () => {
    if (enrolments.isPending) return <ListSkeleton label={t("trainer.results.loading")} rows={3} />;
    if (enrolments.isError) {
      return (
        <QueryErrorAlert
          title={t("trainer.results.errorTitle")}
          error={enrolments.error}
          onRetry={() => void enrolments.refetch()}
          retrying={enrolments.isFetching}
        />
      );
    }
    const items = enrolments.data;
    if (items.length === 0) return <Text className="empty-state">{t("trainer.results.empty")}</Text>;
    const summary = enrolmentSummary(items);
    return (
      <Stack gap="md">
        <Title order={3} fz="h4" id="enrolments-summary-title">
          {t("trainer.summary.label")}
        </Title>
        <dl className="facts trainer-summary">
          <Fact label={t("trainer.summary.enrolled")}>{count(summary.enrolled)}</Fact>
          <Fact label={t("trainer.summary.present")}>{count(summary.present)}</Fact>
          <Fact label={t("trainer.summary.passed")}>{count(summary.passed)}</Fact>
          <Fact label={t("trainer.summary.failed")}>{count(summary.failed)}</Fact>
          <Fact label={t("trainer.summary.pending")}>{count(summary.pending)}</Fact>
          {summary.waitlisted > 0 ? (
            <Fact label={t("trainer.summary.waitlisted")}>{count(summary.waitlisted)}</Fact>
          ) : null}
        </dl>
        <div className="table-scroll">
          <Table
            striped
            verticalSpacing="sm"
            className={session.hasStarted ? "enrolments-table enrolments-table--results" : "enrolments-table"}
          >
            <Table.Caption className="table-caption">
              {t("trainer.results.caption", { count: items.length })}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("trainer.results.holder")}</Table.Th>
                <Table.Th scope="col">{t("trainer.results.company")}</Table.Th>
                <Table.Th scope="col">{t("trainer.results.status")}</Table.Th>
                {session.hasStarted ? (
                  <>
                    <Table.Th scope="col">{t("trainer.results.attendance")}</Table.Th>
                    <Table.Th scope="col">{t("trainer.results.score")}</Table.Th>
                    <Table.Th scope="col">{t("trainer.results.action")}</Table.Th>
                  </>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((enrolment) => (
                <ResultRow
                  // The row keeps what was typed (and the focus) across saves: the server echoes it.
                  key={enrolment.id}
                  enrolment={enrolment}
                  started={session.hasStarted}
                  onSaved={onSaved}
                />
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </Stack>
    );
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="enrolments-title">
      <Stack gap="md">
        <Title order={2} id="enrolments-title">
          {t("trainer.results.title")}
        </Title>
        <Text>
          {session.hasStarted
            ? t("trainer.results.introStarted", { mark: session.passMark })
            : t("trainer.results.introBefore", { date: formatInstant(session.startsAt, language) })}
        </Text>
        {body()}
      </Stack>
    </Paper>
  );
}
