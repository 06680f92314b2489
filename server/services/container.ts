import pg from "pg";
import type { Sequelize } from "sequelize";
import type { AppServices } from "../app.js";
import { SecretBox } from "../auth/secretBox.js";
import type { Config } from "../config/index.js";
import { listShippedMigrations } from "../db/migrator.js";
import { systemClock, type Clock } from "../domain/calendar.js";
import type { Logger } from "../logger.js";
import type { DeliveryContext } from "../mail/deliverOutboxMessage.js";
import { captureTransport, smtpTransport, type MailTransport } from "../mail/transport.js";
import { startWorker, type WorkerContext } from "../worker.js";
import type { CertificateSigner } from "../signing/keys.js";
import { createDocumentStore, type DocumentStore } from "../storage/documentStore.js";
import { Readiness } from "./readiness.js";

export interface ServiceContainer {
  services: AppServices;
  close(): Promise<void>;
}

/** Wires the long-lived services the HTTP layer needs, explicitly, in one place. */
export function createServices(options: {
  config: Config;
  logger: Logger;
  clock: Clock;
  sequelize: Sequelize;
  databaseUrl: string;
  signer: CertificateSigner;
}): ServiceContainer {
  const sessionPool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.config.sessionPoolMax,
    connectionTimeoutMillis: 5_000,
    // A session write lost in a crash costs a sign-in at worst; not waiting for the WAL flush on
    // every session write keeps the per-request session work off the disk's latency.
    options: "-c synchronous_commit=off",
  });
  // An idle client dropped by a restarting PostgreSQL must not crash the process; the pool
  // replaces it on the next request.
  sessionPool.on("error", (error) => options.logger.warn({ err: error }, "session pool: idle connection lost"));
  const documentStore = createDocumentStore(options.config.storage);
  const services: AppServices = {
    config: options.config,
    logger: options.logger,
    clock: options.clock,
    readiness: new Readiness(options.sequelize, listShippedMigrations(), documentStore),
    sequelize: options.sequelize,
    sessionPool,
    secretBox: new SecretBox(options.config.encryptionKey),
    documentStore,
    signer: options.signer,
  };
  return { services, close: () => sessionPool.end() };
}

export function createMailTransport(config: Config): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : captureTransport();
}

export function deliveryContext(
  config: Config,
  logger: Logger,
  sequelize: Sequelize,
  transport: MailTransport,
  documentStore: DocumentStore,
): DeliveryContext {
  return {
    sequelize,
    transport,
    documentStore,
    publicUrl: config.publicUrl,
    mailDomain: new URL(config.publicUrl).hostname,
    logger,
  };
}

/** What the worker's tasks need: the mail transport, the store, the signing key, the commands' dependencies. */
export function workerContext(options: {
  config: Config;
  logger: Logger;
  clock: Clock;
  sequelize: Sequelize;
  transport: MailTransport;
  documentStore: DocumentStore;
  signer: CertificateSigner;
}): WorkerContext {
  const { config, logger, clock, sequelize, transport, documentStore, signer } = options;
  const base = { sequelize, clock, publicUrl: config.publicUrl };
  return {
    delivery: deliveryContext(config, logger, sequelize, transport, documentStore),
    accounts: { ...base, secretBox: new SecretBox(config.encryptionKey) },
    certificates: {
      ...base,
      signer,
      store: documentStore,
      logger,
      staleJobAfterMs: config.certificates.staleJobAfterMs,
    },
    training: base,
  };
}

/**
 * Starts the job worker with this configuration's mail transport, on the owner's connection
 * (graphile-worker's tables are the owner's); the returned function stops both.
 */
export async function startConfiguredWorker(
  config: Config,
  logger: Logger,
  database: { ownerUrl: string; sequelize: Sequelize },
  signer: CertificateSigner,
): Promise<() => Promise<void>> {
  const transport = createMailTransport(config);
  const worker = await startWorker({
    connectionString: database.ownerUrl,
    concurrency: config.workerConcurrency,
    pollIntervalMs: config.workerPollIntervalMs,
    staleJobAfterMs: config.certificates.staleJobAfterMs,
    ...workerContext({
      config,
      logger,
      clock: systemClock,
      sequelize: database.sequelize,
      transport,
      documentStore: createDocumentStore(config.storage),
      signer,
    }),
    logger,
  });
  return async () => {
    await worker.stop();
    transport.close();
  };
}
