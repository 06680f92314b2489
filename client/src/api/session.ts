// Who is signed in, shared by the header, the guards and the account pages through one query.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { accountsApi } from "./accounts";
import { ApiError } from "./client";
import type { User } from "./types";

/** Everything personal lives under "session": it is dropped at sign-in and sign-out. */
export const sessionKeys = {
  all: ["session"] as const,
  me: ["session", "me"] as const,
  users: ["session", "users"] as const,
  companies: ["session", "companies"] as const,
  company: (id: string) => ["session", "companies", id] as const,
  mandates: (companyId: string) => ["session", "companies", companyId, "mandates"] as const,
};

/** The signed-in user, or null when signed out (a 401 is an answer here, not an error). */
export function useCurrentUser() {
  return useQuery({
    queryKey: sessionKeys.me,
    queryFn: async ({ signal }): Promise<User | null> => {
      try {
        return (await accountsApi.me(signal)).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          return null;
        }
        throw error;
      }
    },
    staleTime: 5 * 60 * 1000,
  });
}

/** After sign-in or sign-out: nothing of the previous person may stay in the cache. */
export function replaceSessionUser(queryClient: QueryClient, user: User | null): void {
  queryClient.removeQueries({ queryKey: sessionKeys.all });
  queryClient.setQueryData(sessionKeys.me, user);
}

/** A request answered "unauthenticated": the session expired, the guards send the person to sign in. */
export function isSessionExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === "unauthenticated";
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await accountsApi.logout();
      } catch (error) {
        // Already signed out (expired session): the goal is reached all the same.
        if (!isSessionExpired(error)) {
          throw error;
        }
      }
    },
    onSuccess: () => replaceSessionUser(queryClient, null),
  });
}
