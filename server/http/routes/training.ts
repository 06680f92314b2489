import type { Request } from "express";
import Joi from "joi";
import { Op, type Includeable, type WhereOptions } from "sequelize";
import { actorFrom } from "../../commands/actor.js";
import {
  cancelEnrolment,
  createSession,
  enrol,
  recordResult,
  updateSession,
  type SessionChanges,
  type TrainingDeps,
} from "../../commands/training.js";
import { localDate } from "../../domain/calendar.js";
import { AppError } from "../../errors.js";
import { Enrolment, Mandate, TrainingSession, type EnrolmentStatus, type User } from "../../models/index.js";
import {
  ENROLMENT_ACTIONS,
  policies,
  SESSION_ACTIONS,
  type EnrolmentRecord,
  type PolicyContext,
} from "../../policies/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { currentUser, requireRole } from "../auth/guards.js";
import {
  enrolmentSchema,
  presentEnrolment,
  presentSession,
  sessionCounts,
  sessionSchema,
  waitlistPositions,
} from "../presenters/training.js";
import { dateField } from "../schemas.js";
import { pageWindow, paginationSchema, type Pagination } from "../validation.js";
import { UUID } from "./applicationAccess.js";

const TAGS = ["Permis Numérique : sessions et inscriptions"];
const idParams = Joi.object({ id: Joi.string().required() });

const sessionFields = {
  title: Joi.string().trim().min(3).max(200),
  description: Joi.string().trim().allow("").max(4000),
  city: Joi.string().trim().min(2).max(100),
  venue: Joi.string().trim().min(3).max(300).allow(null, "").empty("").default(null),
  onlineUrl: Joi.string()
    .trim()
    .uri({ scheme: ["https"] })
    .max(500)
    .allow(null, "")
    .empty("")
    .default(null),
  startsAt: Joi.date().iso(),
  endsAt: Joi.date().iso(),
  capacity: Joi.number().integer().min(1).max(1000),
  passMark: Joi.number().integer().min(0).max(100),
  trainerId: Joi.string().guid().allow(null),
};

interface SessionBody {
  title: string;
  description: string;
  city: string;
  venue: string | null;
  onlineUrl: string | null;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  passMark: number;
  trainerId: string | null;
}

interface SessionQuery extends Pagination {
  city?: string;
  from?: string;
  to?: string;
  mine?: boolean;
}

interface EnrolmentQuery extends Pagination {
  sessionId?: string;
  status?: EnrolmentStatus;
}

const STATUS_ORDER: Record<EnrolmentStatus, number> = {
  passed: 0,
  failed: 0,
  attended: 0,
  enrolled: 0,
  waitlisted: 1,
  cancelled: 2,
};

function signedInUser(req: Request): User | null {
  return (req.user as User | undefined) ?? null;
}

export async function loadSession(id: string): Promise<TrainingSession> {
  if (!UUID.test(id)) throw AppError.notFound();
  const session = await TrainingSession.findByPk(id, {
    include: [{ association: "trainer", attributes: ["fullName"] }],
  });
  if (!session) throw AppError.notFound();
  return session;
}

/** What an enrolment's answer shows: its session, company, who enrolled it, its certificate. */
const ENROLMENT_INCLUDES: Includeable[] = [
  { association: "session" },
  { association: "company", attributes: ["id", "name"] },
  { association: "enroller", attributes: ["id", "fullName", "role"] },
  { association: "certificate", attributes: ["id", "number", "status"] },
];

async function loadEnrolmentRecord(id: string): Promise<EnrolmentRecord & { enrolment: Enrolment }> {
  if (!UUID.test(id)) throw AppError.notFound();
  const enrolment = await Enrolment.findByPk(id, {
    include: ENROLMENT_INCLUDES,
  });
  if (!enrolment?.session) throw AppError.notFound();
  const mandates = enrolment.companyId
    ? await Mandate.findAll({ where: { companyId: enrolment.companyId, revokedAt: null } })
    : [];
  return { enrolment, session: enrolment.session, mandates };
}

/**
 * The course: sessions anyone can browse, enrolment by managers and their accountants, and the
 * trainer's attendance sheet. Each handler checks its policy on the record first.
 */
