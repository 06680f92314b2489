// Pieces shared by the public and the applicant/prescriber training pages: when a session takes
// place (Moroccan time), where, how many seats are left, and the statuses said in words.
import { useTranslation } from "react-i18next";
import type { CertificateStatus, Enrolment, EnrolmentStatus, TrainingSession } from "../../api/training";
import { formatInstantDay, TIME_ZONE } from "../../format";
import { localeOf, type Language } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";

export const sessionPagePath = (id: string) => `/formations/${encodeURIComponent(id)}`;
export const MY_TRAINING_PATH = "/mes-formations";
export const SESSIONS_PATH = "/formations";
export const VERIFY_PATH = "/verify";

const timeFormats = new Map<Language, Intl.DateTimeFormat>();
const dayKeyFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** "2026-07-01T08:00:00Z" → "09:00", Moroccan time. */
export function formatTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = timeFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(language), { timeStyle: "short", timeZone: TIME_ZONE });
    timeFormats.set(language, format);
  }
  return format.format(date);
}

/** The calendar day in Morocco, "YYYY-MM-DD". */
export function casablancaDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayKeyFormat.format(date);
}

type When = Pick<TrainingSession, "startsAt" | "endsAt">;

/** "1 juillet 2026" and "de 09:00 à 17:00" (or a range of days), always in Moroccan time. */
export function useSessionWhen() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (session: When) => {
    const sameDay = casablancaDay(session.startsAt) === casablancaDay(session.endsAt);
    const day = sameDay
      ? formatInstantDay(session.startsAt, language)
      : t("training.dayRange", {
          start: formatInstantDay(session.startsAt, language),
          end: formatInstantDay(session.endsAt, language),
        });
    const time = t("training.timeRange", {
      start: formatTime(session.startsAt, language),
      end: formatTime(session.endsAt, language),
    });
    return { day, time };
  };
}

/** The venue, or "En ligne" for a session with only an online link. */
export function usePlace() {
  const { t } = useTranslation();
  return (session: Pick<TrainingSession, "venue" | "onlineUrl">) =>
    session.venue && session.venue.trim() !== "" ? session.venue : t("training.online");
}

/** "2 places restantes", or "Complet — liste d'attente" once every seat is taken. */
export function SeatsLeft({ session }: { session: Pick<TrainingSession, "seatsLeft"> }) {
  const { t } = useTranslation();
  if (session.seatsLeft <= 0) {
    return <span className="user-status user-status--unverified">{t("training.full")}</span>;
  }
  return <>{t("training.seatsLeft", { count: session.seatsLeft })}</>;
}

// Colour follows meaning; the words always say it too (see applications/StatusBadge.tsx).
const TONE: Record<EnrolmentStatus, string> = {
  enrolled: "user-status--active",
  waitlisted: "user-status--unverified",
  cancelled: "user-status--disabled",
  attended: "application-status--progress",
  passed: "user-status--active",
  failed: "application-status--stopped",
};

type BadgeEnrolment = Pick<Enrolment, "status" | "waitlistPosition"> & { attended?: boolean | null };

/** "Inscription confirmée", "Liste d'attente — position 2", "Absent"… */
export function enrolmentStatusKey(enrolment: BadgeEnrolment) {
  if (enrolment.status === "failed" && enrolment.attended === false) return "training.status.absent" as const;
  return `training.status.${enrolment.status}` as const;
}

export function EnrolmentStatusBadge({ enrolment }: { enrolment: BadgeEnrolment }) {
  const { t } = useTranslation();
  const label =
    enrolment.status === "waitlisted" && enrolment.waitlistPosition !== null
      ? t("training.waitlistPosition", { position: enrolment.waitlistPosition })
      : t(enrolmentStatusKey(enrolment));
  return <span className={`user-status application-status ${TONE[enrolment.status]}`}>{label}</span>;
}

export function CertificateStatusBadge({ status }: { status: CertificateStatus }) {
  const { t } = useTranslation();
  const tone = status === "valid" ? "user-status--active" : "application-status--stopped";
  return <span className={`user-status application-status ${tone}`}>{t(`training.certificateStatus.${status}`)}</span>;
}
