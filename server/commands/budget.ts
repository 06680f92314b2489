import { Op, QueryTypes, type Sequelize, type Transaction } from "sequelize";
import { formatMoney, fromDatabase, sumCentimes, type Centimes } from "../domain/money.js";
import { AppError } from "../errors.js";
import { Envelope, LedgerEntry, modelsSequelize, type Application, type LedgerKind } from "../models/index.js";

/**
 * The budget: every approval commits its amount on the call's envelope and on its sector's
 * envelope (when the call has one), in the transaction that approves; a payment moves money from
 * committed to paid; a cancellation or a closure releases what was committed and not paid. Each
 * movement is a ledger row, and the envelopes' `committed` and `paid` columns move with it, under
 * the envelopes' row locks. A CHECK on the table keeps `amount − committed − paid ≥ 0`.
 */

/**
 * The envelopes an application draws on, locked FOR UPDATE in id order: every transaction takes
 * them in the same order, so two approvals never wait on each other in a cycle.
 */
async function lockEnvelopes(transaction: Transaction, application: Application): Promise<Envelope[]> {
  return Envelope.findAll({
    where: {
      callId: application.callId,
      [Op.or]: [{ sectorCode: null }, { sectorCode: application.sectorCode }],
    },
    order: [["id", "ASC"]],
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
}

/**
 * The envelopes that hold the application's commitment, from the ledger, locked in id order: a
 * payment or a release goes back where the money was committed, even if the call's envelopes
 * changed since (a sector envelope added after the approval).
 */
async function lockCommittedEnvelopes(transaction: Transaction, application: Application): Promise<Envelope[]> {
  const rows = await LedgerEntry.findAll({
    where: { applicationId: application.id, kind: "commitment" },
    attributes: ["envelopeId"],
    transaction,
  });
  const ids = [...new Set(rows.map((row) => row.envelopeId))];
  if (ids.length === 0) return [];
  return Envelope.findAll({ where: { id: ids }, order: [["id", "ASC"]], lock: transaction.LOCK.UPDATE, transaction });
}

async function move(
  transaction: Transaction,
  envelope: Envelope,
  application: Application,
  kind: LedgerKind,
  amount: Centimes,
  actorId: string | null,
): Promise<void> {
  const change = {
    commitment: "committed = committed + :amount",
    release: "committed = committed - :amount",
    payment: "committed = committed - :amount, paid = paid + :amount",
  }[kind];
  await modelsSequelize().query(`UPDATE envelopes SET ${change}, updated_at = now() WHERE id = :id`, {
    transaction,
    replacements: { id: envelope.id, amount: formatMoney(amount) },
  });
  await LedgerEntry.create(
    { envelopeId: envelope.id, applicationId: application.id, kind, amount: formatMoney(amount), actorId },
    { transaction },
  );
}

function available(envelope: Envelope): Centimes {
  return fromDatabase(envelope.amount) - fromDatabase(envelope.committed) - fromDatabase(envelope.paid);
}

/** Commits `amount` on every envelope of the application, or refuses (409) and changes nothing. */
export async function commitGrant(
  transaction: Transaction,
  application: Application,
  amount: Centimes,
  actorId: string,
): Promise<void> {
  const envelopes = await lockEnvelopes(transaction, application);
  if (envelopes.length === 0) throw AppError.conflict("budget.no-envelope");
  for (const envelope of envelopes) {
    const left = available(envelope);
    if (left < amount) {
      throw new AppError("conflict", 409, {
        detailKey: envelope.sectorCode ? "budget.sector-insufficient" : "budget.call-insufficient",
        moneyParams: { available: formatMoney(left), requested: formatMoney(amount) },
      });
    }
  }
  for (const envelope of envelopes) await move(transaction, envelope, application, "commitment", amount, actorId);
}

/** Gives back what an application had committed and will not pay (cancellation, closure). */
export async function releaseCommitment(
  transaction: Transaction,
  application: Application,
  amount: Centimes,
  actorId: string,
): Promise<void> {
  if (amount <= 0n) return;
  const envelopes = await lockCommittedEnvelopes(transaction, application);
  for (const envelope of envelopes) await move(transaction, envelope, application, "release", amount, actorId);
}

/** Turns `amount` of the application's commitment into a payment. */
export async function recordPayment(
  transaction: Transaction,
  application: Application,
  amount: Centimes,
  actorId: string,
): Promise<void> {
  if (amount <= 0n) return;
  const envelopes = await lockCommittedEnvelopes(transaction, application);
  for (const envelope of envelopes) await move(transaction, envelope, application, "payment", amount, actorId);
}

export interface EnvelopeBalance {
  envelopeId: string;
  callId: string;
  sectorCode: string | null;
  amount: Centimes;
  committed: Centimes;
  paid: Centimes;
  available: Centimes;
}

export interface LedgerDiscrepancy {
  envelopeId: string;
  problem: string;
}

/**
 * The ledger's invariant, recomputed from the ledger rows alone: for every envelope,
 * committed = commitments − releases − payments, paid = payments, and
 * committed + paid + available = envelope with available ≥ 0. An empty answer means it holds.
 */
export async function verifyLedger(sequelize: Sequelize): Promise<LedgerDiscrepancy[]> {
  const rows = await sequelize.query<{
    id: string;
    amount: string;
    committed: string;
    paid: string;
    commitments: string;
    releases: string;
    payments: string;
  }>(
    `SELECT e.id, e.amount::text, e.committed::text, e.paid::text,
            COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'commitment'), 0)::numeric(14, 2)::text AS commitments,
            COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'release'), 0)::numeric(14, 2)::text AS releases,
            COALESCE(SUM(l.amount) FILTER (WHERE l.kind = 'payment'), 0)::numeric(14, 2)::text AS payments
       FROM envelopes e LEFT JOIN budget_ledger l ON l.envelope_id = e.id
      GROUP BY e.id`,
    { type: QueryTypes.SELECT },
  );
  const problems: LedgerDiscrepancy[] = [];
  for (const row of rows) {
    const committed = fromDatabase(row.commitments) - fromDatabase(row.releases) - fromDatabase(row.payments);
    const paid = fromDatabase(row.payments);
    if (committed !== fromDatabase(row.committed)) {
      problems.push({
        envelopeId: row.id,
        problem: `committed ${row.committed} but the ledger says ${formatMoney(committed)}`,
      });
    }
    if (paid !== fromDatabase(row.paid)) {
      problems.push({ envelopeId: row.id, problem: `paid ${row.paid} but the ledger says ${formatMoney(paid)}` });
    }
    if (committed < 0n) problems.push({ envelopeId: row.id, problem: "more released or paid than committed" });
    if (fromDatabase(row.amount) - committed - paid < 0n) {
      problems.push({ envelopeId: row.id, problem: "overspent: committed + paid exceed the envelope" });
    }
  }
  return problems;
}

/** Balances of a call's envelopes, the whole call first, then each sector. */
export async function balancesOf(callId: string): Promise<EnvelopeBalance[]> {
  const envelopes = await Envelope.findAll({ where: { callId }, order: [["sectorCode", "ASC NULLS FIRST"]] });
  return envelopes.map((envelope) => ({
    envelopeId: envelope.id,
    callId,
    sectorCode: envelope.sectorCode,
    amount: fromDatabase(envelope.amount),
    committed: fromDatabase(envelope.committed),
    paid: fromDatabase(envelope.paid),
    available: available(envelope),
  }));
}

export type BudgetAmounts = Pick<EnvelopeBalance, "amount" | "committed" | "paid" | "available">;

/**
 * A call's budget: its own envelope, or, for a call funded only per sector, the sum of its
 * sector envelopes; and each sector's line.
 */
export async function callBudgetOf(callId: string): Promise<{ whole: BudgetAmounts; sectors: EnvelopeBalance[] }> {
  const balances = await balancesOf(callId);
  const sectors = balances.filter((balance) => balance.sectorCode !== null);
  const whole = balances.find((balance) => balance.sectorCode === null) ?? {
    amount: sumCentimes(sectors.map((sector) => sector.amount)),
    committed: sumCentimes(sectors.map((sector) => sector.committed)),
    paid: sumCentimes(sectors.map((sector) => sector.paid)),
    available: sumCentimes(sectors.map((sector) => sector.available)),
  };
  return { whole, sectors };
}

/** A budget line as the API writes it: amounts as two-decimal strings. */
export function budgetLine(amounts: BudgetAmounts) {
  return {
    envelope: formatMoney(amounts.amount),
    committed: formatMoney(amounts.committed),
    paid: formatMoney(amounts.paid),
    available: formatMoney(amounts.available),
  };
}
