import { expect } from "chai";
import type { Sequelize } from "sequelize";
import request from "supertest";
import { createApp, type AppServices } from "../../server/app.js";
import { Readiness, type ReadinessReport } from "../../server/services/readiness.js";
import { expectProblem, type ProblemBody } from "../helpers/problem.js";
import { buildTestApp, useTestApp } from "../helpers/testApp.js";
import { testSequelize } from "../helpers/testDatabase.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NONCE_SOURCE = /^'nonce-([A-Za-z0-9+/]{22}==)'$/;

/** "a b c;d e" → {a: ["b", "c"], d: ["e"]} */
function parseCsp(header: string | undefined): Record<string, string[]> {
  expect(header, "Content-Security-Policy header").to.be.a("string");
  const directives: Record<string, string[]> = {};
  for (const directive of (header ?? "").split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (!name) continue;
    expect(directives, `directive ${name} appears once`).to.not.have.property(name);
    directives[name] = sources;
  }
  return directives;
}

function nonceOf(header: string | undefined): string {
  const styleSources = parseCsp(header)["style-src"] ?? [];
  const nonce = styleSources.map((source) => NONCE_SOURCE.exec(source)?.[1]).find((value) => value !== undefined);
  if (!nonce) throw new Error(`no nonce in style-src of ${header}`);
  return nonce;
}

/** A readiness probe that fails the way a bug would: with an exception, not a report. */
class ThrowingReadiness extends Readiness {
  constructor(
    sequelize: Sequelize,
    private readonly failure: unknown,
  ) {
    super(sequelize, []);
  }

  override async check(): Promise<ReadinessReport> {
    throw this.failure;
  }
}

function appWhoseReadinessThrows(services: AppServices, failure: unknown, isProduction: boolean) {
  return createApp({
    ...services,
    config: { ...services.config, isProduction },
    readiness: new ThrowingReadiness(testSequelize(), failure),
  });
}

