import { QueryTypes, type Sequelize } from "sequelize";
import { formatMoney, fromDatabase } from "../domain/money.js";
import { Call, modelsSequelize, Programme, Region, Sector } from "../models/index.js";
import { budgetLine, callBudgetOf } from "./budget.js";

/** The materialised aggregates, in the order they are refreshed (stats_totals last: its time says when). */
const STATISTICS_VIEWS = [
  "stats_funnel",
  "stats_equipped",
  "stats_permits",
  "stats_applications",
  "stats_prescribers",
  "stats_delays",
  "stats_totals",
] as const;

export const REFRESH_STATISTICS_TASK = "refresh_statistics";
// Autovacuum only analyses a table after 50 changed rows, so a handful of programmes and calls
// never get statistics and the planner guesses hundreds: the funnel's plan went from 2.5 s to
// 10 s at a million applications. Analysing them costs a millisecond.
const ANALYZE_SMALL_TABLES = "ANALYZE programmes, calls";
// Any constant shared by every instance: two refreshes never run at once.
const REFRESH_LOCK = 7_447_001;

/**
 * Recomputes the statistics from the live tables. CONCURRENTLY: readers keep the previous figures
 * until each view is replaced. Needs the schema owner's connection (views belong to it). Returns
 * false when another instance is already refreshing.
 */
