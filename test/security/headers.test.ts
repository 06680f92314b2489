import { expect } from "chai";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Express } from "express";
import { QueryTypes } from "sequelize";
import request, { type Response } from "supertest";
import type { Certificate } from "../../server/models/index.js";
import {
  applicationPayload,
  createDraft,
  pdfFile,
  readyApplication,
  seededCall,
  submitRequest,
  uploadDocument,
  type ApplicationBody,
  type DocumentBody,
} from "../factories/applications.js";
import { createCompany, createMandate } from "../factories/companies.js";
import {
  AFTER_DEFAULT_START,
  certificatesOf,
  createTrainingSession,
  enrolDirectly,
  issueCertificates,
  trainingPlayer,
} from "../factories/training.js";
import type { Player } from "../factories/review.js";
import {
  API,
  clearRateLimits,
  PRODUCTION_COOKIE,
  sessionCookieIn,
  setCookiesOf,
  type SignedIn,
} from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { buildTestApp, useTestApp } from "../helpers/testApp.js";
import { ownerSequelize, TEST_NOW } from "../helpers/testDatabase.js";
import { binaryParser } from "../integration/applicationsApi.js";

/**
 * Issue 9, security suite: the headers of every kind of answer the server gives (HTML shell,
 * client routes, JSON, problems, downloads, exports, the verification page), the session cookie,
 * and the CSRF refusal of every unsafe method on the business endpoints.
 */

/** "a b c; d e" → {a: ["b", "c"], d: ["e"]}, each directive once. */
function parseCsp(header: unknown): Record<string, string[]> {
  expect(header, "Content-Security-Policy header").to.be.a("string");
  const directives: Record<string, string[]> = {};
  for (const directive of String(header).split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (!name) continue;
    expect(directives, `directive ${name} appears once`).to.not.have.property(name);
    directives[name] = sources;
  }
  return directives;
}

const NONCE_SOURCE = /^'nonce-[A-Za-z0-9+/]{22}==' *$/;

/**
 * The policy server/app.ts gives every answer: scripts from the origin only (no 'unsafe-inline',
 * no 'unsafe-eval', no nonce for scripts), styles from the origin or this answer's nonce, no
 * plug-ins, no <base> elsewhere, never framed, forms posted to the origin only.
 */
function expectAppPolicy(header: unknown, production: boolean, label: string): void {
  const csp = parseCsp(header);
  const styleSources = csp["style-src"] ?? [];
  expect(styleSources[0], label).to.equal("'self'");
  expect(styleSources, label).to.have.length(2);
  expect(styleSources[1], label).to.match(NONCE_SOURCE);
  const expected: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": styleSources,
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    ...(production ? { "upgrade-insecure-requests": [] } : {}),
  };
  expect(csp, label).to.deep.equal(expected);
  expect(String(header), label).to.not.match(/unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|\*|http:/);
}

/** A downloaded file: it may never run as a page, whatever its bytes, nor be framed. */
function expectDownloadPolicy(header: unknown, label: string): void {
  expect(parseCsp(header), label).to.deep.equal({ "default-src": ["'none'"], sandbox: [] });
}

interface Answer {
  label: string;
  response: Response;
  /** The kind of answer, which decides the checks beyond the common ones. */
  kind: "html" | "json" | "problem" | "document" | "pdf" | "csv" | "xlsx" | "script" | "asset";
}

