import { Anchor, Button, Group, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { User } from "../../../api/types";
import { SubmitButton } from "../../../components/forms/SubmitButton";
import { STEP_COUNT, stepNumber, stepPath, WIZARD_STEPS, type WizardStep } from "./steps";

/** Where the person is among the six steps; once the draft exists every step is a link. */
function WizardStepper({ current, applicationId }: { current: WizardStep; applicationId: string | null }) {
  const { t } = useTranslation();
  const currentNumber = stepNumber(current);
  return (
    <nav aria-label={t("applications.wizard.stepsLabel")}>
      <ol className="wizard-steps">
        {WIZARD_STEPS.map((step) => {
          const number = stepNumber(step);
          const state = step === current ? "current" : number < currentNumber ? "done" : "todo";
          const content = (
            <>
              <span className="wizard-steps__number" aria-hidden="true">
                {number}
              </span>
              <span className="wizard-steps__label">
                <VisuallyHidden>{t("applications.wizard.stepOf", { number, count: STEP_COUNT })} </VisuallyHidden>
                {t(`applications.wizard.steps.${step}`)}
                {state === "current" ? <VisuallyHidden>{t("applications.wizard.currentStep")}</VisuallyHidden> : null}
              </span>
            </>
          );
          return (
            <li key={step} className={`wizard-steps__item wizard-steps__item--${state}`}>
              {applicationId && state !== "current" ? (
                <Link to={stepPath(applicationId, step)} className="wizard-steps__link">
                  {content}
                </Link>
              ) : (
                <span className="wizard-steps__link" aria-current={state === "current" ? "step" : undefined}>
                  {content}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

interface WizardFrameProps {
  step: WizardStep;
  applicationId: string | null;
  user: User;
  companyName?: string;
  children: ReactNode;
}

/**
 * Every step: a way back to the list, "Étape 3 sur 6" and the company, the step's own heading
 * (focused when the step changes, as a new page would be read), the stepper, then the step.
 */
export function WizardFrame({ step, applicationId, user, companyName, children }: WizardFrameProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  const number = stepNumber(step);
  const title = t(`applications.wizard.titles.${step}`);

  useEffect(() => {
    if (shownStep.current !== step) {
      shownStep.current = step;
      heading.current?.focus();
    }
  }, [step]);

  return (
    <>
      <title>
        {t("applications.wizard.documentTitle", {
          number,
          count: STEP_COUNT,
          title,
        })}
      </title>
      <Stack gap="xl" maw={960}>
        <Stack gap="xs">
          <Anchor component={Link} to="/dossiers">
            {user.role === "prescriber" ? t("applications.list.backClients") : t("applications.list.back")}
          </Anchor>
          <Text fw={700} c="dimmed">
            {t("applications.wizard.stepOf", { number, count: STEP_COUNT })}
            {companyName ? ` — ${companyName}` : ""}
          </Text>
          <Title order={1} ref={heading} tabIndex={-1}>
            {title}
          </Title>
        </Stack>
        <WizardStepper current={step} applicationId={applicationId} />
        {children}
      </Stack>
    </>
  );
}

interface WizardActionsProps {
  submitting: boolean;
  submitLabel?: string;
  onPrevious?: () => void;
  previousTo?: string;
  previousBusy?: boolean;
}

/** "Précédent" then the step's main action, always in the same place. */
export function WizardActions({ submitting, submitLabel, onPrevious, previousTo, previousBusy }: WizardActionsProps) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" className="wizard-actions">
      {previousTo ? (
        <Button component={Link} to={previousTo} variant="default" size="md">
          {t("applications.wizard.previous")}
        </Button>
      ) : onPrevious ? (
        <Button variant="default" size="md" onClick={onPrevious} loading={previousBusy} disabled={submitting}>
          {t("applications.wizard.previous")}
        </Button>
      ) : null}
      <SubmitButton submitting={submitting}>{submitLabel ?? t("applications.wizard.continue")}</SubmitButton>
    </Group>
  );
}
