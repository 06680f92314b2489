// /donnees-ouvertes (public): the programme's applications aggregated per month of first
// submission, region and sector, small cells suppressed, with the CSV of the same filters.
import {
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useRegions, useSectors } from "../../api/queries";
import { openDataCsvUrl, useOpenData, type OpenDataQuery, type OpenDataRow } from "../../api/stats";
import { ListPagination } from "../../components/ListPagination";
import { ListSkeleton } from "../../components/ListSkeleton";
import { QueryErrorAlert } from "../../components/QueryErrorAlert";
import { formatInstant, formatMoney } from "../../format";
import { pickLocalized } from "../../i18n/languages";
import { useLanguage } from "../../i18n/useLanguage";
import { formatCount, formatMonth } from "../stats/numbers";

/** The threshold the API applies (it says so in every answer); used before the first answer. */
const DEFAULT_THRESHOLD = 5;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** French parameter names in the address, like the rest of the site (?du=2026-01&region=…). */
function queryFrom(params: URLSearchParams): OpenDataQuery {
  const month = (name: string) => {
    const value = params.get(name) ?? "";
    return MONTH.test(value) ? value : "";
  };
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    from: month("du"),
    to: month("au"),
    region: params.get("region") ?? "",
    sector: params.get("secteur") ?? "",
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

function paramsFrom(query: OpenDataQuery): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.from) params.du = query.from;
  if (query.to) params.au = query.to;
  if (query.region) params.region = query.region;
  if (query.sector) params.secteur = query.sector;
  if (query.page > 1) params.page = String(query.page);
  return params;
}

const anyFilter = (query: OpenDataQuery) =>
  query.from !== "" || query.to !== "" || query.region !== "" || query.sector !== "";

type MonthError = "from" | "to" | "range" | null;

