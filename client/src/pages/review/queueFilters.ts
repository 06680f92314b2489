// The officers' queue filters, kept in the address (French names, like the rest of the site's
// paths): shareable, bookmarkable, and the back button works.
import { APPLICATION_STATUSES, type ApplicationListQuery, type ApplicationStatus } from "../../api/applications";

export const QUEUE_PAGE_SIZE = 20;

/** Drafts never reach the queue: the company's own until submitted. */
export const QUEUE_STATUSES = APPLICATION_STATUSES.filter((status) => status !== "draft");

/** The server's sorts; "queue" (Permis Numérique holders first, then the longest waiting) by default. */
export const QUEUE_SORTS = [
  "queue",
  "submittedAt",
  "-submittedAt",
  "reference",
  "-grantAmount",
  "grantAmount",
  "-updatedAt",
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueFilters {
  statuses: ApplicationStatus[];
  sector: string;
  region: string;
  callId: string;
  fastTrack: "" | "yes" | "no";
  /** Digits only, "" for none. */
  minDays: string;
  q: string;
  sort: QueueSort;
  page: number;
}

export const NO_FILTERS: QueueFilters = {
  statuses: [],
  sector: "",
  region: "",
  callId: "",
  fastTrack: "",
  minDays: "",
  q: "",
  sort: "queue",
  page: 1,
};

const isStatus = (value: string): value is ApplicationStatus => (QUEUE_STATUSES as readonly string[]).includes(value);
const isSort = (value: string): value is QueueSort => (QUEUE_SORTS as readonly string[]).includes(value);
const code = (value: string | null) => (value ?? "").trim().slice(0, 64);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Valid days: 0 to 3650, as the server accepts them; anything else is dropped. */
export function daysFrom(value: string | null): string {
  const text = (value ?? "").trim();
  if (!/^\d{1,4}$/.test(text)) return "";
  const days = Number.parseInt(text, 10);
  return days <= 3650 ? String(days) : "";
}

export function queueFiltersFrom(params: URLSearchParams): QueueFilters {
  const statuses = [...new Set(params.getAll("statut").filter(isStatus))];
  const fastTrack = params.get("prioritaire");
  const sort = params.get("tri") ?? "";
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    statuses: QUEUE_STATUSES.filter((status) => statuses.includes(status)),
    sector: code(params.get("secteur")),
    region: code(params.get("region")),
    callId: UUID.test(params.get("appel") ?? "") ? (params.get("appel") ?? "") : "",
    fastTrack: fastTrack === "oui" ? "yes" : fastTrack === "non" ? "no" : "",
    minDays: daysFrom(params.get("attente")),
    q: (params.get("q") ?? "").trim().slice(0, 100),
    sort: isSort(sort) ? sort : "queue",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export function queueParamsFrom(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const status of filters.statuses) params.append("statut", status);
  if (filters.sector) params.set("secteur", filters.sector);
  if (filters.region) params.set("region", filters.region);
  if (filters.callId) params.set("appel", filters.callId);
  if (filters.fastTrack) params.set("prioritaire", filters.fastTrack === "yes" ? "oui" : "non");
  if (filters.minDays) params.set("attente", filters.minDays);
  if (filters.q) params.set("q", filters.q);
  if (filters.sort !== "queue") params.set("tri", filters.sort);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

export function queueQueryFrom(filters: QueueFilters): ApplicationListQuery {
  return {
    page: filters.page,
    pageSize: QUEUE_PAGE_SIZE,
    sort: filters.sort,
    ...(filters.statuses.length > 0 ? { status: filters.statuses } : {}),
    ...(filters.sector ? { sector: filters.sector } : {}),
    ...(filters.region ? { region: filters.region } : {}),
    ...(filters.callId ? { callId: filters.callId } : {}),
    ...(filters.fastTrack ? { fastTrack: filters.fastTrack === "yes" } : {}),
    ...(filters.minDays ? { minDaysWaiting: Number.parseInt(filters.minDays, 10) } : {}),
    ...(filters.q ? { q: filters.q } : {}),
  };
}

export function anyQueueFilter(filters: QueueFilters): boolean {
  return (
    filters.statuses.length > 0 ||
    filters.sector !== "" ||
    filters.region !== "" ||
    filters.callId !== "" ||
    filters.fastTrack !== "" ||
    filters.minDays !== "" ||
    filters.q !== ""
  );
}
