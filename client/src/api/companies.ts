// Companies and mandates (server/http/routes/companies.ts).
import { apiRequest } from "./client";
import type { Company, CompanyListQuery, CompanyProfile, CompanyRegistration, ListResponse, Mandate } from "./types";

const companyPath = (id: string) => `/api/v1/companies/${encodeURIComponent(id)}`;

export const companiesApi = {
  list: (query: CompanyListQuery, signal?: AbortSignal) =>
    apiRequest<ListResponse<Company>>("/api/v1/companies", {
      query: { ...query, q: query.q === "" ? undefined : query.q },
      signal,
    }),

  get: (id: string, signal?: AbortSignal) => apiRequest<Company>(companyPath(id), { signal }),

  register: (registration: CompanyRegistration) =>
    apiRequest<Company>("/api/v1/companies", { method: "POST", body: registration }),

  update: (id: string, changes: Partial<CompanyProfile>) =>
    apiRequest<Company>(companyPath(id), { method: "PATCH", body: changes }),

  mandates: (companyId: string, signal?: AbortSignal) =>
    apiRequest<ListResponse<Mandate>>(`${companyPath(companyId)}/mandates`, { signal }),

  grantMandate: (companyId: string, grant: { prescriberEmail: string; expiresOn: string | null }) =>
    apiRequest<Mandate>(`${companyPath(companyId)}/mandates`, { method: "POST", body: grant }),

  revokeMandate: (mandateId: string) =>
    apiRequest<Mandate>(`/api/v1/mandates/${encodeURIComponent(mandateId)}`, { method: "DELETE" }),

  claim: (token: string) => apiRequest<Company>("/api/v1/companies/claim", { method: "POST", body: { token } }),
};
