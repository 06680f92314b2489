import { useNavigate } from "react-router";
import { stepPath, type WizardStep } from "./steps";

/** Moves to another step of the same draft (the address says which: ?etape=N). */
export function useStepNavigation(applicationId: string) {
  const navigate = useNavigate();
  return (step: WizardStep) => void navigate(stepPath(applicationId, step));
}
