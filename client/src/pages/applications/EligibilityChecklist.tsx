import { Anchor, Text, VisuallyHidden } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { EligibilityCriterion, EligibilityRule } from "../../api/applications";
import { REMEDIES, stepPath } from "./wizard/steps";

interface ChecklistProps {
  criteria: EligibilityCriterion[];
  applicationId: string;
  companyId: string;
  /** Links to where each failed criterion is put right (only for people who may change the file). */
  withRemedies: boolean;
  /** Only these criteria, e.g. the documents step shows "quote" and "tax_and_cnss". */
  only?: EligibilityRule[];
}

function RemedyLink({
  rule,
  applicationId,
  companyId,
}: {
  rule: EligibilityRule;
  applicationId: string;
  companyId: string;
}) {
  const { t } = useTranslation();
  const remedy = REMEDIES[rule];
  const ruleName = t(`applications.eligibility.rules.${rule}`);
  switch (remedy.kind) {
    case "step":
      return (
        <Anchor component={Link} to={stepPath(applicationId, remedy.step)}>
          {t(`applications.eligibility.fix.${remedy.step}`)}
          <VisuallyHidden>{t("applications.eligibility.fixFor", { rule: ruleName })}</VisuallyHidden>
        </Anchor>
      );
    case "company":
      return (
        <Anchor component={Link} to={`/entreprises/${companyId}`}>
          {t("applications.eligibility.fix.company")}
          <VisuallyHidden>{t("applications.eligibility.fixFor", { rule: ruleName })}</VisuallyHidden>
        </Anchor>
      );
    case "otherApplications":
      return (
        <Anchor component={Link} to={`/dossiers?entreprise=${encodeURIComponent(companyId)}`}>
          {t("applications.eligibility.fix.otherApplications")}
        </Anchor>
      );
    default:
      return null;
  }
}

/** Each criterion with ✓ or ✗ and the server's own sentence; the marks are spelled out for screen readers. */
export function EligibilityChecklist({ criteria, applicationId, companyId, withRemedies, only }: ChecklistProps) {
  const { t } = useTranslation();
  const shown = only ? criteria.filter((criterion) => only.includes(criterion.rule)) : criteria;
  return (
    <ul className="plain-list checklist">
      {shown.map((criterion) => (
        <li
          key={criterion.rule}
          className={`checklist__item ${criterion.ok ? "checklist__item--ok" : "checklist__item--ko"}`}
        >
          <span className="checklist__mark" aria-hidden="true">
            {criterion.ok ? "✓" : "✗"}
          </span>
          <div className="checklist__body">
            <Text fw={700}>
              <VisuallyHidden>
                {criterion.ok ? t("applications.eligibility.okPrefix") : t("applications.eligibility.koPrefix")}
              </VisuallyHidden>
              {t(`applications.eligibility.rules.${criterion.rule}`)}
            </Text>
            <Text>{criterion.detail}</Text>
            {withRemedies && !criterion.ok ? (
              <RemedyLink rule={criterion.rule} applicationId={applicationId} companyId={companyId} />
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
