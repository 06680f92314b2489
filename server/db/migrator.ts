import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { QueryInterface, Sequelize } from "sequelize";
import { SequelizeStorage, Umzug } from "umzug";
import type { Logger } from "../logger.js";

export interface MigrationContext {
  sequelize: Sequelize;
  queryInterface: QueryInterface;
}

export interface MigrationModule {
  up(params: { context: MigrationContext }): Promise<void>;
  down(params: { context: MigrationContext }): Promise<void>;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const MIGRATIONS_DIR = path.join(projectRoot, "migrations");
export const MIGRATION_TABLE = "schema_migrations";

export function createMigrator(sequelize: Sequelize, logger?: Logger): Umzug<MigrationContext> {
  return new Umzug<MigrationContext>({
    migrations: {
      glob: ["*.ts", { cwd: MIGRATIONS_DIR, ignore: ["*.d.ts"] }],
      resolve: ({ name, path: filePath, context }) => {
        if (!filePath) throw new Error(`Migration ${name} has no file`);
        const load = async (): Promise<MigrationModule> => (await import(filePath)) as MigrationModule;
        return {
          name,
          up: async () => (await load()).up({ context }),
          down: async () => (await load()).down({ context }),
        };
      },
    },
    context: { sequelize, queryInterface: sequelize.getQueryInterface() },
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATION_TABLE }),
    logger: logger
      ? {
          info: (event) => logger.info(event, "migration"),
          warn: (event) => logger.warn(event, "migration"),
          error: (event) => logger.error(event, "migration"),
          debug: (event) => logger.debug(event, "migration"),
        }
      : undefined,
  });
}

/**
 * Migrations run one at a time even when several app instances start together: the first takes
 * an advisory lock, the others wait for it and then find nothing pending.
 */
export async function migrateToLatest(sequelize: Sequelize, logger?: Logger): Promise<string[]> {
  const MIGRATION_LOCK_ID = 723_141_001;
  const migrator = createMigrator(sequelize, logger);
  const connection = await sequelize.connectionManager.getConnection({ type: "write" });
  const client = connection as unknown as { query(sql: string, values?: unknown[]): Promise<unknown> };
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    const applied = await migrator.up();
    return applied.map((migration) => migration.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
    sequelize.connectionManager.releaseConnection(connection);
  }
}

/** Names of the migration files shipped with this build, read once at start-up for /readyz. */
export function listShippedMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .sort();
}
