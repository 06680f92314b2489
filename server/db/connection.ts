import path from "node:path";
import type { Sequelize } from "sequelize";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import { initModels } from "../models/index.js";
import { createSequelize } from "./database.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embeddedPostgres.js";
import { prepareJobQueue } from "./jobQueue.js";
import { migrateToLatest } from "./migrator.js";

export interface DatabaseHandle {
  sequelize: Sequelize;
  url: string;
  /** Set when this process started its own PostgreSQL. */
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  applicationName?: string;
  /** Bring the schema up to date first (job queue, then our migrations), as the login role. */
  migrate?: boolean;
}

export const EMBEDDED_DATABASE_NAME = "moussanada";

async function startDatabaseServer(config: Pick<Config, "databaseUrl" | "dataDir">, logger: Logger) {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({
    clusterDir: path.join(config.dataDir, "postgres"),
    databaseName: EMBEDDED_DATABASE_NAME,
    persistent: true,
    logger,
  });
  return { url: embedded.url, embedded };
}

/** The schema is changed by the login role, which owns it, never by the application role. */
export async function migrateDatabase(url: string, logger?: Logger): Promise<string[]> {
  const owner = createSequelize({ url, poolMax: 2, applicationName: "moussanada-migrations" });
  try {
    await prepareJobQueue(url);
    return await migrateToLatest(owner, logger);
  } finally {
    await owner.close();
  }
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL kept under DATA_DIR/postgres,
 * migrates when asked, and registers the models.
 * close() ends the pool and, when it started one, the embedded server.
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir" | "databasePoolMax">,
  logger: Logger,
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
  const { url, embedded } = await startDatabaseServer(config, logger);
  try {
    if (options.migrate) await migrateDatabase(url, logger);
    const sequelize = createSequelize({
      url,
      poolMax: config.databasePoolMax,
      applicationName: options.applicationName ?? "moussanada-app",
    });
    initModels(sequelize);
    await sequelize.authenticate();
    return {
      sequelize,
      url,
      embedded,
      close: async () => {
        await sequelize.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
