import type { Role, UserListQuery, UserStatusFilter } from "../../api/types";

export const ROLES: Role[] = ["applicant", "prescriber", "officer", "trainer", "admin"];
export const STATUSES: UserStatusFilter[] = ["active", "disabled", "unverified"];
export const PAGE_SIZE = 20;

export interface UserFilters {
  role: Role | "";
  status: UserStatusFilter | "";
  q: string;
  page: number;
}

function isRole(value: string | null): value is Role {
  return ROLES.includes(value as Role);
}

function isStatus(value: string | null): value is UserStatusFilter {
  return STATUSES.includes(value as UserStatusFilter);
}

/** The filters live in the address (?role=&status=&q=&page=): shareable, and the back button works. */
export function filtersFrom(params: URLSearchParams): UserFilters {
  const role = params.get("role");
  const status = params.get("status");
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    role: isRole(role) ? role : "",
    status: isStatus(status) ? status : "",
    q: (params.get("q") ?? "").trim().slice(0, 100),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export function paramsFrom(filters: UserFilters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.role) params.role = filters.role;
  if (filters.status) params.status = filters.status;
  if (filters.q) params.q = filters.q;
  if (filters.page > 1) params.page = String(filters.page);
  return params;
}

export function queryFrom(filters: UserFilters): UserListQuery {
  return {
    ...(filters.role ? { role: filters.role } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    page: filters.page,
    pageSize: PAGE_SIZE,
  };
}
