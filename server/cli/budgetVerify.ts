import { verifyLedger } from "../commands/budget.js";
import { loadConfig } from "../config/index.js";
import { openDatabase } from "../db/connection.js";
import { createLogger } from "../logger.js";

/**
 * `npm run budget:verify`: recomputes every envelope's committed and paid amounts from the ledger
 * rows alone; exit 0 when they match and nothing is overspent, 1 listing each discrepancy.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ ...config, logLevel: "warn" });
  const database = await openDatabase(config, logger, {
    applicationName: "moussanada-budget-verify",
    shareRunningServer: true,
  });
  try {
    const problems = await verifyLedger(database.sequelize);
    if (problems.length === 0) {
      process.stdout.write(
        "Budget ledger consistent: every envelope = committed + paid + available, none overspent.\n",
      );
      return 0;
    }
    for (const problem of problems) process.stdout.write(`Envelope ${problem.envelopeId}: ${problem.problem}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`budget:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
