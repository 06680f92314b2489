import path from "node:path";
import type { UploadLimits } from "../commands/applications.js";
import type { StorageConfig } from "../storage/documentStore.js";
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
  /**
   * The schema owner's connection, for migrations and the job worker (graphile-worker's tables are
   * owner-only). Null: DATABASE_URL serves for both, and audit rows are not protected by roles.
   */
  migrationDatabaseUrl: string | null;
  databasePoolMax: number;
  /** Connections of the session store's own pool (every signed-in request reads its session). */
  sessionPoolMax: number;
  dataDir: string;
  sessionSecret: string;
  logLevel: string;
  jsonBodyLimit: string;
  /** Express `trust proxy` setting: false, a hop count, or a list of subnets. */
  trustProxy: boolean | number | string;
  clientDistDir: string;
  /** 32-byte key for personal identifiers encrypted at rest (CIN). */
  encryptionKey: Buffer;
  /** Unset outside production: e-mails are captured in the database and shown at /dev/mail. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Run the background worker inside this process (it can also run alone: `npm run worker`). */
  runWorker: boolean;
  workerConcurrency: number;
  workerPollIntervalMs: number;
  rateLimits: RateLimits;
  storage: StorageConfig;
  uploads: UploadLimits;
  certificates: CertificateConfig;
}

export interface CertificateConfig {
  /**
   * PKCS#8 PEM of the Ed25519 key that signs certificates; created at first start when absent.
   * Outside the database on purpose: a copy of the database alone cannot forge a certificate.
   */
  signingKeyFile: string;
  /** A batch whose worker has shown no life for this long is handed to another worker. */
  staleJobAfterMs: number;
}

/** Per client IP, shared by every instance through PostgreSQL. */
export interface RateLimits {
  loginPerMinute: number;
  registrationsPerHour: number;
  passwordResetsPerHour: number;
  verificationsPerMinute: number;
}

const DEVELOPMENT_SESSION_SECRET = "development-only-session-secret-not-for-production";
// Development and test only; production must set its own ENCRYPTION_KEY.
const DEVELOPMENT_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=";

const environmentSchema = Joi.object({
  NODE_ENV: Joi.string().valid("development", "production", "test").default("development"),
  HOST: Joi.string().hostname(),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  PUBLIC_URL: Joi.string().uri({ scheme: ["http", "https"] }),
  DATABASE_URL: Joi.string().uri({ scheme: ["postgres", "postgresql"] }),
  MIGRATION_DATABASE_URL: Joi.string().uri({ scheme: ["postgres", "postgresql"] }),
  DATABASE_POOL_MAX: Joi.number().integer().min(1).max(200).default(10),
  SESSION_POOL_MAX: Joi.number().integer().min(1).max(200).default(10),
  DATA_DIR: Joi.string().default(".data"),
  SESSION_SECRET: Joi.string().min(32),
  LOG_LEVEL: Joi.string().valid("fatal", "error", "warn", "info", "debug", "trace", "silent"),
  JSON_BODY_LIMIT: Joi.string()
    .pattern(/^\d+(b|kb|mb)$/)
    .default("100kb"),
  TRUST_PROXY: Joi.string().default("false"),
  ENCRYPTION_KEY: Joi.string()
    .base64()
    .custom((value: string, helpers) =>
      Buffer.from(value, "base64").length === 32
        ? value
        : helpers.message({ custom: "ENCRYPTION_KEY must decode to 32 bytes" }),
    ),
  SMTP_URL: Joi.string().uri({ scheme: ["smtp", "smtps"] }),
  MAIL_FROM: Joi.string().default("Moussanada Numérique <no-reply@moussanada.ma>"),
  RUN_WORKER: Joi.boolean().default(true),
  WORKER_CONCURRENCY: Joi.number().integer().min(1).max(32).default(2),
  WORKER_POLL_INTERVAL_MS: Joi.number().integer().min(50).max(60_000).default(1000),
  RATE_LIMIT_LOGIN_PER_MINUTE: Joi.number().integer().min(1).default(20),
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: Joi.number().integer().min(1).default(20),
  RATE_LIMIT_PASSWORD_RESETS_PER_HOUR: Joi.number().integer().min(1).default(10),
  RATE_LIMIT_VERIFICATIONS_PER_MINUTE: Joi.number().integer().min(1).default(60),
  CERTIFICATE_KEY_FILE: Joi.string(),
  CERTIFICATE_JOB_STALE_AFTER_MS: Joi.number().integer().min(500).max(3_600_000).default(30_000),
  STORAGE_DRIVER: Joi.string().valid("local", "s3").default("local"),
  STORAGE_DIR: Joi.string(),
  S3_ENDPOINT: Joi.string().uri({ scheme: ["http", "https"] }),
  S3_REGION: Joi.string().default("us-east-1"),
  S3_BUCKET: Joi.string().when("STORAGE_DRIVER", { is: "s3", then: Joi.required() }),
  S3_ACCESS_KEY_ID: Joi.string().when("STORAGE_DRIVER", { is: "s3", then: Joi.required() }),
  S3_SECRET_ACCESS_KEY: Joi.string().when("STORAGE_DRIVER", { is: "s3", then: Joi.required() }),
  S3_FORCE_PATH_STYLE: Joi.boolean(),
  S3_PREFIX: Joi.string().allow("").default(""),
  UPLOAD_MAX_FILE_BYTES: Joi.number()
    .integer()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  UPLOAD_MAX_FILES_PER_APPLICATION: Joi.number().integer().min(1).max(200).default(20),
})
  .when(Joi.object({ NODE_ENV: Joi.valid("production").required() }).unknown(), {
    then: Joi.object({
      DATABASE_URL: Joi.required(),
      SESSION_SECRET: Joi.required(),
      PUBLIC_URL: Joi.required(),
      ENCRYPTION_KEY: Joi.required(),
      SMTP_URL: Joi.required(),
      // Every instance must sign with the same key, kept on a persistent volume or a secret.
      CERTIFICATE_KEY_FILE: Joi.required(),
    }),
  })
  .unknown(true);

