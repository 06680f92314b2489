import path from "node:path";
import { QueryTypes, type Sequelize } from "sequelize";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import { initModels } from "../models/index.js";
import { createSequelize } from "./database.js";
import { embeddedUrl, runningPostmaster, startEmbeddedPostgres, type EmbeddedDatabase } from "./embeddedPostgres.js";
import { prepareJobQueue } from "./jobQueue.js";
import { migrateToLatest } from "./migrator.js";

export interface DatabaseHandle {
  /** Runs as the application's login role (no UPDATE or DELETE on audit events). */
  sequelize: Sequelize;
  /** The application's connection string. */
  url: string;
  /** The schema owner's: migrations and the job worker. */
  ownerUrl: string;
  /** Set when this process started its own PostgreSQL. */
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  applicationName?: string;
  /** Bring the schema up to date first (job queue, then our migrations), as the login role. */
  migrate?: boolean;
  /**
   * A command run beside `npm start` (db:*, audit:verify, budget:verify): connect to the embedded
   * server it runs instead of taking it for an orphan of a killed run and stopping it.
   */
  shareRunningServer?: boolean;
}

export const EMBEDDED_DATABASE_NAME = "moussanada";
export const APPLICATION_ROLE = "moussanada_app";
// The embedded server listens on 127.0.0.1 only; real deployments set their own credentials.
const EMBEDDED_APPLICATION_PASSWORD = "moussanada-app-local";

type DatabaseConfig = Pick<Config, "databaseUrl" | "migrationDatabaseUrl" | "dataDir" | "databasePoolMax">;

async function startDatabaseServer(config: DatabaseConfig, logger: Logger, shareRunningServer: boolean) {
  if (config.databaseUrl) {
    const ownerUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
    return { url: config.databaseUrl, ownerUrl, embedded: null, local: false };
  }
  const clusterDir = path.join(config.dataDir, "postgres");
  const running = shareRunningServer ? await runningPostmaster(clusterDir) : null;
  if (running) {
    // `npm start` in another terminal runs it: use it, and leave it running when done.
    const url = embeddedUrl(running.port, EMBEDDED_DATABASE_NAME);
    logger.info({ port: running.port }, "using the embedded PostgreSQL already running");
    return { url, ownerUrl: url, embedded: null, local: true };
  }
  const embedded = await startEmbeddedPostgres({
    clusterDir,
    databaseName: EMBEDDED_DATABASE_NAME,
    persistent: true,
    logger,
  });
  return { url: embedded.url, ownerUrl: embedded.url, embedded, local: true };
}

/**
 * Lets the application role log in with a local password and returns its connection string on
 * the same server and database as `ownerUrl`. For servers we run ourselves (embedded, tests).
 */
export async function enableApplicationLogin(ownerUrl: string): Promise<string> {
  const owner = createSequelize({ url: ownerUrl, poolMax: 1, applicationName: "moussanada-role-setup" });
  try {
    const roles = await owner.query("SELECT 1 FROM pg_roles WHERE rolname = :role", {
      type: QueryTypes.SELECT,
      replacements: { role: APPLICATION_ROLE },
    });
    // Before the first migration the role does not exist yet: the owner serves until then.
    if (roles.length === 0) return ownerUrl;
    await owner.query(`ALTER ROLE ${APPLICATION_ROLE} WITH LOGIN PASSWORD '${EMBEDDED_APPLICATION_PASSWORD}'`);
  } finally {
    await owner.close();
  }
  const url = new URL(ownerUrl);
  url.username = APPLICATION_ROLE;
  url.password = EMBEDDED_APPLICATION_PASSWORD;
  return url.toString();
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
  config: DatabaseConfig,
  logger: Logger,
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
  const server = await startDatabaseServer(config, logger, options.shareRunningServer ?? false);
  const { ownerUrl, embedded } = server;
  try {
    if (options.migrate) await migrateDatabase(ownerUrl, logger);
    const url = server.local ? await enableApplicationLogin(ownerUrl) : server.url;
    if (url === ownerUrl) {
      logger.warn(
        "the application connects as the schema owner: set MIGRATION_DATABASE_URL so audit rows are protected by roles",
      );
    }
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
      ownerUrl,
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
