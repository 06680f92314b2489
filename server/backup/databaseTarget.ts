import path from "node:path";
import type { Config } from "../config/index.js";
import { EMBEDDED_DATABASE_NAME, enableApplicationLogin } from "../db/connection.js";
import {
  clusterMajor,
  embeddedPostgresMajor,
  embeddedUrl,
  runningPostmaster,
  startEmbeddedPostgres,
} from "../db/embeddedPostgres.js";
import type { Logger } from "../logger.js";
import { BackupError, describeUrl } from "./pgTools.js";

export interface DatabaseTarget {
  /** The schema owner's connection: pg_dump, pg_restore and the checks. */
  ownerUrl: string;
  /** The application's own connection once the database exists (null: the owner is the app). */
  applicationUrl(): Promise<string | null>;
  description: string;
  /** Stops the embedded server if this process started it. */
  release(): Promise<void>;
}

/**
 * The database the app is configured with: DATABASE_URL (and MIGRATION_DATABASE_URL for the
 * owner), or the embedded cluster under DATA_DIR, running or not. `purpose` "backup" never creates
 * a cluster: backing up a database that was never started would save an empty one.
 */
export async function openDatabaseTarget(
  config: Pick<Config, "databaseUrl" | "migrationDatabaseUrl" | "dataDir">,
  logger: Logger,
  purpose: "backup" | "restore",
): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    const ownerUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
    const applicationUrl = config.migrationDatabaseUrl ? config.databaseUrl : null;
    return {
      ownerUrl,
      applicationUrl: async () => applicationUrl,
      description: describeUrl(ownerUrl),
      release: async () => undefined,
    };
  }
  const clusterDir = path.join(config.dataDir, "postgres");
  const embeddedTarget = (ownerUrl: string, how: string, release: () => Promise<void>): DatabaseTarget => ({
    ownerUrl,
    applicationUrl: () => enableApplicationLogin(ownerUrl),
    description: `embedded PostgreSQL (${clusterDir}, ${how})`,
    release,
  });
  const running = await runningPostmaster(clusterDir);
  if (running)
    return embeddedTarget(
      embeddedUrl(running.port, EMBEDDED_DATABASE_NAME),
      `running, port ${running.port}`,
      async () => undefined,
    );
  if (purpose === "backup") {
    const writtenBy = await clusterMajor(clusterDir);
    if (writtenBy === null) throw new BackupError(`no local database in ${clusterDir}: nothing to back up`);
    if (writtenBy !== embeddedPostgresMajor()) {
      throw new BackupError(
        `the local database in ${clusterDir} was written by PostgreSQL ${writtenBy}, and this version runs ` +
          `PostgreSQL ${embeddedPostgresMajor()}: back it up with the version that wrote it`,
      );
    }
  }
  const embedded = await startEmbeddedPostgres({
    clusterDir,
    databaseName: EMBEDDED_DATABASE_NAME,
    persistent: true,
    logger,
  });
  return embeddedTarget(embedded.url, "started for this command", () => embedded.stop());
}
