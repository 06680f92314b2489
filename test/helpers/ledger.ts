import { expect } from "chai";
import { QueryTypes } from "sequelize";
import { verifyLedger } from "../../server/commands/budget.js";
import { ownerSequelize, testSequelize } from "./testDatabase.js";

/**
 * The budget's invariant (SPEC.md "Budget ledger": committed + paid + available = envelope,
 * always), checked twice: by the server's own `verifyLedger`, and by plain SQL written here
 * without the server's code, per envelope and per application.
 */

export interface EnvelopeRow {
  id: string;
  callId: string;
  sectorCode: string | null;
  amount: string;
  committed: string;
  paid: string;
  available: string;
}

/** Every envelope whose columns disagree with its ledger rows, or that is overspent. */
async function envelopeViolations(): Promise<Array<Record<string, unknown>>> {
  return ownerSequelize().query<Record<string, unknown>>(
    `SELECT e.id, e.call_id AS "callId", e.sector_code AS "sectorCode", e.amount::text AS amount,
            e.committed::text AS committed, e.paid::text AS paid,
            s.commitments::text AS commitments, s.releases::text AS releases, s.payments::text AS payments
       FROM envelopes e
       CROSS JOIN LATERAL (
         SELECT COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'commitment'), 0) AS commitments,
                COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'release'), 0) AS releases,
                COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'payment'), 0) AS payments
           FROM budget_ledger l WHERE l.envelope_id = e.id
       ) s
      WHERE NOT (
        e.committed = s.commitments - s.releases - s.payments
        AND e.paid = s.payments
        AND e.committed >= 0
        AND e.paid >= 0
        AND e.amount - e.committed - e.paid >= 0
      )
      ORDER BY e.id`,
    { type: QueryTypes.SELECT },
  );
}

/**
 * Every (application, envelope it draws on) pair whose ledger rows disagree with the file: an
 * approved, claimed or paid file has committed its approved amount and still holds what it has not
 * been paid; a closed file holds nothing more (the rest was released); a cancelled file was never
 * paid and gave everything back; any other file has no ledger row at all.
 */
async function applicationViolations(): Promise<Array<Record<string, unknown>>> {
  return ownerSequelize().query<Record<string, unknown>>(
    `SELECT a.id AS "applicationId", a.reference, a.status, e.id AS "envelopeId", e.sector_code AS "sectorCode",
            a.approved_amount::text AS "approvedAmount", a.paid_amount::text AS "paidAmount",
            s.commitments::text AS commitments, s.releases::text AS releases, s.payments::text AS payments
       FROM applications a
       -- The call's envelope always; the sector's if it existed when the file was approved, or if
       -- the file moved money on it (an envelope added after the approval holds nothing of the file's).
       JOIN envelopes e ON e.call_id = a.call_id AND (
         e.sector_code IS NULL
         OR (e.sector_code = a.sector_code AND (
           EXISTS (SELECT 1 FROM budget_ledger x WHERE x.application_id = a.id AND x.envelope_id = e.id)
           OR e.created_at <= (SELECT min(x.created_at) FROM budget_ledger x
                                WHERE x.application_id = a.id AND x.kind = 'commitment')
         ))
       )
       CROSS JOIN LATERAL (
         SELECT COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'commitment'), 0) AS commitments,
                COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'release'), 0) AS releases,
                COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'payment'), 0) AS payments
           FROM budget_ledger l WHERE l.application_id = a.id AND l.envelope_id = e.id
       ) s
      WHERE NOT CASE
        WHEN a.status IN ('approved', 'claim_submitted', 'paid') THEN
          s.commitments = COALESCE(a.approved_amount, 0)
          AND s.commitments - s.releases - s.payments = COALESCE(a.approved_amount, 0) - COALESCE(a.paid_amount, 0)
          AND s.payments = COALESCE(a.paid_amount, 0)
        WHEN a.status = 'closed' THEN
          s.commitments = COALESCE(a.approved_amount, 0)
          AND s.commitments - s.releases - s.payments = 0
          AND s.payments = COALESCE(a.paid_amount, 0)
        WHEN a.status = 'cancelled' THEN
          s.commitments = COALESCE(a.approved_amount, 0) AND s.releases = s.commitments AND s.payments = 0
        ELSE s.commitments = 0 AND s.releases = 0 AND s.payments = 0
      END
      ORDER BY a.reference, e.sector_code NULLS FIRST`,
    { type: QueryTypes.SELECT },
  );
}

