import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { QueryTypes, type Sequelize } from "sequelize";
import { runSeeds } from "../../seeds/index.js";
import { createSequelize } from "../../server/db/database.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embeddedPostgres.js";
import { enableApplicationLogin, migrateDatabase } from "../../server/db/connection.js";
import { MIGRATION_TABLE } from "../../server/db/migrator.js";
import type { Clock } from "../../server/domain/calendar.js";
import { createLogger } from "../../server/logger.js";
import { initModels } from "../../server/models/index.js";

/** Tests live on 15 June 2026 unless they move the clock, whatever the machine's date. */
export const TEST_NOW = "2026-06-15T10:00:00Z";
const seedClock: Clock = { now: () => new Date(TEST_NOW) };

export const testLogger = createLogger({ logLevel: process.env.TEST_LOG_LEVEL ?? "silent", isProduction: false });

export interface TestDatabaseServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A database for this test run only: on DATABASE_URL's server, a fresh database dropped at the
 * end; otherwise an embedded PostgreSQL in a temporary folder, deleted at the end.
 */
export async function startTestDatabaseServer(): Promise<TestDatabaseServer> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const databaseName = `moussanada_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName)}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${databaseName}`;
    return {
      url: url.toString(),
      stop: async () => {
        const client = new pg.Client({ connectionString: external });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), "moussanada-test-"));
  // mkdtemp makes the folder private to root; when running as root, postgres runs as its own
  // user and must be able to enter it.
  await chmod(folder, 0o755);
  let embedded: EmbeddedDatabase;
  try {
    embedded = await startEmbeddedPostgres({
      clusterDir: path.join(folder, "postgres"),
      databaseName: "moussanada_test",
      persistent: false,
      logger: testLogger,
    });
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

let shared: Sequelize | null = null;
let owner: Sequelize | null = null;
let sessionPool: pg.Pool | null = null;

/** The schema owner's connection (migrations, the job worker, tests playing a DBA). */
function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run the tests through `npm test` (test/setup.ts)");
  return url;
}

/** The application role's connection, as the app runs in production. */
function testAppDatabaseUrl(): string {
  return process.env.TEST_APP_DATABASE_URL ?? testDatabaseUrl();
}

/** The pool behind the session store, shared by every app the tests build. */
export function testSessionPool(): pg.Pool {
  if (!sessionPool) {
    sessionPool = new pg.Pool({ connectionString: testAppDatabaseUrl(), max: 5 });
    // At teardown PostgreSQL stops while idle clients may still be closing: not an error.
    sessionPool.on("error", () => undefined);
  }
  return sessionPool;
}

/** The suite's one Sequelize instance (models are bound to a single instance). */
export function testSequelize(): Sequelize {
  if (shared) return shared;
  shared = createSequelize({ url: testAppDatabaseUrl(), poolMax: 20, applicationName: "moussanada-test" });
  initModels(shared);
  return shared;
}

/**
 * A second pool, with no models bound, for schema work and for tests that play a DBA editing
 * rows by hand.
 */
export function ownerSequelize(): Sequelize {
  owner ??= createSequelize({ url: testDatabaseUrl(), poolMax: 5, applicationName: "moussanada-test-owner" });
  return owner;
}

export async function closeTestSequelize(): Promise<void> {
  await shared?.close();
  shared = null;
  await owner?.close();
  owner = null;
  await sessionPool?.end();
  sessionPool = null;
}

/**
 * The app role's login on the test server. On an external server where the test login may not
 * alter roles, the tests run as the owner (and say so).
 */
async function applicationUrlFor(ownerUrl: string): Promise<string> {
  try {
    return await enableApplicationLogin(ownerUrl);
  } catch (error) {
    testLogger.warn({ err: error }, "cannot give the application role a login: tests run as the schema owner");
    return ownerUrl;
  }
}

export async function prepareSchema(): Promise<void> {
  await migrateDatabase(testDatabaseUrl());
  process.env.TEST_APP_DATABASE_URL = await applicationUrlFor(testDatabaseUrl());
  await runSeeds(testSequelize(), { env: "test", clock: seedClock });
}

/**
 * Empties every table but the migrations log, then reloads reference data: each test file
 * starts from the state a fresh installation has.
 */
export async function resetDatabase(): Promise<void> {
  const sequelize = ownerSequelize();
  const tables = await sequelize.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> :migrations",
    { type: QueryTypes.SELECT, replacements: { migrations: MIGRATION_TABLE } },
  );
  if (tables.length > 0) {
    const list = tables.map((table) => `"${table.tablename}"`).join(", ");
    await sequelize.query(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
  }
  await sequelize.query("DELETE FROM graphile_worker._private_jobs");
  await runSeeds(testSequelize(), { env: "test", clock: seedClock });
}
