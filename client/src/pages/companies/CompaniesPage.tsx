import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRef, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { companiesApi } from "../../api/companies";
import { useSectors } from "../../api/queries";
import { sessionKeys } from "../../api/session";
import type { Company, User } from "../../api/types";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { AccessReserved, RequireAuth } from "../../components/RequireAuth";
import { useLanguage } from "../../i18n/useLanguage";
import { mayListCompanies, mayRegisterCompanies } from "./companyForm";

const PAGE_SIZE = 20;

export function useSectorName() {
  const { language } = useLanguage();
  const sectors = useSectors();
  return (code: string) => {
    const sector = sectors.data?.items.find((candidate) => candidate.code === code);
    if (!sector) return code;
    return language === "ar" ? sector.nameAr : sector.nameFr;
  };
}

export function OwnerStatus({ company }: { company: Company }) {
  const { t } = useTranslation();
  if (company.claimed) {
    return <>{company.owner ? company.owner.fullName : t("companies.status.claimed")}</>;
  }
  return <span className="user-status user-status--unverified">{t("companies.status.awaitingManager")}</span>;
}

function CompaniesTable({ companies, caption }: { companies: Company[]; caption: string }) {
  const { t } = useTranslation();
  const sectorName = useSectorName();
  return (
    <div className="table-scroll">
      <Table striped verticalSpacing="sm" className="companies-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("companies.fields.name.label")}</Table.Th>
            <Table.Th scope="col">{t("companies.list.ice")}</Table.Th>
            <Table.Th scope="col">{t("companies.fields.sector.label")}</Table.Th>
            <Table.Th scope="col">{t("companies.fields.city.label")}</Table.Th>
            <Table.Th scope="col">{t("companies.list.owner")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {companies.map((company) => (
            <Table.Tr key={company.id}>
              <Table.Th scope="row">
                <Anchor component={Link} to={`/entreprises/${company.id}`} fw={700}>
                  {company.name}
                </Anchor>
              </Table.Th>
              <Table.Td className="nowrap">
                <bdi dir="ltr">{company.ice}</bdi>
              </Table.Td>
              <Table.Td>{sectorName(company.sectorCode)}</Table.Td>
              <Table.Td>{company.city}</Table.Td>
              <Table.Td>
                <OwnerStatus company={company} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function SearchForm({ q, onApply }: { q: string; onApply: (q: string) => void }) {
  const { t } = useTranslation();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(String(new FormData(event.currentTarget).get("q") ?? "").trim());
  };
  return (
    <form role="search" aria-label={t("companies.list.searchLabel")} onSubmit={submit} className="filters-form">
      <Group gap="md" align="flex-end" wrap="wrap">
        <TextInput
          id="companies-q"
          name="q"
          type="search"
          label={t("companies.list.q")}
          description={t("companies.list.qHint")}
          defaultValue={q}
          maxLength={100}
          miw={280}
        />
        <Group gap="xs">
          <Button type="submit" size="md">
            {t("companies.list.search")}
          </Button>
          {q !== "" ? (
            <Button variant="subtle" size="md" onClick={() => onApply("")}>
              {t("companies.list.reset")}
            </Button>
          ) : null}
        </Group>
      </Group>
    </form>
  );
}

function Companies({ user }: { user: User }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const q = searchParams.get("q") ?? "";
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const query = { q, page, pageSize: PAGE_SIZE };
  const companies = useQuery({
    queryKey: [...sessionKeys.companies, query],
    queryFn: ({ signal }) => companiesApi.list(query, signal),
    placeholderData: keepPreviousData,
  });
  const forClients = user.permissions.actForClients;
  const staff = user.role === "officer" || user.role === "admin";
  const texts = forClients ? "clients" : staff ? "all" : "own";

  const apply = (next: { q: string; page: number }) => {
    const params = new URLSearchParams();
    if (next.q !== "") params.set("q", next.q);
    if (next.page > 1) params.set("page", String(next.page));
    setSearchParams(params);
  };

  const list = () => {
    if (companies.isPending) {
      return <ListSkeleton label={t("companies.list.loading")} />;
    }
    if (companies.isError) {
      return (
        <QueryErrorAlert
          title={t("companies.list.errorTitle")}
          error={companies.error}
          onRetry={() => void companies.refetch()}
          retrying={companies.isFetching}
        />
      );
    }
    const { items, total } = companies.data;
    if (items.length === 0) {
      return (
        <Text className="empty-state">
          {q !== "" ? t("companies.list.noMatch") : t(`companies.list.${texts}.empty`)}
        </Text>
      );
    }
    const from = (companies.data.page - 1) * companies.data.pageSize + 1;
    return (
      <Stack gap="md" aria-busy={companies.isFetching}>
        <CompaniesTable
          companies={items}
          caption={t("companies.list.caption", { from, to: from + items.length - 1, total })}
        />
        <ListPagination
          label={t("companies.list.pagination")}
          page={companies.data.page}
          totalPages={Math.ceil(total / companies.data.pageSize)}
          onChange={(next) => {
            apply({ q, page: next });
            headingRef.current?.focus();
          }}
        />
      </Stack>
    );
  };

  return (
    <>
      <title>{t(`companies.list.${texts}.documentTitle`)}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1} ref={headingRef} tabIndex={-1}>
            {t(`companies.list.${texts}.title`)}
          </Title>
          <Text fz="lg">{t(`companies.list.${texts}.intro`)}</Text>
        </Stack>
        {mayRegisterCompanies(user.role) ? (
          <div>
            <Button component={Link} to="/entreprises/nouvelle" size="md">
              {forClients ? t("companies.list.registerClient") : t("companies.list.register")}
            </Button>
          </div>
        ) : null}
        {staff ? <SearchForm key={q} q={q} onApply={(next) => apply({ q: next, page: 1 })} /> : null}
        {list()}
      </Stack>
    </>
  );
}

function CompaniesGuard({ user }: { user: User }) {
  return mayListCompanies(user.role) ? <Companies user={user} /> : <AccessReserved />;
}

export function CompaniesPage() {
  return <RequireAuth>{(user) => <CompaniesGuard user={user} />}</RequireAuth>;
}