function expectCommonHeaders(answer: Answer, production: boolean): void {
  const { label, response } = answer;
  const headers = response.headers;
  expect(headers["x-content-type-options"], label).to.equal("nosniff");
  expect(headers["referrer-policy"], label).to.equal("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], label).to.equal("SAMEORIGIN");
  expect(headers["cross-origin-opener-policy"], label).to.equal("same-origin");
  expect(headers["cross-origin-resource-policy"], label).to.equal("same-origin");
  expect(headers, label).to.not.have.property("x-powered-by");
  expect(headers, label).to.not.have.property("server");
  expect(headers["x-permitted-cross-domain-policies"], label).to.equal("none");
  expect(headers["x-xss-protection"], label).to.equal("0");
  expect(headers["x-request-id"], label).to.be.a("string").and.not.equal("");
  if (production) {
    expect(headers["strict-transport-security"], label).to.equal("max-age=31536000; includeSubDomains");
  } else {
    expect(headers, label).to.not.have.property("strict-transport-security");
  }
  if (answer.kind === "document") expectDownloadPolicy(headers["content-security-policy"], label);
  else expectAppPolicy(headers["content-security-policy"], production, label);
}

const ATTACHMENT = /^attachment; filename="[\x20-\x7e]+"(; filename\*=UTF-8''[A-Za-z0-9%._~!$&+,=:@-]+)?$/;

function expectKindHeaders(answer: Answer): void {
  const { label, response, kind } = answer;
  const headers = response.headers;
  const type = String(headers["content-type"]);
  switch (kind) {
    case "html": {
      expect(type, label).to.equal("text/html; charset=utf-8");
      // The client's shell holds this answer's nonce: no cache may hand it to someone else.
      if (!label.includes("Swagger")) expect(headers["cache-control"], label).to.equal("no-store");
      const html = response.text;
      // The shell carries no inline script and no inline handler: the policy could not run them anyway.
      const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
      expect(scripts.length, label).to.be.greaterThan(0);
      for (const script of scripts) expect(script, label).to.match(/\bsrc="(\/assets\/|\.\/)[\w.-]+\.js"/);
      expect(html, label).to.not.match(/<script\b[^>]*>[^<\s]/i);
      expect(html, label).to.not.match(/\son[a-z]+\s*=/i);
      // Every nonce written into the page is this answer's, never a stale or shared one.
      const nonce = /'nonce-([^']+)'/.exec(String(headers["content-security-policy"]))?.[1];
      const written = [
        ...html.matchAll(/\bnonce="([^"]+)"/g),
        ...html.matchAll(/<meta name="csp-nonce" content="([^"]+)"/g),
      ].map((match) => match[1]);
      expect(written.length, `${label}: nonce written into the page`).to.be.greaterThan(0);
      for (const value of written) expect(value, label).to.equal(nonce);
      break;
    }
    case "json":
      expect(type, label).to.match(/^application\/json; charset=utf-8$/);
      break;
    case "problem":
      expect(type, label).to.match(/^application\/problem\+json; charset=utf-8$/);
      break;
    case "document":
    case "pdf":
    case "csv":
    case "xlsx":
      expect(headers["content-disposition"], label).to.match(ATTACHMENT);
      expect(headers["cache-control"], label).to.equal("private, no-store");
      if (kind === "pdf") expect(type, label).to.equal("application/pdf");
      if (kind === "csv") expect(type, label).to.equal("text/csv; charset=utf-8");
      if (kind === "xlsx")
        expect(type, label).to.equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      break;
    case "script":
      expect(type, label).to.match(/^application\/javascript; charset=utf-8$/);
      break;
    case "asset":
      expect(type, label).to.match(/^(application|text)\/javascript; charset=utf-8$/);
      expect(headers["cache-control"], label).to.equal("public, max-age=31536000, immutable");
      break;
  }
}

interface World {
  owner: Player;
  officer: Player;
  draft: ApplicationBody;
  document: DocumentBody;
  submitted: ApplicationBody;
  certificate: Certificate;
  holder: Player;
}

async function buildWorld(context: { app: Express; clock: ReturnType<typeof buildTestApp>["clock"] }): Promise<World> {
  await clearRateLimits();
  const owner = await trainingPlayer(context, "applicant", "Salma Bennani");
  const officer = await trainingPlayer(context, "officer", "Youssef Chargé");
  const trainer = await trainingPlayer(context, "trainer", "Nadia Formatrice");
  const call = await seededCall();
  const company = await createCompany({ owner: owner.user });
  const draft = await createDraft(owner.session, applicationPayload(company.id, call.id));
  const document = await uploadDocument(owner.session, draft.id, "quote", pdfFile("devis ERP été.pdf", "headers"));
  const otherCompany = await createCompany({ owner: owner.user });
  const submitted = await readyApplication(owner.session, applicationPayload(otherCompany.id, call.id));
  const submit = await submitRequest(owner.session, submitted.id);
  expect(submit.status, submit.text).to.equal(200);

  const session = await createTrainingSession({ trainer: trainer.user });
  await enrolDirectly(session, owner.user, "passed");
  context.clock.set(AFTER_DEFAULT_START);
  await issueCertificates(trainer.session, session.id, context.clock);
  context.clock.set(TEST_NOW);
  const [certificate] = await certificatesOf(session.id);
  if (!certificate?.pdfKey) throw new Error("the certificate batch produced no PDF");
  return { owner, officer, draft, document, submitted, certificate, holder: owner };
}

