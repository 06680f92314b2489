import Joi from "joi";
import { Op, type WhereOptions } from "sequelize";
import { actorFrom } from "../../commands/actor.js";
import {
  auditMandateRead,
  claimCompany,
  grantMandate,
  registerCompany,
  revokeMandate,
  updateCompany,
  type CompanyDeps,
  type CompanyProfile,
  type CompanyRegistration,
} from "../../commands/companies.js";
import { localDate } from "../../domain/calendar.js";
import { checkIce } from "../../domain/ice.js";
import { AppError } from "../../errors.js";
import { Company, LEGAL_FORMS, Mandate, User } from "../../models/index.js";
import {
  COMPANY_ACTIONS,
  liveMandateOf,
  MANDATE_ACTIONS,
  policies,
  type CompanyRecord,
  type PolicyContext,
} from "../../policies/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { currentUser, requireRole } from "../auth/guards.js";
import { companySchema, mandateSchema, presentCompany, presentMandate } from "../presenters/companies.js";
import { dateField, emailField, fullNameField, localeField, moneyField } from "../schemas.js";
import { containsPattern, pageWindow, paginationSchema, type Pagination } from "../validation.js";

const TAGS = ["Entreprises et mandats"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iceField = () =>
  Joi.string()
    .trim()
    .custom((value: string, helpers) => (checkIce(value) === null ? value : helpers.error("ice.invalid")))
    .messages({ "ice.invalid": "key:companies.invalid-ice" });

const profileFields = {
  ice: iceField(),
  name: Joi.string().trim().min(2).max(200),
  legalForm: Joi.string().valid(...LEGAL_FORMS),
  rcNumber: Joi.string().trim().min(1).max(30),
  rcCourt: Joi.string().trim().min(2).max(80),
  ifNumber: Joi.string()
    .trim()
    .pattern(/^\d{1,10}$/),
  cnssNumber: Joi.string()
    .trim()
    .pattern(/^\d{1,10}$/),
  sectorCode: Joi.string().trim().max(64),
  regionCode: Joi.string().trim().max(64),
  city: Joi.string().trim().min(2).max(80),
  address: Joi.string().trim().min(3).max(300),
  foundedOn: dateField(),
  employees: Joi.number().integer().min(0).max(1_000_000),
  annualTurnover: moneyField(),
};

function required<T extends Record<string, Joi.Schema>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.required()])) as T;
}

/** Unknown fields (owner, ids, audit fields…) are dropped, never applied: no mass assignment. */
const registrationSchema = Joi.object({
  ...required(profileFields),
  managerName: fullNameField().allow(null).default(null),
  managerEmail: emailField().allow(null).default(null),
  managerLocale: localeField().default("fr"),
}).options({ stripUnknown: true });

const updateSchema = Joi.object({
  ...profileFields,
  managerName: fullNameField().allow(null),
  managerEmail: emailField().allow(null),
}).options({ stripUnknown: true });

interface CompanyListQuery extends Pagination {
  q?: string;
  sector?: string;
  region?: string;
}

export async function loadCompanyRecord(id: string): Promise<CompanyRecord> {
  if (!UUID.test(id)) throw AppError.notFound();
  const company = await Company.findByPk(id, { include: [{ model: User, as: "owner" }] });
  if (!company) throw AppError.notFound();
  const mandates = await Mandate.findAll({ where: { companyId: id, revokedAt: null } });
  return { company, mandates };
}

