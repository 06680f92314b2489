import Joi from "joi";
import { Op } from "sequelize";
import type { Clock } from "../../domain/calendar.js";
import { Application, Call, Claim, Company } from "../../models/index.js";
import type { ApiRouter } from "../apiRouter.js";
import { requireRole } from "../auth/guards.js";
import { inBatches, streamExport, type ExportColumn, type ExportFormat } from "../exports.js";
import { applicationFilters, applicationListQuery, type ApplicationFilters } from "./applicationQueries.js";

const TAGS = ["Exports"];
const BATCH = 500;

const formatParams = Joi.object({ format: Joi.string().valid("csv", "xlsx").required() });

const isoDate = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

const APPLICATION_COLUMNS: ReadonlyArray<ExportColumn<Application>> = [
  { header: "reference", kind: "text", value: (row) => row.reference },
  { header: "statut", kind: "text", value: (row) => row.status },
  { header: "entreprise", kind: "text", value: (row) => row.company?.name ?? "" },
  { header: "ice", kind: "text", value: (row) => row.company?.ice ?? "" },
  { header: "region", kind: "text", value: (row) => row.company?.regionCode ?? "" },
  { header: "secteur", kind: "text", value: (row) => row.sectorCode },
  { header: "appel", kind: "text", value: (row) => row.call?.code ?? "" },
  { header: "depose_le", kind: "date", value: (row) => isoDate(row.submittedAt) },
  { header: "prioritaire", kind: "text", value: (row) => (row.fastTrack ? "oui" : "non") },
  { header: "montant_eligible_ht", kind: "money", value: (row) => row.eligibleAmount },
  { header: "subvention_calculee", kind: "money", value: (row) => row.grantAmount },
  { header: "montant_accorde", kind: "money", value: (row) => row.approvedAmount },
  { header: "montant_verse", kind: "money", value: (row) => row.paidAmount ?? null },
];

interface PaymentRow {
  claim: Claim;
  application: Application;
}

const PAYMENT_COLUMNS: ReadonlyArray<ExportColumn<PaymentRow>> = [
  { header: "reference_dossier", kind: "text", value: ({ application }) => application.reference },
  { header: "entreprise", kind: "text", value: ({ application }) => application.company?.name ?? "" },
  { header: "ice", kind: "text", value: ({ application }) => application.company?.ice ?? "" },
  { header: "appel", kind: "text", value: ({ application }) => application.call?.code ?? "" },
  { header: "secteur", kind: "text", value: ({ application }) => application.sectorCode },
  { header: "verse_le", kind: "date", value: ({ claim }) => isoDate(claim.paidAt) },
  { header: "reference_virement", kind: "text", value: ({ claim }) => claim.paymentReference },
  { header: "montant_accorde", kind: "money", value: ({ application }) => application.approvedAmount },
  { header: "factures_verifiees_ht", kind: "money", value: ({ claim }) => claim.verifiedAmount },
  { header: "montant_verse", kind: "money", value: ({ claim }) => claim.paymentAmount },
];

/**
 * Officers' exports, streamed batch by batch (keyset pagination) as CSV or XLSX: the queue with
 * the same filters as the list, and the payments made.
 */
export function registerExportRoutes(api: ApiRouter, deps: { clock: Clock }): void {
  api.route<ApplicationFilters, undefined, { format: ExportFormat }>({
    method: "get",
    path: "/exports/applications.:format",
    summary: "Export des dossiers déposés (mêmes filtres que la file d'attente), en CSV ou XLSX",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    params: formatParams,
    query: Joi.object(applicationFilters),
    responses: { 200: { description: "Fichier", contentType: "text/csv" } },
    handler: async ({ query, params }, req, res) => {
      const user = requireRole(req, "officer", "admin");
      const { where, companyWhere } = await applicationListQuery(
        user,
        { ...query, sort: "reference" },
        deps.clock.now(),
      );
      const batches = inBatches<Application>(
        (after) =>
          Application.findAll({
            where: after?.reference ? { [Op.and]: [where, { reference: { [Op.gt]: after.reference } }] } : where,
            include: [
              { model: Company, as: "company", where: companyWhere, required: true },
              { model: Call, as: "call" },
            ],
            order: [["reference", "ASC"]],
            limit: BATCH,
          }),
        BATCH,
      );
      await streamExport(res, {
        format: params.format,
        fileName: "dossiers-moussanada",
        sheetName: "Dossiers",
        columns: APPLICATION_COLUMNS,
        batches,
      });
    },
  });

  api.route<{ callId?: string }, undefined, { format: ExportFormat }>({
    method: "get",
    path: "/exports/payments.:format",
    summary: "Export des versements effectués, en CSV ou XLSX",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    params: formatParams,
    query: Joi.object({ callId: Joi.string().guid() }),
    responses: { 200: { description: "Fichier", contentType: "text/csv" } },
    handler: async ({ query, params }, req, res) => {
      requireRole(req, "officer", "admin");
      const applicationWhere = query.callId ? { callId: query.callId } : {};
      const batches = inBatches<PaymentRow>(async (after) => {
        const claims = await Claim.findAll({
          where: {
            status: "paid",
            ...(after?.claim.paidAt
              ? {
                  [Op.or]: [
                    { paidAt: { [Op.gt]: after.claim.paidAt } },
                    { paidAt: after.claim.paidAt, id: { [Op.gt]: after.claim.id } },
                  ],
                }
              : {}),
          },
          include: [
            {
              model: Application,
              as: "application",
              where: applicationWhere,
              required: true,
              include: [
                { model: Company, as: "company" },
                { model: Call, as: "call" },
              ],
            },
          ],
          order: [
            ["paidAt", "ASC"],
            ["id", "ASC"],
          ],
          limit: BATCH,
        });
        return claims.flatMap((claim) => {
          return claim.application ? [{ claim, application: claim.application }] : [];
        });
      }, BATCH);
      await streamExport(res, {
        format: params.format,
        fileName: "versements-moussanada",
        sheetName: "Versements",
        columns: PAYMENT_COLUMNS,
        batches,
      });
    },
  });
}
