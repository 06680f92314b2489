import type { Request } from "express";
import Joi from "joi";
import { actorFrom } from "../../commands/actor.js";
import { budgetLine as presentBudgetLine, callBudgetOf } from "../../commands/budget.js";
import {
  claimOf,
  closeApplication,
  payClaim,
  submitClaim,
  verifyClaim,
  type InvoiceInput,
  type InvoiceVerdictInput,
} from "../../commands/claims.js";
import {
  approveApplication,
  cancelApplication,
  declareConflict,
  examineApplication,
  rejectApplication,
  requestInformation,
  setDocumentVerdict,
  startReview,
  type Approval,
  type Examination,
  type ReviewDeps,
} from "../../commands/review.js";
import { AppError } from "../../errors.js";
import { Call, Claim, Company, ConflictOfInterest, type DocumentVerdict } from "../../models/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { currentUser, requireRole } from "../auth/guards.js";
import { applicationSchema, presentDocument } from "../presenters/applications.js";
import { dateField, moneyField } from "../schemas.js";
import { applicationAccess, UUID } from "./applicationAccess.js";

const TAGS = ["Instruction, budget et versements"];
const idParams = Joi.object({ id: Joi.string().required() });
const comment = (max = 4000) => Joi.string().trim().max(max);
const money = () => Joi.string().pattern(/^\d+\.\d{2}$/);

const budgetLine = {
  envelope: money().required(),
  committed: money().required(),
  paid: money().required(),
  available: money().required(),
};
const budgetSchema = Joi.object({
  callId: Joi.string().guid().required(),
  ...budgetLine,
  bySector: Joi.array()
    .items(Joi.object({ sectorCode: Joi.string(), ...budgetLine }))
    .required(),
}).label("CallBudget");

const claimSchema = Joi.object({
  id: Joi.string().guid(),
  applicationId: Joi.string().guid(),
  status: Joi.string().valid("submitted", "verified", "paid"),
  submittedAt: Joi.string().isoDate(),
  verifiedAmount: money().allow(null),
  paymentAmount: money().allow(null),
  paymentReference: Joi.string().allow(null),
  paidAt: Joi.string().isoDate().allow(null),
  invoices: Joi.array().items(
    Joi.object({
      id: Joi.string().guid(),
      documentId: Joi.string().guid(),
      invoiceNumber: Joi.string(),
      supplierName: Joi.string(),
      invoiceDate: Joi.string().isoDate(),
      amountExclTax: money(),
      verdict: Joi.string().valid("pending", "accepted", "rejected"),
      verifiedAmount: money().allow(null),
      verdictReason: Joi.string().allow(null),
    }),
  ),
}).label("Claim");

function presentClaim(claim: Claim) {
  return {
    id: claim.id,
    applicationId: claim.applicationId,
    status: claim.status,
    submittedAt: claim.submittedAt.toISOString(),
    verifiedAmount: claim.verifiedAmount,
    paymentAmount: claim.paymentAmount,
    paymentReference: claim.paymentReference,
    paidAt: claim.paidAt?.toISOString() ?? null,
    invoices: (claim.invoices ?? []).map((invoice) => ({
      id: invoice.id,
      documentId: invoice.documentId,
      invoiceNumber: invoice.invoiceNumber,
      supplierName: invoice.supplierName,
      invoiceDate: invoice.invoiceDate,
      amountExclTax: invoice.amountExclTax,
      verdict: invoice.verdict,
      verifiedAmount: invoice.verifiedAmount,
      verdictReason: invoice.verdictReason,
    })),
  };
}

/**
 * The officers' routes: transitions of the status machine, the document checklist, declared
 * conflicts, the budget of a call and claims. Each checks its policy on the record first.
 */