export async function refreshStatistics(ownerSequelize: Sequelize): Promise<boolean> {
  return ownerSequelize.transaction(async (transaction) => {
    const [lock] = await ownerSequelize.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock(:key) AS locked", {
      type: QueryTypes.SELECT,
      transaction,
      replacements: { key: REFRESH_LOCK },
    });
    if (!lock?.locked) return false;
    await ownerSequelize.query(ANALYZE_SMALL_TABLES, { transaction });
    for (const view of STATISTICS_VIEWS) {
      await ownerSequelize.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`, { transaction });
    }
    return true;
  });
}

/** The same refresh on a plain pg client of the owner (the job worker's connection). */
export async function refreshStatisticsOnClient(client: {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}): Promise<boolean> {
  await client.query("BEGIN");
  try {
    const { rows } = await client.query("SELECT pg_try_advisory_xact_lock($1) AS locked", [REFRESH_LOCK]);
    if (rows[0]?.locked !== true) {
      await client.query("ROLLBACK");
      return false;
    }
    await client.query(ANALYZE_SMALL_TABLES);
    for (const view of STATISTICS_VIEWS) await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Queued by officers ("Actualiser") and by the worker's schedule; the key keeps it single. */
export async function queueStatisticsRefresh(): Promise<void> {
  await modelsSequelize().query("SELECT queue_keyed_job(:task, '{}'::json, :key, 3)", {
    replacements: { task: REFRESH_STATISTICS_TASK, key: REFRESH_STATISTICS_TASK },
  });
}

interface Named {
  code: string;
  nameFr: string;
  nameAr: string;
}

// Feminine for a region (« région non renseignée »), masculine for a sector.
const UNKNOWN_REGION: Named = { code: "unknown", nameFr: "Non renseignée", nameAr: "غير محددة" };
const UNKNOWN_SECTOR: Named = { code: "unknown", nameFr: "Non renseigné", nameAr: "غير محدد" };

export interface CountBy extends Named {
  count: number;
}

export interface FunnelStep {
  step: "accounts" | "companies" | "drafts" | "submitted" | "approved" | "paid";
  count: number;
  dropOff: number | null;
  conversion: number | null;
}

const COMPANY_STEPS = ["companies", "drafts", "submitted", "approved", "paid"] as const;

function funnelSteps(counts: Array<{ step: FunnelStep["step"]; count: number }>): FunnelStep[] {
  return counts.map((current, index) => {
    const previous = index > 0 ? counts[index - 1] : undefined;
    if (!previous) return { ...current, dropOff: null, conversion: null };
    return {
      ...current,
      dropOff: previous.count - current.count,
      conversion: previous.count === 0 ? null : Math.round((current.count / previous.count) * 10_000) / 10_000,
    };
  });
}

/** Every region or sector, zero included, most first; stable rows for tables and charts. */
function countsOver(names: Named[], counts: Map<string, number>, unknown: Named | null = null): CountBy[] {
  const rows = names.map((name) => ({ ...name, count: counts.get(name.code) ?? 0 }));
  const unknownCount = unknown ? (counts.get(unknown.code) ?? 0) : 0;
  if (unknown && unknownCount > 0) rows.push({ ...unknown, count: unknownCount });
  return rows.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

function sumInto(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function oneDecimal(value: number | string | null): number | null {
  if (value === null) return null;
  return Math.round(Number(value) * 10) / 10;
}

/** The programme asked for, or the one of the most recent call. */
export async function programmeFor(code: string | undefined): Promise<Programme | null> {
  if (code) return Programme.findOne({ where: { code } });
  const call = await Call.findOne({ order: [["opensOn", "DESC"]], include: [{ association: "programme" }] });
  return call?.programme ?? (await Programme.findOne({ order: [["startsOn", "DESC"]] }));
}

/** The figures read from the aggregates: they only change when the aggregates are refreshed. */
async function aggregatedFigures(programme: Programme) {
  const sequelize = modelsSequelize();
  const select = <T extends object>(sql: string) =>
    sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements: { programmeId: programme.id } });
  const [regions, sectors, totals, funnelRows, equippedRows, permitRows, delays, applicationTotals, top] =
    await Promise.all([
      Region.findAll({ attributes: ["code", "nameFr", "nameAr"], order: [["code", "ASC"]] }),
      Sector.findAll({ attributes: ["code", "nameFr", "nameAr"], order: [["code", "ASC"]] }),
      select<{ generated_at: Date; applicant_accounts: number }>(
        "SELECT generated_at, applicant_accounts FROM stats_totals",
      ),
      select<{
        region_code: string;
        sector_code: string;
        companies: number;
        drafts: number;
        submitted: number;
        approved: number;
        paid: number;
      }>("SELECT * FROM stats_funnel WHERE programme_id = :programmeId"),
      select<{ year: number; region_code: string; sector_code: string; companies: number }>(
        "SELECT year, region_code, sector_code, companies FROM stats_equipped WHERE programme_id = :programmeId",
      ),
      select<{ year: number; region_code: string; sector_code: string; status: string; certificates: number }>(
        "SELECT year, region_code, sector_code, status, certificates FROM stats_permits",
      ),
      select<{
        decision_median_days: string | null;
        decision_count: number;
        payment_median_days: string | null;
        payment_count: number;
      }>("SELECT * FROM stats_delays WHERE programme_id = :programmeId"),
      select<{ submitted: string; approved: string; submitted_via_mandate: string; approved_via_mandate: string }>(
        `SELECT COALESCE(sum(submitted), 0) AS submitted, COALESCE(sum(approved), 0) AS approved,
           COALESCE(sum(submitted_via_mandate), 0) AS submitted_via_mandate,
           COALESCE(sum(approved_via_mandate), 0) AS approved_via_mandate
         FROM stats_applications WHERE programme_id = :programmeId`,
      ),
      select<{ organisation: string; submitted: number; approved: number }>(
        `SELECT COALESCE(u.prescriber_organisation, u.full_name) AS organisation,
           sum(p.submitted)::integer AS submitted, sum(p.approved)::integer AS approved
         FROM stats_prescribers p JOIN users u ON u.id = p.prescriber_id
         WHERE p.programme_id = :programmeId
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
      ),
    ]);

  const regionNames: Named[] = regions.map(({ code, nameFr, nameAr }) => ({ code, nameFr, nameAr }));
  const sectorNames: Named[] = sectors.map(({ code, nameFr, nameAr }) => ({ code, nameFr, nameAr }));

  const equippedByYear = new Map<number, number>();
  const equippedByRegion = new Map<string, number>();
  const equippedBySector = new Map<string, number>();
  let equippedTotal = 0;
  for (const row of equippedRows) {
    equippedTotal += row.companies;
    equippedByYear.set(row.year, (equippedByYear.get(row.year) ?? 0) + row.companies);
    sumInto(equippedByRegion, row.region_code, row.companies);
    sumInto(equippedBySector, row.sector_code, row.companies);
  }

  const permitsByYear = new Map<number, number>();
  const permitsByRegion = new Map<string, number>();
  const permitsBySector = new Map<string, number>();
  let permitsTotal = 0;
  let permitsRevoked = 0;
  for (const row of permitRows) {
    if (row.status !== "valid") {
      permitsRevoked += row.certificates;
      continue;
    }
    permitsTotal += row.certificates;
    permitsByYear.set(row.year, (permitsByYear.get(row.year) ?? 0) + row.certificates);
    sumInto(permitsByRegion, row.region_code, row.certificates);
    sumInto(permitsBySector, row.sector_code, row.certificates);
  }

  const companyStepTotals = { companies: 0, drafts: 0, submitted: 0, approved: 0, paid: 0 };
  const byRegion = new Map<string, typeof companyStepTotals>();
  const bySector = new Map<string, typeof companyStepTotals>();
  for (const row of funnelRows) {
    for (const step of COMPANY_STEPS) {
      companyStepTotals[step] += row[step];
      const region = byRegion.get(row.region_code) ?? { companies: 0, drafts: 0, submitted: 0, approved: 0, paid: 0 };
      region[step] += row[step];
      byRegion.set(row.region_code, region);
      const sector = bySector.get(row.sector_code) ?? { companies: 0, drafts: 0, submitted: 0, approved: 0, paid: 0 };
      sector[step] += row[step];
      bySector.set(row.sector_code, sector);
    }
  }
  const stepsOf = (counts: typeof companyStepTotals | undefined) =>
    funnelSteps(COMPANY_STEPS.map((step) => ({ step, count: counts?.[step] ?? 0 })));
  const funnelBy = (names: Named[], counts: Map<string, typeof companyStepTotals>) =>
    names
      .map((name) => ({ ...name, steps: stepsOf(counts.get(name.code)) }))
      .sort((a, b) => (b.steps[0]?.count ?? 0) - (a.steps[0]?.count ?? 0) || a.code.localeCompare(b.code));

  const delay = delays[0];
  const applications = applicationTotals[0];
  return {
    sectorNames,
    generatedAt: totals[0]?.generated_at.toISOString() ?? null,
    programme: { code: programme.code, nameFr: programme.nameFr, nameAr: programme.nameAr },
    equipped: {
      total: equippedTotal,
      target: programme.targetEquippedSmes,
      byYear: [...equippedByYear].sort(([a], [b]) => a - b).map(([year, count]) => ({ year, count })),
      byRegion: countsOver(regionNames, equippedByRegion),
      bySector: countsOver(sectorNames, equippedBySector),
    },
    permits: {
      total: permitsTotal,
      revoked: permitsRevoked,
      target: programme.targetPermits,
      byYear: [...permitsByYear].sort(([a], [b]) => a - b).map(([year, count]) => ({ year, count })),
      byRegion: countsOver(regionNames, permitsByRegion, UNKNOWN_REGION),
      bySector: countsOver(sectorNames, permitsBySector, UNKNOWN_SECTOR),
    },
    delays: {
      submissionToDecision: {
        medianDays: oneDecimal(delay?.decision_median_days ?? null),
        count: delay?.decision_count ?? 0,
      },
      submissionToPayment: {
        medianDays: oneDecimal(delay?.payment_median_days ?? null),
        count: delay?.payment_count ?? 0,
      },
    },
    funnel: {
      steps: funnelSteps([
        { step: "accounts", count: totals[0]?.applicant_accounts ?? 0 },
        ...COMPANY_STEPS.map((step) => ({ step, count: companyStepTotals[step] })),
      ]),
      byRegion: funnelBy(regionNames, byRegion),
      bySector: funnelBy(sectorNames, bySector),
    },
    prescribers: {
      submitted: Number(applications?.submitted ?? 0),
      submittedViaMandate: Number(applications?.submitted_via_mandate ?? 0),
      approved: Number(applications?.approved ?? 0),
      approvedViaMandate: Number(applications?.approved_via_mandate ?? 0),
      top,
    },
  };
}

