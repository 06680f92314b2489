import path from "node:path";
import Joi from "joi";

export type NodeEnv = "development" | "production" | "test";

export interface Config {
  env: NodeEnv;
  isProduction: boolean;
  host: string;
  port: number;
  /** Absolute URL users reach the app at; used in e-mails and certificate QR codes. */
  publicUrl: string;
  /** Unset means: start an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  databasePoolMax: number;
  dataDir: string;
  sessionSecret: string;
  logLevel: string;
  jsonBodyLimit: string;
  /** Express `trust proxy` setting: false, a hop count, or a list of subnets. */
  trustProxy: boolean | number | string;
  clientDistDir: string;
}

const DEVELOPMENT_SESSION_SECRET = "development-only-session-secret-not-for-production";

const environmentSchema = Joi.object({
  NODE_ENV: Joi.string().valid("development", "production", "test").default("development"),
  HOST: Joi.string().hostname(),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  PUBLIC_URL: Joi.string().uri({ scheme: ["http", "https"] }),
  DATABASE_URL: Joi.string().uri({ scheme: ["postgres", "postgresql"] }),
  DATABASE_POOL_MAX: Joi.number().integer().min(1).max(200).default(10),
  DATA_DIR: Joi.string().default(".data"),
  SESSION_SECRET: Joi.string().min(32),
  LOG_LEVEL: Joi.string().valid("fatal", "error", "warn", "info", "debug", "trace", "silent"),
  JSON_BODY_LIMIT: Joi.string()
    .pattern(/^\d+(b|kb|mb)$/)
    .default("100kb"),
  TRUST_PROXY: Joi.string().default("false"),
})
  .when(Joi.object({ NODE_ENV: Joi.valid("production").required() }).unknown(), {
    then: Joi.object({
      DATABASE_URL: Joi.required(),
      SESSION_SECRET: Joi.required(),
      PUBLIC_URL: Joi.required(),
    }),
  })
  .unknown(true);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Reads and validates the environment once, at start-up. Development and test get working
 * defaults; production refuses to start without its secrets, so a misconfigured instance never
 * serves a single request.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const { value, error } = environmentSchema.validate(environment, { abortEarly: false, convert: true });
  if (error) {
    throw new ConfigError(error.details.map((detail) => detail.message));
  }
  const env = value.NODE_ENV as NodeEnv;
  const isProduction = env === "production";
  const port = value.PORT as number;
  const rootDir = process.cwd();
  return {
    env,
    isProduction,
    host: (value.HOST as string | undefined) ?? (isProduction ? "0.0.0.0" : "127.0.0.1"),
    port,
    publicUrl: ((value.PUBLIC_URL as string | undefined) ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    databaseUrl: (value.DATABASE_URL as string | undefined) ?? null,
    databasePoolMax: value.DATABASE_POOL_MAX as number,
    dataDir: path.resolve(rootDir, value.DATA_DIR as string),
    sessionSecret: (value.SESSION_SECRET as string | undefined) ?? DEVELOPMENT_SESSION_SECRET,
    logLevel: (value.LOG_LEVEL as string | undefined) ?? (env === "test" ? "silent" : "info"),
    jsonBodyLimit: value.JSON_BODY_LIMIT as string,
    trustProxy: parseTrustProxy(value.TRUST_PROXY as string),
    clientDistDir: path.resolve(rootDir, "client", "dist"),
  };
}
