import type { MigrationModule } from "../server/db/migrator.js";

/**
 * Each job-queue worker's last sign of life. graphile-worker leaves the jobs of a killed worker
 * locked for four hours; a worker silent for longer than the stale delay is dead, and the jobs it
 * held (e-mails, certificate batches) go back to the queue at once (server/worker.ts).
 */
export const up: MigrationModule["up"] = async ({ context: { sequelize } }) => {
  await sequelize.query(`
    CREATE TABLE worker_heartbeats (
      worker_id text PRIMARY KEY,
      beat_at timestamptz NOT NULL DEFAULT now()
    );
  `);
};

export const down: MigrationModule["down"] = async ({ context: { sequelize } }) => {
  await sequelize.query("DROP TABLE IF EXISTS worker_heartbeats;");
};
