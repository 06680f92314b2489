import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import {
  launchBrowser,
  SCREENSHOT_DIR,
  seriousAccessibilityViolations,
  serve,
  skipUnlessChromium,
  type RunningApp,
} from "../helpers/browser.js";
import { resetDatabase } from "../helpers/testDatabase.js";
import { buildTestApp } from "../helpers/testApp.js";

describe("browser smoke test: home and catalogue in French and Arabic", function () {
  this.timeout(120_000);
  let browser: Browser;
  let running: RunningApp;
  const cspViolations: string[] = [];

  before(async function () {
    skipUnlessChromium(this);
    await resetDatabase();
    const { app } = buildTestApp({ config: { clientDistDir: path.resolve("client", "dist") } });
    running = await serve(app);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await running?.close();
  });

  async function openPage(language: "fr" | "ar"): Promise<Page> {
    const context = await browser.newContext({
      locale: language === "ar" ? "ar-MA" : "fr-MA",
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" && /Content.Security.Policy/i.test(message.text()))
        cspViolations.push(message.text());
    });
    return page;
  }

  for (const language of ["fr", "ar"] as const) {
    it(`shows the home page in ${language} with the right direction and no serious accessibility violation`, async () => {
      const page = await openPage(language);
      await page.goto(running.baseUrl);
      if (language === "ar") {
        await page.getByRole("button", { name: "العربية" }).click();
      }
      await expect(page.locator("html")).to.exist;
      const dir = await page.locator("html").getAttribute("dir");
      const lang = await page.locator("html").getAttribute("lang");
      expect({ dir, lang }).to.deep.equal(language === "ar" ? { dir: "rtl", lang: "ar" } : { dir: "ltr", lang: "fr" });
      await page.getByRole("heading", { level: 1 }).waitFor();
      // The open call comes from the API: its title proves the page talks to the server.
      await page
        .getByText(language === "ar" ? "طلب ترشيحات مساندة 2026" : "Appel à candidatures Moussanada 2026")
        .first()
        .waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `home-${language}.png`), fullPage: true });
      expect(await seriousAccessibilityViolations(page)).to.deep.equal([]);
      await page.context().close();
    });

    it(`shows the solutions catalogue of a sector in ${language}`, async () => {
      const page = await openPage(language);
      await page.goto(running.baseUrl);
      if (language === "ar") await page.getByRole("button", { name: "العربية" }).click();
      await page.goto(`${running.baseUrl}/solutions/agroalimentaire`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      const cards = page.getByRole("article");
      await cards.first().waitFor();
      expect(await cards.count()).to.be.greaterThan(1);
      expect(await page.locator("html").getAttribute("dir")).to.equal(language === "ar" ? "rtl" : "ltr");
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `catalogue-${language}.png`), fullPage: true });
      expect(await seriousAccessibilityViolations(page)).to.deep.equal([]);
      await page.context().close();
    });
  }

  it("ran under the strict CSP without a single violation", () => {
    expect(cspViolations).to.deep.equal([]);
  });
});
