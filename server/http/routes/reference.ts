import Joi from "joi";
import { Op, type WhereOptions } from "sequelize";
import { localDate, type Clock } from "../../domain/calendar.js";
import { Call, CallRules, Envelope, Programme, Region, Sector, Solution, Supplier } from "../../models/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import {
  callSchema,
  presentCall,
  presentRegion,
  presentSector,
  presentSolution,
  presentSupplier,
  regionSchema,
  sectorSchema,
  solutionSchema,
  supplierSchema,
} from "../presenters/reference.js";
import type { ListPage } from "../types.js";
import { containsPattern, pageWindow } from "../validation.js";

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Reference lists are short; the whole list fits in one default page. */
const referencePagination = {
  page: Joi.number().integer().min(1).max(10_000).default(1),
  pageSize: Joi.number().integer().min(1).max(100).default(100),
};

interface PageQuery {
  page: number;
  pageSize: number;
}

function pageOf<T>(items: T[], total: number, query: PageQuery): ListPage<T> {
  return { items, total, page: query.page, pageSize: query.pageSize };
}

const PUBLIC = "tout le monde, sans connexion";

export function registerReferenceRoutes(api: ApiRouter, deps: { clock: Clock }): void {
  api.route<PageQuery & { sort: "code" | "name" }>({
    method: "get",
    path: "/regions",
    summary: "Les 12 régions du Maroc (découpage de 2015)",
    tags: ["Référentiels"],
    access: PUBLIC,
    query: Joi.object({ ...referencePagination, sort: Joi.string().valid("code", "name").default("code") }),
    responses: { 200: { description: "Régions", schema: listOf(regionSchema) } },
    handler: async ({ query }, _req, res) => {
      const { rows, count } = await Region.findAndCountAll({
        order: [[query.sort === "name" ? "nameFr" : "code", "ASC"]],
        ...pageWindow(query),
      });
      res.json(pageOf(rows.map(presentRegion), count, query));
    },
  });

  api.route<PageQuery & { sort: "code" | "name" }>({
    method: "get",
    path: "/sectors",
    summary: "Secteurs éligibles au programme",
    tags: ["Référentiels"],
    access: PUBLIC,
    query: Joi.object({ ...referencePagination, sort: Joi.string().valid("code", "name").default("name") }),
    responses: { 200: { description: "Secteurs actifs", schema: listOf(sectorSchema) } },
    handler: async ({ query }, _req, res) => {
      const { rows, count } = await Sector.findAndCountAll({
        where: { active: true },
        order: [[query.sort === "name" ? "nameFr" : "code", "ASC"]],
        ...pageWindow(query),
      });
      res.json(pageOf(rows.map(presentSector), count, query));
    },
  });

  api.route<PageQuery & { q?: string }>({
    method: "get",
    path: "/suppliers",
    summary: "Fournisseurs du catalogue",
    tags: ["Référentiels"],
    access: PUBLIC,
    query: Joi.object({ ...referencePagination, q: Joi.string().trim().max(100).description("Recherche par nom") }),
    responses: { 200: { description: "Fournisseurs actifs", schema: listOf(supplierSchema) } },
    handler: async ({ query }, _req, res) => {
      const where: WhereOptions<Supplier> = { active: true };
      if (query.q) Object.assign(where, { name: { [Op.iLike]: containsPattern(query.q) } });
      const { rows, count } = await Supplier.findAndCountAll({ where, order: [["name", "ASC"]], ...pageWindow(query) });
      res.json(pageOf(rows.map(presentSupplier), count, query));
    },
  });

  api.route<PageQuery & { sector?: string; supplierId?: string }>({
    method: "get",
    path: "/solutions",
    summary: "Catalogue des solutions métiers sectorielles",
    tags: ["Référentiels"],
    access: PUBLIC,
    query: Joi.object({
      ...referencePagination,
      sector: Joi.string().pattern(SLUG).max(64).description("Code du secteur, ex. textile-habillement"),
      supplierId: Joi.string().guid(),
    }),
    responses: { 200: { description: "Solutions actives", schema: listOf(solutionSchema) } },
    handler: async ({ query }, _req, res) => {
      const where: WhereOptions<Solution> = { active: true };
      if (query.sector) Object.assign(where, { sectorCode: query.sector });
      if (query.supplierId) Object.assign(where, { supplierId: query.supplierId });
      const { rows, count } = await Solution.findAndCountAll({
        where,
        include: [{ model: Supplier, as: "supplier" }],
        order: [
          ["sectorCode", "ASC"],
          ["nameFr", "ASC"],
        ],
        ...pageWindow(query),
      });
      res.json(pageOf(rows.map(presentSolution), count, query));
    },
  });

  api.route<PageQuery & { status?: "upcoming" | "open" | "closed"; programme?: string }>({
    method: "get",
    path: "/calls",
    summary: "Appels à candidatures, avec leurs règles et leur enveloppe budgétaire",
    tags: ["Référentiels"],
    access: PUBLIC,
    query: Joi.object({
      ...referencePagination,
      status: Joi.string().valid("upcoming", "open", "closed"),
      programme: Joi.string().pattern(SLUG).max(64).description("Code du programme"),
    }),
    responses: { 200: { description: "Appels, du plus récent au plus ancien", schema: listOf(callSchema) } },
    handler: async ({ query }, _req, res) => {
      const today = localDate(deps.clock.now());
      const where: WhereOptions<Call> = {};
      if (query.status === "upcoming") Object.assign(where, { opensOn: { [Op.gt]: today } });
      if (query.status === "closed") Object.assign(where, { closesOn: { [Op.lt]: today } });
      if (query.status === "open")
        Object.assign(where, { opensOn: { [Op.lte]: today }, closesOn: { [Op.gte]: today } });
      const { rows, count } = await Call.findAndCountAll({
        where,
        distinct: true,
        include: [
          { model: Programme, as: "programme", ...(query.programme ? { where: { code: query.programme } } : {}) },
          { model: CallRules, as: "rules", include: [{ model: Sector, as: "sectors", through: { attributes: [] } }] },
          { model: Envelope, as: "envelopes" },
        ],
        order: [
          ["opensOn", "DESC"],
          ["code", "ASC"],
        ],
        ...pageWindow(query),
      });
      res.json(
        pageOf(
          rows.map((call) => presentCall(call, today)),
          count,
          query,
        ),
      );
    },
  });
}
