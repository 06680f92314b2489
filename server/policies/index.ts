import type {
  Application,
  Certificate,
  CertificateJob,
  Company,
  Enrolment,
  Mandate,
  TrainingSession,
  User,
} from "../models/index.js";
import { PolicyRegistry, type PolicyContext } from "./registry.js";

export type { PolicyContext };

/** A company with its mandates loaded: what every company decision looks at. */
export interface CompanyRecord {
  company: Company;
  mandates: Mandate[];
}

export const COMPANY_ACTIONS = [
  "read",
  "update",
  "listMandates",
  "grantMandate",
  "revokeMandate",
  "createApplication",
] as const;
export type CompanyAction = (typeof COMPANY_ACTIONS)[number];

export const MANDATE_ACTIONS = ["read", "revoke"] as const;
export type MandateAction = (typeof MANDATE_ACTIONS)[number];

/** An application with its company's record: the file belongs to whoever acts for the company. */
export interface ApplicationRecord {
  application: Application;
  companyRecord: CompanyRecord;
  /** Officers (and admins) who declared an interest in the company: they never act on its files. */
  conflictedUserIds: readonly string[];
}

export const APPLICATION_ACTIONS = [
  "read",
  "update",
  "uploadDocument",
  "deleteDocument",
  "downloadDocument",
  "submit",
  "withdraw",
  "readHistory",
  "downloadReceipt",
  "submitClaim",
  "startReview",
  "requestInfo",
  "examine",
  "approve",
  "reject",
  "verifyDocument",
  "verifyClaim",
  "payClaim",
  "close",
  "cancel",
] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

interface Subjects {
  [subject: string]: { record: unknown; action: string };
  Company: { record: CompanyRecord; action: CompanyAction };
  Mandate: { record: { mandate: Mandate; company: Company }; action: MandateAction };
  Application: { record: ApplicationRecord; action: ApplicationAction };
  TrainingSession: { record: TrainingSession; action: SessionAction };
  Enrolment: { record: EnrolmentRecord; action: EnrolmentAction };
  Certificate: { record: CertificateRecord; action: CertificateAction };
  CertificateJob: { record: { job: CertificateJob; session: TrainingSession }; action: "read" };
}

export const SESSION_ACTIONS = ["read", "update", "enrol", "manage", "issueCertificates"] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

/**
 * An enrolment with its session (the trainer of the session manages it) and the unrevoked
 * mandates of its company (a prescriber follows a client's enrolment only while it acts for it).
 */
export interface EnrolmentRecord {
  enrolment: Enrolment;
  session: TrainingSession;
  mandates: readonly Mandate[];
}
export const ENROLMENT_ACTIONS = ["read", "cancel", "recordResult"] as const;
export type EnrolmentAction = (typeof ENROLMENT_ACTIONS)[number];

export interface CertificateRecord {
  certificate: Certificate;
  session: TrainingSession;
}
export const CERTIFICATE_ACTIONS = ["read", "download", "revoke"] as const;
export type CertificateAction = (typeof CERTIFICATE_ACTIONS)[number];

export const policies = new PolicyRegistry<Subjects>();

const ownsCompany = (actor: User, company: Company) => actor.role === "applicant" && company.ownerId === actor.id;

/** The actor's live mandate on this company, if it is a prescriber holding one today. */
export function liveMandateOf(actor: User, record: CompanyRecord, today: string): Mandate | null {
  if (actor.role !== "prescriber") return null;
  return record.mandates.find((mandate) => mandate.prescriberId === actor.id && mandate.isLiveOn(today)) ?? null;
}

// The owner runs its company.
policies.allow("Company", COMPANY_ACTIONS, (actor, { company }) => ownsCompany(actor, company));

// A prescriber acts for the company while its mandate lives; it never hands out mandates itself.
policies.allow(
  "Company",
  ["read", "update", "listMandates", "createApplication"],
  (actor, record, { today }) => liveMandateOf(actor, record, today) !== null,
);

// Programme officers and administrators see every company; they change none.
policies.allow("Company", ["read", "listMandates"], (actor) => actor.role === "officer" || actor.role === "admin");

policies.allow("Mandate", ["read", "revoke"], (actor, { company }) => ownsCompany(actor, company));
policies.allow(
  "Mandate",
  ["read"],
  (actor, { mandate }) => actor.role === "prescriber" && mandate.prescriberId === actor.id,
);
policies.allow("Mandate", ["read"], (actor) => actor.role === "officer" || actor.role === "admin");

