import { Op, QueryTypes, type Transaction } from "sequelize";
import { GRANTED_STATUSES, OPEN_STATUSES } from "../domain/applicationStatus.js";
import { localDate } from "../domain/calendar.js";
import { judgeEligibility, type CriterionVerdict } from "../domain/eligibility.js";
import { computeGrant, type GrantComputation } from "../domain/grant.js";
import { fromDatabase, parseRate } from "../domain/money.js";
import {
  Application,
  ApplicationDocument,
  ApplicationLine,
  Call,
  CallRules,
  Company,
  modelsSequelize,
  Programme,
  Sector,
  Solution,
  Supplier,
  User,
} from "../models/index.js";

/** An application with everything its answers, rules and receipt read. */
export interface LoadedApplication {
  application: Application;
  company: Company;
  call: Call;
  rules: CallRules;
  sector: Sector;
  lines: ApplicationLine[];
  solutions: Solution[];
  documents: ApplicationDocument[];
}

export interface Assessment {
  computation: GrantComputation;
  verdicts: CriterionVerdict[];
  eligible: boolean;
  /** Grants already approved for the company in the programme, other files only. */
  capUsed: bigint;
  rate: bigint;
  cap: bigint;
}

/** The newest version of a call's rules, with its eligible sectors. */
export async function latestRules(callId: string, transaction?: Transaction): Promise<CallRules | null> {
  return CallRules.findOne({
    where: { callId },
    include: [{ model: Sector, as: "sectors", through: { attributes: [] } }],
    order: [["version", "DESC"]],
    transaction,
  });
}

type Tasks = readonly (() => Promise<unknown>)[];
type Results<T extends Tasks> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

async function inParallel<T extends Tasks>(tasks: T): Promise<Results<T>> {
  return (await Promise.all(tasks.map((task) => task()))) as Results<T>;
}

async function inSequence<T extends Tasks>(tasks: T): Promise<Results<T>> {
  const results: unknown[] = [];
  for (const task of tasks) results.push(await task());
  return results as Results<T>;
}

async function solutionsOf(applicationId: string, transaction?: Transaction): Promise<Solution[]> {
  const rows = await modelsSequelize().query<{ solution_id: string }>(
    "SELECT solution_id FROM application_solutions WHERE application_id = :applicationId",
    { type: QueryTypes.SELECT, transaction, replacements: { applicationId } },
  );
  if (rows.length === 0) return [];
  return Solution.findAll({
    where: { id: rows.map((row) => row.solution_id) },
    include: [{ model: Supplier, as: "supplier" }],
    order: [["nameFr", "ASC"]],
    transaction,
  });
}

/**
 * Loads one application; `lock` takes its row lock first (FOR UPDATE), which serialises every
 * change of one file. A draft is judged by its call's newest rules, a submitted file by the
 * version frozen at submission.
 */
export async function loadApplication(
  id: string,
  options: {
    transaction?: Transaction;
    lock?: boolean;
    /** The file and its company (with its owner) the caller has just read in this request. */
    loaded?: { application: Application; company: Company };
  } = {},
): Promise<LoadedApplication | null> {
  const { transaction } = options;
  const application =
    options.loaded?.application ??
    (await Application.findByPk(id, {
      transaction,
      ...(options.lock && transaction ? { lock: transaction.LOCK.UPDATE } : {}),
    }));
  if (!application) return null;
  const known = options.loaded?.company;
  // Inside a transaction every query shares its one connection, so they run one after the
  // other; outside, they run side by side on the pool.
  const run = transaction ? inSequence : inParallel;
  const [company, call, rules, sector, lines, solutions, documents] = await run([
    () =>
      known?.owner
        ? Promise.resolve(known)
        : Company.findByPk(application.companyId, { include: [{ model: User, as: "owner" }], transaction }),
    () => Call.findByPk(application.callId, { include: [{ model: Programme, as: "programme" }], transaction }),
    () =>
      application.status === "draft"
        ? latestRules(application.callId, transaction)
        : CallRules.findByPk(application.callRulesId, {
            include: [{ model: Sector, as: "sectors", through: { attributes: [] } }],
            transaction,
          }),
    () => Sector.findByPk(application.sectorCode, { transaction }),
    () =>
      ApplicationLine.findAll({
        where: { applicationId: id },
        include: [{ model: Supplier, as: "supplier" }],
        order: [["position", "ASC"]],
        transaction,
      }),
    () => solutionsOf(id, transaction),
    () => ApplicationDocument.findAll({ where: { applicationId: id }, order: [["createdAt", "ASC"]], transaction }),
  ] as const);
  if (!company || !call || !rules || !sector) throw new Error(`application ${id} has dangling references`);
  return { application, company, call, rules, sector, lines, solutions, documents };
}

