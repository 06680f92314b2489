// Account, sign-in and user administration endpoints (server/http/routes/{auth,account,users}.ts).
import { apiRequest, fetchCsrfToken, forgetCsrfToken, setCsrfToken } from "./client";
import type { AccountChanges, ListResponse, Registration, StaffAccount, StaffRole, User, UserListQuery } from "./types";

export const accountsApi = {
  me: (signal?: AbortSignal) => apiRequest<{ user: User }>("/api/v1/auth/me", { signal }),

  register: (registration: Registration) =>
    apiRequest<{ id: string; email: string; status: "verification-sent" }>("/api/v1/auth/register", {
      method: "POST",
      body: registration,
    }),

  verifyEmail: (token: string) =>
    apiRequest<{ status: "verified" }>("/api/v1/auth/verify-email", { method: "POST", body: { token } }),

  resendVerification: (email: string) =>
    apiRequest<{ status: string }>("/api/v1/auth/verify-email/resend", { method: "POST", body: { email } }),

  /** The session is regenerated at sign-in: the answer carries the new session's CSRF token. */
  login: async (credentials: { email: string; password: string }): Promise<User> => {
    const { user, csrfToken } = await apiRequest<{ user: User; csrfToken: string }>("/api/v1/auth/login", {
      method: "POST",
      body: credentials,
    });
    setCsrfToken(csrfToken);
    return user;
  },

  /** The old session and its token are gone: a fresh token is fetched for the anonymous session. */
  logout: async (): Promise<void> => {
    try {
      await apiRequest<void>("/api/v1/auth/logout", { method: "POST" });
    } finally {
      forgetCsrfToken();
      void fetchCsrfToken().catch(() => undefined);
    }
  },

  requestPasswordReset: (email: string) =>
    apiRequest<{ status: string }>("/api/v1/auth/password-reset", { method: "POST", body: { email } }),

  confirmPasswordReset: (input: { token: string; password: string }) =>
    apiRequest<{ status: string }>("/api/v1/auth/password-reset/confirm", { method: "POST", body: input }),

  updateAccount: (changes: AccountChanges) =>
    apiRequest<{ user: User }>("/api/v1/account", { method: "PATCH", body: changes }),

  changePassword: (input: { currentPassword: string; newPassword: string }) =>
    apiRequest<{ status: string }>("/api/v1/account/password", { method: "POST", body: input }),

  listUsers: (query: UserListQuery, signal?: AbortSignal) =>
    apiRequest<ListResponse<User>>("/api/v1/users", {
      query: { ...query, q: query.q === "" ? undefined : query.q },
      signal,
    }),

  createUser: (account: StaffAccount) => apiRequest<User>("/api/v1/users", { method: "POST", body: account }),

  updateUser: (id: string, changes: { role?: StaffRole; disabled?: boolean }) =>
    apiRequest<User>(`/api/v1/users/${encodeURIComponent(id)}`, { method: "PATCH", body: changes }),

  /** Answers only in development mode, where e-mails are captured and shown at /dev/mail. */
  devMails: (signal?: AbortSignal) =>
    apiRequest<ListResponse<unknown>>("/api/v1/dev/mails", { query: { pageSize: 1 }, signal }),
};
