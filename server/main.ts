import { createServer, type Server } from "node:http";
import { runSeeds, type SeedSummary } from "../seeds/index.js";
import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config/index.js";
import { openDatabase, type DatabaseHandle } from "./db/connection.js";
import { systemClock } from "./domain/calendar.js";
import { purgeStaleUploads } from "./http/uploads.js";
import { Lifecycle } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import { createServices, startConfiguredWorker } from "./services/container.js";
import { loadOrCreateSigningKey } from "./signing/keys.js";

const REQUEST_DRAIN_MS = 10_000;

function printBanner(config: Config, database: DatabaseHandle, seeds: SeedSummary): void {
  const databaseLine = database.embedded
    ? `embedded PostgreSQL on 127.0.0.1:${database.embedded.port}, data in ${config.dataDir}/postgres`
    : "external PostgreSQL (DATABASE_URL)";
  const lines = [
    "",
    "  Moussanada Numérique is running",
    "",
    `  → ${config.publicUrl}`,
    `  → API documentation: ${config.publicUrl}/api/docs`,
    `  Database: ${databaseLine}`,
  ];
  if (seeds.demoAccounts.length > 0) {
    lines.push("", "  Demo accounts (development only):");
    for (const account of seeds.demoAccounts) {
      lines.push(`    ${account.role.padEnd(11)} ${account.email.padEnd(22)} ${account.password}`);
    }
  }
  lines.push("", "  Press Ctrl-C to stop (the embedded PostgreSQL stops with it).", "");
  process.stdout.write(`${lines.join("\n")}\n`);
}

function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), REQUEST_DRAIN_MS).unref();
  });
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

/**
 * Temporary uploads live on this machine only, so each web instance sweeps its own: at start-up
 * (a killed process may have left some) and every hour.
 */
function sweepStaleUploads(logger: Logger): () => Promise<void> {
  const sweep = () =>
    purgeStaleUploads().then(
      (removed) => {
        if (removed > 0) logger.info({ removed }, "stale temporary uploads removed");
      },
      (error: unknown) => logger.warn({ err: error }, "could not sweep temporary uploads"),
    );
  void sweep();
  const timer = setInterval(() => void sweep(), 60 * 60 * 1000);
  timer.unref();
  return async () => clearInterval(timer);
}

let lifecycle: Lifecycle | null = null;

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config);
  const stages = new Lifecycle(logger);
  lifecycle = stages;
  stages.installSignalHandlers();

  const database = await openDatabase(config, logger, { migrate: true });
  stages.onStop("database", () => database.close());

  const seeds = await runSeeds(database.sequelize, { env: config.env, clock: systemClock });

  const signer = await loadOrCreateSigningKey(config.certificates.signingKeyFile);
  const container = createServices({
    config,
    logger,
    clock: systemClock,
    sequelize: database.sequelize,
    databaseUrl: database.url,
    signer,
  });
  stages.onStop("services", () => container.close());

  if (config.runWorker) {
    stages.onStop("worker", await startConfiguredWorker(config, logger, database, signer));
  }

  stages.onStop("upload sweeper", sweepStaleUploads(logger));

  const server = createServer(createApp(container.services));
  await listen(server, config);
  stages.onStop("http server", () => closeServer(server));
  printBanner(config, database, seeds);
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Moussanada Numérique could not start: ${message}\n`);
  await lifecycle?.stop();
  process.exit(1);
});