/**
 * Sum of the company's grants approved (and not cancelled) in the programme, this file excepted;
 * a closed file counts for what it was paid, the rest having been released.
 */
export async function approvedGrantsOf(
  companyId: string,
  programmeId: string,
  exceptApplicationId: string | null,
  transaction?: Transaction,
): Promise<bigint> {
  const [row] = await modelsSequelize().query<{ total: string }>(
    `SELECT COALESCE(SUM(CASE WHEN a.status = 'closed' THEN COALESCE(a.paid_amount, 0) ELSE a.approved_amount END), 0)
              ::numeric(14, 2)::text AS total
       FROM applications a JOIN calls c ON c.id = a.call_id
      WHERE a.company_id = :companyId AND c.programme_id = :programmeId
        AND a.status IN (:statuses) AND a.id IS DISTINCT FROM :exceptId`,
    {
      type: QueryTypes.SELECT,
      transaction,
      replacements: {
        companyId,
        programmeId,
        statuses: [...GRANTED_STATUSES],
        exceptId: exceptApplicationId,
      },
    },
  );
  return fromDatabase(row?.total ?? "0.00");
}

/** The company's other file in the same call that is already in the programme's hands. */
async function otherOpenApplication(loaded: LoadedApplication, transaction?: Transaction) {
  return Application.findOne({
    where: {
      companyId: loaded.company.id,
      callId: loaded.call.id,
      status: [...OPEN_STATUSES],
      id: { [Op.ne]: loaded.application.id },
    },
    attributes: ["id", "reference"],
    transaction,
  });
}

/** Amounts and eligibility of an application as of `at` (the submission instant, or now). */
export async function assessApplication(
  loaded: LoadedApplication,
  at: Date,
  transaction?: Transaction,
): Promise<Assessment> {
  const { application, company, call, rules, lines, documents } = loaded;
  const rate = parseRate(rules.rate);
  const cap = fromDatabase(rules.capPerCompany);
  const programmeId = call.programmeId;
  const [capUsed, other] = await (transaction ? inSequence : inParallel)([
    () => approvedGrantsOf(company.id, programmeId, application.id, transaction),
    () => otherOpenApplication(loaded, transaction),
  ] as const);
  const computation = computeGrant(
    lines.map((line) => ({ amountExclTax: fromDatabase(line.amountExclTax), vatRate: parseRate(line.vatRate) })),
    { rate, capPerCompany: cap },
    capUsed,
  );
  const verdicts = judgeEligibility({
    onDate: localDate(at),
    call: { opensOn: call.opensOn, closesOn: call.closesOn },
    rules: {
      minCompanyAgeYears: rules.minCompanyAgeYears,
      maxTurnover: fromDatabase(rules.maxTurnover),
      sectorCodes: (rules.sectors ?? []).map((sector) => sector.code),
    },
    company: { foundedOn: company.foundedOn, annualTurnover: fromDatabase(company.annualTurnover) },
    sectorCode: application.sectorCode,
    eligibleAmount: computation.eligibleAmount,
    documentTypes: documents.map((document) => document.type),
    otherOpenApplication: other ? { reference: other.reference } : null,
  });
  return { computation, verdicts, eligible: verdicts.every((verdict) => verdict.ok), capUsed, rate, cap };
}
