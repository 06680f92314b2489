import "./helpers/privateTmp.js";
import {
  closeTestSequelize,
  prepareSchema,
  startTestDatabaseServer,
  type TestDatabaseServer,
} from "./helpers/testDatabase.js";

let server: TestDatabaseServer | null = null;

/** One PostgreSQL for the whole run, migrated and seeded once; files reset what they touch. */
export async function mochaGlobalSetup(): Promise<void> {
  server = await startTestDatabaseServer();
  process.env.TEST_DATABASE_URL = server.url;
  await prepareSchema();
}

export async function mochaGlobalTeardown(): Promise<void> {
  await closeTestSequelize();
  await server?.stop();
}
