// Where to go after signing in. `?next=` comes from the address bar, so anyone can write it: only
// a path of this site is followed, never another origin ("//evil.example", "https://…", "/\evil").

export const DEFAULT_AFTER_LOGIN = "/mon-compte";

const AUTH_PAGES = new Set(["/connexion", "/inscription", "/verifier-email", "/reinitialiser-mot-de-passe"]);

export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return DEFAULT_AFTER_LOGIN;
  }
  let url: URL;
  try {
    url = new URL(next, window.location.origin);
  } catch {
    return DEFAULT_AFTER_LOGIN;
  }
  if (url.origin !== window.location.origin || url.pathname.startsWith("/api/") || AUTH_PAGES.has(url.pathname)) {
    return DEFAULT_AFTER_LOGIN;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/** "/connexion?next=%2Fmon-compte" for a page that needs a signed-in person. */
export function loginPathFor(pathWithSearch: string): string {
  return `/connexion?next=${encodeURIComponent(pathWithSearch)}`;
}

/** Messages a page leaves for the next one (router state), e.g. "you are signed out". */
export type FlashKind =
  "loggedOut" | "logoutFailed" | "passwordReset" | "passwordSetUp" | "companyRegistered" | "companyClaimed";

export interface FlashState {
  flash?: FlashKind;
}
