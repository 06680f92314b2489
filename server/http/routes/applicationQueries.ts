import Joi from "joi";
import { literal, Op, type Order, type WhereOptions } from "sequelize";
import { APPLICATION_STATUSES } from "../../domain/applicationStatus.js";
import { localDate, PROGRAMME_TIME_ZONE } from "../../domain/calendar.js";
import { Mandate, type Application, type Company, type User } from "../../models/index.js";
import { containsPattern, type Pagination } from "../validation.js";

const SORTS: Record<string, Order> = {
  // The officers' queue: files of Permis Numérique holders first, then the longest waiting.
  queue: [
    ["fastTrack", "DESC"],
    ["submittedAt", "ASC NULLS LAST"],
  ],
  "-updatedAt": [["updatedAt", "DESC"]],
  updatedAt: [["updatedAt", "ASC"]],
  "-submittedAt": [["submittedAt", "DESC NULLS LAST"]],
  submittedAt: [["submittedAt", "ASC NULLS LAST"]],
  reference: [["reference", "ASC NULLS LAST"]],
  "-grantAmount": [["grantAmount", "DESC"]],
  grantAmount: [["grantAmount", "ASC"]],
};

/** The filters of the applications list, the officers' queue and its exports. */
export const applicationFilters = {
  status: Joi.array()
    .items(Joi.string().valid(...APPLICATION_STATUSES))
    .single()
    .description("Un ou plusieurs statuts (status=draft&status=submitted)"),
  sector: Joi.string().trim().max(64),
  region: Joi.string().trim().max(64),
  callId: Joi.string().guid(),
  companyId: Joi.string().guid(),
  q: Joi.string().trim().max(100).description("Raison sociale, ICE ou référence"),
  fastTrack: Joi.boolean(),
  minDaysWaiting: Joi.number().integer().min(0).max(3650).description("Déposés depuis au moins N jours"),
  sort: Joi.string()
    .valid(...Object.keys(SORTS))
    .description("Par défaut : la file d'attente (prioritaires puis plus anciens) pour les chargés, -updatedAt sinon"),
};

export interface ApplicationFilters {
  status?: string[];
  sector?: string;
  region?: string;
  callId?: string;
  companyId?: string;
  q?: string;
  fastTrack?: boolean;
  minDaysWaiting?: number;
  sort?: string;
}

export type ApplicationListQuery = ApplicationFilters & Pagination;

/**
 * Which files a user sees, filtered: a manager its companies', a prescriber its live clients',
 * officers and admins every file ever submitted (drafts stay the company's own).
 */
export async function applicationListQuery(user: User, filters: ApplicationFilters, now: Date) {
  const today = localDate(now);
  const where: WhereOptions<Application> = {};
  const companyWhere: WhereOptions<Company> = {};
  const conditions: WhereOptions<Application>[] = [];
  if (user.role === "applicant") Object.assign(companyWhere, { ownerId: user.id });
  if (user.role === "prescriber") {
    conditions.push({ companyId: await Mandate.liveCompanyIdsOf(user.id, today) });
  }
  if (user.role === "officer" || user.role === "admin") conditions.push({ reference: { [Op.ne]: null } });
  if (filters.status) conditions.push({ status: filters.status });
  if (filters.sector) conditions.push({ sectorCode: filters.sector });
  if (filters.callId) conditions.push({ callId: filters.callId });
  if (filters.companyId) conditions.push({ companyId: filters.companyId });
  if (filters.fastTrack !== undefined) conditions.push({ fastTrack: filters.fastTrack });
  if (filters.minDaysWaiting !== undefined) {
    // Counted in calendar days in Casablanca, as the daysWaiting column shows them.
    const cutoff = new Date(Date.parse(today) - filters.minDaysWaiting * 86_400_000).toISOString().slice(0, 10);
    conditions.push(
      literal(`("Application"."submitted_at" AT TIME ZONE '${PROGRAMME_TIME_ZONE}')::date <= DATE '${cutoff}'`),
    );
  }
  if (filters.region) Object.assign(companyWhere, { regionCode: filters.region });
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    conditions.push({
      [Op.or]: [
        { reference: { [Op.iLike]: pattern } },
        { "$company.name$": { [Op.iLike]: pattern } },
        { "$company.ice$": { [Op.like]: pattern } },
      ],
    });
  }
  if (conditions.length > 0) Object.assign(where, { [Op.and]: conditions });
  const sort = filters.sort ?? (user.role === "officer" || user.role === "admin" ? "queue" : "-updatedAt");
  const order: Order = [...((SORTS[sort] ?? SORTS["-updatedAt"]) as [string, string][]), ["id", "ASC"]];
  return { where, companyWhere, order };
}
