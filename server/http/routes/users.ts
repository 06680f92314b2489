import Joi from "joi";
import { Op, type WhereOptions } from "sequelize";
import type { SecretBox } from "../../auth/secretBox.js";
import { actorFrom } from "../../commands/actor.js";
import {
  changeUserByAdmin,
  createStaffAccount,
  type AccountDeps,
  type StaffAccount,
  type UserChanges,
} from "../../commands/accounts.js";
import { AppError } from "../../errors.js";
import { ROLES, STAFF_ROLES, User, type Role } from "../../models/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { requireRole } from "../auth/guards.js";
import { presentUser, userSchema } from "../presenters/users.js";
import { emailField, fullNameField, localeField, phoneField } from "../schemas.js";
import { containsPattern, pageWindow, paginationSchema, type Pagination } from "../validation.js";

const TAGS = ["Administration des utilisateurs"];
const ADMIN = "administrateur";

interface UserListQuery extends Pagination {
  role?: Role;
  status?: "active" | "disabled" | "unverified";
  q?: string;
  sort: "createdAt" | "-createdAt" | "fullName" | "email";
}

export function registerUserRoutes(api: ApiRouter, deps: { accounts: AccountDeps; secretBox: SecretBox }): void {
  api.route<UserListQuery>({
    method: "get",
    path: "/users",
    summary: "Liste des utilisateurs (filtres : rôle, statut, recherche par nom ou e-mail)",
    tags: TAGS,
    access: ADMIN,
    query: Joi.object({
      ...paginationSchema,
      role: Joi.string().valid(...ROLES),
      status: Joi.string().valid("active", "disabled", "unverified"),
      q: Joi.string().trim().max(100),
      sort: Joi.string().valid("createdAt", "-createdAt", "fullName", "email").default("-createdAt"),
    }),
    responses: { 200: { description: "Utilisateurs", schema: listOf(userSchema) } },
    handler: async ({ query }, req, res) => {
      requireRole(req, "admin");
      const where: WhereOptions<User> = {};
      if (query.role) Object.assign(where, { role: query.role });
      if (query.status === "active") Object.assign(where, { disabledAt: null });
      if (query.status === "disabled") Object.assign(where, { disabledAt: { [Op.ne]: null } });
      if (query.status === "unverified") Object.assign(where, { emailVerifiedAt: null });
      if (query.q) {
        const pattern = containsPattern(query.q);
        Object.assign(where, { [Op.or]: [{ fullName: { [Op.iLike]: pattern } }, { email: { [Op.iLike]: pattern } }] });
      }
      const [column, direction] = query.sort.startsWith("-") ? [query.sort.slice(1), "DESC"] : [query.sort, "ASC"];
      const { rows, count } = await User.findAndCountAll({
        where,
        order: [
          [column, direction],
          ["id", "ASC"],
        ],
        ...pageWindow(query),
      });
      res.json({
        items: rows.map((user) => presentUser(user, deps.secretBox)),
        total: count,
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  });

  api.route<Record<string, never>, StaffAccount>({
    method: "post",
    path: "/users",
    summary: "Crée un chargé de programme, un formateur ou un administrateur (lien d'activation par e-mail)",
    tags: TAGS,
    access: ADMIN,
    body: Joi.object({
      email: emailField().required(),
      fullName: fullNameField().required(),
      role: Joi.string()
        .valid(...STAFF_ROLES)
        .required(),
      phone: phoneField().default(null),
      locale: localeField().default("fr"),
    }),
    responses: { 201: { description: "Utilisateur créé", schema: userSchema } },
    handler: async ({ body }, req, res) => {
      const admin = requireRole(req, "admin");
      const user = await createStaffAccount(deps.accounts, body, actorFrom(req, admin));
      res.status(201).json(presentUser(user, deps.secretBox));
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/users/:id",
    summary: "Un utilisateur",
    tags: TAGS,
    access: ADMIN,
    params: Joi.object({ id: Joi.string().guid().required() }),
    responses: { 200: { description: "Utilisateur", schema: userSchema } },
    handler: async ({ params }, req, res) => {
      requireRole(req, "admin");
      const user = await User.findByPk(params.id);
      if (!user) throw AppError.notFound();
      res.json(presentUser(user, deps.secretBox));
    },
  });

  api.route<Record<string, never>, UserChanges, { id: string }>({
    method: "patch",
    path: "/users/:id",
    summary: "Change le rôle (entre rôles du personnel) ou désactive / réactive un compte",
    tags: TAGS,
    access: ADMIN,
    params: Joi.object({ id: Joi.string().guid().required() }),
    body: Joi.object({
      role: Joi.string().valid(...STAFF_ROLES),
      disabled: Joi.boolean(),
    }).min(1),
    responses: { 200: { description: "Utilisateur modifié", schema: userSchema } },
    handler: async ({ params, body }, req, res) => {
      const admin = requireRole(req, "admin");
      const user = await changeUserByAdmin(deps.accounts, params.id, body, actorFrom(req, admin));
      res.json(presentUser(user, deps.secretBox));
    },
  });
}
