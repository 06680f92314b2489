import { expect } from "chai";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { clearRateLimits, type SignedIn } from "../helpers/auth.js";
import { launchBrowser, openPage, PageWatch, serve, skipUnlessChromium, type RunningApp } from "../helpers/browser.js";
import { buildTestApp, type TestContext } from "../helpers/testApp.js";
import { resetDatabase } from "../helpers/testDatabase.js";
import { buildPoisonedWorld, normaliseSpace, PAYLOADS, POISON, type PoisonedWorld } from "./payloads.js";

/**
 * Issue 9, security suite: the pages that show what users typed, opened in Chromium with payloads
 * in every free-text field (payloads.ts). No dialog may open, no element or attribute may come from
 * a payload, the policy reports no violation (nothing even tried to run), and each value is shown
 * literally as text.
 */

interface Visit {
  page: string;
  /** Whose browser: a signed-in player of the world, or nobody. */
  as: (world: PoisonedWorld) => SignedIn | null;
  url: (world: PoisonedWorld) => string;
  /** Values the page must show literally (as textContent, white space collapsed). */
  shows: (world: PoisonedWorld) => string[];
}

const VISITS: Visit[] = [
  {
    page: "the owner's rejected application (description, lines, documents, request, reason)",
    as: (world) => world.owner.session,
    url: (world) => `/dossiers/${world.rejected.id}`,
    shows: () => [
      POISON.companyName,
      POISON.description,
      POISON.lineLabel,
      POISON.secondLineLabel,
      POISON.documentName,
      POISON.secondDocumentName,
      POISON.infoRequest,
      POISON.rejectionReason,
    ],
  },
  {
    page: "the owner's paid application (claim: invoice number, supplier, payment reference)",
    as: (world) => world.owner.session,
    url: (world) => `/dossiers/${world.paid.id}`,
    shows: () => [POISON.otherCompanyName, POISON.invoiceNumber, POISON.supplierName, POISON.paymentReference],
  },
  {
    page: "the owner's cancelled application (cancellation reason)",
    as: (world) => world.owner.session,
    url: (world) => `/dossiers/${world.cancelled.id}`,
    shows: () => [POISON.cancellationReason],
  },
  {
    page: "the owner's applications list",
    as: (world) => world.owner.session,
    url: () => "/dossiers",
    shows: () => [POISON.companyName, POISON.otherCompanyName],
  },
  {
    page: "the owner's company profile (profile fields, mandate of the prescriber)",
    as: (world) => world.owner.session,
    url: (world) => `/entreprises/${world.company.id}`,
    shows: () => [
      POISON.companyName,
      POISON.companyRcNumber,
      POISON.companyRcCourt,
      POISON.companyCity,
      POISON.companyAddress,
      POISON.prescriberName,
    ],
  },
  {
    page: "the owner's account",
    as: (world) => world.owner.session,
    url: () => "/mon-compte",
    shows: () => [POISON.ownerName],
  },
  {
    page: "the owner's training and certificates",
    as: (world) => world.owner.session,
    url: () => "/mes-formations",
    shows: () => [POISON.sessionTitle],
  },
  {
    page: "the prescriber's client company (invited manager)",
    as: (world) => world.prescriber.session,
    url: (world) => `/entreprises/${world.clientCompany.id}`,
    shows: () => [POISON.clientCompanyName, POISON.clientManagerName],
  },
  {
    page: "the officers' queue",
    as: (world) => world.officerA.session,
    url: () => "/instruction?status=rejected&status=paid&status=cancelled",
    shows: () => [POISON.companyName, POISON.otherCompanyName],
  },
  {
    page: "the review screen of the rejected file (history, verdicts, comments)",
    as: (world) => world.officerA.session,
    url: (world) => `/instruction/${world.rejected.id}`,
    shows: () => [
      POISON.companyName,
      POISON.description,
      POISON.lineLabel,
      POISON.documentName,
      POISON.infoRequest,
      POISON.examinationComment,
      POISON.rejectionReason,
    ],
  },
  {
    page: "the review screen of the paid file (approval comment, claim)",
    as: (world) => world.officerB.session,
    url: (world) => `/instruction/${world.paid.id}`,
    shows: () => [POISON.approvalComment, POISON.invoiceNumber, POISON.supplierName, POISON.paymentReference],
  },
  {
    page: "the officer's declared conflicts",
    as: (world) => world.officerA.session,
    url: () => "/instruction/conflits",
    shows: () => [POISON.clientCompanyName, POISON.conflictReason],
  },
  {
    page: "the admin's users",
    as: (world) => world.admin.session,
    url: () => "/admin/utilisateurs",
    shows: () => [POISON.ownerName, POISON.prescriberName, POISON.officerAName, POISON.trainerName],
  },
  {
    page: "the public course sessions",
    as: () => null,
    url: () => "/formations",
    shows: () => [POISON.sessionTitle, POISON.sessionCity],
  },
  {
    page: "a public course session (description, venue, trainer)",
    as: () => null,
    url: (world) => `/formations/${world.session.id}`,
    shows: () => [POISON.sessionTitle, POISON.sessionDescription, POISON.sessionCity, POISON.sessionVenue],
  },
  {
    page: "the trainer's attendance sheet and certificates (every payload as a holder's name)",
    as: (world) => world.trainer.session,
    url: (world) => `/formateur/sessions/${world.session.id}`,
    shows: () => [POISON.sessionTitle, POISON.clientManagerName, ...PAYLOADS.map((payload) => payload.text)],
  },
  {
    page: "the public verification of the revoked certificate",
    as: () => null,
    url: (world) => `/verify/${world.revoked.verificationCode}`,
    shows: () => [POISON.ownerName, POISON.sessionTitle],
  },
  ...PAYLOADS.map((payload, index): Visit => ({
    page: `the public verification of a certificate held by ${payload.name}`,
    as: () => null,
    url: (world) => {
      const certificate = world.certificates.find((item) => item.holderName === payload.text);
      if (!certificate) throw new Error(`no certificate for ${payload.name} (${index})`);
      return `/verify/${certificate.verificationCode}`;
    },
    shows: () => [payload.text],
  })),
];

