import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Express } from "express";
import type { Sequelize } from "sequelize";
import request from "supertest";
import { createApp } from "../../server/app.js";
import { createSequelize } from "../../server/db/database.js";
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embeddedPostgres.js";
import { migrateDatabase } from "../../server/db/connection.js";
import { listShippedMigrations } from "../../server/db/migrator.js";
import { Readiness } from "../../server/services/readiness.js";
import { expectProblem } from "../helpers/problem.js";
import { buildTestApp, FixedClock, testConfig, useTestApp } from "../helpers/testApp.js";
import { TEST_NOW, testLogger } from "../helpers/testDatabase.js";

describe("health checks", () => {
  const context = useTestApp();

  describe("GET /healthz", () => {
    it("answers 200 {status: ok}, never cached", async () => {
      const response = await request(context().app)
        .get("/healthz")
        .expect(200)
        .expect("Content-Type", /^application\/json/);
      expect(response.body).to.deep.equal({ status: "ok" });
      expect(response.headers["cache-control"]).to.equal("no-store");
    });
  });

  describe("GET /readyz", () => {
    it("answers 200 when the database is up and fully migrated", async () => {
      const response = await request(context().app).get("/readyz").expect(200);
      expect(response.body).to.deep.equal({ status: "ready" });
      expect(response.headers["cache-control"]).to.equal("no-store");
    });

    it("answers a 503 problem while a migration of this build is pending", async () => {
      const readiness = new Readiness(context().sequelize, [...listShippedMigrations(), "99999999-pending.ts"]);
      const app = createApp({ ...context().services, readiness });
      const response = await request(app).get("/readyz");
      const problem = expectProblem(response, 503, "service-unavailable");
      expect(problem.title).to.equal("Service momentanément indisponible");
      expect(problem.detail).to.equal("La base de données n'est pas à jour : 1 migration(s) en attente.");
      expect(problem.instance).to.equal("/readyz");
      expect(response.headers["cache-control"]).to.equal("no-store");

      const arabic = await request(app).get("/readyz").set("Accept-Language", "ar");
      expect(expectProblem(arabic, 503, "service-unavailable").detail).to.equal(
        "قاعدة البيانات غير محدّثة: 1 ترحيل(ات) في الانتظار.",
      );
    });

    it("counts every pending migration", async () => {
      const readiness = new Readiness(context().sequelize, [
        ...listShippedMigrations(),
        "99999998-a.ts",
        "99999999-b.ts",
      ]);
      expect(await readiness.check()).to.deep.equal({
        ready: false,
        reasonKey: "readiness.migrations-pending",
        params: { count: 2 },
      });
    });

    it("ignores migrations applied by a newer build (a rolling deployment's old instances stay ready)", async () => {
      const readiness = new Readiness(context().sequelize, []);
      expect(await readiness.check()).to.deep.equal({ ready: true });
    });
  });

  describe("while the database is down", function () {
    this.timeout(120_000);

    let folder = "";
    let port = 0;
    let database: EmbeddedDatabase | null = null;
    let sequelize: Sequelize | null = null;
    let app: Express | null = null;

    const start = async (): Promise<EmbeddedDatabase> =>
      startEmbeddedPostgres({
        clusterDir: path.join(folder, "postgres"),
        databaseName: "moussanada_readiness",
        persistent: true,
        logger: testLogger,
        port,
      });

    before(async () => {
      folder = await mkdtemp(path.join(os.tmpdir(), "moussanada-readiness-"));
      // mkdtemp makes a folder only its owner may enter; as root, postgres runs as its own user.
      await chmod(folder, 0o755);
      port = await findFreePort();
      database = await start();
      // A separate pool on a separate server; models stay bound to the suite's own instance.
      sequelize = createSequelize({ url: database.url, poolMax: 2, applicationName: "moussanada-test-readiness" });
      await migrateDatabase(database.url);
      app = createApp({
        ...buildTestApp().services,
        config: testConfig(),
        clock: new FixedClock(new Date(TEST_NOW)),
        readiness: new Readiness(sequelize, listShippedMigrations()),
      });
    });

    after(async () => {
      await sequelize?.close();
      await database?.stop();
      await rm(folder, { recursive: true, force: true });
    });

    it("answers 503 quickly while PostgreSQL is stopped, and 200 again once it is back, without a new app", async () => {
      if (!app || !database) throw new Error("before() did not finish");
      const ready = await request(app).get("/readyz").expect(200);
      expect(ready.body).to.deep.equal({ status: "ready" });

      await database.stop();
      database = null;

      for (const attempt of ["first", "second"]) {
        const startedAt = Date.now();
        const response = await request(app).get("/readyz");
        const elapsedMs = Date.now() - startedAt;
        const problem = expectProblem(response, 503, "service-unavailable");
        expect(problem.detail, attempt).to.equal("La base de données ne répond pas.");
        expect(elapsedMs, `${attempt} answer took ${elapsedMs} ms`).to.be.below(10_000);
      }
      const arabic = await request(app).get("/readyz").set("Accept-Language", "ar");
      expect(expectProblem(arabic, 503, "service-unavailable").detail).to.equal("قاعدة البيانات لا تستجيب.");
      // Liveness does not depend on the database: the process itself is fine.
      await request(app).get("/healthz").expect(200);

      database = await start();
      expect(database.port).to.equal(port);
      const back = await request(app).get("/readyz");
      expect(back.status, back.text).to.equal(200);
      expect(back.body).to.deep.equal({ status: "ready" });
    });
  });
});
