import { loadConfig } from "../config/index.js";
import { openDatabase } from "../db/connection.js";
import { createLogger } from "../logger.js";
import { verifyAuditChain } from "../services/auditChain.js";

/** `npm run audit:verify`: exit 0 when the whole chain holds, 1 naming the first broken event. */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ ...config, logLevel: "warn" });
  const database = await openDatabase(config, logger, {
    applicationName: "moussanada-audit-verify",
    shareRunningServer: true,
  });
  try {
    const report = await verifyAuditChain(database.sequelize);
    if (report.ok) {
      process.stdout.write(`Audit trail intact: ${report.checked} event(s) verified.\n`);
      return 0;
    }
    const broken = report.firstBroken;
    process.stdout.write(
      `Audit trail BROKEN at event id ${broken?.id} (position ${broken?.position}): ${broken?.reason}. ` +
        `${report.checked} event(s) before it verified; this event and every later one cannot be trusted.\n`,
    );
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
