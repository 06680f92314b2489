import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Enrolment, TrainingSession } from "../../api/training";
import { formatInstant, TIME_ZONE } from "../../format";
import { localeOf, type Language } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { instantToCasablanca } from "./casablancaTime";

export const TRAINER_HOME = "/formateur";
export const trainerSessionPath = (id: string) => `/formateur/sessions/${encodeURIComponent(id)}`;

/** What the sessions page tells the session page it leads to (router state). */
export interface TrainerFlashState {
  sessionCreated?: boolean;
}

// The tones of the account badges (styles.css "user-status--…"); the words always say it too.
const NEUTRAL = "user-status--disabled";
const PROGRESS = "application-status--progress";
const ATTENTION = "user-status--unverified";
const SUCCESS = "user-status--active";
const STOPPED = "application-status--stopped";

/** Where the session stands, from the server's own clock (hasStarted), never the browser's. */
export function SessionStateBadge({ session }: { session: TrainingSession }) {
  const { t } = useTranslation();
  if (session.status === "cancelled") {
    return <span className={`user-status ${STOPPED}`}>{t("trainer.sessionState.cancelled")}</span>;
  }
  return session.hasStarted ? (
    <span className={`user-status ${NEUTRAL}`}>{t("trainer.sessionState.started")}</span>
  ) : (
    <span className={`user-status ${PROGRESS}`}>{t("trainer.sessionState.upcoming")}</span>
  );
}

const ENROLMENT_TONE: Record<Enrolment["status"], string> = {
  enrolled: PROGRESS,
  waitlisted: ATTENTION,
  cancelled: NEUTRAL,
  attended: PROGRESS,
  passed: SUCCESS,
  failed: STOPPED,
};

/** "Réussi", "Absent — non réussi", "Liste d'attente — position 2": the status in words. */
export function enrolmentStatusText(enrolment: Enrolment, t: TFunction): string {
  switch (enrolment.status) {
    case "enrolled":
      return t("trainer.enrolmentStatus.enrolled");
    case "waitlisted":
      return enrolment.waitlistPosition === null
        ? t("trainer.enrolmentStatus.waitlisted")
        : t("trainer.enrolmentStatus.waitlistedAt", { position: enrolment.waitlistPosition });
    case "cancelled":
      return t("trainer.enrolmentStatus.cancelled");
    case "attended":
      return t("trainer.enrolmentStatus.attended");
    case "passed":
      return t("trainer.enrolmentStatus.passed");
    case "failed":
      return enrolment.attended === false ? t("trainer.enrolmentStatus.absent") : t("trainer.enrolmentStatus.failed");
  }
}

export function EnrolmentStatusBadge({ enrolment }: { enrolment: Enrolment }) {
  const { t } = useTranslation();
  return (
    <span className={`user-status application-status ${ENROLMENT_TONE[enrolment.status]}`}>
      {enrolmentStatusText(enrolment, t)}
    </span>
  );
}

const timeFormats = new Map<Language, Intl.DateTimeFormat>();

function formatTime(iso: string, language: Language): string {
  let format = timeFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(language), { timeStyle: "short", timeZone: TIME_ZONE });
    timeFormats.set(language, format);
  }
  return format.format(new Date(iso));
}

/** "1 juillet 2026 à 09:00 – 17:00" within one day, both dates in full otherwise; Moroccan time. */
export function formatSessionDates(session: Pick<TrainingSession, "startsAt" | "endsAt">, language: Language): string {
  const start = formatInstant(session.startsAt, language);
  const sameDay = instantToCasablanca(session.startsAt).date === instantToCasablanca(session.endsAt).date;
  return `${start} – ${sameDay ? formatTime(session.endsAt, language) : formatInstant(session.endsAt, language)}`;
}

export function SessionDates({ session }: { session: Pick<TrainingSession, "startsAt" | "endsAt"> }) {
  const { language } = useLanguage();
  return <>{formatSessionDates(session, language)}</>;
}
