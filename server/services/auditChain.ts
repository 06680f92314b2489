import { QueryTypes, type Sequelize } from "sequelize";

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  /** The first event that does not hold, with why; later events are not trusted either. */
  firstBroken: {
    id: string;
    position: string;
    reason: "hash-mismatch" | "previous-hash-mismatch" | "position-gap";
  } | null;
}

const GENESIS_HASH = "0".repeat(64);

/**
 * Walks the audit trail in chain order and recomputes every hash in the database (the same
 * audit_event_hash() the insert trigger uses). An edited row fails its own hash; a deleted or
 * inserted row breaks the next row's link or leaves a gap in positions.
 */
export async function verifyAuditChain(sequelize: Sequelize, batchSize = 5_000): Promise<AuditChainReport> {
  let previousHash = GENESIS_HASH;
  let expectedPosition = 1n;
  let checked = 0;
  for (;;) {
    const rows = await sequelize.query<{
      id: string;
      position: string;
      previous_hash: string;
      hash: string;
      recomputed: string;
    }>(
      `SELECT e.id, e.position, e.previous_hash, e.hash, audit_event_hash(e) AS recomputed
         FROM audit_events e WHERE e.position >= :from ORDER BY e.position LIMIT :limit`,
      { type: QueryTypes.SELECT, replacements: { from: expectedPosition.toString(), limit: batchSize } },
    );
    if (rows.length === 0) return { ok: true, checked, firstBroken: null };
    for (const row of rows) {
      const broken = (reason: NonNullable<AuditChainReport["firstBroken"]>["reason"]) => ({
        ok: false,
        checked,
        firstBroken: { id: String(row.id), position: String(row.position), reason },
      });
      if (BigInt(row.position) !== expectedPosition) return broken("position-gap");
      if (row.previous_hash !== previousHash) return broken("previous-hash-mismatch");
      if (row.hash !== row.recomputed) return broken("hash-mismatch");
      previousHash = row.hash;
      expectedPosition += 1n;
      checked += 1;
    }
  }
}
