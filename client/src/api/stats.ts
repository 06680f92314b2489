// Programme statistics and open data (issue 8 contract, server/http/routes/stats.ts). Figures are
// aggregates the server refreshes in the background; every answer says when they were computed
// (`generatedAt`). Counts are integers, money decimal strings ("400000.00").
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiRequest, buildUrl, type QueryValue } from "./client";
import { retryUnlessClientError } from "./queries";
import { sessionKeys } from "./session";
import type { Programme } from "./types";

/** A region or a sector as the statistics name it ("unknown" when a certificate has no company). */
export interface NamedCount {
  code: string;
  nameFr: string;
  nameAr: string;
  count: number;
}

export interface YearCount {
  year: number;
  count: number;
}

export interface Breakdown {
  total: number;
  target: number;
  byYear: YearCount[];
  byRegion: NamedCount[];
  bySector: NamedCount[];
}

/** Permits: `total` counts the valid ones (the target's); revoked ones are reported apart. */
export interface PermitStats extends Breakdown {
  revoked: number;
}

export interface BudgetAmounts {
  envelope: string;
  committed: string;
  paid: string;
  available: string;
}

export interface CallBudgetStats extends BudgetAmounts {
  callId: string;
  callCode: string;
  titleFr: string;
  titleAr: string;
  bySector: Array<BudgetAmounts & { code: string; nameFr: string; nameAr: string }>;
}

export interface MedianDelay {
  /** Calendar days, one decimal; null when nothing was measured yet. */
  medianDays: number | null;
  count: number;
}

export const FUNNEL_STEPS = ["accounts", "companies", "drafts", "submitted", "approved", "paid"] as const;
export type FunnelStepName = (typeof FUNNEL_STEPS)[number];

export interface FunnelStep {
  step: FunnelStepName;
  count: number;
  /** Previous step's count − this one; null for the first step. */
  dropOff: number | null;
  /** This ÷ previous (0–1, four decimals); null for the first step or when the previous is 0. */
  conversion: number | null;
}

export interface FunnelBreakdown {
  code: string;
  nameFr: string;
  nameAr: string;
  /** The company steps only (companies … paid). */
  steps: FunnelStep[];
}

export interface PrescriberRow {
  organisation: string;
  submitted: number;
  approved: number;
}

export interface StatsOverview {
  /** Null until the aggregates were computed once. */
  generatedAt: string | null;
  programme: Programme;
  equipped: Breakdown;
  permits: PermitStats;
  budget: CallBudgetStats[];
  delays: { submissionToDecision: MedianDelay; submissionToPayment: MedianDelay };
  funnel: { steps: FunnelStep[]; byRegion: FunnelBreakdown[]; bySector: FunnelBreakdown[] };
  prescribers: {
    submitted: number;
    submittedViaMandate: number;
    approved: number;
    approvedViaMandate: number;
    top: PrescriberRow[];
  };
}

/** One (month, region, sector) cell. A count from 1 to 4 is null (suppressed), and so is its amount. */
export interface OpenDataRow {
  /** "YYYY-MM", month of first submission. */
  month: string;
  regionCode: string;
  regionNameFr: string;
  regionNameAr: string;
  sectorCode: string;
  sectorNameFr: string;
  sectorNameAr: string;
  submitted: number | null;
  approved: number | null;
  paid: number | null;
  grantedAmount: string | null;
  paidAmount: string | null;
}

export interface OpenDataPage {
  generatedAt: string | null;
  suppressionThreshold: number;
  items: OpenDataRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface OpenDataQuery {
  /** "YYYY-MM" or "" (no bound). */
  from: string;
  to: string;
  region: string;
  sector: string;
  page: number;
}

/** After "Actualiser": the overview is polled this often, for at most REFRESH_WAIT_MS. */
export const REFRESH_POLL_MS = 3000;
export const REFRESH_WAIT_MS = 60_000;

const OPEN_DATA_PATH = "/api/v1/open-data/applications";

/** The filters as the API takes them: empty ones are left out. */
function openDataFilters(query: OpenDataQuery): Record<string, QueryValue> {
  const value = (text: string) => (text === "" ? undefined : text);
  return { from: value(query.from), to: value(query.to), region: value(query.region), sector: value(query.sector) };
}

export function getOverview(programme?: string, signal?: AbortSignal): Promise<StatsOverview> {
  return apiRequest<StatsOverview>("/api/v1/stats/overview", {
    query: { programme: programme === "" ? undefined : programme },
    signal,
  });
}

/** Queues a refresh (202): the figures change once the overview's `generatedAt` moves. */
export function refreshStats(): Promise<{ queued: boolean }> {
  return apiRequest<{ queued: boolean }>("/api/v1/stats/refresh", { method: "POST", body: {} });
}

export function listOpenData(query: OpenDataQuery, signal?: AbortSignal): Promise<OpenDataPage> {
  return apiRequest<OpenDataPage>(OPEN_DATA_PATH, {
    query: { ...openDataFilters(query), page: query.page > 1 ? query.page : undefined },
    signal,
  });
}

/** The whole CSV (every row, no page) with the same filters: a link the browser downloads. */
export function openDataCsvUrl(query: OpenDataQuery): string {
  return buildUrl(`${OPEN_DATA_PATH}.csv`, openDataFilters(query));
}

/**
 * The overview is for officers and admins: under "session", dropped at sign-in and sign-out.
 * Open data is public and shared by everyone who opens the page.
 */
export const statsKeys = {
  all: [...sessionKeys.all, "stats"] as const,
  overview: (programme: string) => [...sessionKeys.all, "stats", "overview", programme] as const,
  openData: (query: OpenDataQuery) => ["openData", query] as const,
};

/** A refresh asked for: the overview's `generatedAt` when it was. */
export interface AwaitedRefresh {
  since: string | null;
}

/**
 * The overview of a programme ("" for the server's default). While a refresh is awaited, the
 * overview is read again every 3 s until its `generatedAt` moves.
 */
export function useOverview(programme: string, awaited?: AwaitedRefresh) {
  return useQuery({
    queryKey: statsKeys.overview(programme),
    queryFn: ({ signal }) => getOverview(programme, signal),
    retry: retryUnlessClientError,
    refetchInterval: (query) =>
      awaited !== undefined && query.state.data?.generatedAt === awaited.since ? REFRESH_POLL_MS : false,
    // A poll must not flash the page empty.
    placeholderData: keepPreviousData,
  });
}

export function useOpenData(query: OpenDataQuery) {
  return useQuery({
    queryKey: statsKeys.openData(query),
    queryFn: ({ signal }) => listOpenData(query, signal),
    retry: retryUnlessClientError,
    placeholderData: keepPreviousData,
  });
}