const APPLICANT_ACTIONS = [
  "read",
  "update",
  "uploadDocument",
  "deleteDocument",
  "downloadDocument",
  "submit",
  "withdraw",
  "readHistory",
  "downloadReceipt",
  "submitClaim",
] as const satisfies readonly ApplicationAction[];

// An application is the company's: its owner and the prescribers it mandates file and follow it.
// Whether the file's status allows an action is the status machine's answer (409), not a policy's.
policies.allow("Application", APPLICANT_ACTIONS, (actor, { companyRecord }) =>
  ownsCompany(actor, companyRecord.company),
);
policies.allow(
  "Application",
  APPLICANT_ACTIONS,
  (actor, { companyRecord }, { today }) => liveMandateOf(actor, companyRecord, today) !== null,
);

const actsFreely = (actor: User, record: ApplicationRecord) =>
  record.application.reference !== null && !record.conflictedUserIds.includes(actor.id);

// Programme officers instruct submitted files, except those of companies they declared an interest in.
policies.allow(
  "Application",
  ["startReview", "requestInfo", "examine", "verifyDocument", "verifyClaim", "payClaim", "close"],
  (actor, record) => actor.role === "officer" && actsFreely(actor, record),
);

// Four-eyes: the decision belongs to a second officer, never to the one who examined the file.
policies.allow(
  "Application",
  ["approve", "reject"],
  (actor, record) =>
    actor.role === "officer" && actsFreely(actor, record) && record.application.examinedBy !== actor.id,
);

// Cancelling an approved grant (and releasing its money) is the programme manager's decision.
policies.allow("Application", ["cancel"], (actor, record) => actor.role === "admin" && actsFreely(actor, record));

// Officers and administrators see a file once it has been submitted; a draft is the company's own.
policies.allow(
  "Application",
  ["read", "downloadDocument", "readHistory", "downloadReceipt"],
  (actor, { application }) => (actor.role === "officer" || actor.role === "admin") && application.reference !== null,
);

// The Permis Numérique. Sessions are public; a trainer runs its own, the administrator all of them.
const runsSession = (actor: User, session: TrainingSession) =>
  actor.role === "admin" || (actor.role === "trainer" && session.trainerId === actor.id);
policies.allow("TrainingSession", ["read"], () => true);
policies.allow("TrainingSession", ["update", "manage", "issueCertificates"], runsSession);
// Managers enrol themselves, prescribers enrol their clients' managers.
policies.allow("TrainingSession", ["enrol"], (actor) => actor.role === "applicant" || actor.role === "prescriber");

// The person enrolled, whoever enrolled them, and those who run the session. A prescriber enrolled a
// client's manager under a mandate: once the mandate is revoked or expired, the enrolment is no longer its business.
const concernsEnrolment = (actor: User, { enrolment, mandates }: EnrolmentRecord, today: string) => {
  if (enrolment.userId === actor.id) return true;
  if (enrolment.enrolledBy !== actor.id) return false;
  if (actor.role !== "prescriber") return true;
  return mandates.some(
    (mandate) =>
      mandate.companyId === enrolment.companyId && mandate.prescriberId === actor.id && mandate.isLiveOn(today),
  );
};
policies.allow("Enrolment", ["read", "cancel"], (actor, record, { today }) => concernsEnrolment(actor, record, today));
policies.allow("Enrolment", ["read", "recordResult"], (actor, { session }) => runsSession(actor, session));
policies.allow("Enrolment", ["cancel"], (actor) => actor.role === "admin");

// A certificate is shown to its holder, officers (fast track), administrators, and the trainer of
// its session; the PDF and the signed credential go to the holder, officers and administrators.
const holds = (actor: User, certificate: Certificate) =>
  certificate.holderUserId !== null && certificate.holderUserId === actor.id;
policies.allow("Certificate", ["read", "download"], (actor, { certificate }) => holds(actor, certificate));
policies.allow("Certificate", ["read", "download"], (actor) => actor.role === "officer" || actor.role === "admin");
policies.allow("Certificate", ["read"], (actor, { session }) => runsSession(actor, session));
policies.allow("Certificate", ["revoke"], (actor) => actor.role === "admin");

policies.allow(
  "CertificateJob",
  ["read"],
  (actor, { job, session }) => job.requestedBy === actor.id || runsSession(actor, session),
);