/** Every kind of answer, fetched from `app` with the world's signed-in agents replayed by cookie. */
async function everyKindOfAnswer(app: Express, world: World, secure: boolean): Promise<Answer[]> {
  const get = (url: string, as: SignedIn | null, accept = "*/*") => {
    let test = request(app).get(url).set("Accept", accept);
    if (secure) test = test.set("X-Forwarded-Proto", "https");
    // Same secret, so the session signed in on the development app is valid under the production name.
    if (as) test = test.set("Cookie", secure ? as.cookie.replace(/^[^=]+=/, `${PRODUCTION_COOKIE}=`) : as.cookie);
    return test;
  };
  const binary = (url: string, as: SignedIn) => get(url, as).buffer(true).parse(binaryParser);
  const assetName = readdirSync(path.resolve("client", "dist", "assets")).find((name) => /^index-.*\.js$/.test(name));
  if (!assetName) throw new Error("client/dist is not built");
  const html = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";
  const { owner, officer, draft, document, submitted, certificate } = world;
  return [
    { label: "GET / (HTML shell)", kind: "html", response: await get("/", null, html) },
    { label: "GET /index.html", kind: "html", response: await get("/index.html", null, html) },
    { label: "GET /formations (client route)", kind: "html", response: await get("/formations", null, html) },
    {
      label: "GET /dossiers/:id (signed-in client route)",
      kind: "html",
      response: await get(`/dossiers/${draft.id}`, owner.session, html),
    },
    {
      label: "GET /verify/:code (verification page)",
      kind: "html",
      response: await get(`/verify/${certificate.verificationCode}`, null, html),
    },
    { label: "GET /api/v1/regions (JSON)", kind: "json", response: await get(`${API}/regions`, null) },
    {
      label: "GET /api/v1/applications/:id (signed-in JSON)",
      kind: "json",
      response: await get(`${API}/applications/${draft.id}`, owner.session),
    },
    {
      label: "GET /api/v1/verify/:code (public JSON)",
      kind: "json",
      response: await get(`${API}/verify/${certificate.verificationCode}`, null),
    },
    { label: "GET /api/openapi.json", kind: "json", response: await get("/api/openapi.json", null) },
    { label: "GET /api/v1/nowhere (404 problem)", kind: "problem", response: await get(`${API}/nowhere`, null) },
    {
      label: "GET /api/v1/applications/:id of someone else (404 problem)",
      kind: "problem",
      response: await get(`${API}/applications/${draft.id}`, officer.session),
    },
    {
      label: "GET /api/v1/applications (401 problem)",
      kind: "problem",
      response: await get(`${API}/applications`, null),
    },
    {
      label: "GET /nowhere.png (404 problem outside the API)",
      kind: "problem",
      response: await get("/nowhere.png", null, "image/png"),
    },
    {
      label: "GET /api/v1/applications/:id/documents/:docId (application document)",
      kind: "document",
      response: await binary(`${API}/applications/${draft.id}/documents/${document.id}`, owner.session),
    },
    {
      label: "GET /api/v1/applications/:id/receipt.pdf",
      kind: "pdf",
      response: await binary(`${API}/applications/${submitted.id}/receipt.pdf`, owner.session),
    },
    {
      label: "GET /api/v1/certificates/:id/pdf (certificate PDF)",
      kind: "pdf",
      response: await binary(`${API}/certificates/${certificate.id}/pdf`, owner.session),
    },
    {
      label: "GET /api/v1/exports/applications.csv",
      kind: "csv",
      response: await get(`${API}/exports/applications.csv`, officer.session),
    },
    {
      label: "GET /api/v1/exports/applications.xlsx",
      kind: "xlsx",
      response: await binary(`${API}/exports/applications.xlsx`, officer.session),
    },
    {
      label: "GET /api/v1/open-data/applications.csv",
      kind: "csv",
      response: await get(`${API}/open-data/applications.csv`, null),
    },
    { label: "GET /api/docs/ (Swagger UI page)", kind: "html", response: await get("/api/docs/", null, html) },
    { label: "GET /api/docs/docs-init.js", kind: "script", response: await get("/api/docs/docs-init.js", null) },
    { label: `GET /assets/${assetName}`, kind: "asset", response: await get(`/assets/${assetName}`, null) },
  ];
}

