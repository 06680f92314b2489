import { runMigrations } from "graphile-worker";

/**
 * graphile-worker's schema must exist before the first job is queued in a business transaction,
 * and before our migrations grant the application role its use.
 */
export async function prepareJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString });
}
