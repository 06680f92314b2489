// The wizard's steps, one topic each, and the addresses that lead to them. Step 1 of a new file is
// /dossiers/nouveau; once the draft exists every step is /dossiers/:id/modifier?etape=N.
import type { EligibilityRule } from "../../../api/applications";

export const WIZARD_STEPS = ["company", "solution", "costs", "documents", "review", "submit"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
export const STEP_COUNT = WIZARD_STEPS.length;

export function stepNumber(step: WizardStep): number {
  return WIZARD_STEPS.indexOf(step) + 1;
}

/** "?etape=3" → "costs"; anything else → the first step after the company (the draft exists). */
export function stepFrom(param: string | null): WizardStep {
  const number = Number.parseInt(param ?? "", 10);
  return WIZARD_STEPS[number - 1] ?? "solution";
}

export function stepPath(applicationId: string, step: WizardStep): string {
  return `/dossiers/${applicationId}/modifier?etape=${stepNumber(step)}`;
}

export function applicationPagePath(applicationId: string): string {
  return `/dossiers/${applicationId}`;
}

export function newApplicationPath(companyId?: string): string {
  return companyId ? `/dossiers/nouveau?entreprise=${encodeURIComponent(companyId)}` : "/dossiers/nouveau";
}

/**
 * Where a failed criterion is put right: a step of the wizard, the company's profile (age,
 * turnover), the company's other files, or nowhere (the call is closed).
 */
export type Remedy =
  | { kind: "step"; step: "solution" | "costs" | "documents" }
  | { kind: "company" }
  | { kind: "otherApplications" }
  | { kind: "none" };

export const REMEDIES: Record<EligibilityRule, Remedy> = {
  call_open: { kind: "none" },
  sector: { kind: "step", step: "solution" },
  company_age: { kind: "company" },
  turnover: { kind: "company" },
  investment: { kind: "step", step: "costs" },
  quote: { kind: "step", step: "documents" },
  tax_and_cnss: { kind: "step", step: "documents" },
  no_other_open_application: { kind: "otherApplications" },
};
