import Joi from "joi";
import { Op, type WhereOptions } from "sequelize";
import { AuditEvent } from "../../models/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { requireRole } from "../auth/guards.js";
import { pageWindow, paginationSchema, type Pagination } from "../validation.js";

const auditEventSchema = Joi.object({
  id: Joi.string().required(),
  position: Joi.string().required(),
  occurredAt: Joi.string().isoDate().required(),
  actorId: Joi.string().guid().allow(null).required(),
  actorRole: Joi.string().allow(null).required(),
  action: Joi.string().required(),
  entityType: Joi.string().required(),
  entityId: Joi.string().allow(null).required(),
  before: Joi.object().allow(null).required(),
  after: Joi.object().allow(null).required(),
  ip: Joi.string().allow(null).required(),
  requestId: Joi.string().allow(null).required(),
  hash: Joi.string().required(),
}).label("AuditEvent");

interface AuditQuery extends Pagination {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export function registerAuditRoutes(api: ApiRouter): void {
  api.route<AuditQuery>({
    method: "get",
    path: "/audit",
    summary: "Journal d'audit chaîné, du plus récent au plus ancien (filtres : entité, acteur, action, période)",
    tags: ["Audit"],
    access: "administrateur",
    query: Joi.object({
      ...paginationSchema,
      entityType: Joi.string().trim().max(50),
      entityId: Joi.string().trim().max(100),
      actorId: Joi.string().guid(),
      action: Joi.string().trim().max(80),
      from: Joi.string().isoDate().description("Depuis (inclus), ISO 8601"),
      to: Joi.string().isoDate().description("Jusqu'à (exclu), ISO 8601"),
    }),
    responses: { 200: { description: "Événements", schema: listOf(auditEventSchema) } },
    handler: async ({ query }, req, res) => {
      requireRole(req, "admin");
      const where: WhereOptions<AuditEvent> = {};
      if (query.entityType) Object.assign(where, { entityType: query.entityType });
      if (query.entityId) Object.assign(where, { entityId: query.entityId });
      if (query.actorId) Object.assign(where, { actorId: query.actorId });
      if (query.action) Object.assign(where, { action: query.action });
      if (query.from || query.to) {
        Object.assign(where, {
          occurredAt: {
            ...(query.from ? { [Op.gte]: new Date(query.from) } : {}),
            ...(query.to ? { [Op.lt]: new Date(query.to) } : {}),
          },
        });
      }
      const { rows, count } = await AuditEvent.findAndCountAll({
        where,
        order: [["position", "DESC"]],
        ...pageWindow(query),
      });
      res.json({
        items: rows.map((event) => ({
          id: String(event.id),
          position: String(event.position),
          occurredAt: event.occurredAt.toISOString(),
          actorId: event.actorId,
          actorRole: event.actorRole,
          action: event.action,
          entityType: event.entityType,
          entityId: event.entityId,
          before: event.before,
          after: event.after,
          ip: event.ip,
          requestId: event.requestId,
          hash: event.hash,
        })),
        total: count,
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  });
}
