/**
 * The application's status machine (SPEC.md "Rules"). Who may ask for a transition is a policy
 * question; whether the application's current status allows it is this table's, and a
 * transition it does not list answers 409.
 */

export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "in_review",
  "info_requested",
  "examined",
  "approved",
  "rejected",
  "claim_submitted",
  "paid",
  "closed",
  "withdrawn",
  "cancelled",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_TRANSITIONS = {
  submit: { from: ["draft", "info_requested"], to: "submitted" },
  withdraw: { from: ["draft", "submitted", "info_requested"], to: "withdrawn" },
  startReview: { from: ["submitted"], to: "in_review" },
  requestInfo: { from: ["in_review"], to: "info_requested" },
  examine: { from: ["in_review"], to: "examined" },
  approve: { from: ["examined"], to: "approved" },
  reject: { from: ["examined"], to: "rejected" },
  submitClaim: { from: ["approved"], to: "claim_submitted" },
  pay: { from: ["claim_submitted"], to: "paid" },
  close: { from: ["paid"], to: "closed" },
  cancel: { from: ["approved"], to: "cancelled" },
} as const satisfies Record<string, { from: readonly ApplicationStatus[]; to: ApplicationStatus }>;
export type ApplicationTransition = keyof typeof APPLICATION_TRANSITIONS;

/** Statuses in which the applicant may still change the file (answers, lines, documents). */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ["draft", "info_requested"];

/**
 * Statuses of a file that is "open" in its call: one per company and call (a partial unique
 * index in the database says the same). Drafts are not open; finished files are not either.
 */
export const OPEN_STATUSES: readonly ApplicationStatus[] = [
  "submitted",
  "in_review",
  "info_requested",
  "examined",
  "approved",
  "claim_submitted",
  "paid",
];

/** Statuses in which an officer checks the documents one by one. */
export const REVIEWABLE_STATUSES: readonly ApplicationStatus[] = ["in_review", "examined"];

/** Statuses whose approved amount counts against the company's cap in the programme. */
export const GRANTED_STATUSES: readonly ApplicationStatus[] = ["approved", "claim_submitted", "paid", "closed"];

export function allowsTransition(status: ApplicationStatus, transition: ApplicationTransition): boolean {
  return (APPLICATION_TRANSITIONS[transition].from as readonly ApplicationStatus[]).includes(status);
}

export function isEditable(status: ApplicationStatus): boolean {
  return EDITABLE_STATUSES.includes(status);
}
