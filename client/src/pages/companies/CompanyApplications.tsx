import { Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useApplications } from "../../api/queries";
import type { Company } from "../../api/types";
import { LoadingStatus } from "../../components/LoadingStatus";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { ApplicationsTable } from "../applications/ApplicationsTable";
import { newApplicationPath } from "../applications/wizard/steps";

const PAGE_SIZE = 10;

/** The company's files (newest change first) and, for whoever may file one, "Nouveau dossier". */
export function CompanyApplications({ company }: { company: Company }) {
  const { t } = useTranslation();
  const applications = useApplications({ companyId: company.id, page: 1, pageSize: PAGE_SIZE });

  const list = () => {
    if (applications.isPending) return <LoadingStatus label={t("applications.list.loading")} />;
    if (applications.isError) {
      return (
        <QueryErrorAlert
          title={t("applications.list.errorTitle")}
          error={applications.error}
          onRetry={() => void applications.refetch()}
          retrying={applications.isFetching}
        />
      );
    }
    const { items, total } = applications.data;
    if (items.length === 0) {
      return <Text className="empty-state">{t("companies.applications.empty")}</Text>;
    }
    return (
      <Stack gap="sm">
        <ApplicationsTable
          applications={items}
          withCompany={false}
          caption={t("companies.applications.caption", { count: total })}
        />
        {total > items.length ? (
          <Anchor component={Link} to={`/dossiers?entreprise=${encodeURIComponent(company.id)}`}>
            {t("companies.applications.all", { count: total })}
          </Anchor>
        ) : null}
      </Stack>
    );
  };

  return (
    <Paper component="section" withBorder p="lg" aria-labelledby="company-applications-title">
      <Stack gap="md">
        <Group justify="space-between" align="center" wrap="wrap">
          <Title order={2} id="company-applications-title">
            {t("companies.applications.title")}
          </Title>
          {company.permissions.createApplication ? (
            <Button component={Link} to={newApplicationPath(company.id)}>
              {t("applications.list.new")}
            </Button>
          ) : null}
        </Group>
        {list()}
      </Stack>
    </Paper>
  );
}
