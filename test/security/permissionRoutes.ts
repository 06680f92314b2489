import type { Express } from "express";

/**
 * The routes an Express 5 app really registers, read from its router stack (router 2.x layers:
 * `route.path` and `route.methods` for routes, `handle.stack` and `rawPath` for mounted routers),
 * as "METHOD /full/path" keys; middleware mounted on a path other than "/" shows as "USE /path".
 */

interface RouteLike {
  path: string | string[];
  methods: Record<string, boolean>;
}

interface LayerLike {
  route?: RouteLike;
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
}

function mountPath(raw: unknown): string {
  if (typeof raw !== "string") throw new Error(`a router mounted on ${String(raw)}: the walk only knows string paths`);
  return raw === "/" ? "" : raw;
}

function walk(stack: LayerLike[], prefix: string, into: Set<string>): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const method of Object.keys(layer.route.methods)) into.add(`${method.toUpperCase()} ${prefix}${path}`);
      }
      continue;
    }
    if (layer.handle?.stack) {
      walk(layer.handle.stack, `${prefix}${mountPath(layer.rawPath)}`, into);
      continue;
    }
    const path = mountPath(layer.rawPath);
    if (path !== "") into.add(`USE ${prefix}${path}`);
  }
}

export function registeredRoutes(app: Express): string[] {
  const router = (app as unknown as { router?: { stack?: LayerLike[] } }).router;
  if (!router?.stack) throw new Error("app.router.stack is missing: not an Express 5 app?");
  const routes = new Set<string>();
  walk(router.stack, "", routes);
  return [...routes].sort();
}

/** "/api/v1/applications/:id" → "/api/v1/applications/{id}", as OpenAPI writes paths. */
export function openApiKey(route: string): string {
  return route.replace(/:(\w+)/g, "{$1}");
}

/** Whether a concrete request ("POST", "/api/v1/claims/<uuid>/pay?x=1") is one of this route. */
export function routeMatches(route: string, method: string, path: string): boolean {
  const [routeMethod = "", pattern = ""] = route.split(" ");
  if (routeMethod !== method) return false;
  const source = pattern
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(":") ? "[^/]+?" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(path.split("?")[0] ?? "");
}