export function registerCompanyRoutes(api: ApiRouter, deps: CompanyDeps): void {
  const context = (): PolicyContext => ({ today: localDate(deps.clock.now()) });
  const companyPermissions = (actor: User, record: CompanyRecord) =>
    policies.permissionsFor(actor, "Company", COMPANY_ACTIONS, record, context());

  api.route<Record<string, never>, CompanyRegistration>({
    method: "post",
    path: "/companies",
    summary:
      "Inscrit une entreprise : le dirigeant en devient titulaire ; un prescripteur qui inscrit un client reçoit un mandat et le dirigeant est invité par e-mail",
    tags: TAGS,
    access: "dirigeant (applicant), prescripteur",
    body: registrationSchema,
    responses: {
      201: { description: "Entreprise inscrite", schema: companySchema },
      409: { description: "ICE déjà inscrit (le message explique comment demander l'accès)" },
    },
    handler: async ({ body }, req, res) => {
      const actor = requireRole(req, "applicant", "prescriber");
      const company = await registerCompany(deps, body, actor, actorFrom(req, actor));
      const record = await loadCompanyRecord(company.id);
      res.status(201).json(presentCompany(record.company, companyPermissions(actor, record)));
    },
  });

  api.route<CompanyListQuery>({
    method: "get",
    path: "/companies",
    summary:
      "Entreprises visibles : les siennes (dirigeant), celles sous mandat (prescripteur), toutes (chargé, admin)",
    tags: TAGS,
    access: "dirigeant, prescripteur, chargé de programme, administrateur",
    query: Joi.object({
      ...paginationSchema,
      q: Joi.string().trim().max(100).description("Nom ou ICE"),
      sector: Joi.string().trim().max(64),
      region: Joi.string().trim().max(64),
    }),
    responses: { 200: { description: "Entreprises", schema: listOf(companySchema) } },
    handler: async ({ query }, req, res) => {
      const actor = requireRole(req, "applicant", "prescriber", "officer", "admin");
      const today = context().today;
      const where: WhereOptions<Company> = {};
      if (actor.role === "applicant") Object.assign(where, { ownerId: actor.id });
      if (actor.role === "prescriber") {
        Object.assign(where, { id: await Mandate.liveCompanyIdsOf(actor.id, today) });
      }
      if (query.q) {
        const pattern = containsPattern(query.q);
        Object.assign(where, { [Op.or]: [{ name: { [Op.iLike]: pattern } }, { ice: { [Op.like]: pattern } }] });
      }
      if (query.sector) Object.assign(where, { sectorCode: query.sector });
      if (query.region) Object.assign(where, { regionCode: query.region });
      const { rows, count } = await Company.findAndCountAll({
        where,
        include: [{ model: User, as: "owner" }],
        order: [
          ["name", "ASC"],
          ["id", "ASC"],
        ],
        ...pageWindow(query),
      });
      const mandates = await Mandate.findAll({ where: { companyId: rows.map((row) => row.id), revokedAt: null } });
      const items = rows.map((company) => {
        const record = { company, mandates: mandates.filter((mandate) => mandate.companyId === company.id) };
        return presentCompany(company, companyPermissions(actor, record));
      });
      res.json({ items, total: count, page: query.page, pageSize: query.pageSize });
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/companies/:id",
    summary: "Profil d'une entreprise, avec ce que l'utilisateur peut y faire",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté, chargé de programme, administrateur",
    params: Joi.object({ id: Joi.string().required() }),
    responses: { 200: { description: "Entreprise", schema: companySchema } },
    handler: async ({ params }, req, res) => {
      const actor = currentUser(req);
      const record = await loadCompanyRecord(params.id);
      policies.authorize(actor, "read", "Company", record, context());
      await auditMandateRead(
        deps,
        actorFrom(req, actor),
        liveMandateOf(actor, record, context().today),
        "company.read",
      );
      res.json(presentCompany(record.company, companyPermissions(actor, record)));
    },
  });

  api.route<Record<string, never>, Partial<CompanyProfile>, { id: string }>({
    method: "patch",
    path: "/companies/:id",
    summary: "Modifie le profil (titulaire, ou prescripteur mandaté : l'usage du mandat est tracé)",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: Joi.object({ id: Joi.string().required() }),
    body: updateSchema,
    responses: { 200: { description: "Entreprise modifiée", schema: companySchema } },
    handler: async ({ params, body }, req, res) => {
      const actor = currentUser(req);
      const record = await loadCompanyRecord(params.id);
      policies.authorize(actor, "update", "Company", record, context());
      await updateCompany(deps, record, body, actorFrom(req, actor), liveMandateOf(actor, record, context().today));
      const updated = await loadCompanyRecord(params.id);
      res.json(presentCompany(updated.company, companyPermissions(actor, updated)));
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/companies/:id/mandates",
    summary: "Mandats de l'entreprise (le prescripteur ne voit que le sien)",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté, chargé de programme, administrateur",
    params: Joi.object({ id: Joi.string().required() }),
    responses: { 200: { description: "Mandats, du plus récent au plus ancien", schema: listOf(mandateSchema) } },
    handler: async ({ params }, req, res) => {
      const actor = currentUser(req);
      const record = await loadCompanyRecord(params.id);
      policies.authorize(actor, "listMandates", "Company", record, context());
      await auditMandateRead(
        deps,
        actorFrom(req, actor),
        liveMandateOf(actor, record, context().today),
        "mandates.read",
      );
      const mandates = await Mandate.findAll({
        where: { companyId: record.company.id, ...(actor.role === "prescriber" ? { prescriberId: actor.id } : {}) },
        include: [{ model: User, as: "prescriber" }],
        order: [["createdAt", "DESC"]],
      });
      const items = mandates.map((mandate) =>
        presentMandate(
          mandate,
          mandate.prescriber as User,
          context().today,
          policies.permissionsFor(actor, "Mandate", MANDATE_ACTIONS, { mandate, company: record.company }, context()),
        ),
      );
      res.json({ items, total: items.length, page: 1, pageSize: Math.max(items.length, 1) });
    },
  });

  api.route<Record<string, never>, { prescriberEmail: string; expiresOn: string | null }, { id: string }>({
    method: "post",
    path: "/companies/:id/mandates",
    summary: "Donne mandat à un prescripteur (par son e-mail), éventuellement jusqu'à une date",
    tags: TAGS,
    access: "titulaire",
    params: Joi.object({ id: Joi.string().required() }),
    body: Joi.object({ prescriberEmail: emailField().required(), expiresOn: dateField().allow(null).default(null) }),
    responses: { 201: { description: "Mandat donné", schema: mandateSchema } },
    handler: async ({ params, body }, req, res) => {
      const actor = currentUser(req);
      const record = await loadCompanyRecord(params.id);
      policies.authorize(actor, "grantMandate", "Company", record, context());
      const mandate = await grantMandate(deps, record, body, actor, actorFrom(req, actor));
      const prescriber = await User.findByPk(mandate.prescriberId);
      if (!prescriber) throw AppError.notFound();
      const permissions = policies.permissionsFor(
        actor,
        "Mandate",
        MANDATE_ACTIONS,
        { mandate, company: record.company },
        context(),
      );
      res.status(201).json(presentMandate(mandate, prescriber, context().today, permissions));
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "delete",
    path: "/mandates/:id",
    summary: "Révoque un mandat, avec effet immédiat",
    tags: TAGS,
    access: "titulaire",
    params: Joi.object({ id: Joi.string().required() }),
    responses: { 200: { description: "Mandat révoqué", schema: mandateSchema } },
    handler: async ({ params }, req, res) => {
      const actor = currentUser(req);
      if (!UUID.test(params.id)) throw AppError.notFound();
      const mandate = await Mandate.findByPk(params.id, { include: [{ model: User, as: "prescriber" }] });
      const company = mandate ? await Company.findByPk(mandate.companyId) : null;
      if (!mandate || !company) throw AppError.notFound();
      policies.authorize(actor, "revoke", "Mandate", { mandate, company }, context());
      const revoked = await revokeMandate(deps, mandate, company, actor, actorFrom(req, actor));
      const permissions = policies.permissionsFor(
        actor,
        "Mandate",
        MANDATE_ACTIONS,
        { mandate: revoked, company },
        context(),
      );
      res.json(presentMandate(revoked, mandate.prescriber as User, context().today, permissions));
    },
  });

  api.route<Record<string, never>, { token: string }>({
    method: "post",
    path: "/companies/claim",
    summary: "Le dirigeant invité par son prescripteur devient titulaire de l'entreprise (lien reçu par e-mail)",
    tags: TAGS,
    access: "dirigeant (applicant) connecté",
    body: Joi.object({ token: Joi.string().trim().max(200).required() }),
    responses: { 200: { description: "Entreprise revendiquée", schema: companySchema } },
    handler: async ({ body }, req, res) => {
      const actor = currentUser(req);
      if (actor.role !== "applicant")
        throw new AppError("forbidden", 403, { detailKey: "companies.claim-needs-applicant" });
      const company = await claimCompany(deps, body.token, actor, actorFrom(req, actor));
      const record = await loadCompanyRecord(company.id);
      res.json(presentCompany(record.company, companyPermissions(actor, record)));
    },
  });
}
