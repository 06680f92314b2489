import express, { type Router } from "express";
import { AppError } from "../../errors.js";
import type { Readiness } from "../../services/readiness.js";
import { sendProblem } from "../middleware/problems.js";

/** Liveness and readiness probes, outside /api so that load balancers need no API knowledge. */
export function healthRoutes(readiness: Readiness): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  router.get("/readyz", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const report = await readiness.check();
    if (report.ready) {
      res.json({ status: "ready" });
      return;
    }
    sendProblem(
      req,
      res,
      new AppError("service-unavailable", 503, {
        detailKey: report.reasonKey,
        ...(report.params ? { params: report.params } : {}),
      }),
    );
  });
  return router;
}
