import { Button, Stack, Text, Title } from "@mantine/core";
import { useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useCertificates, useEnrolments } from "../../api/training";
import type { User } from "../../api/types";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { StatusMessage } from "../../components/StatusMessage";
import { CertificateCard } from "./CertificateCard";
import { EnrolmentsTable } from "./EnrolmentsTable";
import { SESSIONS_PATH } from "./shared";

const PAGE_SIZE = 20;
const CERTIFICATES_QUERY = { page: 1, pageSize: 100 };

function pageFrom(params: URLSearchParams): number {
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function Enrolments({ user, onAnnounce }: { user: User; onAnnounce: (text: string) => void }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const enrolments = useEnrolments({ page: pageFrom(searchParams), pageSize: PAGE_SIZE });
  const prescriber = user.role === "prescriber";

  const body = () => {
    if (enrolments.isPending) return <ListSkeleton label={t("training.mine.loading")} />;
    if (enrolments.isError) {
      return (
        <QueryErrorAlert
          title={t("training.mine.errorTitle")}
          error={enrolments.error}
          onRetry={() => void enrolments.refetch()}
          retrying={enrolments.isFetching}
        />
      );
    }
    const { items, total, page, pageSize } = enrolments.data;
    if (items.length === 0) {
      return (
        <Stack gap="sm" className="empty-state" align="center">
          <Text>{prescriber ? t("training.mine.emptyPrescriber") : t("training.mine.empty")}</Text>
          <Button component={Link} to={SESSIONS_PATH} variant="light" size="md">
            {t("training.mine.browse")}
          </Button>
        </Stack>
      );
    }
    return (
      <Stack gap="md" aria-busy={enrolments.isFetching}>
        <EnrolmentsTable
          enrolments={items}
          caption={t("training.enrolments.caption", { count: total })}
          withPerson={prescriber}
          onCancelled={(cancelled) =>
            onAnnounce(
              t("training.enrolments.cancelDone", { name: cancelled.holderName, title: cancelled.session.title }),
            )
          }
        />
        <ListPagination
          label={t("training.mine.pagination")}
          page={page}
          totalPages={Math.ceil(total / pageSize)}
          onChange={(next) => {
            setSearchParams(next > 1 ? { page: String(next) } : {});
            headingRef.current?.focus();
          }}
        />
      </Stack>
    );
  };

  return (
    <section aria-labelledby="my-enrolments-title">
      <Stack gap="md">
        <Title order={2} id="my-enrolments-title" ref={headingRef} tabIndex={-1}>
          {prescriber ? t("training.mine.enrolmentsTitlePrescriber") : t("training.mine.enrolmentsTitle")}
        </Title>
        {body()}
      </Stack>
    </section>
  );
}

function Certificates() {
  const { t } = useTranslation();
  const certificates = useCertificates(CERTIFICATES_QUERY);
  const body = () => {
    if (certificates.isPending) return <ListSkeleton label={t("training.mine.certificatesLoading")} rows={2} />;
    if (certificates.isError) {
      return (
        <QueryErrorAlert
          title={t("training.mine.certificatesErrorTitle")}
          error={certificates.error}
          onRetry={() => void certificates.refetch()}
          retrying={certificates.isFetching}
        />
      );
    }
    const { items } = certificates.data;
    if (items.length === 0) {
      return <Text className="empty-state">{t("training.mine.certificatesEmpty")}</Text>;
    }
    return (
      <ul className="plain-list certificate-list">
        {items.map((certificate) => (
          <li key={certificate.id}>
            <CertificateCard certificate={certificate} />
          </li>
        ))}
      </ul>
    );
  };
  return (
    <section aria-labelledby="my-certificates-title">
      <Stack gap="md">
        <Title order={2} id="my-certificates-title">
          {t("training.mine.certificatesTitle")}
        </Title>
        {body()}
      </Stack>
    </section>
  );
}

function MyTraining({ user }: { user: User }) {
  const { t } = useTranslation();
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const prescriber = user.role === "prescriber";
  return (
    <>
      <title>{t("training.mine.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs" align="flex-start">
          <Title order={1}>{t("training.mine.title")}</Title>
          <Text fz="lg">{prescriber ? t("training.mine.introPrescriber") : t("training.mine.intro")}</Text>
          <Button component={Link} to={SESSIONS_PATH} variant="light" size="md">
            {t("training.mine.browse")}
          </Button>
        </Stack>
        <StatusMessage>{announcement}</StatusMessage>
        <Enrolments user={user} onAnnounce={setAnnouncement} />
        {prescriber ? null : <Certificates />}
      </Stack>
    </>
  );
}

/** Applicants enrol themselves, prescribers their clients' managers; staff have their own pages. */
export function mayEnrol(user: User): boolean {
  return user.role === "applicant" || user.role === "prescriber";
}

export function MyTrainingPage() {
  return <RequireAuth>{(user) => (mayEnrol(user) ? <MyTraining user={user} /> : <AccessReserved />)}</RequireAuth>;
}
