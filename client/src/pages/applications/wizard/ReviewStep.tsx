import { Alert, Anchor, Group, List, Paper, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { Fact } from "../../../components/Fact";
import type { Application } from "../../../api/applications";
import { pickLocalized } from "../../../i18n/languages";
import { useLanguage } from "../../../i18n/useLanguage";
import { useSectorName } from "../../companies/CompaniesPage";
import { AmountsPanel } from "../AmountsPanel";
import { DocumentsTable } from "../DocumentsTable";
import { EligibilityChecklist } from "../EligibilityChecklist";
import { LinesTable } from "../LinesTable";
import { stepPath, type WizardStep } from "./steps";
import { useStepNavigation } from "./useStepNavigation";
import { WizardActions } from "./WizardFrame";

interface ReviewSectionProps {
  id: string;
  title: string;
  applicationId: string;
  step: WizardStep;
  /** With a "Modifier" link to the step (the wizard's review); without, read-only (the detail page). */
  editable: boolean;
  children: ReactNode;
}

function ReviewSection({ id, title, applicationId, step, editable, children }: ReviewSectionProps) {
  const { t } = useTranslation();
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby={id}>
      <Stack gap="md">
        <Group justify="space-between" align="center" wrap="wrap" gap="sm">
          <Title order={2} fz="h3" id={id}>
            {title}
          </Title>
          {editable ? (
            <Anchor component={Link} to={stepPath(applicationId, step)} fw={700}>
              {t("applications.review.change")}
              <VisuallyHidden>{t("applications.review.changeWhat", { what: title })}</VisuallyHidden>
            </Anchor>
          ) : null}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

/** The whole file, as the server holds it, in the order of the steps, with the eligibility verdict. */
export function ApplicationSummarySections({ application, editable }: { application: Application; editable: boolean }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const sectorName = useSectorName();
  const { company, call } = application;
  const section = { applicationId: application.id, editable };
  return (
    <>
      <ReviewSection {...section} id="review-company" title={t("applications.wizard.steps.company")} step="company">
        <dl className="facts">
          <Fact label={t("applications.start.company")}>{company.name}</Fact>
          <Fact label={t("companies.list.ice")}>
            <bdi dir="ltr">{company.ice}</bdi>
          </Fact>
          <Fact label={t("applications.start.call")}>{pickLocalized(language, call.titleFr, call.titleAr)}</Fact>
        </dl>
      </ReviewSection>
      <ReviewSection {...section} id="review-solution" title={t("applications.wizard.steps.solution")} step="solution">
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
      </ReviewSection>
      <ReviewSection {...section} id="review-costs" title={t("applications.wizard.steps.costs")} step="costs">
        <LinesTable
          lines={application.lines}
          caption={t("applications.lines.caption", { count: application.lines.length })}
        />
        <AmountsPanel amounts={application} />
      </ReviewSection>
      <ReviewSection
        {...section}
        id="review-documents"
        title={t("applications.wizard.steps.documents")}
        step="documents"
      >
        {application.documents.length === 0 ? (
          <Text className="empty-state">{t("applications.documents.none")}</Text>
        ) : (
          <DocumentsTable
            applicationId={application.id}
            documents={application.documents}
            caption={t("applications.documents.caption", { count: application.documents.length })}
            withType
            withDownload={application.permissions.downloadDocument !== false}
          />
        )}
      </ReviewSection>
    </>
  );
}

export function EligibilitySection({ application, withRemedies }: { application: Application; withRemedies: boolean }) {
  const { t } = useTranslation();
  const failed = application.eligibility.filter((criterion) => !criterion.ok).length;
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="eligibility-title">
      <Stack gap="md">
        <Title order={2} fz="h3" id="eligibility-title">
          {t("applications.eligibility.title")}
        </Title>
        {application.eligible ? (
          <Alert color="green" variant="light">
            {t("applications.eligibility.allOk")}
          </Alert>
        ) : (
          <Alert color="yellow" variant="light">
            {t("applications.eligibility.someKo", { count: failed })}
          </Alert>
        )}
        <EligibilityChecklist
          criteria={application.eligibility}
          applicationId={application.id}
          companyId={application.company.id}
          withRemedies={withRemedies}
        />
      </Stack>
    </Paper>
  );
}

/** Step 5: everything at a glance, a "Modifier" link per topic, and what still stands in the way. */
export function ReviewStep({ application }: { application: Application }) {
  const { t } = useTranslation();
  const goTo = useStepNavigation(application.id);
  const next = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    goTo("submit");
  };
  return (
    <Stack gap="lg">
      <Text fz="lg">{t("applications.review.intro")}</Text>
      <EligibilitySection application={application} withRemedies />
      <ApplicationSummarySections application={application} editable />
      <form onSubmit={next}>
        <WizardActions submitting={false} previousTo={stepPath(application.id, "documents")} />
      </form>
    </Stack>
  );
}