export function registerReviewRoutes(api: ApiRouter, deps: ReviewDeps): void {
  const { authorize, answer } = applicationAccess(deps.clock);

  const transition = <B>(spec: {
    path: string;
    summary: string;
    access: string;
    body?: Joi.Schema<B>;
    action: Parameters<typeof authorize>[2];
    run: (id: string, body: B, acting: Awaited<ReturnType<typeof authorize>>["acting"]) => Promise<unknown>;
  }) =>
    api.route<Record<string, never>, B, { id: string }>({
      method: "post",
      path: `/applications/:id/${spec.path}`,
      summary: spec.summary,
      tags: TAGS,
      access: spec.access,
      params: idParams,
      ...(spec.body ? { body: spec.body } : {}),
      responses: {
        200: { description: "Dossier après la transition", schema: applicationSchema },
        403: { description: "Action réservée (quatre yeux, conflit d'intérêts, rôle)" },
        409: { description: "Transition impossible depuis le statut actuel, ou budget insuffisant" },
      },
      handler: async ({ params, body }, req, res) => {
        const { acting } = await authorize(req, params.id, spec.action);
        await spec.run(params.id, body, acting);
        await answer(req, res, params.id);
      },
    });

  transition({
    path: "start-review",
    summary: "Prend en charge un dossier déposé (déposé → en instruction)",
    access: "chargé de programme sans conflit d'intérêts",
    action: "startReview",
    run: (id, _body, acting) => startReview(deps, id, acting),
  });

  transition<{ message: string }>({
    path: "request-info",
    summary: "Demande des compléments ; le message est envoyé par e-mail au dirigeant et au prescripteur",
    access: "chargé de programme sans conflit d'intérêts",
    body: Joi.object({ message: comment().min(5).required() }),
    action: "requestInfo",
    run: (id, body, acting) => requestInformation(deps, id, body.message, acting),
  });

  transition<Examination>({
    path: "examine",
    summary:
      "Examine le dossier : propose d'accorder (montant ≤ subvention calculée) ou de refuser, avec un commentaire",
    access: "chargé de programme sans conflit d'intérêts",
    body: Joi.object({
      proposal: Joi.string().valid("approve", "reject").required(),
      amount: moneyField().allow(null).default(null),
      comment: comment().min(3).required(),
    }),
    action: "examine",
    run: (id, body, acting) => examineApplication(deps, id, body, acting),
  });

  transition<Approval>({
    path: "approve",
    summary:
      "Accorde la subvention (second chargé, jamais l'examinateur) : le montant est engagé sur les enveloppes de l'appel et du secteur",
    access: "un second chargé de programme, sans conflit d'intérêts",
    body: Joi.object({
      amount: moneyField().allow(null).default(null),
      comment: comment().allow(null, "").default(null),
    }),
    action: "approve",
    run: (id, body, acting) => approveApplication(deps, id, { ...body, comment: body.comment || null }, acting),
  });

  transition<{ reason: string }>({
    path: "reject",
    summary: "Refuse le dossier (second chargé, jamais l'examinateur) ; le motif est envoyé à l'entreprise",
    access: "un second chargé de programme, sans conflit d'intérêts",
    body: Joi.object({ reason: comment().min(5).required() }),
    action: "reject",
    run: (id, body, acting) => rejectApplication(deps, id, body.reason, acting),
  });

  transition<{ reason: string }>({
    path: "cancel",
    summary: "Annule une subvention accordée et rend le montant engagé aux enveloppes",
    access: "administrateur",
    body: Joi.object({ reason: comment().min(5).required() }),
    action: "cancel",
    run: (id, body, acting) => cancelApplication(deps, id, body.reason, acting),
  });

  transition({
    path: "close",
    summary: "Clôture un dossier versé ; le reliquat engagé et non versé est libéré",
    access: "chargé de programme sans conflit d'intérêts",
    action: "close",
    run: (id, _body, acting) => closeApplication(deps, id, acting),
  });

  api.route<
    Record<string, never>,
    { verdict: Exclude<DocumentVerdict, "pending">; reason: string | null },
    { id: string; docId: string }
  >({
    method: "post",
    path: "/applications/:id/documents/:docId/verdict",
    summary: "Liste de contrôle : accepte une pièce, ou la rejette avec un motif",
    tags: TAGS,
    access: "chargé de programme sans conflit d'intérêts",
    params: Joi.object({ id: Joi.string().required(), docId: Joi.string().required() }),
    body: Joi.object({
      verdict: Joi.string().valid("accepted", "rejected").required(),
      reason: comment(1000).allow(null, "").default(null),
    }),
    responses: { 200: { description: "Pièce avec son verdict" } },
    handler: async ({ params, body }, req, res) => {
      const { acting } = await authorize(req, params.id, "verifyDocument");
      if (!UUID.test(params.docId)) throw AppError.notFound();
      const document = await setDocumentVerdict(
        deps,
        params.id,
        params.docId,
        { verdict: body.verdict, reason: body.reason || null },
        acting,
      );
      res.json(presentDocument(document));
    },
  });

  api.route<Record<string, never>, { invoices: InvoiceInput[] }, { id: string }>({
    method: "post",
    path: "/applications/:id/claims",
    summary:
      "Demande de versement : les factures (montants HT) déjà jointes au dossier, avec au moins une preuve de paiement et le PV de réception",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté",
    params: idParams,
    body: Joi.object({
      invoices: Joi.array()
        .items(
          Joi.object({
            documentId: Joi.string().guid().required(),
            invoiceNumber: Joi.string().trim().min(1).max(60).required(),
            supplierName: Joi.string().trim().min(2).max(200).required(),
            invoiceDate: dateField().required(),
            amountExclTax: moneyField().required(),
          }),
        )
        .min(1)
        .max(50)
        .unique("documentId")
        .required(),
    }),
    responses: { 201: { description: "Demande déposée", schema: claimSchema } },
    handler: async ({ params, body }, req, res) => {
      const { acting } = await authorize(req, params.id, "submitClaim");
      const claim = await submitClaim(deps, params.id, body.invoices, acting);
      const loaded = await claimOf(claim.applicationId);
      res.status(201).json(presentClaim(loaded ?? claim));
    },
  });

  api.route<Record<string, never>, undefined, { id: string }>({
    method: "get",
    path: "/applications/:id/claim",
    summary: "La demande de versement du dossier, avec ses factures et leurs vérifications",
    tags: TAGS,
    access: "titulaire, prescripteur mandaté, chargé de programme, administrateur",
    params: idParams,
    responses: { 200: { description: "Demande de versement", schema: claimSchema } },
    handler: async ({ params }, req, res) => {
      await authorize(req, params.id, "read");
      const claim = await claimOf(params.id);
      if (!claim) throw AppError.notFound();
      res.json(presentClaim(claim));
    },
  });

  // Who asks comes first: a caller without a session learns nothing, not even whether the claim exists.
  const claimApplicationId = async (req: Request, claimId: string): Promise<string> => {
    currentUser(req);
    if (!UUID.test(claimId)) throw AppError.notFound();
    const claim = await Claim.findByPk(claimId, { attributes: ["id", "applicationId"] });
    if (!claim) throw AppError.notFound();
    return claim.applicationId;
  };

  api.route<Record<string, never>, { invoices: InvoiceVerdictInput[] }, { id: string }>({
    method: "post",
    path: "/claims/:id/verify",
    summary: "Vérifie chaque facture : acceptée (montant retenu ≤ montant HT) ou rejetée avec un motif",
    tags: TAGS,
    access: "chargé de programme sans conflit d'intérêts",
    params: idParams,
    body: Joi.object({
      invoices: Joi.array()
        .items(
          Joi.object({
            id: Joi.string().guid().required(),
            verdict: Joi.string().valid("accepted", "rejected").required(),
            verifiedAmount: moneyField().allow(null).default(null),
            reason: comment(1000).allow(null, "").default(null),
          }),
        )
        .min(1)
        .unique("id")
        .required(),
    }),
    responses: { 200: { description: "Demande vérifiée", schema: claimSchema } },
    handler: async ({ params, body }, req, res) => {
      const { acting } = await authorize(req, await claimApplicationId(req, params.id), "verifyClaim");
      const invoices = body.invoices.map((invoice) => ({ ...invoice, reason: invoice.reason || null }));
      const claim = await verifyClaim(deps, params.id, invoices, acting);
      res.json(presentClaim((await claimOf(claim.applicationId)) ?? claim));
    },
  });

  api.route<Record<string, never>, { paymentReference: string }, { id: string }>({
    method: "post",
    path: "/claims/:id/pay",
    summary: "Verse : min(montant engagé, taux × factures vérifiées), inscrit au registre budgétaire",
    tags: TAGS,
    access: "chargé de programme sans conflit d'intérêts",
    params: idParams,
    body: Joi.object({ paymentReference: Joi.string().trim().min(3).max(60).required() }),
    responses: { 200: { description: "Demande payée", schema: claimSchema } },
    handler: async ({ params, body }, req, res) => {
      const { acting } = await authorize(req, await claimApplicationId(req, params.id), "payClaim");
      const claim = await payClaim(deps, params.id, body.paymentReference, acting);
      res.json(presentClaim((await claimOf(claim.applicationId)) ?? claim));
    },
  });

  api.route<{ locale?: string }, undefined, { id: string }>({
    method: "get",
    path: "/calls/:id/budget",
    summary: "Budget d'un appel : enveloppe, engagé, versé, disponible, en tout et par secteur",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    params: idParams,
    responses: { 200: { description: "Budget", schema: budgetSchema } },
    handler: async ({ params }, req, res) => {
      requireRole(req, "officer", "admin");
      if (!UUID.test(params.id)) throw AppError.notFound();
      const call = await Call.findByPk(params.id, { attributes: ["id"] });
      if (!call) throw AppError.notFound();
      const { whole, sectors } = await callBudgetOf(call.id);
      res.json({
        callId: call.id,
        ...presentBudgetLine(whole),
        bySector: sectors.map((sector) => ({ sectorCode: sector.sectorCode, ...presentBudgetLine(sector) })),
      });
    },
  });

  api.route<Record<string, never>, { companyId: string; reason: string }>({
    method: "post",
    path: "/conflicts",
    summary: "Déclare un lien avec une entreprise : le chargé ne pourra plus agir sur ses dossiers",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    body: Joi.object({ companyId: Joi.string().guid().required(), reason: comment(1000).min(3).required() }),
    responses: { 201: { description: "Conflit déclaré" }, 409: { description: "Déjà déclaré" } },
    handler: async ({ body }, req, res) => {
      const user = requireRole(req, "officer", "admin");
      const conflict = await declareConflict(deps, body.companyId, body.reason, user, actorFrom(req, user));
      const company = await Company.findByPk(conflict.companyId, { attributes: ["name", "ice"] });
      res.status(201).json({
        id: conflict.id,
        companyId: conflict.companyId,
        companyName: company?.name ?? "",
        companyIce: company?.ice ?? "",
        reason: conflict.reason,
        createdAt: conflict.createdAt.toISOString(),
      });
    },
  });

  api.route({
    method: "get",
    path: "/conflicts",
    summary: "Les entreprises avec lesquelles l'utilisateur a déclaré un lien",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    responses: { 200: { description: "Conflits déclarés", schema: listOf(Joi.object()) } },
    handler: async (_input, req, res) => {
      const user = requireRole(req, "officer", "admin");
      const conflicts = await ConflictOfInterest.findAll({
        where: { officerId: user.id },
        include: [{ model: Company, as: "company", attributes: ["id", "name", "ice"] }],
        order: [["createdAt", "DESC"]],
      });
      res.json({
        items: conflicts.map((conflict) => ({
          id: conflict.id,
          companyId: conflict.companyId,
          companyName: conflict.company?.name ?? "",
          companyIce: conflict.company?.ice ?? "",
          reason: conflict.reason,
          createdAt: conflict.createdAt.toISOString(),
        })),
        total: conflicts.length,
        page: 1,
        pageSize: conflicts.length,
      });
    },
  });
}
