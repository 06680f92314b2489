import type { Sequelize } from "sequelize";
import type { NodeEnv } from "../server/config/index.js";
import { localDate, type Clock } from "../server/domain/calendar.js";
import { seedDemoAccounts } from "./demo.js";
import { seedReferenceData } from "./reference.js";

export interface SeedSummary {
  /** Demo sign-in accounts, listed at start-up in development. */
  demoAccounts: Array<{ role: string; email: string; password: string }>;
}

/** Idempotent: safe on every start. Demo accounts exist in development only (not in test or production). */
export async function runSeeds(sequelize: Sequelize, options: { env: NodeEnv; clock: Clock }): Promise<SeedSummary> {
  const year = Number(localDate(options.clock.now()).slice(0, 4));
  await seedReferenceData(sequelize, { year });
  if (options.env !== "development") return { demoAccounts: [] };
  return { demoAccounts: await seedDemoAccounts(sequelize, options.clock.now()) };
}
