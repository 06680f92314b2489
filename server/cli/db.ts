import { runSeeds } from "../../seeds/index.js";
import { loadConfig } from "../config/index.js";
import { migrateDatabase, openDatabase } from "../db/connection.js";
import { createSequelize } from "../db/database.js";
import { createMigrator } from "../db/migrator.js";
import { systemClock } from "../domain/calendar.js";
import { createLogger } from "../logger.js";

const USAGE = "usage: npm run db:migrate | db:rollback | db:seed | db:reset  (db:reset in production needs --force)";

/** Database chores on the embedded PostgreSQL of DATA_DIR, or on DATABASE_URL. */
async function main(command: string | undefined, flags: string[]): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config);
  const database = await openDatabase(config, logger, { applicationName: "moussanada-cli", shareRunningServer: true });
  try {
    const { sequelize } = database;
    if (command === "migrate") {
      const applied = await migrateDatabase(database.ownerUrl, logger);
      process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Already up to date.\n");
      return 0;
    }
    if (command === "rollback") {
      const owner = createSequelize({ url: database.ownerUrl, poolMax: 1, applicationName: "moussanada-cli-rollback" });
      const reverted = await createMigrator(owner, logger)
        .down({ step: 1 })
        .finally(() => owner.close());
      process.stdout.write(
        reverted.length ? `Reverted: ${reverted.map((m) => m.name).join(", ")}\n` : "Nothing to revert.\n",
      );
      return 0;
    }
    if (command === "seed") {
      const summary = await runSeeds(sequelize, { env: config.env, clock: systemClock });
      process.stdout.write(`Seeded reference data${summary.demoAccounts.length ? " and demo accounts" : ""}.\n`);
      return 0;
    }
    if (command === "reset") {
      if (config.isProduction && !flags.includes("--force")) {
        process.stderr.write("Refusing to reset a production database without --force.\n");
        return 1;
      }
      const owner = createSequelize({ url: database.ownerUrl, poolMax: 1, applicationName: "moussanada-cli-reset" });
      try {
        await owner.query(
          "DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS graphile_worker CASCADE;",
        );
      } finally {
        await owner.close();
      }
      await migrateDatabase(database.ownerUrl, logger);
      await runSeeds(sequelize, { env: config.env, clock: systemClock });
      process.stdout.write("Database reset: migrated and seeded.\n");
      return 0;
    }
    process.stderr.write(`${USAGE}\n`);
    return 64;
  } finally {
    await database.close();
  }
}

const [command, ...flags] = process.argv.slice(2);
main(command, flags).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
