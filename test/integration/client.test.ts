import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Express } from "express";
import request from "supertest";
import { expectProblem } from "../helpers/problem.js";
import { buildTestApp } from "../helpers/testApp.js";

const INDEX_HTML = `<!doctype html>
<html lang="fr" dir="ltr">
  <head>
    <meta charset="UTF-8" />
    <meta name="csp-nonce" content="__CSP_NONCE__" />
    <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
    <title>Moussanada Numérique</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/assets/app.js"></script>
  </body>
</html>
`;
const APP_JS = 'document.getElementById("root").textContent = "Moussanada";\n';
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>\n';
const BUILD_STAMP = "secret-build-stamp-do-not-serve";

function cspNonce(header: string | undefined): string {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(header ?? "")?.[1];
  if (!nonce) throw new Error(`no nonce in CSP ${String(header)}`);
  return nonce;
}

describe("static client", () => {
  let distDir = "";
  let app: Express;

  before(async () => {
    distDir = await mkdtemp(path.join(os.tmpdir(), "moussanada-client-"));
    await mkdir(path.join(distDir, "assets"));
    await writeFile(path.join(distDir, "index.html"), INDEX_HTML);
    await writeFile(path.join(distDir, "assets", "app.js"), APP_JS);
    await writeFile(path.join(distDir, "favicon.svg"), FAVICON);
    await writeFile(path.join(distDir, ".build-stamp"), BUILD_STAMP);
    app = buildTestApp({ config: { clientDistDir: distDir } }).app;
  });

  after(async () => {
    await rm(distDir, { recursive: true, force: true });
  });

  for (const page of ["/", "/solutions/cuir", "/verify/ABCdef123", "/simulateur?secteur=cuir"]) {
    it(`GET ${page} (text/html) answers index.html carrying this response's CSP nonce`, async () => {
      const response = await request(app)
        .get(page)
        .set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .expect(200);
      expect(response.headers["content-type"]).to.match(/^text\/html/);
      expect(response.headers["cache-control"]).to.equal("no-store");
      const nonce = cspNonce(response.headers["content-security-policy"]);
      expect(response.text).to.equal(INDEX_HTML.replace("__CSP_NONCE__", nonce));
      expect(response.text).to.not.contain("__CSP_NONCE__");
    });
  }

  it("writes a different nonce into each answer (the template is cached, not the nonce)", async () => {
    const first = await request(app).get("/").set("Accept", "text/html").expect(200);
    const second = await request(app).get("/solutions/cuir").set("Accept", "text/html").expect(200);
    const [firstNonce, secondNonce] = [
      cspNonce(first.headers["content-security-policy"]),
      cspNonce(second.headers["content-security-policy"]),
    ];
    expect(firstNonce).to.not.equal(secondNonce);
    expect(first.text).to.contain(`content="${firstNonce}"`);
    expect(second.text).to.contain(`content="${secondNonce}"`);
  });

  it("serves hashed assets with immutable, year-long caching", async () => {
    const response = await request(app).get("/assets/app.js").expect(200);
    expect(response.headers["content-type"]).to.match(/^(application|text)\/javascript/);
    expect(response.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect(response.text).to.equal(APP_JS);
  });

  it("serves other files of the build with an hour of caching", async () => {
    const response = await request(app).get("/favicon.svg").expect(200);
    expect(response.headers["content-type"]).to.match(/^image\/svg\+xml/);
    expect(response.headers["cache-control"]).to.equal("public, max-age=3600");
  });

  for (const accept of ["text/html", "*/*", "application/javascript"]) {
    it(`a missing asset is a 404 problem, not index.html (Accept: ${accept})`, async () => {
      const response = await request(app).get("/assets/missing.js").set("Accept", accept);
      const problem = expectProblem(response, 404, "route-not-found");
      expect(problem.instance).to.equal("/assets/missing.js");
      expect(response.text).to.not.contain("<html");
    });
  }

  it("an unknown API address is a problem, even when the browser asks for HTML", async () => {
    const response = await request(app).get("/api/v1/unknown").set("Accept", "text/html");
    expect(expectProblem(response, 404, "route-not-found").detail).to.equal(
      "Aucune page ni aucun service ne correspond à l'adresse /api/v1/unknown.",
    );
    expect(response.text).to.not.contain("<html");
  });

  it("the API and the probes still win over the client", async () => {
    await request(app)
      .get("/api/v1/regions")
      .set("Accept", "text/html")
      .expect(200)
      .expect("Content-Type", /^application\/json/);
    await request(app)
      .get("/healthz")
      .set("Accept", "text/html")
      .expect(200)
      .expect("Content-Type", /^application\/json/);
  });

  it("answers a problem, not the page, to a client that does not want HTML", async () => {
    const response = await request(app).get("/solutions/cuir").set("Accept", "application/json");
    expectProblem(response, 404, "route-not-found");
  });

  it("answers a problem, not the page, to a POST", async () => {
    const response = await request(app).post("/solutions/cuir").set("Accept", "text/html");
    expectProblem(response, 404, "route-not-found");
  });

  it("never serves dotfiles of the build", async () => {
    const response = await request(app).get("/.build-stamp").set("Accept", "text/html");
    expect(response.text).to.not.contain(BUILD_STAMP);
  });

  it("does not let a path climb out of the assets folder", async () => {
    const response = await request(app).get("/assets/..%2f..%2f..%2fetc%2fpasswd");
    expect(response.status).to.be.oneOf([400, 403, 404]);
    expect(response.headers["content-type"]).to.match(/^application\/problem\+json/);
    expect(response.text).to.not.contain("root:");
  });

  it("GET /index.html also gets the nonce, never the raw placeholder", async () => {
    const response = await request(app).get("/index.html").set("Accept", "text/html").expect(200);
    const nonce = cspNonce(response.headers["content-security-policy"]);
    expect(response.text).to.not.contain("__CSP_NONCE__");
    expect(response.text).to.contain(`<meta name="csp-nonce" content="${nonce}" />`);
    expect(response.headers["cache-control"]).to.equal("no-store");
  });
});