/** Nothing changes until "Filtrer" is pressed. */
function FilterForm({ query, onApply }: { query: OpenDataQuery; onApply: (query: OpenDataQuery) => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const regions = useRegions();
  const sectors = useSectors();
  const [error, setError] = useState<MonthError>(null);
  // The selects keep their initial value: they are drawn again once their options have arrived.
  const ready = !regions.isPending && !sectors.isPending;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const from = String(data.get("from") ?? "").trim();
    const to = String(data.get("to") ?? "").trim();
    const problem: MonthError =
      from !== "" && !MONTH.test(from)
        ? "from"
        : to !== "" && !MONTH.test(to)
          ? "to"
          : from !== "" && to !== "" && from > to
            ? "range"
            : null;
    setError(problem);
    if (problem) {
      form.querySelector<HTMLInputElement>(problem === "to" ? "#open-data-to" : "#open-data-from")?.focus();
      return;
    }
    onApply({
      from,
      to,
      region: String(data.get("region") ?? ""),
      sector: String(data.get("sector") ?? ""),
      page: 1,
    });
  };

  return (
    <Paper withBorder p="lg">
      <form key={String(ready)} role="search" aria-label={t("openData.filtersLabel")} onSubmit={submit} noValidate>
        <Stack gap="md">
          <Group gap="md" align="flex-start" wrap="wrap">
            <TextInput
              id="open-data-from"
              name="from"
              type="month"
              label={t("openData.from")}
              description={t("openData.monthHint")}
              defaultValue={query.from}
              dir="ltr"
              maxLength={7}
              error={
                error === "from"
                  ? t("openData.monthInvalid")
                  : error === "range"
                    ? t("openData.rangeInvalid")
                    : undefined
              }
            />
            <TextInput
              id="open-data-to"
              name="to"
              type="month"
              label={t("openData.to")}
              description={t("openData.monthHint")}
              defaultValue={query.to}
              dir="ltr"
              maxLength={7}
              error={error === "to" ? t("openData.monthInvalid") : undefined}
            />
            <NativeSelect
              id="open-data-region"
              name="region"
              label={t("openData.region")}
              defaultValue={query.region}
              data={[
                { value: "", label: t("openData.allRegions") },
                ...(regions.data?.items ?? []).map((region) => ({
                  value: region.code,
                  label: pickLocalized(language, region.nameFr, region.nameAr),
                })),
              ]}
            />
            <NativeSelect
              id="open-data-sector"
              name="sector"
              label={t("openData.sector")}
              defaultValue={query.sector}
              data={[
                { value: "", label: t("openData.allSectors") },
                ...(sectors.data?.items ?? []).map((sector) => ({
                  value: sector.code,
                  label: pickLocalized(language, sector.nameFr, sector.nameAr),
                })),
              ]}
            />
          </Group>
          <Group gap="xs">
            <Button type="submit" size="md">
              {t("openData.apply")}
            </Button>
            {anyFilter(query) ? (
              <Button
                variant="subtle"
                size="md"
                onClick={() => onApply({ from: "", to: "", region: "", sector: "", page: 1 })}
              >
                {t("openData.reset")}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * "< 5" for the eye, left to right as in the CSV (in Arabic the bidi algorithm would mirror it to
 * "5 >"), "moins de 5, chiffre masqué" for screen readers.
 */
function Count({ value, threshold }: { value: number | null; threshold: number }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (value !== null) return <>{formatCount(value, language)}</>;
  return (
    <span className="suppressed">
      <span aria-hidden="true" dir="ltr">{`< ${threshold}`}</span>
      <VisuallyHidden>{t("openData.suppressed", { threshold })}</VisuallyHidden>
    </span>
  );
}

function Amount({ value }: { value: string | null }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (value !== null) return <bdi>{formatMoney(value, language)}</bdi>;
  return (
    <span className="suppressed">
      <span aria-hidden="true">—</span>
      <VisuallyHidden>{t("openData.amountHidden")}</VisuallyHidden>
    </span>
  );
}

function OpenDataTable({ rows, caption, threshold }: { rows: OpenDataRow[]; caption: string; threshold: number }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    // Focusable: on a narrow screen the table scrolls sideways (axe's scrollable-region-focusable).
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <Table striped verticalSpacing="sm" className="open-data-table">
        <Table.Caption className="table-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("openData.month")}</Table.Th>
            <Table.Th scope="col">{t("openData.region")}</Table.Th>
            <Table.Th scope="col">{t("openData.sector")}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("openData.submitted")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("openData.approved")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("openData.paid")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("openData.grantedAmount")}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t("openData.paidAmount")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.month}|${row.regionCode}|${row.sectorCode}`}>
              <Table.Th scope="row" className="nowrap" fw={400}>
                {formatMonth(row.month, language)}
              </Table.Th>
              <Table.Td>{pickLocalized(language, row.regionNameFr, row.regionNameAr)}</Table.Td>
              <Table.Td>{pickLocalized(language, row.sectorNameFr, row.sectorNameAr)}</Table.Td>
              <Table.Td className="numeric nowrap">
                <Count value={row.submitted} threshold={threshold} />
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <Count value={row.approved} threshold={threshold} />
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <Count value={row.paid} threshold={threshold} />
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <Amount value={row.grantedAmount} />
              </Table.Td>
              <Table.Td className="numeric nowrap">
                <Amount value={row.paidAmount} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

export function OpenDataPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = queryFrom(searchParams);
  const openData = useOpenData(query);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const threshold = openData.data?.suppressionThreshold ?? DEFAULT_THRESHOLD;
  const apply = (next: OpenDataQuery) => setSearchParams(paramsFrom(next));

  const list = () => {
    if (openData.isPending) return <ListSkeleton label={t("openData.loading")} />;
    if (openData.isError) {
      return (
        <QueryErrorAlert
          title={t("openData.errorTitle")}
          error={openData.error}
          onRetry={() => void openData.refetch()}
          retrying={openData.isFetching}
        />
      );
    }
    const { items, total, page, pageSize, generatedAt } = openData.data;
    if (items.length === 0) {
      return <Text className="empty-state">{anyFilter(query) ? t("openData.noMatch") : t("openData.empty")}</Text>;
    }
    const from = (page - 1) * pageSize + 1;
    return (
      <Stack gap="md" aria-busy={openData.isFetching}>
        {generatedAt === null ? null : (
          <Text fz="sm">{t("openData.generatedAt", { date: formatInstant(generatedAt, language) })}</Text>
        )}
        <OpenDataTable
          rows={items}
          threshold={threshold}
          caption={t("openData.caption", {
            from: formatCount(from, language),
            to: formatCount(from + items.length - 1, language),
            total: formatCount(total, language),
          })}
        />
        <ListPagination
          label={t("openData.pagination")}
          page={page}
          totalPages={Math.ceil(total / pageSize)}
          onChange={(next) => {
            apply({ ...query, page: next });
            headingRef.current?.focus();
          }}
        />
      </Stack>
    );
  };

  return (
    <>
      <title>{t("openData.documentTitle")}</title>
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1} ref={headingRef} tabIndex={-1}>
            {t("openData.title")}
          </Title>
          <Text fz="lg">{t("openData.intro")}</Text>
          <Text>{t("openData.what")}</Text>
        </Stack>
        <section aria-labelledby="open-data-rule-title" className="note">
          <Title order={2} fz="h4" id="open-data-rule-title" mb="xs">
            {t("openData.ruleTitle")}
          </Title>
          <Text>{t("openData.rule", { max: threshold - 1, threshold })}</Text>
          <Text mt="xs">{t("openData.noTotals")}</Text>
        </section>
        <FilterForm key={searchParams.toString()} query={query} onApply={apply} />
        <section aria-labelledby="open-data-download-title">
          <Stack gap="xs">
            <Title order={2} fz="h4" id="open-data-download-title">
              {t("openData.downloadTitle")}
            </Title>
            <Text fz="sm">{t("openData.downloadHint")}</Text>
            <Group>
              <Button
                component="a"
                href={openDataCsvUrl(query)}
                download
                variant="outline"
                size="md"
                classNames={{ root: "wrap-button", label: "wrap-button__label" }}
              >
                {t("openData.download")}
              </Button>
            </Group>
          </Stack>
        </section>
        {list()}
      </Stack>
    </>
  );
}
