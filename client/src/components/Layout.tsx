import { Container } from "@mantine/core";
import { useEffect, useRef } from "react";
import { Outlet, ScrollRestoration, useLocation } from "react-router";
import { FlashMessage } from "./FlashMessage";
import { SiteFooter } from "./SiteFooter";
import { SiteHeader } from "./SiteHeader";
import { SkipLink } from "./SkipLink";

/**
 * After a client-side navigation, screen readers would stay on the clicked link: moving focus to
 * <main> announces the new page, as a full page load would.
 */
function useFocusMainOnNavigation() {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return mainRef;
}

export function Layout() {
  const mainRef = useFocusMainOnNavigation();
  return (
    <div className="site">
      <SkipLink />
      <SiteHeader />
      <main id="main" tabIndex={-1} ref={mainRef} className="site-main">
        <Container size="lg">
          <FlashMessage />
          <Outlet />
        </Container>
      </main>
      <SiteFooter />
      <ScrollRestoration />
    </div>
  );
}