/** Ledger rows on an envelope the application cannot draw on (another call, another sector). */
async function strayRows(): Promise<Array<Record<string, unknown>>> {
  return ownerSequelize().query<Record<string, unknown>>(
    `SELECT l.id, l.kind, l.amount::text AS amount, a.reference, e.call_id AS "envelopeCallId",
            a.call_id AS "applicationCallId", e.sector_code AS "envelopeSector", a.sector_code AS "applicationSector"
       FROM budget_ledger l
       JOIN applications a ON a.id = l.application_id
       JOIN envelopes e ON e.id = l.envelope_id
      WHERE e.call_id <> a.call_id OR (e.sector_code IS NOT NULL AND e.sector_code <> a.sector_code)`,
    { type: QueryTypes.SELECT },
  );
}

/** Asserts the ledger's invariant over the whole database (call it after every test that moves money). */
export async function expectLedgerHolds(): Promise<void> {
  expect(await verifyLedger(testSequelize()), "verifyLedger()").to.deep.equal([]);
  expect(await envelopeViolations(), "envelopes vs. their ledger rows").to.deep.equal([]);
  expect(await applicationViolations(), "applications vs. their ledger rows").to.deep.equal([]);
  expect(await strayRows(), "ledger rows on another call's or sector's envelope").to.deep.equal([]);
}

/** The envelopes of a call, the call's own first, as the database holds them. */
export async function envelopesOf(callId: string): Promise<EnvelopeRow[]> {
  return ownerSequelize().query<EnvelopeRow>(
    `SELECT id, call_id AS "callId", sector_code AS "sectorCode", amount::text AS amount,
            committed::text AS committed, paid::text AS paid, (amount - committed - paid)::text AS available
       FROM envelopes WHERE call_id = :callId ORDER BY sector_code NULLS FIRST`,
    { type: QueryTypes.SELECT, replacements: { callId } },
  );
}

export interface LedgerRow {
  envelopeId: string;
  sectorCode: string | null;
  kind: "commitment" | "release" | "payment";
  amount: string;
}

/**
 * The ledger rows of one application: commitments, then payments, then releases (the order a
 * file moves money in), the call's envelope before the sector's.
 */
export async function ledgerRowsOf(applicationId: string): Promise<LedgerRow[]> {
  return ownerSequelize().query<LedgerRow>(
    `SELECT l.envelope_id AS "envelopeId", e.sector_code AS "sectorCode", l.kind, l.amount::text AS amount
       FROM budget_ledger l JOIN envelopes e ON e.id = l.envelope_id
      WHERE l.application_id = :applicationId
      ORDER BY CASE l.kind WHEN 'commitment' THEN 0 WHEN 'payment' THEN 1 ELSE 2 END, e.sector_code NULLS FIRST, l.created_at`,
    { type: QueryTypes.SELECT, replacements: { applicationId } },
  );
}

/** Σ amount of one kind on one envelope, as a NUMERIC(14,2) string. */
export async function ledgerSum(envelopeId: string, kind: LedgerRow["kind"]): Promise<string> {
  const [row] = await ownerSequelize().query<{ total: string }>(
    `SELECT COALESCE(SUM(amount), 0)::numeric(14, 2)::text AS total FROM budget_ledger
      WHERE envelope_id = :envelopeId AND kind = :kind`,
    { type: QueryTypes.SELECT, replacements: { envelopeId, kind } },
  );
  return row?.total ?? "0.00";
}