type AggregatedFigures = Awaited<ReturnType<typeof aggregatedFigures>>;

/** Per instance: each programme's figures as of the aggregates' refresh they were read at. */
const figuresCache = new Map<string, { key: string; figures: AggregatedFigures }>();

/**
 * Everything the statistics page shows. The aggregates' figures are read again only when a
 * refresh has happened since (one query to know); the budget is live, as on the budget page.
 */
export async function statisticsOverview(programme: Programme) {
  const [stamp] = await modelsSequelize().query<{ generated_at: Date }>("SELECT generated_at FROM stats_totals", {
    type: QueryTypes.SELECT,
  });
  const key = [stamp?.generated_at.toISOString(), programme.targetEquippedSmes, programme.targetPermits].join("|");
  let cached = figuresCache.get(programme.id);
  if (cached?.key !== key) {
    cached = { key, figures: await aggregatedFigures(programme) };
    figuresCache.set(programme.id, cached);
  }
  const { sectorNames, ...figures } = cached.figures;
  const calls = await Call.findAll({ where: { programmeId: programme.id }, order: [["opensOn", "ASC"]] });
  const budget = await Promise.all(
    calls.map(async (call) => {
      const { whole, sectors: sectorLines } = await callBudgetOf(call.id);
      return {
        callId: call.id,
        callCode: call.code,
        titleFr: call.titleFr,
        titleAr: call.titleAr,
        ...budgetLine(whole),
        bySector: sectorLines.map((balance) => {
          const name = sectorNames.find((sector) => sector.code === balance.sectorCode);
          return {
            code: balance.sectorCode ?? "",
            nameFr: name?.nameFr ?? balance.sectorCode ?? "",
            nameAr: name?.nameAr ?? balance.sectorCode ?? "",
            ...budgetLine(balance),
          };
        }),
      };
    }),
  );

  return { ...figures, budget };
}

