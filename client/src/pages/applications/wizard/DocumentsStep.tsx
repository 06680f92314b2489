import { Paper, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Application, DocumentType } from "../../../api/applications";
import { ErrorSummary } from "../../../components/forms/ErrorSummary";
import { DocumentTypeBlock, useDocumentUploads } from "../DocumentUploads";
import { EligibilityChecklist } from "../EligibilityChecklist";
import { stepPath } from "./steps";
import { useStepNavigation } from "./useStepNavigation";
import { WizardActions } from "./WizardFrame";

interface DocumentGroup {
  id: "quote" | "certificates" | "optional";
  types: DocumentType[];
}

const GROUPS: DocumentGroup[] = [
  { id: "quote", types: ["quote"] },
  { id: "certificates", types: ["tax_certificate", "cnss_certificate", "sworn_declaration"] },
  { id: "optional", types: ["rc_extract", "statutes", "financial_statements", "other"] },
];

const ALL_TYPES = GROUPS.flatMap((group) => group.types);

/** Step 4: the supporting documents, each sent as soon as it is chosen, with a real progress bar. */
export function DocumentsStep({ application }: { application: Application }) {
  const { t } = useTranslation();
  const goTo = useStepNavigation(application.id);
  const { items, announcement, summaryKey, blockProps } = useDocumentUploads(application, ALL_TYPES);

  const next = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    goTo("review");
  };

  return (
    <Stack gap="lg">
      {items.length > 0 ? (
        <ErrorSummary
          title={t("applications.documents.summaryTitle", { count: items.length })}
          items={items}
          focusKey={summaryKey}
        />
      ) : null}
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
      <Text fz="lg">{t("applications.documents.intro")}</Text>
      <Paper withBorder p="lg" component="section" aria-labelledby="documents-required">
        <Stack gap="sm">
          <Title order={2} fz="h3" id="documents-required">
            {t("applications.documents.requiredTitle")}
          </Title>
          <EligibilityChecklist
            criteria={application.eligibility}
            applicationId={application.id}
            companyId={application.company.id}
            withRemedies={false}
            only={["quote", "tax_and_cnss"]}
          />
        </Stack>
      </Paper>
      {GROUPS.map((group) => (
        <section key={group.id} aria-labelledby={`documents-group-${group.id}`} className="document-group">
          <Stack gap="lg">
            <Stack gap={4}>
              <Title order={2} id={`documents-group-${group.id}`}>
                {t(`applications.documents.groups.${group.id}.title`)}
              </Title>
              <Text>
                {group.types.length === 1 && group.types[0]
                  ? t(`applications.documentTypes.${group.types[0]}.hint`)
                  : t(`applications.documents.groups.${group.id}.text`)}
              </Text>
            </Stack>
            {group.types.map((type) => (
              <DocumentTypeBlock key={type} {...blockProps(type)} titled={group.types.length > 1} />
            ))}
          </Stack>
        </section>
      ))}
      <form onSubmit={next}>
        <WizardActions submitting={false} previousTo={stepPath(application.id, "costs")} />
      </form>
    </Stack>
  );
}
