import { DirectionProvider, MantineProvider } from "@mantine/core";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router/dom";
import { ApiError } from "./api/client";
import { isSessionExpired, sessionKeys } from "./api/session";
import { directionOf } from "./i18n/languages";
import { initialLanguage } from "./i18n";
import { readStyleNonce } from "./nonce";
import { router } from "./router";
import { cssVariablesResolver, theme } from "./theme";

const MAX_RETRIES = 2;

// A 4xx will not fix itself: retrying only delays the message the user needs to see.
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
    return false;
  }
  return failureCount < MAX_RETRIES;
}

// A session that expired in the middle of a visit: forget the person, so that the protected page
// sends them to the sign-in page (and back afterwards) instead of failing request after request.
function forgetExpiredSession(error: Error): void {
  if (isSessionExpired(error)) {
    queryClient.setQueryData(sessionKeys.me, null);
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: forgetExpiredSession }),
  mutationCache: new MutationCache({ onError: forgetExpiredSession }),
  defaultOptions: { queries: { retry: shouldRetry, refetchOnWindowFocus: false } },
});

const styleNonce = readStyleNonce();
const getStyleNonce = styleNonce === undefined ? undefined : () => styleNonce;

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <DirectionProvider initialDirection={directionOf(initialLanguage)} detectDirection>
        <MantineProvider
          theme={theme}
          cssVariablesResolver={cssVariablesResolver}
          getStyleNonce={getStyleNonce}
          defaultColorScheme="light"
        >
          <RouterProvider router={router} />
        </MantineProvider>
      </DirectionProvider>
    </QueryClientProvider>
  );
}
