import Joi from "joi";
import { Op } from "sequelize";
import { latestRules } from "../../commands/applicationAssessment.js";
import { localDate, type Clock } from "../../domain/calendar.js";
import { computeGrant, type LineCategory, type VatRate } from "../../domain/grant.js";
import { formatMoney, formatRate, fromDatabase, parseMoney, parseRate } from "../../domain/money.js";
import { AppError } from "../../errors.js";
import { Call, Sector } from "../../models/index.js";
import type { ApiRouter } from "../apiRouter.js";
import { simulationSchema } from "../presenters/applications.js";
import { lineSchema } from "./applications.js";

interface SimulationRequest {
  callId?: string;
  sectorCode: string;
  lines: Array<{ category: LineCategory; amountExclTax: string; vatRate: VatRate }>;
}

const simulationRequestSchema = Joi.object({
  callId: Joi.string().guid(),
  sectorCode: Joi.string().trim().max(64).required(),
  lines: Joi.array()
    .items(
      Joi.object({
        category: lineSchema.extract("category"),
        amountExclTax: lineSchema.extract("amountExclTax"),
        vatRate: lineSchema.extract("vatRate"),
      }).options({ stripUnknown: true }),
    )
    .min(1)
    .max(50)
    .required(),
}).options({ stripUnknown: true });

/** The call a visitor simulates against: the one named, else the one open today. */
async function callFor(callId: string | undefined, today: string): Promise<Call> {
  if (callId) {
    const call = await Call.findByPk(callId);
    if (!call) throw AppError.validation([{ path: "callId", key: "applications.unknown-call" }]);
    return call;
  }
  const open = await Call.findOne({
    where: { opensOn: { [Op.lte]: today }, closesOn: { [Op.gte]: today } },
    order: [["opensOn", "DESC"]],
  });
  if (!open) throw AppError.validation([{ path: "callId", key: "applications.no-open-call" }]);
  return open;
}

/**
 * The public simulator: the same arithmetic as an application (computeGrant), for a company that
 * has received nothing yet in the programme. No login, nothing stored.
 */
export function registerSimulatorRoutes(api: ApiRouter, deps: { clock: Clock }): void {
  api.route<Record<string, never>, SimulationRequest>({
    method: "post",
    path: "/simulate",
    summary: "Simule la subvention : montant éligible, subvention, part à la charge de l'entreprise, taux et plafond",
    tags: ["Simulateur"],
    access: "tout le monde (sans connexion)",
    body: simulationRequestSchema,
    responses: { 200: { description: "Simulation", schema: simulationSchema } },
    handler: async ({ body }, _req, res) => {
      const today = localDate(deps.clock.now());
      const [call, sector] = await Promise.all([
        callFor(body.callId, today),
        Sector.findOne({ where: { code: body.sectorCode, active: true } }),
      ]);
      if (!sector) throw AppError.validation([{ path: "sectorCode", key: "applications.unknown-sector" }]);
      const rules = await latestRules(call.id);
      if (!rules) throw AppError.validation([{ path: "callId", key: "applications.unknown-call" }]);
      const rate = parseRate(rules.rate);
      const cap = fromDatabase(rules.capPerCompany);
      const computation = computeGrant(
        body.lines.map((line) => ({
          amountExclTax: parseMoney(line.amountExclTax) ?? 0n,
          vatRate: parseRate(line.vatRate),
        })),
        { rate, capPerCompany: cap },
        0n,
      );
      res.json({
        callId: call.id,
        callTitleFr: call.titleFr,
        callTitleAr: call.titleAr,
        sectorCode: sector.code,
        sectorEligible: (rules.sectors ?? []).some((eligible) => eligible.code === sector.code),
        eligibleAmount: formatMoney(computation.eligibleAmount),
        vatAmount: formatMoney(computation.vatAmount),
        grantAmount: formatMoney(computation.grantAmount),
        ownShare: formatMoney(computation.ownShare),
        rate: formatRate(rate),
        cap: formatMoney(cap),
      });
    },
  });
}