describe("HTTP behaviour", () => {
  const context = useTestApp();

  describe("security headers", () => {
    it("sends a strict Content-Security-Policy, exactly", async () => {
      const response = await request(context().app).get("/api/v1/regions").expect(200);
      const header = response.headers["content-security-policy"];
      const csp = parseCsp(header);
      const nonce = nonceOf(header);
      expect(csp).to.deep.equal({
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", `'nonce-${nonce}'`],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
      });
      expect(header).to.not.contain("unsafe-inline");
      expect(header).to.not.contain("unsafe-eval");
      expect(header).to.not.contain("*");
    });

    it("uses a fresh style nonce of 128 random bits on every request", async () => {
      const nonces = await Promise.all(
        [1, 2, 3].map(async () =>
          nonceOf((await request(context().app).get("/healthz").expect(200)).headers["content-security-policy"]),
        ),
      );
      expect(new Set(nonces).size).to.equal(3);
      for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).to.have.length(16);
    });

    it("forbids sniffing, framing and referrer leaks, and hides Express", async () => {
      for (const path of ["/healthz", "/api/v1/regions", "/api/v1/nowhere"]) {
        const response = await request(context().app).get(path);
        expect(response.headers["x-content-type-options"], path).to.equal("nosniff");
        expect(response.headers["x-frame-options"], path).to.equal("SAMEORIGIN");
        expect(parseCsp(response.headers["content-security-policy"])["frame-ancestors"], path).to.deep.equal([
          "'none'",
        ]);
        expect(response.headers["referrer-policy"], path).to.equal("strict-origin-when-cross-origin");
        expect(response.headers, path).to.not.have.property("x-powered-by");
      }
    });

    it("outside production, neither HSTS nor upgrade-insecure-requests (http://localhost must work)", async () => {
      const response = await request(context().app).get("/healthz").expect(200);
      expect(response.headers).to.not.have.property("strict-transport-security");
      expect(parseCsp(response.headers["content-security-policy"])).to.not.have.property("upgrade-insecure-requests");
    });

    it("in production, HSTS for a year and upgrade-insecure-requests", async () => {
      const { app } = buildTestApp({ config: { isProduction: true } });
      const response = await request(app).get("/healthz").expect(200);
      expect(response.headers["strict-transport-security"]).to.equal("max-age=31536000; includeSubDomains");
      expect(parseCsp(response.headers["content-security-policy"])["upgrade-insecure-requests"]).to.deep.equal([]);
    });
  });

  describe("X-Request-Id", () => {
    it("generates a random UUID when the request has none", async () => {
      const [first, second] = await Promise.all([
        request(context().app).get("/healthz"),
        request(context().app).get("/healthz"),
      ]);
      expect(first.headers["x-request-id"]).to.match(UUID_V4);
      expect(second.headers["x-request-id"]).to.match(UUID_V4);
      expect(first.headers["x-request-id"]).to.not.equal(second.headers["x-request-id"]);
    });

    for (const incoming of [
      "lb-1234abcd",
      "Root.1-67891233-abcdef012345678912345678",
      "a".repeat(64),
      "abc.DEF_123-xyz",
    ]) {
      it(`echoes the acceptable incoming id ${incoming}`, async () => {
        const response = await request(context().app).get("/api/v1/nowhere").set("X-Request-Id", incoming);
        expect(response.headers["x-request-id"]).to.equal(incoming);
        expect(expectProblem(response, 404, "route-not-found").requestId).to.equal(incoming);
      });
    }

    for (const incoming of [
      "short",
      "a".repeat(65),
      "has spaces in it",
      "<script>alert(1)</script>",
      "id;DROP TABLE",
      "é-accentué-id",
    ]) {
      it(`replaces the unacceptable incoming id ${JSON.stringify(incoming)}`, async () => {
        const response = await request(context().app).get("/healthz").set("X-Request-Id", incoming);
        expect(response.headers["x-request-id"]).to.match(UUID_V4);
      });
    }
  });

  describe("unknown addresses", () => {
    it("answers 404 application/problem+json on an unknown /api/v1 path", async () => {
      const response = await request(context().app).get("/api/v1/unknown?x=1").set("Accept", "application/json");
      const problem = expectProblem(response, 404, "route-not-found");
      expect(problem).to.deep.equal({
        type: "urn:moussanada:problem:route-not-found",
        code: "route-not-found",
        title: "Adresse inconnue",
        status: 404,
        detail: "Aucune page ni aucun service ne correspond à l'adresse /api/v1/unknown.",
        instance: "/api/v1/unknown?x=1",
        requestId: response.headers["x-request-id"],
      });
    });

    it("answers in Arabic to Accept-Language: ar", async () => {
      const response = await request(context().app)
        .get("/api/v1/unknown")
        .set("Accept-Language", "ar-MA,ar;q=0.9,fr;q=0.8");
      const problem = expectProblem(response, 404, "route-not-found");
      expect(problem.title).to.equal("عنوان غير معروف");
      expect(problem.detail).to.equal("لا توجد صفحة ولا خدمة تطابق العنوان /api/v1/unknown.");
    });

    for (const [method, path] of [
      ["post", "/api/v1/regions"],
      ["delete", "/api/v1/sectors"],
      ["get", "/api/v2/regions"],
      ["get", "/api"],
      ["get", "/api/anything/else"],
    ] as const) {
      it(`${method.toUpperCase()} ${path} is a 404 problem too`, async () => {
        // Unsafe methods pass the CSRF check first, as a browser session would.
        const agent = request.agent(context().app);
        const { body } = await agent.get("/api/v1/auth/csrf").expect(200);
        const response = await agent[method](path).set("X-CSRF-Token", (body as { csrfToken: string }).csrfToken);
        expect(expectProblem(response, 404, "route-not-found").detail).to.equal(
          `Aucune page ni aucun service ne correspond à l'adresse ${path}.`,
        );
      });
    }

    it("answers a 404 problem outside /api when there is no client to serve", async () => {
      const { app } = buildTestApp({ config: { clientDistDir: "/nonexistent/moussanada-client" } });
      const response = await request(app).get("/some/page").set("Accept", "text/html");
      expect(expectProblem(response, 404, "route-not-found").instance).to.equal("/some/page");
    });
  });

  describe("request bodies", () => {
    it("answers 400 malformed-request to a body that is not JSON", async () => {
      const response = await request(context().app)
        .post("/api/v1/regions")
        .set("Content-Type", "application/json")
        .send('{"name": ');
      const problem = expectProblem(response, 400, "malformed-request");
      expect(problem.title).to.equal("Requête illisible");
      expect(problem.detail).to.equal("Les données envoyées ne sont pas un JSON valide.");
    });

    it("explains it in Arabic too", async () => {
      const response = await request(context().app)
        .post("/api/v1/regions")
        .set("Content-Type", "application/json")
        .set("Accept-Language", "ar")
        .send("{'single': 'quotes'}");
      expect(expectProblem(response, 400, "malformed-request").detail).to.equal(
        "البيانات المرسلة ليست بصيغة JSON صالحة.",
      );
    });

    it("refuses a JSON body that is a bare scalar (strict parsing)", async () => {
      const response = await request(context().app)
        .post("/api/v1/regions")
        .set("Content-Type", "application/json")
        .send('"just a string"');
      expectProblem(response, 400, "malformed-request");
    });

    it("answers 413 payload-too-large above JSON_BODY_LIMIT, before routing", async () => {
      const { app } = buildTestApp({ config: { jsonBodyLimit: "1kb" } });
      const body = JSON.stringify({ description: "x".repeat(2048) });
      const response = await request(app).post("/api/v1/regions").set("Content-Type", "application/json").send(body);
      const problem = expectProblem(response, 413, "payload-too-large");
      expect(problem.title).to.equal("Envoi trop volumineux");
      expect(problem.detail).to.equal("Les données envoyées dépassent la taille autorisée (1 ko).");
    });

    it("lets a body under the limit through to the next check (here: CSRF, as no token is sent)", async () => {
      const { app } = buildTestApp({ config: { jsonBodyLimit: "1kb" } });
      const response = await request(app)
        .post("/api/v1/regions")
        .set("Content-Type", "application/json")
        .send({ description: "x".repeat(100) });
      expectProblem(response, 403, "csrf-invalid");
    });

    it("applies the default limit of 100 kb", async () => {
      const response = await request(context().app)
        .post("/api/v1/regions")
        .set("Content-Type", "application/json")
        .send(JSON.stringify({ description: "x".repeat(150 * 1024) }));
      expect(expectProblem(response, 413, "payload-too-large").detail).to.equal(
        "Les données envoyées dépassent la taille autorisée (100 ko).",
      );
    });
  });

  describe("internal errors", () => {
    const failure = new Error("boom: connection string postgres://secret@db");

    it("in production, answer a 500 problem with the request id and no internals", async () => {
      const app = appWhoseReadinessThrows(context().services, failure, true);
      const response = await request(app).get("/readyz").set("X-Request-Id", "trace-500-production");
      const problem = expectProblem(response, 500, "internal-error");
      expect(Object.keys(problem).sort()).to.deep.equal([
        "code",
        "detail",
        "instance",
        "requestId",
        "status",
        "title",
        "type",
      ]);
      expect(problem.title).to.equal("Erreur interne");
      expect(problem.detail).to.equal(
        "Une erreur inattendue s'est produite. Elle a été enregistrée (référence trace-500-production). " +
          "Réessayez ; si elle persiste, contactez l'assistance avec cette référence.",
      );
      expect(response.text).to.not.contain("boom");
      expect(response.text).to.not.contain("secret");
      expect(response.text).to.not.contain("stack");
      expect(response.text).to.not.contain("debug");
    });

    it("outside production, show the developer the cause and the stack", async () => {
      const app = appWhoseReadinessThrows(context().services, failure, false);
      const response = await request(app).get("/readyz");
      const problem: ProblemBody = expectProblem(response, 500, "internal-error");
      expect(problem.debug?.message).to.equal("boom: connection string postgres://secret@db");
      expect(problem.debug?.stack).to.be.a("string").and.contain("Error: boom").and.contain("http.test.ts");
    });

    it("outside production, shows a thrown non-Error as its text", async () => {
      const app = appWhoseReadinessThrows(context().services, "a plain string", false);
      const problem = expectProblem(await request(app).get("/readyz"), 500, "internal-error");
      expect(problem.debug).to.deep.equal({ message: "a plain string" });
    });

    it("keeps serving after an internal error", async () => {
      const app = appWhoseReadinessThrows(context().services, failure, true);
      await request(app).get("/readyz").expect(500);
      expect((await request(app).get("/healthz").expect(200)).body).to.deep.equal({ status: "ok" });
    });
  });
});
