import pg from "pg";
import { Sequelize } from "sequelize";

// NUMERIC and BIGINT come back as strings (pg's default) and must stay so: money is parsed into
// BigInt centimes by server/domain/money.ts, never through a JavaScript float.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  /** Name shown in pg_stat_activity, to tell app, worker and scripts apart. */
  applicationName?: string;
}

export function createSequelize(options: DatabaseOptions): Sequelize {
  const sequelize = new Sequelize(options.url, {
    dialect: "postgres",
    dialectModule: pg,
    logging: false,
    timezone: "+00:00",
    define: { underscored: true, timestamps: true },
    dialectOptions: {
      application_name: options.applicationName ?? "moussanada-app",
      // A dead or unreachable server must turn into a clean 503 quickly, not a hung request.
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
    },
    pool: { max: options.poolMax, min: 0, acquire: 10_000, idle: 10_000, evict: 5_000 },
  });
  return sequelize;
}
