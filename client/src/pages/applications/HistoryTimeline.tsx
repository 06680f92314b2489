import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { HistoryEntry } from "../../api/applications";
import type { Role } from "../../api/types";
import { formatInstant } from "../../format";
import { useLanguage } from "../../i18n/useLanguage";
import { ApplicationStatusBadge } from "./StatusBadge";

const ROLES: Role[] = ["applicant", "prescriber", "officer", "trainer", "admin"];

function isRole(value: string | null): value is Role {
  return ROLES.includes(value as Role);
}

/** Each status change, oldest first, with its Moroccan date and time, who made it and why. */
export function HistoryTimeline({ entries }: { entries: HistoryEntry[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (entries.length === 0) {
    return <Text className="empty-state">{t("applications.history.empty")}</Text>;
  }
  return (
    <ol className="plain-list timeline">
      {entries.map((entry) => (
        <li key={entry.id} className="timeline__item">
          <div className="timeline__head">
            <ApplicationStatusBadge status={entry.toStatus} />
            <Text component="time" dateTime={entry.at} fw={700}>
              {formatInstant(entry.at, language)}
            </Text>
          </div>
          <Text fz="sm">
            {entry.fromStatus
              ? t("applications.history.change", {
                  from: t(`applications.status.${entry.fromStatus}`),
                  to: t(`applications.status.${entry.toStatus}`),
                })
              : t("applications.history.created", { to: t(`applications.status.${entry.toStatus}`) })}
          </Text>
          {entry.actorName ? (
            <Text fz="sm">
              {isRole(entry.actorRole)
                ? t("applications.history.byWithRole", { name: entry.actorName, role: t(`roles.${entry.actorRole}`) })
                : t("applications.history.by", { name: entry.actorName })}
            </Text>
          ) : null}
          {entry.comment ? <blockquote className="timeline__comment">{entry.comment}</blockquote> : null}
        </li>
      ))}
    </ol>
  );
}
