import { Alert, Anchor, Button, Group, List, Modal, Paper, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import type { Application, ApplicationDocument } from "../../api/applications";
import { applicationKeys, reviewKeys, useApplicationHistory, useConflicts } from "../../api/queries";
import { reviewApi } from "../../api/review";
import { sessionKeys } from "../../api/session";
import type { User } from "../../api/types";
import { Fact } from "../../components/Fact";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { formatInstant, formatMoney, formatRate } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { useSectorName } from "../companies/CompaniesPage";
import { ApplicationGate } from "../applications/ApplicationGate";
import { EligibilityChecklist } from "../applications/EligibilityChecklist";
import { HistoryTimeline } from "../applications/HistoryTimeline";
import { LinesTable } from "../applications/LinesTable";
import { ApplicationStatusBadge } from "../applications/StatusBadge";
import { useApplicationCache } from "../applications/wizard/useApplicationCache";
import { ClaimReview } from "./ClaimReview";
import { DecisionPanel } from "./DecisionPanel";
import { DocumentReview } from "./DocumentReview";
import { useRegionName } from "./QueuePage";
import { FastTrackBadge, mayReview, ReasonForm } from "./shared";

function Amount({ label, value, highlight = false }: { label: string; value: string; highlight?: boolean }) {
  return (
    <Fact label={label} className={highlight ? "fact fact--highlight amount" : "fact amount"}>
      <bdi className="amount__value">{value}</bdi>
    </Fact>
  );
}

/** The figures an officer checks: what is eligible, the VAT, the grant the rules give, the cap. */
function ReviewAmounts({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const money = (amount: string) => formatMoney(amount, language);
  const rate = formatRate(application.rate, language);
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="review-amounts-title">
      <Stack gap="md">
        <Title order={2} id="review-amounts-title">
          {t("review.amounts.title")}
        </Title>
        <dl className="facts amounts">
          <Amount label={t("applications.amounts.eligible")} value={money(application.eligibleAmount)} />
          <Amount label={t("applications.amounts.vat")} value={money(application.vatAmount)} />
          <Amount label={t("review.amounts.grant", { rate })} value={money(application.grantAmount)} highlight />
          <Amount label={t("review.amounts.capUsed")} value={money(application.capUsed)} />
          <Amount label={t("review.amounts.ownShare")} value={money(application.ownShare)} />
        </dl>
        <Text fz="sm">{t("review.amounts.rule", { rate, cap: money(application.cap) })}</Text>
      </Stack>
    </Paper>
  );
}

function ReviewEligibility({ application }: { application: Application }) {
  const { t } = useTranslation();
  const failed = application.eligibility.filter((criterion) => !criterion.ok).length;
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="review-eligibility-title">
      <Stack gap="md">
        <Title order={2} id="review-eligibility-title">
          {t("applications.eligibility.title")}
        </Title>
        <Alert color={failed === 0 ? "green" : "yellow"} variant="light">
          {failed === 0 ? t("review.eligibility.allOk") : t("review.eligibility.someKo", { count: failed })}
        </Alert>
        <EligibilityChecklist
          criteria={application.eligibility}
          applicationId={application.id}
          companyId={application.company.id}
          withRemedies={false}
        />
      </Stack>
    </Paper>
  );
}