/** The little of the DOM the checks use (the Node tsconfig has no DOM types). */
interface PageElement {
  tagName: string;
  textContent: string | null;
  /** Hidden from getAttribute once the element is in the page; readable as a property. */
  nonce?: string;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
}

interface PageDocument {
  body: PageElement;
  querySelectorAll(selector: string): Iterable<PageElement>;
}

/** What only a payload could have put in the page (run inside it). */
function injectedElements(): string[] {
  const found: string[] = [];
  const document = (globalThis as unknown as { document: PageDocument }).document;
  for (const element of Array.from(document.querySelectorAll("*"))) {
    const tag = element.tagName.toLowerCase();
    for (const name of element.getAttributeNames()) {
      const value = element.getAttribute(name) ?? "";
      if (/^on/i.test(name)) found.push(`<${tag} ${name}="${value}">`);
      if (/^\s*(javascript|vbscript|data):/i.test(value) && /^(href|src|action|formaction|xlink:href)$/i.test(name))
        found.push(`<${tag} ${name}="${value}">`);
    }
    if (["iframe", "frame", "object", "embed", "details", "x-y", "base"].includes(tag)) found.push(`<${tag}>`);
    if (tag === "img" && element.getAttribute("src") === "x") found.push("<img src=x>");
    if (tag === "b" && element.textContent === "عربي") found.push("<b>عربي</b>");
    if (tag === "script" && (!element.getAttribute("src") || (element.textContent ?? "").trim() !== ""))
      found.push(`inline <script>${element.textContent ?? ""}</script>`);
    if (tag === "style" && !element.nonce) found.push("<style> without the nonce");
    if (tag === "style" && (element.textContent ?? "").includes("display:none}")) found.push("<style> of a payload");
  }
  return found;
}

describe("security: payloads in every text field, shown in the browser (Chromium)", function () {
  this.timeout(600_000);
  let browser: Browser;
  let running: RunningApp;
  let context: TestContext;
  let world: PoisonedWorld;
  const watch = new PageWatch();
  const dialogs: string[] = [];

  before(async function () {
    skipUnlessChromium(this);
    await resetDatabase();
    await clearRateLimits();
    context = buildTestApp({ config: { clientDistDir: path.resolve("client", "dist") } });
    running = await serve(context.app);
    world = await buildPoisonedWorld(context);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await running?.close();
  });

  afterEach(async function () {
    await watch.screenshotOnFailure(this.currentTest, "xss-FAILED");
  });

  async function visit(spec: Visit): Promise<Page> {
    const page = await openPage(browser, "fr", watch);
    page.on("dialog", (dialog) => {
      dialogs.push(`${page.url()}: ${dialog.type()} ${dialog.message()}`);
      void dialog.dismiss();
    });
    const session = spec.as(world);
    if (session) {
      const [name = "", value = ""] = session.cookie.split(/=(.*)/s);
      await page.context().addCookies([{ name, value, url: running.baseUrl, httpOnly: true, sameSite: "Lax" }]);
    }
    await page.goto(`${running.baseUrl}${spec.url(world)}`);
    return page;
  }

  for (const spec of VISITS) {
    it(`${spec.page}: no dialog, nothing injected, every value shown literally`, async () => {
      const page = await visit(spec);
      const expected = spec.shows(world).map(normaliseSpace);
      // The page is drawn once the values arrived from the API.
      await page
        .waitForFunction(
          (values) => {
            const page = (globalThis as unknown as { document: PageDocument }).document;
            const text = (page.body.textContent ?? "").replace(/\s+/g, " ");
            return values.every((value) => text.includes(value));
          },
          expected,
          { timeout: 30_000 },
        )
        .catch(() => undefined);
      const text = normaliseSpace(await page.locator("body").evaluate((body) => body.textContent ?? ""));
      for (const value of expected) expect(text, `${spec.page}: ${value}`).to.include(value);
      // A failed injection would fire late (onerror after a load, ontoggle after layout).
      await page.waitForTimeout(300);
      expect(await page.evaluate(injectedElements), spec.page).to.deep.equal([]);
      expect(dialogs, "dialogs").to.deep.equal([]);
      watch.expectClean();
      await page.context().close();
    });
  }

  it("control: the same checks do see an injection (markup forced into the page through the debugger)", async () => {
    const page = await visit(VISITS.find((spec) => spec.url(world) === "/formations") ?? (VISITS[0] as Visit));
    await page.getByText(POISON.sessionTitle).first().waitFor();
    // DevTools evaluation is not bound by the page's policy: this plays a rendering bug.
    await page.evaluate(() => {
      const document = (
        globalThis as unknown as { document: { body: { insertAdjacentHTML(where: string, html: string): void } } }
      ).document;
      document.body.insertAdjacentHTML("beforeend", `<img src=x onerror="alert(1)"><details open ontoggle=alert(2)>`);
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(injectedElements)).to.include.members([
      '<img onerror="alert(1)">',
      "<img src=x>",
      '<details ontoggle="alert(2)">',
      "<details>",
    ]);
    // The policy refused to run the handlers: no dialog, but violations reported.
    expect(dialogs).to.deep.equal([]);
    expect(watch.cspViolations.length).to.be.greaterThan(0);
    watch.cspViolations.splice(0);
    await page.context().close();
  });
});
