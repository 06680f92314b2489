import type { Express } from "express";
import type { Sequelize } from "sequelize";
import { createApp, type AppServices } from "../../server/app.js";
import { loadConfig, type Config } from "../../server/config/index.js";
import { listShippedMigrations } from "../../server/db/migrator.js";
import type { Clock } from "../../server/domain/calendar.js";
import { Readiness } from "../../server/services/readiness.js";
import { SecretBox } from "../../server/auth/secretBox.js";
import { resetDatabase, TEST_NOW, testLogger, testSequelize, testSessionPool } from "./testDatabase.js";

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

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: "test" }), ...overrides };
}

/** The app as production builds it, on the test database, with a controllable clock. */
export function buildTestApp(options: { now?: string; config?: Partial<Config> } = {}): TestContext {
  const sequelize = testSequelize();
  const clock = new FixedClock(new Date(options.now ?? TEST_NOW));
  const services: AppServices = {
    config: testConfig(options.config),
    logger: testLogger,
    clock,
    readiness: new Readiness(sequelize, listShippedMigrations()),
    sequelize,
    sessionPool: testSessionPool(),
    secretBox: new SecretBox(testConfig().encryptionKey),
  };
  return { app: createApp(services), sequelize, services, clock };
}

/** For a test file: a fresh database state before its first test, and the app to call. */
export function useTestApp(options: { now?: string; config?: Partial<Config> } = {}): () => TestContext {
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
