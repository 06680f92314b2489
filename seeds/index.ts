import type { Sequelize } from "sequelize";
import type { NodeEnv } from "../server/config/index.js";
import { localDate, type Clock } from "../server/domain/calendar.js";
import { seedReferenceData } from "./reference.js";

export interface SeedSummary {
  /** Demo sign-in accounts, listed at start-up in development. */
  demoAccounts: Array<{ role: string; email: string; password: string }>;
}

/** Idempotent: safe on every start. Production gets reference data only, never demo accounts. */
export async function runSeeds(sequelize: Sequelize, options: { env: NodeEnv; clock: Clock }): Promise<SeedSummary> {
  const year = Number(localDate(options.clock.now()).slice(0, 4));
  await seedReferenceData(sequelize, { year });
  return { demoAccounts: [] };
}
