import { loadConfig } from "./config/index.js";
import { openDatabase } from "./db/connection.js";
import { Lifecycle } from "./lifecycle.js";
import { createLogger } from "./logger.js";
import { startConfiguredWorker } from "./services/container.js";
import { loadOrCreateSigningKey } from "./signing/keys.js";

/**
 * The background worker on its own, for deployments that keep web instances (RUN_WORKER=false)
 * apart from worker instances. Any number may run: jobs are taken from PostgreSQL with row locks.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const lifecycle = new Lifecycle(logger);
  lifecycle.installSignalHandlers();
  const database = await openDatabase(config, logger, { applicationName: "moussanada-worker", migrate: true });
  lifecycle.onStop("database", () => database.close());
  const signer = await loadOrCreateSigningKey(config.certificates.signingKeyFile);
  lifecycle.onStop("worker", await startConfiguredWorker(config, logger, database, signer));
  logger.info({ concurrency: config.workerConcurrency }, "worker started");
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Worker could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