export const SUPPRESSION_THRESHOLD = 5;

export interface OpenDataQuery {
  from?: string;
  to?: string;
  region?: string;
  sector?: string;
}

export interface OpenDataRow {
  month: string;
  regionCode: string;
  regionNameFr: string;
  regionNameAr: string;
  sectorCode: string;
  sectorNameFr: string;
  sectorNameAr: string;
  submitted: number | null;
  approved: number | null;
  paid: number | null;
  grantedAmount: string | null;
  paidAmount: string | null;
}

/** A count of 1 to 4 could point at a person: it is withheld, with the amount that goes with it. */
function suppressed(count: number): number | null {
  return count > 0 && count < SUPPRESSION_THRESHOLD ? null : count;
}

/**
 * Published aggregates per month, region and sector, across programmes. Only these rows are
 * published, never totals, which would let a withheld cell be recomputed by subtraction.
 */
export async function openDataRows(
  query: OpenDataQuery,
  window?: { limit: number; offset: number },
): Promise<{ rows: OpenDataRow[]; total: number; generatedAt: string | null }> {
  const conditions = ["true"];
  if (query.from) conditions.push("s.month >= :from");
  if (query.to) conditions.push("s.month <= :to");
  if (query.region) conditions.push("s.region_code = :region");
  if (query.sector) conditions.push("s.sector_code = :sector");
  const where = conditions.join(" AND ");
  const replacements = { ...query, limit: window?.limit ?? null, offset: window?.offset ?? 0 };
  const sequelize = modelsSequelize();
  const [rows, counted, totals] = await Promise.all([
    sequelize.query<{
      month: string;
      region_code: string;
      region_fr: string;
      region_ar: string;
      sector_code: string;
      sector_fr: string;
      sector_ar: string;
      submitted: string;
      approved: string;
      paid: string;
      granted_amount: string;
      paid_amount: string;
    }>(
      `SELECT s.month, s.region_code, r.name_fr AS region_fr, r.name_ar AS region_ar,
         s.sector_code, se.name_fr AS sector_fr, se.name_ar AS sector_ar,
         sum(s.submitted) AS submitted, sum(s.approved) AS approved, sum(s.paid) AS paid,
         sum(s.granted_amount) AS granted_amount, sum(s.paid_amount) AS paid_amount
       FROM stats_applications s
       JOIN regions r ON r.code = s.region_code
       JOIN sectors se ON se.code = s.sector_code
       WHERE ${where}
       GROUP BY s.month, s.region_code, r.name_fr, r.name_ar, s.sector_code, se.name_fr, se.name_ar
       ORDER BY s.month, s.region_code, s.sector_code
       LIMIT :limit OFFSET :offset`,
      { type: QueryTypes.SELECT, replacements },
    ),
    sequelize.query<{ total: string }>(
      `SELECT count(*) AS total FROM (SELECT 1 FROM stats_applications s WHERE ${where}
         GROUP BY s.month, s.region_code, s.sector_code) AS cells`,
      { type: QueryTypes.SELECT, replacements },
    ),
    sequelize.query<{ generated_at: Date }>("SELECT generated_at FROM stats_totals", { type: QueryTypes.SELECT }),
  ]);
  return {
    generatedAt: totals[0]?.generated_at.toISOString() ?? null,
    total: Number(counted[0]?.total ?? 0),
    rows: rows.map((row) => {
      const approved = suppressed(Number(row.approved));
      const paid = suppressed(Number(row.paid));
      return {
        month: row.month,
        regionCode: row.region_code,
        regionNameFr: row.region_fr,
        regionNameAr: row.region_ar,
        sectorCode: row.sector_code,
        sectorNameFr: row.sector_fr,
        sectorNameAr: row.sector_ar,
        submitted: suppressed(Number(row.submitted)),
        approved,
        paid,
        grantedAmount: approved === null ? null : formatMoney(fromDatabase(row.granted_amount)),
        paidAmount: paid === null ? null : formatMoney(fromDatabase(row.paid_amount)),
      };
    }),
  };
}
