import path from "node:path";
import type { Sequelize } from "sequelize";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import { initModels } from "../models/index.js";
import { createSequelize } from "./database.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embeddedPostgres.js";

export interface DatabaseHandle {
  sequelize: Sequelize;
  url: string;
  /** Set when this process started its own PostgreSQL. */
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = "moussanada";

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL kept under DATA_DIR/postgres, and
 * registers the models. close() ends the pool and, when it started one, the embedded server.
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir" | "databasePoolMax">,
  logger: Logger,
  applicationName = "moussanada-app",
): Promise<DatabaseHandle> {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({
        clusterDir: path.join(config.dataDir, "postgres"),
        databaseName: EMBEDDED_DATABASE_NAME,
        persistent: true,
        logger,
      });
  const url = config.databaseUrl ?? embedded?.url;
  if (!url) throw new Error("No database URL");
  const sequelize = createSequelize({ url, poolMax: config.databasePoolMax, applicationName });
  initModels(sequelize);
  try {
    await sequelize.authenticate();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    sequelize,
    url,
    embedded,
    close: async () => {
      await sequelize.close();
      await embedded?.stop();
    },
  };
}
