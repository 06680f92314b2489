import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import Joi from "joi";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { Op, type WhereOptions } from "sequelize";
import { actorFrom } from "../../commands/actor.js";
import { recordAudit } from "../../commands/auditRecorder.js";
import {
  certificatePdfName,
  requestCertificateBatch,
  revokeCertificate,
  verifyCertificateCode,
  type CertificateDeps,
} from "../../commands/certificates.js";
import { localDate } from "../../domain/calendar.js";
import { AppError } from "../../errors.js";
import { Certificate, CertificateJob, TrainingSession, type CertificateStatus, type User } from "../../models/index.js";
import { CERTIFICATE_ACTIONS, policies, type CertificateRecord, type PolicyContext } from "../../policies/index.js";
import { StoredObjectMissingError, type DocumentStore } from "../../storage/documentStore.js";
import { contentDisposition } from "../../storage/uploadInspection.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { currentUser } from "../auth/guards.js";
import { consumeOrRefuse } from "../auth/rateLimits.js";
import {
  certificateSchema,
  jobSchema,
  presentCertificate,
  presentJob,
  verificationCounts,
  verificationSchema,
} from "../presenters/training.js";
import { containsPattern, pageWindow, paginationSchema, type Pagination } from "../validation.js";
import { UUID } from "./applicationAccess.js";
import { loadSession } from "./training.js";

const TAGS = ["Permis Numérique : certificats et vérification"];
const idParams = Joi.object({ id: Joi.string().required() });

export interface CertificateRouteDeps extends CertificateDeps {
  store: DocumentStore;
  verificationsPerMinute: number;
}

interface CertificateQuery extends Pagination {
  sessionId?: string;
  status?: CertificateStatus;
  q?: string;
}

async function loadCertificateRecord(id: string): Promise<CertificateRecord> {
  if (!UUID.test(id)) throw AppError.notFound();
  const certificate = await Certificate.findByPk(id, { include: [{ association: "session" }] });
  if (!certificate?.session) throw AppError.notFound();
  return { certificate, session: certificate.session };
}

/**
 * Certificates: the trainer's batch with its progress, the holder's PDF and signed credential, the
 * administrator's revocation, and the public verification anyone can run.
 */
