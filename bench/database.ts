/**
 * The benchmark's database: BENCH_DATABASE_URL (the schema owner's connection) when set, or an
 * embedded PostgreSQL in a temporary folder, deleted at the end.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { runSeeds } from "../seeds/index.js";
import { migrateDatabase } from "../server/db/connection.js";
import { createSequelize } from "../server/db/database.js";
import { startEmbeddedPostgres } from "../server/db/embeddedPostgres.js";
import { systemClock } from "../server/domain/calendar.js";
import { createLogger } from "../server/logger.js";
import { initModels } from "../server/models/index.js";

export const benchLogger = createLogger({ logLevel: process.env.BENCH_LOG_LEVEL ?? "warn", isProduction: false });

export interface BenchDatabase {
  /** The schema owner's connection string. */
  ownerUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function startBenchDatabase(): Promise<BenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) return { ownerUrl: external, embedded: false, stop: async () => undefined };
  const folder = await mkdtemp(path.join(os.tmpdir(), "moussanada-bench-"));
  // When running as root, postgres runs as its own user and must be able to enter the folder.
  await chmod(folder, 0o755);
  try {
    const embedded = await startEmbeddedPostgres({
      clusterDir: path.join(folder, "postgres"),
      databaseName: "moussanada_bench",
      persistent: false,
      logger: benchLogger,
    });
    await tuneForBulkLoad(embedded.url);
    return {
      ownerUrl: embedded.url,
      embedded: true,
      stop: async () => {
        await embedded.stop();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Our own throw-away cluster only: fewer checkpoints during the load (a 1 GB WAL ceiling would
 * checkpoint every few seconds). Reloadable settings; shared_buffers stays at its default.
 */
async function tuneForBulkLoad(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("ALTER SYSTEM SET max_wal_size = '8GB'");
    await client.query("ALTER SYSTEM SET checkpoint_timeout = '30min'");
    await client.query("SELECT pg_reload_conf()");
  } finally {
    await client.end();
  }
}

/** Migrations (job queue first) and reference data, both idempotent, as the application runs them. */
export async function prepareDatabase(ownerUrl: string): Promise<void> {
  await migrateDatabase(ownerUrl, benchLogger);
  const sequelize = createSequelize({ url: ownerUrl, poolMax: 2, applicationName: "moussanada-bench-seed" });
  try {
    initModels(sequelize);
    // "production": reference data only, no demo accounts.
    await runSeeds(sequelize, { env: "production", clock: systemClock });
  } finally {
    await sequelize.close();
  }
}
