import type { Transaction } from "sequelize";
import { modelsSequelize } from "../models/index.js";
import type { Actor } from "./actor.js";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Writes an audit event in the caller's transaction: it exists if and only if the change it
 * records was committed. Position and hashes are set by the database trigger, which chains it.
 */
export async function recordAudit(transaction: Transaction, actor: Actor, entry: AuditEntry): Promise<void> {
  const sequelize = modelsSequelize();
  await sequelize.query(
    `INSERT INTO audit_events (actor_id, actor_role, action, entity_type, entity_id, before, after, ip, request_id, position, previous_hash, hash)
     VALUES (:actorId, :actorRole, :action, :entityType, :entityId, :before, :after, :ip, :requestId, 0, '', '')`,
    {
      transaction,
      replacements: {
        actorId: actor.userId,
        actorRole: actor.role,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.before ? JSON.stringify(entry.before) : null,
        after: entry.after ? JSON.stringify(entry.after) : null,
        ip: actor.ip,
        requestId: actor.requestId,
      },
    },
  );
}