export function registerTrainingRoutes(api: ApiRouter, deps: TrainingDeps): void {
  const context = (): PolicyContext => ({ today: localDate(deps.clock.now()) });

  const sessionPermissions = (user: User | null, session: TrainingSession) => {
    if (!user) return Object.fromEntries(SESSION_ACTIONS.filter((a) => a !== "read").map((a) => [a, false]));
    const all = policies.permissionsFor(user, "TrainingSession", SESSION_ACTIONS, session, context());
    const open = session.status === "scheduled" && !session.hasStarted(deps.clock.now());
    return {
      update: all.update === true && session.status === "scheduled",
      enrol: all.enrol === true && open,
      manage: all.manage === true,
      issueCertificates: all.issueCertificates === true,
    };
  };

  const enrolmentPermissions = (user: User, record: EnrolmentRecord) => {
    const all = policies.permissionsFor(user, "Enrolment", ENROLMENT_ACTIONS, record, context());
    const started = record.session.hasStarted(deps.clock.now());
    const { status } = record.enrolment;
    return {
      cancel: all.cancel === true && !started && status !== "cancelled",
      recordResult:
        all.recordResult === true &&
        started &&
        status !== "waitlisted" &&
        status !== "cancelled" &&
        !record.enrolment.certificate,
    };
  };

  /** The signed-in applicant's own live enrolment in each session, for the "you are enrolled" badge. */
  const myEnrolments = async (user: User | null, sessionIds: string[]) => {
    const mine = new Map<string, { id: string; status: string; waitlistPosition: number | null }>();
    if (!user || user.role !== "applicant" || sessionIds.length === 0) return mine;
    const enrolments = await Enrolment.findAll({
      where: { sessionId: sessionIds, userId: user.id, status: { [Op.ne]: "cancelled" } },
    });
    const positions = await waitlistPositions(enrolments);
    for (const enrolment of enrolments) {
      mine.set(enrolment.sessionId, {
        id: enrolment.id,
        status: enrolment.status,
        waitlistPosition: positions.get(enrolment.id) ?? null,
      });
    }
    return mine;
  };

  const answerSession = async (req: Request, session: TrainingSession) => {
    const user = signedInUser(req);
    const [counts, mine] = await Promise.all([sessionCounts([session.id]), myEnrolments(user, [session.id])]);
    return presentSession(
      session,
      counts.get(session.id),
      deps.clock.now(),
      sessionPermissions(user, session),
      mine.get(session.id) ?? null,
    );
  };

  const answerEnrolment = async (user: User, id: string) => {
    const record = await loadEnrolmentRecord(id);
    const positions = await waitlistPositions([record.enrolment]);
    return presentEnrolment(
      record.enrolment,
      record.session,
      positions.get(record.enrolment.id) ?? null,
      enrolmentPermissions(user, record),
    );
  };

  api.route<SessionQuery>({
    method: "get",
    path: "/training/sessions",
    summary: "Sessions de la formation d'initiation (Permis Numérique), par ville et par date",
    tags: TAGS,
    access: "tout le monde ; `mine=true` : le formateur (ses sessions) et l'administrateur (toutes)",
    query: Joi.object({
      city: Joi.string().trim().max(100),
      from: dateField(),
      to: dateField(),
      mine: Joi.boolean(),
      ...paginationSchema,
    }),
    responses: {
      200: { description: "Sessions, de la plus proche à la plus lointaine", schema: listOf(sessionSchema) },
    },
    handler: async ({ query }, req, res) => {
      const user = signedInUser(req);
      const conditions: WhereOptions[] = [];
      if (query.mine) {
        if (!user) throw new AppError("unauthenticated", 401);
        if (user.role !== "trainer" && user.role !== "admin") throw new AppError("forbidden", 403);
        if (user.role === "trainer") conditions.push({ trainerId: user.id });
      } else {
        conditions.push({ status: "scheduled" });
      }
      const from = query.from ?? (query.mine ? undefined : localDate(deps.clock.now()));
      const sequelize = TrainingSession.sequelize;
      if (!sequelize) throw new Error("models are not initialised");
      if (from) {
        conditions.push(
          sequelize.where(sequelize.literal(`(ends_at AT TIME ZONE 'Africa/Casablanca')::date`), {
            [Op.gte]: from,
          }),
        );
      }
      if (query.to) {
        conditions.push(
          sequelize.where(sequelize.literal(`(starts_at AT TIME ZONE 'Africa/Casablanca')::date`), {
            [Op.lte]: query.to,
          }),
        );
      }
      if (query.city) {
        conditions.push(sequelize.where(sequelize.fn("lower", sequelize.col("city")), query.city.toLowerCase()));
      }
      const { rows, count } = await TrainingSession.findAndCountAll({
        where: { [Op.and]: conditions },
        include: [{ association: "trainer", attributes: ["fullName"] }],
        order: [
          ["startsAt", "ASC"],
          ["id", "ASC"],
        ],
        ...pageWindow(query),
      });
      const ids = rows.map((session) => session.id);
      const [counts, mine] = await Promise.all([sessionCounts(ids), myEnrolments(user, ids)]);
      const now = deps.clock.now();
      res.json({
        items: rows.map((session) =>
          presentSession(
            session,
            counts.get(session.id),
            now,
            sessionPermissions(user, session),
            mine.get(session.id) ?? null,
          ),
        ),
        total: count,
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/training/sessions/:id",
    summary: "Une session : lieu, dates, places restantes, liste d'attente",
    tags: TAGS,
    access: "tout le monde",
    params: idParams,
    responses: { 200: { description: "La session", schema: sessionSchema } },
    handler: async ({ params }, req, res) => {
      const session = await loadSession(params.id);
      const user = signedInUser(req);
      // A cancelled session is only shown to those who run it.
      if (
        session.status === "cancelled" &&
        !(user && policies.can(user, "manage", "TrainingSession", session, context()))
      ) {
        throw AppError.notFound();
      }
      res.json(await answerSession(req, session));
    },
  });

  api.route<Record<string, never>, SessionBody>({
    method: "post",
    path: "/training/sessions",
    summary: "Crée une session (le formateur pour lui-même ; l'administrateur désigne le formateur)",
    tags: TAGS,
    access: "formateur, administrateur",
    body: Joi.object({
      ...sessionFields,
      title: sessionFields.title.required(),
      description: sessionFields.description.default(""),
      city: sessionFields.city.required(),
      startsAt: sessionFields.startsAt.required(),
      endsAt: sessionFields.endsAt.required(),
      capacity: sessionFields.capacity.required(),
      passMark: sessionFields.passMark.default(70),
      trainerId: sessionFields.trainerId.default(null),
    }),
    responses: { 201: { description: "Session créée", schema: sessionSchema } },
    handler: async ({ body }, req, res) => {
      const user = requireRole(req, "trainer", "admin");
      const session = await createSession(deps, body, user, actorFrom(req, user));
      res.status(201).json(await answerSession(req, await loadSession(session.id)));
    },
  });

  api.route<Record<string, never>, SessionChanges, { id: string }>({
    method: "patch",
    path: "/training/sessions/:id",
    summary:
      "Modifie une session ; une capacité plus grande inscrit la liste d'attente dans l'ordre, une fois commencée seule la description change",
    tags: TAGS,
    access: "le formateur de la session, administrateur",
    params: idParams,
    body: Joi.object({
      ...sessionFields,
      venue: Joi.string().trim().min(3).max(300).allow(null, ""),
      onlineUrl: Joi.string()
        .trim()
        .uri({ scheme: ["https"] })
        .max(500)
        .allow(null, ""),
    }).min(1),
    responses: { 200: { description: "Session modifiée", schema: sessionSchema } },
    handler: async ({ params, body }, req, res) => {
      const user = currentUser(req);
      const session = await loadSession(params.id);
      policies.authorize(user, "update", "TrainingSession", session, context());
      // A cleared field ("") removes the venue or the link.
      const changes: SessionChanges = {
        ...body,
        ...(body.venue === "" ? { venue: null } : {}),
        ...(body.onlineUrl === "" ? { onlineUrl: null } : {}),
      };
      await updateSession(deps, session.id, changes, user, actorFrom(req, user));
      res.json(await answerSession(req, await loadSession(session.id)));
    },
  });

  api.route<Record<string, never>, { companyId: string | null }, { id: string }>({
    method: "post",
    path: "/training/sessions/:id/enrolments",
    summary:
      "Inscrit un dirigeant (lui-même, ou le dirigeant d'une entreprise cliente par son prescripteur) ; session complète → liste d'attente",
    tags: TAGS,
    access: "dirigeant (pour lui-même), prescripteur (pour le dirigeant d'une entreprise mandante)",
    params: idParams,
    body: Joi.object({ companyId: Joi.string().guid().allow(null).default(null) }),
    responses: {
      201: { description: "Inscrit (`enrolled`) ou en liste d'attente (`waitlisted`)", schema: enrolmentSchema },
      409: { description: "Déjà inscrit, ou session commencée ou annulée" },
    },
    handler: async ({ params, body }, req, res) => {
      const user = currentUser(req);
      const session = await loadSession(params.id);
      policies.authorize(user, "enrol", "TrainingSession", session, context());
      const enrolment = await enrol(deps, session.id, body, user, actorFrom(req, user));
      res.status(201).json(await answerEnrolment(user, enrolment.id));
    },
  });

  api.route<EnrolmentQuery>({
    method: "get",
    path: "/training/enrolments",
    summary: "Inscriptions : les siennes ; celles d'une session pour son formateur et l'administrateur",
    tags: TAGS,
    access: "chacun les siennes ; formateur (ses sessions) et administrateur avec `sessionId`",
    query: Joi.object({
      sessionId: Joi.string().guid(),
      status: Joi.string().valid("enrolled", "waitlisted", "cancelled", "attended", "passed", "failed"),
      ...paginationSchema,
    }),
    responses: { 200: { description: "Inscriptions", schema: listOf(enrolmentSchema) } },
    handler: async ({ query }, req, res) => {
      const user = currentUser(req);
      const where: WhereOptions<Enrolment>[] = [];
      if (user.role === "trainer" || user.role === "admin") {
        if (!query.sessionId) {
          throw AppError.validation([{ path: "sessionId", key: "field.any.required", params: { label: "sessionId" } }]);
        }
        const session = await loadSession(query.sessionId);
        policies.authorize(user, "manage", "TrainingSession", session, context());
        where.push({ sessionId: session.id });
      } else if (user.role === "applicant" || user.role === "prescriber") {
        // A prescriber sees the enrolments it made only for the companies it still acts for.
        const madeByUser =
          user.role === "prescriber"
            ? { enrolledBy: user.id, companyId: await Mandate.liveCompanyIdsOf(user.id, context().today) }
            : { enrolledBy: user.id };
        where.push({ [Op.or]: [{ userId: user.id }, madeByUser] });
        if (query.sessionId) where.push({ sessionId: query.sessionId });
      } else {
        throw new AppError("forbidden", 403);
      }
      if (query.status) where.push({ status: query.status });
      const enrolments = await Enrolment.findAll({
        where: { [Op.and]: where },
        include: ENROLMENT_INCLUDES,
      });
      // Seated people by name, then the waiting list in its order, then cancellations.
      enrolments.sort(
        (a, b) =>
          STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
          (a.status === "waitlisted"
            ? Number(a.position) - Number(b.position)
            : a.holderName.localeCompare(b.holderName, "fr")) ||
          a.id.localeCompare(b.id),
      );
      const { limit, offset } = pageWindow(query);
      const page = enrolments.slice(offset, offset + limit);
      const positions = await waitlistPositions(page);
      const companyIds = [...new Set(page.flatMap((enrolment) => (enrolment.companyId ? [enrolment.companyId] : [])))];
      const mandates =
        companyIds.length > 0 ? await Mandate.findAll({ where: { companyId: companyIds, revokedAt: null } }) : [];
      res.json({
        items: page.map((enrolment) => {
          const session = enrolment.session;
          if (!session) throw new Error("enrolment without session");
          return presentEnrolment(
            enrolment,
            session,
            positions.get(enrolment.id) ?? null,
            enrolmentPermissions(user, {
              enrolment,
              session,
              mandates: mandates.filter((mandate) => mandate.companyId === enrolment.companyId),
            }),
          );
        }),
        total: enrolments.length,
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "delete",
    path: "/training/enrolments/:id",
    summary: "Annule une inscription avant le début de la session ; la première personne en attente prend la place",
    tags: TAGS,
    access: "la personne inscrite, celui qui l'a inscrite, administrateur",
    params: idParams,
    responses: {
      200: { description: "Inscription annulée", schema: enrolmentSchema },
      409: { description: "Déjà annulée, ou session commencée" },
    },
    handler: async ({ params }, req, res) => {
      const user = currentUser(req);
      const record = await loadEnrolmentRecord(params.id);
      policies.authorize(user, "cancel", "Enrolment", record, context());
      await cancelEnrolment(deps, record.enrolment.id, actorFrom(req, user));
      res.json(await answerEnrolment(user, record.enrolment.id));
    },
  });

  api.route<Record<string, never>, { attended: boolean; score: number | null }, { id: string }>({
    method: "post",
    path: "/training/enrolments/:id/result",
    summary: "Saisit la présence et la note (0–100 %) ; reçu = présent et note ≥ seuil de la session (70 % par défaut)",
    tags: TAGS,
    access: "le formateur de la session, administrateur",
    params: idParams,
    body: Joi.object({
      attended: Joi.boolean().required(),
      score: Joi.number().integer().min(0).max(100).allow(null).default(null),
    }),
    responses: {
      200: { description: "Inscription avec son résultat", schema: enrolmentSchema },
      409: { description: "Session pas encore commencée, personne sans place, ou Permis déjà émis" },
    },
    handler: async ({ params, body }, req, res) => {
      const user = currentUser(req);
      const record = await loadEnrolmentRecord(params.id);
      policies.authorize(user, "recordResult", "Enrolment", record, context());
      await recordResult(deps, record.enrolment.id, body, user, actorFrom(req, user));
      res.json(await answerEnrolment(user, record.enrolment.id));
    },
  });
}
