import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import Joi from "joi";
import { actorFrom } from "../../commands/actor.js";
import {
  acceptedDocumentType,
  assertAcceptsDocuments,
  attachDocument,
  auditApplicationRead,
  createApplication,
  removeDocument,
  submitApplication,
  updateApplication,
  withdrawApplication,
  type Acting,
  type ApplicationAnswers,
  type ApplicationDeps,
  type NewApplication,
} from "../../commands/applications.js";
import { LINE_CATEGORIES, VAT_RATES } from "../../domain/grant.js";
import { AppError } from "../../errors.js";
import { isLocale, type Locale } from "../../i18n/index.js";
import {
  Application,
  APPLICATION_DOCUMENT_TYPES,
  CLAIM_DOCUMENT_TYPES,
  ApplicationDocument,
  ApplicationStatusChange,
  ApplicationSubmission,
  Call,
  Company,
  User,
} from "../../models/index.js";
import { liveMandateOf, policies } from "../../policies/index.js";
import { StoredObjectMissingError } from "../../storage/documentStore.js";
import { contentDisposition } from "../../storage/uploadInspection.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { requireRole } from "../auth/guards.js";
import {
  applicationSchema,
  applicationSummarySchema,
  documentSchema,
  failedCriteria,
  historySchema,
  presentApplication,
  presentApplicationSummary,
  presentDocument,
} from "../presenters/applications.js";
import { receiptData, type ReceiptSnapshot } from "../presenters/receipt.js";
import { applicationFilters, applicationListQuery, type ApplicationListQuery } from "./applicationQueries.js";
import { applicationAccess, UUID } from "./applicationAccess.js";
import { loadCompanyRecord } from "./companies.js";
import { moneyField } from "../schemas.js";
import { inspectReceivedDocument, receiveSingleUpload } from "../uploads.js";
import { pageWindow, paginationSchema } from "../validation.js";

const TAGS = ["Dossiers"];
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

export const lineSchema = Joi.object({
  category: Joi.string()
    .valid(...LINE_CATEGORIES)
    .required(),
  label: Joi.string().trim().min(2).max(200).required(),
  supplierId: Joi.string().guid().allow(null).default(null),
  amountExclTax: moneyField().required(),
  // Joi.any(): a JSON number (0.2) gets the one message listing the rates, not a second one about types.
  vatRate: Joi.any()
    .valid(...VAT_RATES)
    .required()
    .messages({ "any.only": "key:field.vat-rate.invalid" }),
});

const answerFields = {
  sectorCode: Joi.string().trim().max(64),
  solutionIds: Joi.array().items(Joi.string().guid()).max(20).unique(),
  description: Joi.string().trim().allow("").max(4000),
  lines: Joi.array().items(lineSchema).max(50),
};

/** Unknown fields (status, amounts, reference…) are dropped, never applied: no mass assignment. */
const creationSchema = Joi.object({
  companyId: Joi.string().guid().required(),
  callId: Joi.string().guid().required(),
  sectorCode: answerFields.sectorCode.required(),
  solutionIds: answerFields.solutionIds.default([]),
  description: answerFields.description.default(""),
  lines: answerFields.lines.default([]),
}).options({ stripUnknown: true });

const updateSchema = Joi.object(answerFields).options({ stripUnknown: true });

const idParams = Joi.object({ id: Joi.string().required() });
const documentParams = Joi.object({ id: Joi.string().required(), docId: Joi.string().required() });

function requestedLocale(req: Request, query: { locale?: string }): Locale {
  return query.locale && isLocale(query.locale) ? query.locale : req.locale;
}

