import { Button, Group, NativeSelect, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useRef, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { APPLICATION_STATUSES, type ApplicationListQuery, type ApplicationStatus } from "../../api/applications";
import { companiesApi } from "../../api/companies";
import { useApplications } from "../../api/queries";
import { sessionKeys } from "../../api/session";
import type { Company, User } from "../../api/types";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { ApplicationsTable } from "./ApplicationsTable";
import { applicationsAudience, mayCreateApplications, mayListApplications } from "./permissions";
import { newApplicationPath } from "./wizard/steps";

const PAGE_SIZE = 20;
const COMPANY_QUERY = { q: "", page: 1, pageSize: 100 };

interface Filters {
  status: ApplicationStatus | "";
  companyId: string;
  q: string;
  page: number;
}

function isStatus(value: string | null): value is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(value ?? "");
}

/** In the address (?statut=&entreprise=&q=&page=): shareable, and the back button works. */
function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get("statut");
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    status: isStatus(status) ? status : "",
    companyId: (params.get("entreprise") ?? "").slice(0, 64),
    q: (params.get("q") ?? "").trim().slice(0, 100),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

function paramsFrom(filters: Filters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.status) params.statut = filters.status;
  if (filters.companyId) params.entreprise = filters.companyId;
  if (filters.q) params.q = filters.q;
  if (filters.page > 1) params.page = String(filters.page);
  return params;
}

function queryFrom(filters: Filters): ApplicationListQuery {
  return {
    page: filters.page,
    pageSize: PAGE_SIZE,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.companyId ? { companyId: filters.companyId } : {}),
    ...(filters.q ? { q: filters.q } : {}),
  };
}

interface FilterFormProps {
  filters: Filters;
  companies: Company[] | null;
  onApply: (filters: Filters) => void;
}

/** Nothing changes until "Filtrer" is pressed (no surprise reloads while choosing). */
function FilterForm({ filters, companies, onApply }: FilterFormProps) {
  const { t } = useTranslation();
  const anyFilter = filters.status !== "" || filters.companyId !== "" || filters.q !== "";
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const status = String(data.get("status") ?? "");
    onApply({
      status: isStatus(status) ? status : "",
      companyId: String(data.get("companyId") ?? ""),
      q: String(data.get("q") ?? "").trim(),
      page: 1,
    });
  };
  return (
    <form role="search" aria-label={t("applications.list.filtersLabel")} onSubmit={submit} className="filters-form">
      <Group gap="md" align="flex-end" wrap="wrap">
        <NativeSelect
          id="applications-filter-status"
          name="status"
          label={t("applications.list.status")}
          defaultValue={filters.status}
          data={[
            { value: "", label: t("applications.list.allStatuses") },
            ...APPLICATION_STATUSES.map((status) => ({ value: status, label: t(`applications.status.${status}`) })),
          ]}
        />
        {companies ? (
          <NativeSelect
            id="applications-filter-company"
            name="companyId"
            label={t("applications.start.company")}
            defaultValue={filters.companyId}
            data={[
              { value: "", label: t("applications.list.allCompanies") },
              ...companies.map((company) => ({ value: company.id, label: company.name })),
            ]}
          />
        ) : (
          <TextInput
            id="applications-filter-q"
            name="q"
            type="search"
            label={t("applications.list.q")}
            description={t("applications.list.qHint")}
            defaultValue={filters.q}
            maxLength={100}
            miw={260}
          />
        )}
        <Group gap="xs">
          <Button type="submit" size="md">
            {t("applications.list.apply")}
          </Button>
          {anyFilter ? (
            <Button variant="subtle" size="md" onClick={() => onApply({ status: "", companyId: "", q: "", page: 1 })}>
              {t("applications.list.reset")}
            </Button>
          ) : null}
        </Group>
      </Group>
    </form>
  );
}

function Applications({ user }: { user: User }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = filtersFrom(searchParams);
  const applications = useApplications(queryFrom(filters));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const audience = applicationsAudience(user);
  const mayCreate = mayCreateApplications(user.role);
  const companies = useQuery({
    queryKey: [...sessionKeys.companies, COMPANY_QUERY],
    queryFn: ({ signal }) => companiesApi.list(COMPANY_QUERY, signal),
    enabled: mayCreate,
  });
  const anyFilter = filters.status !== "" || filters.companyId !== "" || filters.q !== "";

  const apply = (next: Filters) => setSearchParams(paramsFrom(next));

  const list = () => {
    if (applications.isPending) {
      return <ListSkeleton label={t("applications.list.loading")} />;
    }
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
    const { items, total, page, pageSize } = applications.data;
    if (items.length === 0) {
      return (
        <Text className="empty-state">
          {anyFilter ? t("applications.list.noMatch") : t(`applications.list.${audience}.empty`)}
        </Text>
      );
    }
    const from = (page - 1) * pageSize + 1;
    return (
      <Stack gap="md" aria-busy={applications.isFetching}>
        <ApplicationsTable
          applications={items}
          caption={t("applications.list.caption", { from, to: from + items.length - 1, total })}
        />
        <ListPagination
          label={t("applications.list.pagination")}
          page={page}
          totalPages={Math.ceil(total / pageSize)}
          onChange={(next) => {
            apply({ ...filters, page: next });
            headingRef.current?.focus();
          }}
        />
      </Stack>
    );
  };

  return (
    <>
      <title>{t(`applications.list.${audience}.documentTitle`)}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1} ref={headingRef} tabIndex={-1}>
            {t(`applications.list.${audience}.title`)}
          </Title>
          <Text fz="lg">{t(`applications.list.${audience}.intro`)}</Text>
        </Stack>
        {mayCreate ? (
          <div>
            <Button component={Link} to={newApplicationPath()} size="md">
              {t("applications.list.new")}
            </Button>
          </div>
        ) : null}
        <FilterForm
          key={`${searchParams.toString()}-${String(companies.isSuccess)}`}
          filters={filters}
          companies={mayCreate ? (companies.data?.items ?? []) : null}
          onApply={apply}
        />
        {list()}
      </Stack>
    </>
  );
}

function ApplicationsGuard({ user }: { user: User }) {
  return mayListApplications(user.role) ? <Applications user={user} /> : <AccessReserved />;
}

export function ApplicationsPage() {
  return <RequireAuth>{(user) => <ApplicationsGuard user={user} />}</RequireAuth>;
}