const EXPECTED_STATUS: Record<Answer["kind"], number> = {
  html: 200,
  json: 200,
  problem: 0,
  document: 200,
  pdf: 200,
  csv: 200,
  xlsx: 200,
  script: 200,
  asset: 200,
};

describe("security: headers of every kind of answer, session cookie, CSRF", function () {
  this.timeout(180_000);
  const context = useTestApp();
  let world: World;

  before(async () => {
    world = await buildWorld(context());
  });

  for (const production of [false, true]) {
    describe(production ? "in production (behind a TLS proxy)" : "in development and tests", () => {
      let answers: Answer[] = [];

      before(async () => {
        const app = production
          ? buildTestApp({ config: { isProduction: true, env: "production", trustProxy: 1 } }).app
          : context().app;
        answers = await everyKindOfAnswer(app, world, production);
      });

      it("every answer: the exact CSP, nosniff, Referrer-Policy, no framing, no X-Powered-By, HSTS in production only", () => {
        expect(answers.length).to.equal(22);
        for (const answer of answers) {
          const wanted = EXPECTED_STATUS[answer.kind];
          if (wanted !== 0) expect(answer.response.status, `${answer.label}: ${answer.response.text}`).to.equal(wanted);
          expectCommonHeaders(answer, production);
        }
      });

      it("per kind: HTML without inline script and with this answer's nonce; downloads as attachments, never cached", () => {
        for (const answer of answers) expectKindHeaders(answer);
        const problems = answers.filter((answer) => answer.kind === "problem");
        expect(problems.map((answer) => answer.response.status)).to.deep.equal([404, 404, 401, 404]);
      });

      it("a downloaded application document is served as an attachment, sandboxed, with its sanitised name", () => {
        const download = answers.find((answer) => answer.kind === "document");
        const disposition = String(download?.response.headers["content-disposition"]);
        expect(disposition).to.equal(
          `attachment; filename="devis ERP ete.pdf"; filename*=UTF-8''devis%20ERP%20%C3%A9t%C3%A9.pdf`,
        );
        expect(download?.response.headers["content-type"]).to.equal("application/pdf");
      });
    });
  }

  describe("the session cookie", () => {
    const cases: Array<{ label: string; production: boolean; name: string; secure: boolean }> = [
      { label: "development", production: false, name: "moussanada.sid", secure: false },
      { label: "production over HTTPS", production: true, name: PRODUCTION_COOKIE, secure: true },
    ];
    for (const { label, production, name, secure } of cases) {
      it(`${label}: ${name}, HttpOnly, SameSite=Lax, Path=/, no Domain${secure ? ", Secure" : ""}`, async () => {
        const app = production
          ? buildTestApp({ config: { isProduction: true, env: "production", trustProxy: 1 } }).app
          : context().app;
        let test = request(app).get(`${API}/auth/csrf`);
        if (production) test = test.set("X-Forwarded-Proto", "https");
        const response = await test;
        expect(response.status).to.equal(200);
        const cookies = setCookiesOf(response);
        expect(cookies.map((cookie) => cookie.name)).to.deep.equal([name]);
        const cookie = sessionCookieIn(response, name);
        expect(cookie?.attributes.httponly).to.equal(true);
        expect(cookie?.attributes.samesite).to.equal("Lax");
        expect(cookie?.attributes.path).to.equal("/");
        expect(cookie?.attributes).to.not.have.property("domain");
        if (secure) expect(cookie?.attributes.secure).to.equal(true);
        else expect(cookie?.attributes).to.not.have.property("secure");
      });
    }

    it("pages, assets and probes never set a cookie (only the API has sessions)", async () => {
      for (const url of ["/", "/formations", "/healthz", "/api/openapi.json", "/api/docs/"]) {
        const response = await request(context().app).get(url).set("Accept", "text/html");
        expect(setCookiesOf(response), url).to.deep.equal([]);
      }
    });
  });

  describe("CSRF: every unsafe method on the business endpoints is refused without this session's token", () => {
    interface UnsafeCase {
      method: "post" | "patch" | "put" | "delete";
      path: () => string;
      body: () => object;
      as: () => SignedIn;
      multipart?: boolean;
    }
    let admin: Player;
    let trainer: Player;
    let prescriber: Player;
    let mandateId = "";
    let enrolmentId = "";
    let sessionId = "";

    before(async () => {
      admin = await trainingPlayer(context(), "admin", "Directrice du programme");
      trainer = await trainingPlayer(context(), "trainer", "Rachid Formateur");
      prescriber = await trainingPlayer(context(), "prescriber", "Karima Bennis");
      const company = await createCompany({ owner: world.owner.user });
      mandateId = (await createMandate({ company, prescriber: prescriber.user })).id;
      const session = await createTrainingSession({ trainer: trainer.user });
      sessionId = session.id;
      enrolmentId = (await enrolDirectly(session, world.owner.user, "enrolled")).id;
    });

    const CASES: Array<[string, UnsafeCase]> = [
      [
        "POST /companies",
        {
          method: "post",
          path: () => "/companies",
          body: () => ({ name: "Forgée SARL" }),
          as: () => world.owner.session,
        },
      ],
      [
        "PATCH /companies/:id",
        {
          method: "patch",
          path: () => `/companies/${world.draft.company.id}`,
          body: () => ({ name: "Nom forgé" }),
          as: () => world.owner.session,
        },
      ],
      [
        "DELETE /mandates/:id",
        { method: "delete", path: () => `/mandates/${mandateId}`, body: () => ({}), as: () => world.owner.session },
      ],
      [
        "POST /applications",
        {
          method: "post",
          path: () => "/applications",
          body: () => applicationPayload(world.draft.company.id, world.draft.call.id),
          as: () => world.owner.session,
        },
      ],
      [
        "PATCH /applications/:id",
        {
          method: "patch",
          path: () => `/applications/${world.draft.id}`,
          body: () => ({ description: "Description forgée" }),
          as: () => world.owner.session,
        },
      ],
      [
        "PUT /applications/:id (no such route, still refused first)",
        {
          method: "put",
          path: () => `/applications/${world.draft.id}`,
          body: () => ({ description: "Description forgée" }),
          as: () => world.owner.session,
        },
      ],
      [
        "POST /applications/:id/documents (multipart)",
        {
          method: "post",
          path: () => `/applications/${world.draft.id}/documents`,
          body: () => ({}),
          as: () => world.owner.session,
          multipart: true,
        },
      ],
      [
        "DELETE /applications/:id/documents/:docId",
        {
          method: "delete",
          path: () => `/applications/${world.draft.id}/documents/${world.document.id}`,
          body: () => ({}),
          as: () => world.owner.session,
        },
      ],
      [
        "POST /applications/:id/submit",
        {
          method: "post",
          path: () => `/applications/${world.draft.id}/submit`,
          body: () => ({}),
          as: () => world.owner.session,
        },
      ],
      [
        "POST /applications/:id/start-review",
        {
          method: "post",
          path: () => `/applications/${world.submitted.id}/start-review`,
          body: () => ({}),
          as: () => world.officer.session,
        },
      ],
      [
        "POST /conflicts",
        {
          method: "post",
          path: () => "/conflicts",
          body: () => ({ companyId: world.draft.company.id, reason: "Lien familial" }),
          as: () => world.officer.session,
        },
      ],
      [
        "POST /training/sessions",
        {
          method: "post",
          path: () => "/training/sessions",
          body: () => ({ title: "Session forgée" }),
          as: () => trainer.session,
        },
      ],
      [
        "PATCH /training/sessions/:id",
        {
          method: "patch",
          path: () => `/training/sessions/${sessionId}`,
          body: () => ({ title: "Titre forgé" }),
          as: () => trainer.session,
        },
      ],
      [
        "DELETE /training/enrolments/:id",
        {
          method: "delete",
          path: () => `/training/enrolments/${enrolmentId}`,
          body: () => ({}),
          as: () => world.owner.session,
        },
      ],
      [
        "POST /certificates/:id/revoke",
        {
          method: "post",
          path: () => `/certificates/${world.certificate.id}/revoke`,
          body: () => ({ reason: "Révocation forgée" }),
          as: () => admin.session,
        },
      ],
      [
        "PATCH /users/:id",
        {
          method: "patch",
          path: () => `/users/${world.officer.user.id}`,
          body: () => ({ role: "admin" }),
          as: () => admin.session,
        },
      ],
      [
        "POST /stats/refresh",
        { method: "post", path: () => "/stats/refresh", body: () => ({}), as: () => world.officer.session },
      ],
      [
        "POST /simulate (public)",
        {
          method: "post",
          path: () => "/simulate",
          body: () => ({
            sectorCode: "textile-habillement",
            lines: [{ category: "software", amountExclTax: "1000.00", vatRate: "0.20" }],
          }),
          as: () => prescriber.session,
        },
      ],
      [
        "POST /auth/logout",
        { method: "post", path: () => "/auth/logout", body: () => ({}), as: () => prescriber.session },
      ],
    ];

    /** What any accepted change would move: the audit chain, and rows of the business tables. */
    async function footprint(): Promise<string> {
      const [row] = await ownerSequelize().query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM audit_events) AS audit, (SELECT count(*) FROM companies) AS companies,
                (SELECT count(*) FROM applications) AS applications, (SELECT count(*) FROM documents) AS documents,
                (SELECT count(*) FROM training_sessions) AS sessions, (SELECT count(*) FROM conflicts_of_interest) AS conflicts,
                (SELECT string_agg(status || coalesce(description, ''), ',' ORDER BY id) FROM applications) AS files,
                (SELECT string_agg(name, ',' ORDER BY id) FROM companies) AS names,
                (SELECT string_agg(coalesce(revoked_at::text, '-'), ',' ORDER BY id) FROM mandates) AS mandates,
                (SELECT string_agg(status, ',' ORDER BY id) FROM enrolments) AS enrolments,
                (SELECT string_agg(status, ',' ORDER BY id) FROM certificates) AS certificates,
                (SELECT string_agg(role, ',' ORDER BY id) FROM users) AS roles,
                (SELECT count(*) FROM sessions) AS live_sessions`,
        { type: QueryTypes.SELECT },
      );
      return JSON.stringify(row);
    }

    const TOKENS: Array<[string, (caller: SignedIn) => Promise<string | null>]> = [
      ["no X-CSRF-Token header", async () => null],
      ["an empty token", async () => ""],
      ["a made-up token", async () => "0".repeat(64)],
      ["the token of another session", async () => world.officer.session.csrfToken],
    ];

    for (const [label, unsafe] of CASES) {
      it(`${label}: 403 csrf-invalid whatever the wrong token, nothing changes`, async () => {
        const caller = unsafe.as();
        for (const [tokenLabel, token] of TOKENS) {
          const value = await token(caller);
          if (value === caller.csrfToken) continue;
          const before = await footprint();
          let test = caller.agent[unsafe.method](`${API}${unsafe.path()}`);
          if (value !== null) test = test.set("X-CSRF-Token", value);
          const response = unsafe.multipart
            ? await test.field("type", "quote").attach("file", pdfFile().bytes, {
                filename: "devis.pdf",
                contentType: "application/pdf",
              })
            : await test.send(unsafe.body());
          expectProblem(response, 403, "csrf-invalid");
          expect(await footprint(), `${label} with ${tokenLabel}`).to.equal(before);
        }
      });
    }

    it("the same requests with the right token are not refused for CSRF (the table tests the token, not the route)", async () => {
      const logout = CASES.find(([label]) => label.startsWith("POST /auth/logout"));
      for (const [label, unsafe] of CASES) {
        if (unsafe === logout?.[1] || unsafe.multipart) continue;
        const caller = unsafe.as();
        const response = await caller.agent[unsafe.method](`${API}${unsafe.path()}`)
          .set("X-CSRF-Token", caller.csrfToken)
          .send(unsafe.body());
        const code = (response.body as { code?: string }).code;
        expect(code, `${label}: ${response.status} ${response.text}`).to.not.equal("csrf-invalid");
      }
    });

    it("a signed-out browser: unsafe requests without a token are refused before authentication", async () => {
      for (const [method, url] of [
        ["post", "/applications"],
        ["patch", `/applications/${world.draft.id}`],
        ["delete", `/mandates/${mandateId}`],
      ] as const) {
        const response = await request(context().app)[method](`${API}${url}`).send({});
        expectProblem(response, 403, "csrf-invalid");
      }
    });
  });
});
