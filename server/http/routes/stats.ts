import Joi from "joi";
import {
  openDataRows,
  programmeFor,
  queueStatisticsRefresh,
  statisticsOverview,
  SUPPRESSION_THRESHOLD,
  type OpenDataQuery,
  type OpenDataRow,
} from "../../commands/statistics.js";
import { AppError } from "../../errors.js";
import type { ApiRouter } from "../apiRouter.js";
import { requireRole } from "../auth/guards.js";
import { streamExport, type ExportColumn } from "../exports.js";
import { pageWindow, paginationSchema, type Pagination } from "../validation.js";

const TAGS = ["Statistiques et données ouvertes"];
const month = () => Joi.string().pattern(/^\d{4}-(0[1-9]|1[0-2])$/);
const code = () =>
  Joi.string()
    .pattern(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(60);

const openDataFilters = {
  from: month(),
  to: month(),
  region: code(),
  sector: code(),
};

const named = { code: Joi.string(), nameFr: Joi.string(), nameAr: Joi.string() };
const countBy = Joi.object({ ...named, count: Joi.number().integer() });
const byYear = Joi.array().items(Joi.object({ year: Joi.number().integer(), count: Joi.number().integer() }));
const step = Joi.object({
  step: Joi.string().valid("accounts", "companies", "drafts", "submitted", "approved", "paid"),
  count: Joi.number().integer(),
  dropOff: Joi.number().integer().allow(null),
  conversion: Joi.number().allow(null),
});
const money = () => Joi.string().pattern(/^\d+\.\d{2}$/);
const budgetLine = { envelope: money(), committed: money(), paid: money(), available: money() };

const overviewSchema = Joi.object({
  generatedAt: Joi.string().isoDate().allow(null),
  programme: Joi.object(named),
  equipped: Joi.object({
    total: Joi.number().integer(),
    target: Joi.number().integer(),
    byYear,
    byRegion: Joi.array().items(countBy),
    bySector: Joi.array().items(countBy),
  }),
  permits: Joi.object({
    total: Joi.number().integer(),
    revoked: Joi.number().integer(),
    target: Joi.number().integer(),
    byYear,
    byRegion: Joi.array().items(countBy),
    bySector: Joi.array().items(countBy),
  }),
  budget: Joi.array().items(
    Joi.object({
      callId: Joi.string().guid(),
      callCode: Joi.string(),
      titleFr: Joi.string(),
      titleAr: Joi.string(),
      ...budgetLine,
      bySector: Joi.array().items(Joi.object({ ...named, ...budgetLine })),
    }),
  ),
  delays: Joi.object({
    submissionToDecision: Joi.object({ medianDays: Joi.number().allow(null), count: Joi.number().integer() }),
    submissionToPayment: Joi.object({ medianDays: Joi.number().allow(null), count: Joi.number().integer() }),
  }),
  funnel: Joi.object({
    steps: Joi.array().items(step),
    byRegion: Joi.array().items(Joi.object({ ...named, steps: Joi.array().items(step) })),
    bySector: Joi.array().items(Joi.object({ ...named, steps: Joi.array().items(step) })),
  }),
  prescribers: Joi.object({
    submitted: Joi.number().integer(),
    submittedViaMandate: Joi.number().integer(),
    approved: Joi.number().integer(),
    approvedViaMandate: Joi.number().integer(),
    top: Joi.array().items(
      Joi.object({ organisation: Joi.string(), submitted: Joi.number().integer(), approved: Joi.number().integer() }),
    ),
  }),
}).label("StatisticsOverview");

const openDataRowSchema = Joi.object({
  month: Joi.string(),
  regionCode: Joi.string(),
  regionNameFr: Joi.string(),
  regionNameAr: Joi.string(),
  sectorCode: Joi.string(),
  sectorNameFr: Joi.string(),
  sectorNameAr: Joi.string(),
  submitted: Joi.number().integer().allow(null),
  approved: Joi.number().integer().allow(null),
  paid: Joi.number().integer().allow(null),
  grantedAmount: money().allow(null),
  paidAmount: money().allow(null),
}).label("OpenDataRow");

/** "<5" says a count was withheld, not that it was zero or unknown. */
const withheld = (count: number | null) => (count === null ? `<${SUPPRESSION_THRESHOLD}` : count);

const OPEN_DATA_COLUMNS: ReadonlyArray<ExportColumn<OpenDataRow>> = [
  { header: "mois", kind: "text", value: (row) => row.month },
  { header: "code_region", kind: "text", value: (row) => row.regionCode },
  { header: "region", kind: "text", value: (row) => row.regionNameFr },
  { header: "code_secteur", kind: "text", value: (row) => row.sectorCode },
  { header: "secteur", kind: "text", value: (row) => row.sectorNameFr },
  { header: "dossiers_deposes", kind: "text", value: (row) => withheld(row.submitted) },
  { header: "dossiers_accordes", kind: "text", value: (row) => withheld(row.approved) },
  { header: "dossiers_payes", kind: "text", value: (row) => withheld(row.paid) },
  { header: "montant_accorde_mad", kind: "money", value: (row) => row.grantedAmount },
  { header: "montant_paye_mad", kind: "money", value: (row) => row.paidAmount },
];

/** The programme's figures for officers, and the public's aggregated open data. */
export function registerStatisticsRoutes(api: ApiRouter): void {
  api.route<{ programme?: string }>({
    method: "get",
    path: "/stats/overview",
    summary:
      "Tableau de bord du programme : PME équipées et Permis délivrés face aux objectifs, budget, délais médians, entonnoir, contribution des prescripteurs",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    query: Joi.object({ programme: code() }),
    responses: { 200: { description: "Les chiffres, calculés à `generatedAt`", schema: overviewSchema } },
    handler: async ({ query }, req, res) => {
      requireRole(req, "officer", "admin");
      const programme = await programmeFor(query.programme);
      if (!programme) throw AppError.notFound();
      res.set("Cache-Control", "private, no-store").json(await statisticsOverview(programme));
    },
  });

  api.route({
    method: "post",
    path: "/stats/refresh",
    summary: "Recalcule les statistiques maintenant (en arrière-plan ; `generatedAt` change une fois fait)",
    tags: TAGS,
    access: "chargé de programme, administrateur",
    responses: { 202: { description: "Recalcul demandé" } },
    handler: async (_input, req, res) => {
      requireRole(req, "officer", "admin");
      await queueStatisticsRefresh();
      res.status(202).json({ queued: true });
    },
  });

  api.route<OpenDataQuery & Pagination>({
    method: "get",
    path: "/open-data/applications",
    summary:
      "Données ouvertes : dossiers déposés, accordés et payés et montants par mois, région et secteur ; les effectifs de 1 à 4 sont masqués",
    tags: TAGS,
    access: "tout le monde",
    query: Joi.object({ ...openDataFilters, ...paginationSchema }),
    responses: {
      200: {
        description: "Agrégats",
        schema: Joi.object({
          generatedAt: Joi.string().isoDate().allow(null),
          suppressionThreshold: Joi.number().integer(),
          items: Joi.array().items(openDataRowSchema),
          total: Joi.number().integer(),
          page: Joi.number().integer(),
          pageSize: Joi.number().integer(),
        }),
      },
    },
    handler: async ({ query }, _req, res) => {
      const { page, pageSize, ...filters } = query;
      const { rows, total, generatedAt } = await openDataRows(filters, pageWindow({ page, pageSize }));
      res.set("Cache-Control", "public, max-age=300").json({
        generatedAt,
        suppressionThreshold: SUPPRESSION_THRESHOLD,
        items: rows,
        total,
        page,
        pageSize,
      });
    },
  });

  api.route<OpenDataQuery>({
    method: "get",
    path: "/open-data/applications.csv",
    summary: "Les mêmes données ouvertes en CSV (UTF-8), toutes les lignes ; « <5 » marque un effectif masqué",
    tags: TAGS,
    access: "tout le monde",
    query: Joi.object(openDataFilters),
    responses: { 200: { description: "CSV", contentType: "text/csv" } },
    handler: async ({ query }, _req, res) => {
      const { rows } = await openDataRows(query);
      await streamExport(res, {
        format: "csv",
        fileName: "moussanada-donnees-ouvertes",
        sheetName: "dossiers",
        columns: OPEN_DATA_COLUMNS,
        batches: (async function* () {
          yield rows;
        })(),
      });
    },
  });
}
