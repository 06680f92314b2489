import { generateKeyPairSync } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { Express } from "express";
import type { Sequelize } from "sequelize";
import { createApp, type AppServices } from "../../server/app.js";
import { loadConfig, type Config } from "../../server/config/index.js";
import { listShippedMigrations } from "../../server/db/migrator.js";
import type { Clock } from "../../server/domain/calendar.js";
import { Readiness } from "../../server/services/readiness.js";
import { SecretBox } from "../../server/auth/secretBox.js";
import { signerFromPem, type CertificateSigner } from "../../server/signing/keys.js";
import { createDocumentStore, type DocumentStore } from "../../server/storage/documentStore.js";
import { resetDatabase, TEST_NOW, testLogger, testSequelize, testSessionPool } from "./testDatabase.js";

/** One signing key for the whole test run, made at load: tests never touch .data/keys. */
export const TEST_SIGNER: CertificateSigner = signerFromPem(
  generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
);

/** A clock the test moves by hand. */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date | string): void {
    this.instant = new Date(instant);
  }
}

export interface TestContext {
  app: Express;
  sequelize: Sequelize;
  services: AppServices;
  clock: FixedClock;
}

/** Documents of the test run: a private folder, never the development data under .data/. */
export const TEST_DOCUMENTS_DIRECTORY = path.join(os.tmpdir(), `moussanada-test-documents-${process.pid}`);

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: "test" }),
    storage: { driver: "local", directory: TEST_DOCUMENTS_DIRECTORY },
    ...overrides,
  };
}

/** The app as production builds it, on the test database, with a controllable clock. */
export function buildTestApp(
  options: { now?: string; config?: Partial<Config>; documentStore?: DocumentStore } = {},
): TestContext {
  const sequelize = testSequelize();
  const clock = new FixedClock(new Date(options.now ?? TEST_NOW));
  const config = testConfig(options.config);
  const services: AppServices = {
    config,
    logger: testLogger,
    clock,
    readiness: new Readiness(sequelize, listShippedMigrations()),
    sequelize,
    sessionPool: testSessionPool(),
    secretBox: new SecretBox(testConfig().encryptionKey),
    documentStore: options.documentStore ?? createDocumentStore(config.storage),
    signer: TEST_SIGNER,
  };
  return { app: createApp(services), sequelize, services, clock };
}

/** For a test file: a fresh database state before its first test, and the app to call. */
export function useTestApp(
  options: { now?: string; config?: Partial<Config>; documentStore?: DocumentStore } = {},
): () => TestContext {
  let context: TestContext | null = null;
  before(async () => {
    await resetDatabase();
    context = buildTestApp(options);
  });
  return () => {
    if (!context) throw new Error("useTestApp(): the context exists only inside tests");
    return context;
  };
}