function storageConfig(value: Record<string, unknown>, dataDir: string, rootDir: string): StorageConfig {
  if (value.STORAGE_DRIVER === "s3") {
    const endpoint = (value.S3_ENDPOINT as string | undefined) ?? null;
    return {
      driver: "s3",
      endpoint,
      region: value.S3_REGION as string,
      bucket: value.S3_BUCKET as string,
      accessKeyId: value.S3_ACCESS_KEY_ID as string,
      secretAccessKey: value.S3_SECRET_ACCESS_KEY as string,
      // S3-compatible servers (MinIO, Garage…) rarely serve virtual-hosted bucket names.
      forcePathStyle: (value.S3_FORCE_PATH_STYLE as boolean | undefined) ?? endpoint !== null,
      prefix: value.S3_PREFIX as string,
    };
  }
  const directory = value.STORAGE_DIR as string | undefined;
  return { driver: "local", directory: directory ? path.resolve(rootDir, directory) : path.join(dataDir, "documents") };
}

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
  const dataDir = path.resolve(rootDir, value.DATA_DIR as string);
  return {
    env,
    isProduction,
    host: (value.HOST as string | undefined) ?? (isProduction ? "0.0.0.0" : "127.0.0.1"),
    port,
    publicUrl: ((value.PUBLIC_URL as string | undefined) ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    databaseUrl: (value.DATABASE_URL as string | undefined) ?? null,
    migrationDatabaseUrl: (value.MIGRATION_DATABASE_URL as string | undefined) ?? null,
    databasePoolMax: value.DATABASE_POOL_MAX as number,
    sessionPoolMax: value.SESSION_POOL_MAX as number,
    dataDir,
    sessionSecret: (value.SESSION_SECRET as string | undefined) ?? DEVELOPMENT_SESSION_SECRET,
    logLevel: (value.LOG_LEVEL as string | undefined) ?? (env === "test" ? "silent" : "info"),
    jsonBodyLimit: value.JSON_BODY_LIMIT as string,
    trustProxy: parseTrustProxy(value.TRUST_PROXY as string),
    clientDistDir: path.resolve(rootDir, "client", "dist"),
    encryptionKey: Buffer.from((value.ENCRYPTION_KEY as string | undefined) ?? DEVELOPMENT_ENCRYPTION_KEY, "base64"),
    smtpUrl: (value.SMTP_URL as string | undefined) ?? null,
    mailFrom: value.MAIL_FROM as string,
    runWorker: value.RUN_WORKER as boolean,
    workerConcurrency: value.WORKER_CONCURRENCY as number,
    workerPollIntervalMs: value.WORKER_POLL_INTERVAL_MS as number,
    rateLimits: {
      loginPerMinute: value.RATE_LIMIT_LOGIN_PER_MINUTE as number,
      registrationsPerHour: value.RATE_LIMIT_REGISTRATIONS_PER_HOUR as number,
      passwordResetsPerHour: value.RATE_LIMIT_PASSWORD_RESETS_PER_HOUR as number,
      verificationsPerMinute: value.RATE_LIMIT_VERIFICATIONS_PER_MINUTE as number,
    },
    storage: storageConfig(value as Record<string, unknown>, dataDir, rootDir),
    uploads: {
      maxFileBytes: value.UPLOAD_MAX_FILE_BYTES as number,
      maxDocumentsPerApplication: value.UPLOAD_MAX_FILES_PER_APPLICATION as number,
    },
    certificates: {
      signingKeyFile: path.resolve(
        rootDir,
        (value.CERTIFICATE_KEY_FILE as string | undefined) ??
          path.join(dataDir, "keys", "permis-numerique-ed25519.pem"),
      ),
      staleJobAfterMs: value.CERTIFICATE_JOB_STALE_AFTER_MS as number,
    },
  };
}
