// TanStack Query hooks for the public reference data. Keys are shared so that pages reuse the cache.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Language } from "../i18n/languages";
import { applicationsApi, type ApplicationListQuery } from "./applications";
import { api, ApiError } from "./client";
import { reviewApi } from "./review";
import { sessionKeys } from "./session";
import type { Call } from "./types";

export const queryKeys = {
  sectors: ["sectors"] as const,
  regions: ["regions"] as const,
  calls: ["calls"] as const,
  solutions: (sector: string, page: number, pageSize: number) => ["solutions", sector, page, pageSize] as const,
  suppliers: ["suppliers"] as const,
};

/**
 * Applications are personal: their keys live under "session", dropped at sign-in and sign-out.
 * One application is cached per language, because its eligibility sentences are written in it.
 */
export const applicationKeys = {
  all: [...sessionKeys.all, "applications"] as const,
  list: (query: ApplicationListQuery) => [...sessionKeys.all, "applications", "list", query] as const,
  detail: (id: string) => [...sessionKeys.all, "applications", "detail", id] as const,
  localized: (id: string, language: Language) => [...sessionKeys.all, "applications", "detail", id, language] as const,
  history: (id: string) => [...sessionKeys.all, "applications", "detail", id, "history"] as const,
  claim: (id: string) => [...sessionKeys.all, "applications", "detail", id, "claim"] as const,
};

/** The officers' own data: budgets move with every approval, conflicts are personal. */
export const reviewKeys = {
  budget: (callId: string) => [...sessionKeys.all, "budget", callId] as const,
  conflicts: [...sessionKeys.all, "conflicts"] as const,
};

// Reference data changes rarely (admins edit it); five minutes avoids refetching on every visit.
const REFERENCE_STALE_TIME = 5 * 60 * 1000;

export function useSectors() {
  return useQuery({
    queryKey: queryKeys.sectors,
    queryFn: ({ signal }) => api.sectors({ signal }),
    staleTime: REFERENCE_STALE_TIME,
  });
}

export function useRegions() {
  return useQuery({
    queryKey: queryKeys.regions,
    queryFn: ({ signal }) => api.regions({ signal }),
    staleTime: REFERENCE_STALE_TIME,
  });
}

export function useCalls() {
  return useQuery({
    queryKey: queryKeys.calls,
    queryFn: ({ signal }) => api.calls({ signal }),
    staleTime: REFERENCE_STALE_TIME,
  });
}

export function useSolutions(sector: string | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: queryKeys.solutions(sector ?? "", page, pageSize),
    queryFn: ({ signal }) => api.solutions(sector ?? "", { page, pageSize, signal }),
    enabled: sector !== undefined,
    staleTime: REFERENCE_STALE_TIME,
    placeholderData: keepPreviousData,
  });
}

/** The call to show the public: the open one closing first, else the next upcoming one. */
export function pickCurrentCall(calls: Call[]): Call | undefined {
  const byClosing = [...calls].sort((a, b) => a.closesOn.localeCompare(b.closesOn));
  const byOpening = [...calls].sort((a, b) => a.opensOn.localeCompare(b.opensOn));
  return byClosing.find((call) => call.status === "open") ?? byOpening.find((call) => call.status === "upcoming");
}

/** Every supplier of the catalogue (the API's largest page), for the investment lines' select. */
export function useSuppliers() {
  return useQuery({
    queryKey: queryKeys.suppliers,
    queryFn: ({ signal }) => api.suppliers({ pageSize: 100, signal }),
    staleTime: REFERENCE_STALE_TIME,
  });
}

/** 4xx answers will not change by asking again (404 hides what is not yours). */
export function retryUnlessClientError(count: number, error: Error): boolean {
  return !(error instanceof ApiError && error.status < 500 && error.status !== 0) && count < 2;
}

export function useApplication(id: string, language: Language) {
  return useQuery({
    queryKey: applicationKeys.localized(id, language),
    queryFn: ({ signal }) => applicationsApi.get(id, signal),
    retry: retryUnlessClientError,
    // Switching language refetches the sentences without emptying the page (forms keep their input).
    placeholderData: keepPreviousData,
  });
}

export function useApplicationHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: applicationKeys.history(id),
    queryFn: ({ signal }) => applicationsApi.history(id, signal),
    enabled,
  });
}

export function useApplications(query: ApplicationListQuery, enabled = true) {
  return useQuery({
    queryKey: applicationKeys.list(query),
    queryFn: ({ signal }) => applicationsApi.list(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The file's claim (demande de versement), or null while none was submitted (the server says 404). */
export function useClaim(id: string, enabled = true) {
  return useQuery({
    queryKey: applicationKeys.claim(id),
    queryFn: async ({ signal }) => {
      try {
        return await reviewApi.claim(id, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled,
    retry: retryUnlessClientError,
  });
}

export function useConflicts(enabled = true) {
  return useQuery({
    queryKey: reviewKeys.conflicts,
    queryFn: ({ signal }) => reviewApi.conflicts(signal),
    enabled,
  });
}

export function useCallBudget(callId: string | undefined) {
  return useQuery({
    queryKey: reviewKeys.budget(callId ?? ""),
    queryFn: ({ signal }) => reviewApi.budget(callId ?? "", signal),
    enabled: callId !== undefined && callId !== "",
    retry: retryUnlessClientError,
    placeholderData: keepPreviousData,
  });
}