function ProjectSection({ application }: { application: Application }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectorName = useSectorName();
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="review-project-title">
      <Stack gap="md">
        <Title order={2} id="review-project-title">
          {t("review.project.title")}
        </Title>
        <dl className="facts facts--stacked">
          <Fact label={t("applications.solution.sector")}>{sectorName(application.sectorCode)}</Fact>
          <Fact label={t("applications.solution.solutions")}>
            {application.solutions.length === 0 ? (
              t("applications.solution.noSolution")
            ) : (
              <List spacing={2}>
                {application.solutions.map((solution) => (
                  <List.Item key={solution.id}>
                    {pickLocalized(language, solution.nameFr, solution.nameAr)}
                    <Text component="span" fw={400}>
                      {" — "}
                      {solution.supplierName}
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
          </Fact>
          <div className="fact">
            <dt className="fact__label">{t("applications.solution.description")}</dt>
            <dd className="fact__value fact__value--text preserve-lines">
              {application.description.trim() === ""
                ? t("applications.solution.noDescription")
                : application.description}
            </dd>
          </div>
        </dl>
        <LinesTable
          lines={application.lines}
          caption={t("applications.lines.caption", { count: application.lines.length })}
        />
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
        <Title order={2} id="history-title">
          {t("applications.history.title")}
        </Title>
        {body()}
      </Stack>
    </Paper>
  );
}

function DeclareConflict({ application, onDone }: { application: Application; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const company = application.company.name;
  return (
    <>
      <Button
        variant="outline"
        color="red"
        size="md"
        classNames={{ root: "wrap-button", label: "wrap-button__label" }}
        onClick={() => {
          setInstance((count) => count + 1);
          setOpened(true);
        }}
      >
        {t("review.conflict.declare")}
      </Button>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("review.conflict.dialogTitle", { company })}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <ReasonForm
          key={instance}
          formId="conflict"
          intro={<Text>{t("review.conflict.dialogText", { company })}</Text>}
          label={t("review.conflict.reason")}
          hint={t("review.conflict.reasonHint")}
          serverPath="reason"
          minLength={3}
          requiredMessage={t("review.conflict.reasonRequired")}
          tooShortMessage={t("review.validation.tooShort", { min: 3 })}
          submitLabel={t("review.conflict.confirm")}
          danger
          onCancel={() => setOpened(false)}
          onSubmit={async (reason) => {
            await reviewApi.declareConflict(application.company.id, reason);
            setOpened(false);
            await Promise.all([
              queryClient.invalidateQueries({ queryKey: reviewKeys.conflicts }),
              queryClient.invalidateQueries({ queryKey: applicationKeys.detail(application.id) }),
            ]);
            onDone(t("review.conflict.done", { company }));
          }}
        />
      </Modal>
    </>
  );
}

function Review({ application, user }: { application: Application; user: User }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const queryClient = useQueryClient();
  const remember = useApplicationCache();
  const sectorName = useSectorName();
  const regionName = useRegionName();
  const conflicts = useConflicts();
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const viewerHeadingRef = useRef<HTMLHeadingElement>(null);
  const conflicted = conflicts.data?.items.some((conflict) => conflict.companyId === application.company.id) ?? false;
  const reference = application.reference ?? "";

  const announce = (message: string) => {
    setAnnouncement(message);
    requestAnimationFrame(() => statusRef.current?.focus({ preventScroll: false }));
  };

  /** The server's new state everywhere: this file, its history and claim, the lists and budgets. */
  const refreshAround = () => {
    void queryClient.invalidateQueries({ queryKey: applicationKeys.history(application.id) });
    void queryClient.invalidateQueries({ queryKey: applicationKeys.claim(application.id) });
    void queryClient.invalidateQueries({ queryKey: [...sessionKeys.all, "budget"] });
  };

  const onTransition = (updated: Application, message: string) => {
    remember(updated);
    refreshAround();
    announce(message);
  };

  const onVerdict = (document: ApplicationDocument, message: string) => {
    queryClient.setQueryData<Application>(applicationKeys.localized(application.id, language), (current) =>
      current
        ? { ...current, documents: current.documents.map((item) => (item.id === document.id ? document : item)) }
        : current,
    );
    void queryClient.invalidateQueries({ queryKey: applicationKeys.detail(application.id) });
    setAnnouncement(message);
  };

  const showDocument = (documentId: string) => {
    setSelectedId(documentId);
    requestAnimationFrame(() => {
      viewerHeadingRef.current?.focus({ preventScroll: true });
      viewerHeadingRef.current?.scrollIntoView({ block: "start" });
    });
  };

  return (
    <>
      <title>{t("review.page.documentTitle", { reference })}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Anchor component={Link} to="/instruction">
            {t("review.page.back")}
          </Anchor>
          <Title order={1}>
            {t("review.page.title")} <bdi dir="ltr">{reference}</bdi>
          </Title>
          <Text fz="lg">{application.company.name}</Text>
          <Group gap="sm">
            <ApplicationStatusBadge status={application.status} />
            {application.fastTrack ? <FastTrackBadge /> : null}
          </Group>
        </Stack>
        <div role="status" aria-live="polite" tabIndex={-1} ref={statusRef} className="review-status">
          {announcement ? (
            <Alert color="green" variant="light">
              {announcement}
            </Alert>
          ) : null}
        </div>
        <Paper component="section" withBorder p="lg" aria-labelledby="review-company-title">
          <Stack gap="md">
            <Title order={2} id="review-company-title">
              {t("review.company.title")}
            </Title>
            <dl className="facts">
              <Fact label={t("applications.start.company")}>
                <Anchor component={Link} to={`/entreprises/${application.company.id}`}>
                  {application.company.name}
                </Anchor>
              </Fact>
              <Fact label={t("companies.list.ice")}>
                <bdi dir="ltr">{application.company.ice}</bdi>
              </Fact>
              <Fact label={t("review.queue.region")}>{regionName(application.company.regionCode)}</Fact>
              {application.company.city ? (
                <Fact label={t("companies.fields.city.label")}>{application.company.city}</Fact>
              ) : null}
              <Fact label={t("review.company.sector")}>{sectorName(application.company.sectorCode)}</Fact>
              <Fact label={t("applications.start.call")}>
                {pickLocalized(language, application.call.titleFr, application.call.titleAr)}
              </Fact>
              {application.submittedAt ? (
                <Fact label={t("applications.detail.submittedAt")}>
                  {formatInstant(application.submittedAt, language)}
                </Fact>
              ) : null}
            </dl>
            {application.filedViaMandate ? <Text>{t("applications.detail.viaMandate")}</Text> : null}
            {mayReview(user.role) && !conflicted && conflicts.isSuccess ? (
              <div>
                <DeclareConflict application={application} onDone={announce} />
              </div>
            ) : null}
          </Stack>
        </Paper>
        <DecisionPanel application={application} user={user} conflicted={conflicted} onDone={onTransition} />
        <ReviewAmounts application={application} />
        <ReviewEligibility application={application} />
        <DocumentReview
          application={application}
          selectedId={selectedId}
          onSelect={showDocument}
          viewerHeadingRef={viewerHeadingRef}
          onVerdict={onVerdict}
        />
        <ClaimReview
          application={application}
          onShowDocument={showDocument}
          onDone={(_claim, message) => {
            void queryClient.invalidateQueries({ queryKey: applicationKeys.detail(application.id) });
            refreshAround();
            announce(message);
          }}
        />
        <ProjectSection application={application} />
        <History application={application} />
      </Stack>
    </>
  );
}

function ReviewGuard({ user, id }: { user: User; id: string }) {
  if (!mayReview(user.role)) return <AccessReserved />;
  return (
    <ApplicationGate key={id} id={id}>
      {(application) => <Review application={application} user={user} />}
    </ApplicationGate>
  );
}

export function ReviewPage() {
  const { id = "" } = useParams();
  return <RequireAuth>{(user) => <ReviewGuard user={user} id={id} />}</RequireAuth>;
}
