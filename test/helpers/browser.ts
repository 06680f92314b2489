import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { expect } from "chai";
import express, { type Express } from "express";
import type { Runner } from "graphile-worker";
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from "playwright-core";
import { captureTransport } from "../../server/mail/transport.js";
import { workerContext } from "../../server/services/container.js";
import { startWorker } from "../../server/worker.js";
import { buildTestApp, type FixedClock } from "./testApp.js";
import { testLogger } from "./testDatabase.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT_DIR = path.resolve("test", "e2e", "screenshots");

/** The flags this machine needs: no sandbox as root, and no background calls to a closed network. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface RunningApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves the app on a free port of 127.0.0.1, for a real browser. */
export async function serve(app: Express): Promise<RunningApp> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** axe's serious and critical findings on the page, one line each (empty when clean). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
}

export async function isFocused(locator: Locator): Promise<boolean> {
  // Runs in the page: `element.ownerDocument` avoids needing the DOM types in the Node tsconfig.
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

export interface BrowserApp {
  running: RunningApp;
  /** The served app's clock (the worker's too): a test moves it, e.g. past a session's start. */
  clock: FixedClock;
  stop(): Promise<void>;
}

/**
 * The real app with the built client on a free port, plus a worker delivering its e-mails into
 * the /dev/mail capture. The links in e-mails must point at this server, whose port is known only
 * once it listens: a front door listens first and hands requests to the app built after it.
 */
export async function serveAppWithWorker(): Promise<BrowserApp> {
  let app: Express | null = null;
  const front = express();
  front.use((req, res, next) => (app ? app(req, res, next) : res.status(503).end()));
  const running = await serve(front);
  const context = buildTestApp({
    config: { clientDistDir: path.resolve("client", "dist"), publicUrl: running.baseUrl },
  });
  app = context.app;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const worker: Runner = await startWorker({
    connectionString: databaseUrl,
    concurrency: 1,
    pollIntervalMs: 100,
    staleJobAfterMs: 30_000,
    ...workerContext({
      config: context.services.config,
      logger: testLogger,
      clock: context.clock,
      sequelize: context.sequelize,
      transport: captureTransport(),
      documentStore: context.services.documentStore,
      signer: context.services.signer,
    }),
    logger: testLogger,
  });
  return {
    running,
    clock: context.clock,
    stop: async () => {
      await worker.stop();
      await running.close();
    },
  };
}

/** Skips the calling suite, saying why, on a machine without Debian's Chromium. */
export function skipUnlessChromium(suite: Mocha.Context): void {
  if (chromiumAvailable()) return;
  // eslint-disable-next-line no-console
  console.warn(
    `    ⚠ ${CHROMIUM_PATH} is missing: browser tests skipped (.ci/run installs it: apt-get install chromium)`,
  );
  suite.skip();
}

// ——— Pages of a browser suite ———

export type Language = "fr" | "ar";

/** The flags passed to every page's checks: what a suite expects never to see. */
export class PageWatch {
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];
  /** The last page opened: its picture usually says why a test failed. */
  lastPage: Page | undefined;

  /** Collects the page's CSP violations (console errors) and uncaught script errors. */
  watch(page: Page): Page {
    this.lastPage = page;
    page.on("console", (message) => {
      if (message.type() === "error" && /Content.Security.Policy/i.test(message.text()))
        this.cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => this.pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  expectClean(): void {
    expect(this.cspViolations, "CSP violations").to.deep.equal([]);
    expect(this.pageErrors, "page errors").to.deep.equal([]);
  }

  /** For an afterEach: a full-page picture of the last page when the test failed. */
  async screenshotOnFailure(test: Mocha.Test | undefined, name: string): Promise<void> {
    if (test?.state === "failed" && this.lastPage && !this.lastPage.isClosed()) {
      await screenshot(this.lastPage, name);
    }
  }
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
}

/** A page in a new browser context (its own cookies) with this language's locale, watched. */
export async function openPage(
  browser: Browser,
  language: Language,
  watch: PageWatch,
  options: PageOptions = {},
): Promise<Page> {
  const contextOptions: BrowserContextOptions = {
    locale: language === "ar" ? "ar-MA" : "fr-MA",
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  };
  const context = await browser.newContext(contextOptions);
  return watch.watch(await context.newPage());
}

/** The home page in this language (the switch is remembered by the browser), direction checked. */
export async function openSite(
  browser: Browser,
  baseUrl: string,
  language: Language,
  watch: PageWatch,
  options: PageOptions = {},
): Promise<Page> {
  const page = await openPage(browser, language, watch, options);
  await page.goto(baseUrl);
  if (language === "ar") await page.getByRole("button", { name: "العربية" }).click();
  expect(await page.locator("html").getAttribute("dir")).to.equal(language === "ar" ? "rtl" : "ltr");
  return page;
}

/** A full-page picture in SCREENSHOT_DIR, named `${name}.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** axe finds no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page), page.url()).to.deep.equal([]);
}
