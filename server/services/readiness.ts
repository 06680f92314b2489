import { QueryTypes, type Sequelize } from "sequelize";
import { MIGRATION_TABLE } from "../db/migrator.js";
import type { MessageKey } from "../i18n/index.js";
import type { DocumentStore } from "../storage/documentStore.js";

export type ReadinessReport =
  { ready: true } | { ready: false; reasonKey: MessageKey; params?: Record<string, string | number> };

/**
 * Ready means: the database answers and holds every migration this build ships, and the document
 * store accepts files. A load balancer
 * keeps an instance out of rotation until then, and takes it out again while the database is down.
 */
export class Readiness {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly shippedMigrations: readonly string[],
    private readonly documentStore: DocumentStore | null = null,
  ) {}

  async check(): Promise<ReadinessReport> {
    let applied: Set<string>;
    try {
      const rows = await this.sequelize.query<{ name: string }>(`SELECT name FROM ${MIGRATION_TABLE}`, {
        type: QueryTypes.SELECT,
      });
      applied = new Set(rows.map((row) => row.name));
    } catch {
      return { ready: false, reasonKey: "readiness.database-unreachable" };
    }
    const pending = this.shippedMigrations.filter((name) => !applied.has(name));
    if (pending.length > 0) {
      return { ready: false, reasonKey: "readiness.migrations-pending", params: { count: pending.length } };
    }
    try {
      await this.documentStore?.check();
    } catch {
      return { ready: false, reasonKey: "readiness.storage-unavailable" };
    }
    return { ready: true };
  }
}
