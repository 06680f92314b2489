/**
 * `npm run bench:seed` (issue 9): realistic volumes in a database, through bulk SQL
 * (bench/generate.ts): 50,000 companies, 100,000 applications over every status with their
 * documents metadata (rows only, no files), 10,000 passed enrolments and their certificates.
 * Deterministic: the same seed gives the same rows.
 *
 *   npm run bench:seed                                        # the development database (.data)
 *   BENCH_DATABASE_URL=postgres://owner:…@host/db npm run bench:seed
 *   npm run bench:seed -- --applications 20000 --companies 10000 --certificates 2000 --seed 9
 *
 * With BENCH_DATABASE_URL (the schema owner's connection), the schema and the reference data are
 * brought up to date as the application does, then filled. Without it, the database is the one
 * `npm start` uses, opened the same way (openDatabase as in server/main.ts: DATABASE_URL, or the
 * embedded PostgreSQL under DATA_DIR, migrated and seeded for NODE_ENV). Generated accounts have
 * no password: sign in with the demo accounts. A database already holding generated data is
 * refused (the generator's ids would collide): start from a fresh one.
 */
import { runSeeds } from "../seeds/index.js";
import { loadConfig } from "../server/config/index.js";
import { openDatabase } from "../server/db/connection.js";
import { systemClock } from "../server/domain/calendar.js";
import { benchLogger, prepareDatabase } from "./database.js";
import { generate, parseFlags, SEED_OPTIONS, type GenerateSummary } from "./generate.js";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = { ...parseFlags(process.argv.slice(2), SEED_OPTIONS), log: say };
  const external = process.env.BENCH_DATABASE_URL;
  let summary: GenerateSummary;
  if (external) {
    say("Database: BENCH_DATABASE_URL");
    await prepareDatabase(external);
    summary = await generate(external, options);
  } else {
    const config = loadConfig();
    say(
      config.databaseUrl
        ? "Database: DATABASE_URL (the development database)"
        : `Database: the embedded PostgreSQL in ${config.dataDir}/postgres`,
    );
    const database = await openDatabase(config, benchLogger, {
      migrate: true,
      applicationName: "moussanada-bench-seed",
    });
    try {
      await runSeeds(database.sequelize, { env: config.env, clock: systemClock });
      summary = await generate(database.ownerUrl, options);
    } finally {
      await database.close();
    }
  }
  say(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
