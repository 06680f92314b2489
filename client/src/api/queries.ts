// TanStack Query hooks for the public reference data. Keys are shared so that pages reuse the cache.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import type { Call } from "./types";

export const queryKeys = {
  sectors: ["sectors"] as const,
  regions: ["regions"] as const,
  calls: ["calls"] as const,
  solutions: (sector: string, page: number, pageSize: number) => ["solutions", sector, page, pageSize] as const,
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
