import { pino, type Logger } from "pino";
import type { Config } from "./config/index.js";

export type { Logger };

/** Fields that must never reach a log line: secrets, credentials and personal identifiers. */
const REDACTED_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "*.password",
  "*.newPassword",
  "*.token",
  "*.cin",
  "*.nationalId",
  "*.sessionSecret",
  "*.databaseUrl",
];

export function createLogger(config: Pick<Config, "logLevel" | "isProduction">): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { service: "moussanada-numerique" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
