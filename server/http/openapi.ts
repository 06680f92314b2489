import express, { type Router } from "express";
import swaggerUi from "swagger-ui-express";
import { problemSchema, type OpenApiPaths } from "./apiRouter.js";

export function buildOpenApiDocument(paths: OpenApiPaths, serverUrl: string) {
  return {
    openapi: "3.0.3",
    info: {
      title: "Moussanada Numérique — API",
      version: "1",
      description:
        "API du programme de transformation numérique des PME : subvention Moussanada, Permis Numérique. " +
        "Authentification par cookie de session ; toute méthode non sûre exige l'en-tête X-CSRF-Token. " +
        'Les montants sont des chaînes décimales à deux décimales ("400000.00" MAD). ' +
        "Les erreurs suivent la RFC 9457 (application/problem+json).",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: { schemas: { Problem: problemSchema } },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

const docsPage = (nonce: string) => `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Moussanada Numérique — API</title>
  <link rel="stylesheet" href="./swagger-ui.css">
  <style nonce="${nonce}">html { box-sizing: border-box; } *, *::before, *::after { box-sizing: inherit; } body { margin: 0; }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="./swagger-ui-bundle.js"></script>
  <script src="./docs-init.js"></script>
</body>
</html>`;

// Served as a file, not inline, so the docs page lives under the same strict CSP as the app.
const docsInit = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});`;

export function openApiRoutes(document: OpenApiDocument): Router {
  // Strict, so "/api/docs" and "/api/docs/" are different routes: the page's relative links
  // need the trailing slash.
  const router = express.Router({ strict: true });
  router.get("/api/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.get("/api/docs", (_req, res) => res.redirect(301, "/api/docs/"));
  // Also answers for index.html, which would otherwise be Swagger UI's stock petstore page.
  router.get(["/api/docs/", "/api/docs/index.html"], (_req, res) => {
    res.type("html").send(docsPage(res.locals.cspNonce));
  });
  router.get("/api/docs/docs-init.js", (_req, res) => {
    res.type("application/javascript").send(docsInit);
  });
  router.use("/api/docs", swaggerUi.serve);
  return router;
}