export function registerApplicationRoutes(api: ApiRouter, deps: ApplicationDeps): void {
  const { context, permissionsOf, authorize, answer } = applicationAccess(deps.clock);

  api.route<Record<string, never>, NewApplication>({
    method: "post",
    path: "/applications",
    summary:
      "Ouvre un dossier (brouillon) pour une entreprise dans un appel ; les montants et l'éligibilité sont calculés",
    tags: TAGS,
    access: "titulaire de l'entreprise, prescripteur mandaté",
    body: creationSchema,
    responses: {
      201: { description: "Brouillon créé", schema: applicationSchema },
      404: { description: "Entreprise inconnue ou sans lien avec l'utilisateur" },
    },
    handler: async ({ body }, req, res) => {
      const user = requireRole(req, "applicant", "prescriber");
      const companyRecord = await loadCompanyRecord(body.companyId);
      policies.authorize(user, "createApplication", "Company", companyRecord, context());
      const acting: Acting = {
        user,
        actor: actorFrom(req, user),
        mandate: liveMandateOf(user, companyRecord, context().today),
      };
      const id = await createApplication(deps, body, acting);
      await answer(req, res, id, 201);
    },
  });

  api.route<ApplicationListQuery>({
    method: "get",
    path: "/applications",
    summary:
      "Dossiers visibles : ceux de ses entreprises (dirigeant), de ses clients sous mandat (prescripteur), tous les dossiers déposés (chargé, admin)",
    tags: TAGS,
    access: "dirigeant, prescripteur, chargé de programme, administrateur",
    query: Joi.object({ ...paginationSchema, ...applicationFilters }),
    responses: { 200: { description: "Dossiers", schema: listOf(applicationSummarySchema) } },
    handler: async ({ query }, req, res) => {
      const user = requireRole(req, "applicant", "prescriber", "officer", "admin");
      const { where, companyWhere, order } = await applicationListQuery(user, query, deps.clock.now());
      const companyInclude = { model: Company, as: "company", where: companyWhere, required: true };
      // Every file has its company (foreign key): the count joins it only when a condition is on it.
      const countNeedsCompany = Reflect.ownKeys(companyWhere).length > 0 || query.q !== undefined;
      const [rows, count] = await Promise.all([
        Application.findAll({
          where,
          include: [companyInclude, { model: Call, as: "call" }],
          order,
          ...pageWindow(query),
        }),
        Application.count({ where, ...(countNeedsCompany ? { include: [companyInclude] } : {}) }),
      ]);
      res.json({
        items: rows.map((row) => presentApplicationSummary(row, deps.clock.now())),
        total: count,
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/applications/:id",
    summary:
      "Un dossier : réponses, montants calculés, éligibilité expliquée, pièces et ce que l'utilisateur peut faire",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté ; chargé de programme et administrateur une fois déposé",
    params: idParams,
    responses: { 200: { description: "Dossier", schema: applicationSchema } },
    handler: async ({ params }, req, res) => {
      const { acting, record } = await authorize(req, params.id, "read");
      await auditApplicationRead(deps, acting, "application.read");
      await answer(req, res, params.id, 200, record);
    },
  });

  api.route<Record<string, never>, Partial<ApplicationAnswers>, { id: string }>({
    method: "patch",
    path: "/applications/:id",
    summary:
      "Modifie les réponses d'un brouillon ou d'un dossier en attente de compléments (lines et solutionIds remplacent toute la liste)",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: idParams,
    body: updateSchema,
    responses: {
      200: { description: "Dossier modifié", schema: applicationSchema },
      409: { description: "Le statut du dossier ne permet plus de le modifier" },
    },
    handler: async ({ params, body }, req, res) => {
      const { acting } = await authorize(req, params.id, "update");
      await updateApplication(deps, params.id, body, acting);
      await answer(req, res, params.id);
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "post",
    path: "/applications/:id/documents",
    summary:
      "Ajoute une pièce (multipart : champ `type` puis champ `file`). PDF, PNG ou JPEG reconnus par leur contenu ; 10 Mo au plus",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: idParams,
    requestBody: {
      contentType: "multipart/form-data",
      schema: Joi.object({
        type: Joi.string()
          .valid(...APPLICATION_DOCUMENT_TYPES, ...CLAIM_DOCUMENT_TYPES)
          .description(
            "Pièces du dossier tant qu'il est modifiable ; factures, preuves de paiement et PV de réception une fois accordé",
          )
          .required(),
        file: Joi.binary().required(),
      }),
    },
    responses: {
      201: { description: "Pièce enregistrée", schema: documentSchema },
      413: { description: "Fichier trop volumineux" },
      422: { description: "Type de pièce, nom ou contenu refusé ; trop de pièces" },
    },
    handler: async ({ params }, req, res) => {
      const { acting } = await authorize(req, params.id, "uploadDocument");
      await assertAcceptsDocuments(params.id);
      const upload = await receiveSingleUpload(req, res, {
        maxFileBytes: deps.uploads.maxFileBytes,
        fieldName: "file",
        textFields: ["type"],
      });
      try {
        const type = await acceptedDocumentType(params.id, upload.fields.type);
        const inspected = await inspectReceivedDocument(upload);
        const document = await attachDocument(
          deps,
          params.id,
          {
            tempPath: upload.tempPath,
            originalName: inspected.fileName,
            size: inspected.size,
            type,
            mimeType: inspected.contentType,
            sha256: inspected.sha256,
          },
          acting,
        );
        res.status(201).json(presentDocument(document));
      } finally {
        await upload.discard();
      }
    },
  });

  api.route<Record<string, never>, undefined, { id: string; docId: string }>({
    method: "get",
    path: "/applications/:id/documents/:docId",
    summary: "Télécharge une pièce (toujours en pièce jointe, jamais affichée dans la page)",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté ; chargé de programme et administrateur une fois déposé",
    params: documentParams,
    responses: { 200: { description: "Le fichier", contentType: "application/octet-stream" } },
    handler: async ({ params }, req, res) => {
      const { acting } = await authorize(req, params.id, "downloadDocument");
      if (!UUID.test(params.docId)) throw AppError.notFound();
      const document = await ApplicationDocument.findOne({ where: { id: params.docId, applicationId: params.id } });
      if (!document) throw AppError.notFound();
      await auditApplicationRead(deps, acting, "document.downloaded");
      let stream: NodeJS.ReadableStream;
      try {
        stream = await deps.store.open(document.storageKey);
      } catch (error) {
        if (error instanceof StoredObjectMissingError) {
          throw new AppError("not-found", 404, { detailKey: "applications.document-missing" });
        }
        throw error;
      }
      res.set({
        "Content-Type": document.mimeType,
        "Content-Length": String(document.sizeBytes),
        "Content-Disposition": contentDisposition(document.originalName),
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
      });
      await pipeline(stream, res);
    },
  });

  api.route<Record<string, never>, undefined, { id: string; docId: string }>({
    method: "delete",
    path: "/applications/:id/documents/:docId",
    summary: "Retire une pièce d'un dossier encore modifiable",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: documentParams,
    responses: { 204: { description: "Pièce retirée" } },
    handler: async ({ params }, req, res) => {
      const { acting } = await authorize(req, params.id, "deleteDocument");
      if (!UUID.test(params.docId)) throw AppError.notFound();
      await removeDocument(deps, params.id, params.docId, acting);
      res.status(204).end();
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "post",
    path: "/applications/:id/submit",
    summary:
      "Dépose le dossier (en-tête Idempotency-Key obligatoire : la même clé rejoue la même réponse) ; 422 avec les critères non remplis",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: idParams,
    responses: {
      200: { description: "Dossier déposé, avec sa référence MS-AAAA-NNNNN", schema: applicationSchema },
      409: { description: "Le dossier n'est ni un brouillon ni en attente de compléments" },
      422: { description: "Dossier non éligible : un message par critère non rempli" },
    },
    handler: async ({ params }, req, res) => {
      // Who asks comes first: a stranger learns nothing about the file, not even about the header.
      const { user, record, acting } = await authorize(req, params.id, "submit");
      const idempotencyKey = req.get("Idempotency-Key") ?? "";
      if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw AppError.validation([{ path: "Idempotency-Key", key: "applications.idempotency-key-required" }]);
      }
      const locale = req.locale;
      const outcome = await submitApplication(deps, params.id, idempotencyKey, acting, {
        answer: async (loaded, assessment, transaction) =>
          presentApplication(
            loaded,
            assessment,
            locale,
            await permissionsOf(user, { ...record, application: loaded.application }, transaction),
            deps.clock.now(),
          ),
        failures: (loaded, assessment) => failedCriteria(assessment, loaded, locale),
        snapshot: async (loaded, assessment, submissionNumber, transaction) => ({
          ...(await receiptData(loaded, assessment, submissionNumber, user, deps.publicUrl, transaction)),
        }),
      });
      if (outcome.replayed) res.set("Idempotent-Replayed", "true");
      res.json(outcome.body);
    },
  });

  api.route<Record<string, never>, { comment: string | null }, { id: string }>({
    method: "post",
    path: "/applications/:id/withdraw",
    summary: "Retire le dossier (brouillon, déposé ou en attente de compléments)",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: idParams,
    body: Joi.object({ comment: Joi.string().trim().max(2000).allow(null, "").default(null) }).options({
      stripUnknown: true,
    }),
    responses: {
      200: { description: "Dossier retiré", schema: applicationSchema },
      409: { description: "Le statut du dossier ne permet plus de le retirer" },
    },
    handler: async ({ params, body }, req, res) => {
      const { acting } = await authorize(req, params.id, "withdraw");
      await withdrawApplication(deps, params.id, acting, body.comment || null);
      await answer(req, res, params.id);
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/applications/:id/history",
    summary: "Historique des changements de statut, du plus ancien au plus récent, avec les commentaires",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté ; chargé de programme et administrateur une fois déposé",
    params: idParams,
    responses: { 200: { description: "Historique", schema: historySchema } },
    handler: async ({ params }, req, res) => {
      const { acting } = await authorize(req, params.id, "readHistory");
      await auditApplicationRead(deps, acting, "application.history.read");
      const changes = await ApplicationStatusChange.findAll({
        where: { applicationId: params.id },
        include: [{ model: User, as: "actor", attributes: ["id", "fullName", "role"] }],
        order: [["position", "ASC"]],
      });
      res.json({
        items: changes.map((change) => ({
          id: change.id,
          fromStatus: change.fromStatus,
          toStatus: change.toStatus,
          comment: change.comment,
          actorName: change.actor?.fullName ?? null,
          actorRole: change.actor?.role ?? null,
          at: change.createdAt.toISOString(),
        })),
      });
    },
  });

  api.route<{ locale?: string }, undefined, { id: string }>({
    method: "get",
    path: "/applications/:id/receipt.pdf",
    summary: "Accusé de dépôt (PDF, fr ou ar) : copie du dossier tel que déposé, avec sa référence",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté, chargé de programme, administrateur",
    params: idParams,
    query: Joi.object({ locale: Joi.string().valid("fr", "ar") }),
    responses: {
      200: { description: "Le PDF", contentType: "application/pdf" },
      409: { description: "Le dossier n'a pas encore été déposé" },
    },
    handler: async ({ params, query }, req, res) => {
      const { acting } = await authorize(req, params.id, "downloadReceipt");
      const submission = await ApplicationSubmission.findOne({
        where: { applicationId: params.id },
        order: [["sequence", "DESC"]],
      });
      if (!submission) throw AppError.conflict("applications.not-submitted-yet");
      await auditApplicationRead(deps, acting, "application.receipt.read");
      const snapshot = submission.snapshot as unknown as ReceiptSnapshot;
      const locale = requestedLocale(req, query);
      // pdfkit and the fonts load with the first receipt, not with every web process.
      const { renderReceipt } = await import("../../pdf/receipt.js");
      const pdf = await renderReceipt({ ...snapshot, submittedAt: new Date(snapshot.submittedAt) }, locale);
      const reference = typeof snapshot.reference === "string" ? snapshot.reference : "dossier";
      res.set({
        "Content-Type": "application/pdf",
        "Content-Disposition": contentDisposition(`accuse-depot-${reference}-${locale}.pdf`),
        "Cache-Control": "private, no-store",
      });
      res.send(pdf);
    },
  });
}
