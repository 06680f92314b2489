import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import express, { type RequestHandler, type Router } from "express";

const NONCE_PLACEHOLDER = /__CSP_NONCE__/g;

/**
 * Serves the built client: hashed assets with long caching, and index.html for every other
 * browser navigation (client-side routing), with this request's CSP nonce written into it.
 */
export function staticClient(distDir: string): Router {
  const router = express.Router();
  const indexPath = path.join(distDir, "index.html");
  let indexTemplate: string | null = null;
  const loadIndex = (): string | null => {
    if (indexTemplate === null && existsSync(indexPath)) indexTemplate = readFileSync(indexPath, "utf8");
    return indexTemplate;
  };

  // index.html is a template: asked for by name, it must still get its nonce.
  router.get("/index.html", spaFallback);
  router.use(
    "/assets",
    express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false, fallthrough: false }),
  );
  router.use(express.static(distDir, { index: false, maxAge: "1h" }));

  function spaFallback(...[req, res, next]: Parameters<RequestHandler>): void {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (!req.accepts("html")) return next();
    const template = loadIndex();
    if (template === null) return next();
    res.set("Cache-Control", "no-store").type("html").send(template.replace(NONCE_PLACEHOLDER, res.locals.cspNonce));
  }
  router.use(spaFallback);
  return router;
}
