import Joi from "joi";
import { localDate } from "../../domain/calendar.js";
import type { Company, Mandate, User } from "../../models/index.js";

const money = () => Joi.string().pattern(/^\d+\.\d{2}$/);

export const companySchema = Joi.object({
  id: Joi.string().guid().required(),
  ice: Joi.string().required(),
  name: Joi.string().required(),
  legalForm: Joi.string().required(),
  rcNumber: Joi.string().required(),
  rcCourt: Joi.string().required(),
  ifNumber: Joi.string().required(),
  cnssNumber: Joi.string().required(),
  sectorCode: Joi.string().required(),
  regionCode: Joi.string().required(),
  city: Joi.string().required(),
  address: Joi.string().required(),
  foundedOn: Joi.string().isoDate().required(),
  employees: Joi.number().integer().required(),
  annualTurnover: money().required(),
  owner: Joi.object({ id: Joi.string().guid(), fullName: Joi.string() }).allow(null).required(),
  managerName: Joi.string().allow(null).required(),
  managerEmail: Joi.string().allow(null).required(),
  claimed: Joi.boolean().required(),
  createdAt: Joi.string().isoDate().required(),
  updatedAt: Joi.string().isoDate().required(),
  permissions: Joi.object().pattern(Joi.string(), Joi.boolean()).required(),
}).label("Company");

export function presentCompany(company: Company, permissions: Record<string, boolean>) {
  return {
    id: company.id,
    ice: company.ice,
    name: company.name,
    legalForm: company.legalForm,
    rcNumber: company.rcNumber,
    rcCourt: company.rcCourt,
    ifNumber: company.ifNumber,
    cnssNumber: company.cnssNumber,
    sectorCode: company.sectorCode,
    regionCode: company.regionCode,
    city: company.city,
    address: company.address,
    foundedOn: company.foundedOn,
    employees: company.employees,
    annualTurnover: company.annualTurnover,
    owner: company.owner ? { id: company.owner.id, fullName: company.owner.fullName } : null,
    managerName: company.managerName,
    managerEmail: company.managerEmail,
    claimed: company.ownerId !== null,
    createdAt: company.createdAt.toISOString(),
    updatedAt: company.updatedAt.toISOString(),
    permissions,
  };
}

export const mandateSchema = Joi.object({
  id: Joi.string().guid().required(),
  companyId: Joi.string().guid().required(),
  prescriber: Joi.object({
    id: Joi.string().guid(),
    fullName: Joi.string(),
    email: Joi.string(),
    organisation: Joi.string().allow(null),
  }).required(),
  source: Joi.string().valid("owner-grant", "prescriber-registration").required(),
  expiresOn: Joi.string().isoDate().allow(null).required(),
  status: Joi.string().valid("active", "expired", "revoked").required(),
  revokedAt: Joi.string().isoDate().allow(null).required(),
  createdAt: Joi.string().isoDate().required(),
  permissions: Joi.object().pattern(Joi.string(), Joi.boolean()).required(),
}).label("Mandate");

/**
 * An expired mandate closed to make way for a new grant keeps reading "expired": it was never
 * revoked by anyone.
 */
function mandateStatus(mandate: Mandate, today: string): "active" | "expired" | "revoked" {
  if (mandate.revokedAt === null) return mandate.isLiveOn(today) ? "active" : "expired";
  const closedOn = localDate(mandate.revokedAt);
  return mandate.expiresOn !== null && mandate.expiresOn < closedOn ? "expired" : "revoked";
}

export function presentMandate(
  mandate: Mandate,
  prescriber: User,
  today: string,
  permissions: Record<string, boolean>,
) {
  const status = mandateStatus(mandate, today);
  return {
    id: mandate.id,
    companyId: mandate.companyId,
    prescriber: {
      id: prescriber.id,
      fullName: prescriber.fullName,
      email: prescriber.email,
      organisation: prescriber.prescriberOrganisation,
    },
    source: mandate.source,
    expiresOn: mandate.expiresOn,
    status,
    revokedAt: mandate.revokedAt ? mandate.revokedAt.toISOString() : null,
    createdAt: mandate.createdAt.toISOString(),
    permissions,
  };
}