export function registerCertificateRoutes(api: ApiRouter, deps: CertificateRouteDeps): void {
  const context = (): PolicyContext => ({ today: localDate(deps.clock.now()) });
  // In memory, per instance: the busiest public endpoint costs no extra query (see README).
  const verificationLimiter = new RateLimiterMemory({
    keyPrefix: "verify-ip",
    points: deps.verificationsPerMinute,
    duration: 60,
  });

  const permissionsOf = (user: User, record: CertificateRecord) => {
    const all = policies.permissionsFor(user, "Certificate", CERTIFICATE_ACTIONS, record, context());
    return {
      download: all.download === true,
      revoke: all.revoke === true && record.certificate.status === "valid",
    };
  };
  // The reason may say something about the person: the holder and the administrators read it.
  const showsReason = (user: User, certificate: Certificate) =>
    user.role === "admin" || certificate.holderUserId === user.id;

  const answerCertificate = async (user: User, id: string) => {
    const record = await loadCertificateRecord(id);
    const counts = await verificationCounts([record.certificate.id]);
    return presentCertificate(
      record.certificate,
      deps.publicUrl,
      counts.get(record.certificate.id) ?? 0,
      permissionsOf(user, record),
      showsReason(user, record.certificate),
    );
  };

  const authorizeCertificate = async (req: Request, id: string, action: "read" | "download" | "revoke") => {
    const user = currentUser(req);
    const record = await loadCertificateRecord(id);
    policies.authorize(user, action, "Certificate", record, context());
    return { user, record };
  };

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "post",
    path: "/training/sessions/:id/certificates",
    summary:
      "Émet en arrière-plan un Permis Numérique par personne reçue qui n'a pas encore le sien ; suivez la progression sur /jobs/{id}",
    tags: TAGS,
    access: "le formateur de la session, administrateur",
    params: idParams,
    responses: {
      201: { description: "Émission lancée", schema: jobSchema },
      409: { description: "Une émission est déjà en cours pour cette session (`jobId` la désigne)" },
      422: { description: "Aucun certificat à émettre" },
    },
    handler: async ({ params }, req, res) => {
      const user = currentUser(req);
      const session = await loadSession(params.id);
      policies.authorize(user, "issueCertificates", "TrainingSession", session, context());
      const job = await requestCertificateBatch(deps, session.id, user, actorFrom(req, user));
      res.status(201).location(`/api/v1/jobs/${job.id}`).json(presentJob(job));
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/jobs/:id",
    summary: "Progression d'un travail en arrière-plan (émission de certificats)",
    tags: TAGS,
    access: "celui qui l'a lancé, le formateur de la session, administrateur",
    params: idParams,
    responses: { 200: { description: "Le travail", schema: jobSchema } },
    handler: async ({ params }, req, res) => {
      const user = currentUser(req);
      if (!UUID.test(params.id)) throw AppError.notFound();
      const job = await CertificateJob.findByPk(params.id);
      const session = job ? await TrainingSession.findByPk(job.sessionId) : null;
      if (!job || !session) throw AppError.notFound();
      policies.authorize(user, "read", "CertificateJob", { job, session }, context());
      res.set("Cache-Control", "no-store").json(presentJob(job));
    },
  });

  api.route<CertificateQuery>({
    method: "get",
    path: "/certificates",
    summary:
      "Permis Numériques : les siens ; ceux d'une session pour son formateur ; tous pour les chargés et l'administrateur",
    tags: TAGS,
    access: "titulaire (les siens), formateur (`sessionId` d'une de ses sessions), chargé de programme, administrateur",
    query: Joi.object({
      sessionId: Joi.string().guid(),
      status: Joi.string().valid("valid", "revoked"),
      q: Joi.string().trim().max(200),
      ...paginationSchema,
    }),
    responses: {
      200: { description: "Certificats, du plus récent au plus ancien", schema: listOf(certificateSchema) },
    },
    handler: async ({ query }, req, res) => {
      const user = currentUser(req);
      const where: WhereOptions<Certificate>[] = [];
      if (user.role === "trainer") {
        if (!query.sessionId) {
          throw AppError.validation([{ path: "sessionId", key: "field.any.required", params: { label: "sessionId" } }]);
        }
        const session = await loadSession(query.sessionId);
        policies.authorize(user, "manage", "TrainingSession", session, context());
      } else if (user.role === "applicant" || user.role === "prescriber") {
        where.push({ holderUserId: user.id });
      }
      if (query.sessionId) where.push({ sessionId: query.sessionId });
      if (query.status) where.push({ status: query.status });
      if (query.q) {
        const pattern = containsPattern(query.q);
        where.push({ [Op.or]: [{ number: { [Op.iLike]: pattern } }, { holderName: { [Op.iLike]: pattern } }] });
      }
      const { rows, count } = await Certificate.findAndCountAll({
        where: { [Op.and]: where },
        include: [{ association: "session" }],
        order: [
          ["issuedAt", "DESC"],
          ["number", "DESC"],
        ],
        ...pageWindow(query),
      });
      const counts = await verificationCounts(rows.map((certificate) => certificate.id));
      res.json({
        items: rows.map((certificate) => {
          const session = certificate.session;
          if (!session) throw new Error("certificate without session");
          return presentCertificate(
            certificate,
            deps.publicUrl,
            counts.get(certificate.id) ?? 0,
            permissionsOf(user, { certificate, session }),
            showsReason(user, certificate),
          );
        }),
        total: count,
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/certificates/:id",
    summary: "Un Permis Numérique",
    tags: TAGS,
    access: "titulaire, formateur de la session, chargé de programme, administrateur",
    params: idParams,
    responses: { 200: { description: "Le certificat", schema: certificateSchema } },
    handler: async ({ params }, req, res) => {
      const { user, record } = await authorizeCertificate(req, params.id, "read");
      res.json(await answerCertificate(user, record.certificate.id));
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/certificates/:id/pdf",
    summary: "Le PDF du Permis Numérique (bilingue, avec le code QR de vérification)",
    tags: TAGS,
    access: "titulaire, chargé de programme, administrateur",
    params: idParams,
    responses: {
      200: { description: "Le PDF", contentType: "application/pdf" },
      409: { description: "PDF en cours de production" },
    },
    handler: async ({ params }, req, res) => {
      const { user, record } = await authorizeCertificate(req, params.id, "download");
      const { certificate } = record;
      if (!certificate.pdfKey || certificate.pdfSize === null) throw AppError.conflict("certificates.pdf-pending");
      let stream: NodeJS.ReadableStream;
      try {
        stream = await deps.store.open(certificate.pdfKey);
      } catch (error) {
        if (error instanceof StoredObjectMissingError) throw AppError.notFound();
        throw error;
      }
      await deps.sequelize.transaction((transaction) =>
        recordAudit(transaction, actorFrom(req, user), {
          action: "certificate.downloaded",
          entityType: "certificate",
          entityId: certificate.id,
        }),
      );
      res.set({
        "Content-Type": "application/pdf",
        "Content-Length": String(certificate.pdfSize),
        "Content-Disposition": contentDisposition(certificatePdfName(certificate)),
        "Cache-Control": "private, no-store",
      });
      await pipeline(stream, res);
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/certificates/:id/credential",
    summary:
      "Attestation numérique Open Badges 3.0 signée (DataIntegrityProof eddsa-jcs-2022, clé publiée dans /.well-known/permis-numerique-keys.json)",
    tags: TAGS,
    access: "titulaire, chargé de programme, administrateur",
    params: idParams,
    responses: { 200: { description: "OpenBadgeCredential (JSON-LD)" } },
    handler: async ({ params }, req, res) => {
      const { record } = await authorizeCertificate(req, params.id, "download");
      const { certificate } = record;
      res
        .set({
          "Content-Disposition": contentDisposition(`permis-numerique-${certificate.number}.json`),
          "Cache-Control": "private, no-store",
        })
        .type("application/json")
        .send(JSON.stringify(certificate.credential, null, 2));
    },
  });

  api.route<Record<string, never>, { reason: string }, { id: string }>({
    method: "post",
    path: "/certificates/:id/revoke",
    summary: "Révoque un Permis Numérique, avec le motif ; la vérification publique l'indique aussitôt",
    tags: TAGS,
    access: "administrateur",
    params: idParams,
    body: Joi.object({ reason: Joi.string().trim().min(3).max(500).required() }),
    responses: {
      200: { description: "Certificat révoqué", schema: certificateSchema },
      409: { description: "Déjà révoqué" },
    },
    handler: async ({ params, body }, req, res) => {
      const { user, record } = await authorizeCertificate(req, params.id, "revoke");
      await revokeCertificate(deps, record.certificate.id, body.reason, user, actorFrom(req, user));
      res.json(await answerCertificate(user, record.certificate.id));
    },
  });

  api.route<Record<string, never>, undefined, { code: string }>({
    method: "get",
    path: "/verify/:code",
    summary:
      "Vérification publique d'un Permis Numérique par son code (celui du QR code) : valide ou révoqué, numéro, titulaire, date, formation",
    tags: TAGS,
    access: "tout le monde (limité par adresse IP)",
    params: Joi.object({ code: Joi.string().required() }),
    responses: {
      200: { description: "Le verdict", schema: verificationSchema },
      404: { description: "Aucun certificat ne porte ce code" },
      429: { description: "Trop de vérifications depuis cette adresse" },
    },
    handler: async ({ params }, req, res) => {
      await consumeOrRefuse(verificationLimiter, req.ip ?? "unknown");
      const certificate = await verifyCertificateCode(params.code);
      res.set("Cache-Control", "no-store").json({
        valid: certificate.status === "valid",
        status: certificate.status,
        number: certificate.number,
        holderName: certificate.holderName,
        issuedOn: certificate.issuedOn,
        courseTitle: certificate.courseTitle,
        revokedOn: certificate.revokedAt ? localDate(certificate.revokedAt) : null,
      });
    },
  });
}
