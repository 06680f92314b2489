import { useTranslation } from "react-i18next";
import type { ApplicationStatus } from "../../api/applications";

// Colour follows meaning (not started, in progress, to act on, good, stopped); the words always
// say it too. Three tones are the account badges' own (styles.css "user-status--…").
const NEUTRAL = "user-status--disabled";
const PROGRESS = "application-status--progress";
const ATTENTION = "user-status--unverified";
const SUCCESS = "user-status--active";
const STOPPED = "application-status--stopped";

const TONE: Record<ApplicationStatus, string> = {
  draft: NEUTRAL,
  submitted: PROGRESS,
  in_review: PROGRESS,
  info_requested: ATTENTION,
  examined: PROGRESS,
  approved: SUCCESS,
  rejected: STOPPED,
  claim_submitted: PROGRESS,
  paid: SUCCESS,
  closed: NEUTRAL,
  withdrawn: STOPPED,
  cancelled: STOPPED,
};

export function ApplicationStatusBadge({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return <span className={`user-status application-status ${TONE[status]}`}>{t(`applications.status.${status}`)}</span>;
}
