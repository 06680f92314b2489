import { refreshFastTrack } from "./certificates.js";
import { attachCompanyTraining } from "./training.js";
import { createHash, randomBytes } from "node:crypto";
import { Op, UniqueConstraintError, type Sequelize, type Transaction } from "sequelize";
import { localDate, type Clock } from "../domain/calendar.js";
import { AppError, type FieldError } from "../errors.js";
import type { Locale } from "../i18n/index.js";
import { queueEmail } from "../mail/outbox.js";
import { Company, CompanyInvitation, Mandate, Region, Sector, User, type LegalForm } from "../models/index.js";
import type { CompanyRecord } from "../policies/index.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./auditRecorder.js";

export interface CompanyDeps {
  sequelize: Sequelize;
  clock: Clock;
  publicUrl: string;
}

export const INVITATION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export interface CompanyProfile {
  ice: string;
  name: string;
  legalForm: LegalForm;
  rcNumber: string;
  rcCourt: string;
  ifNumber: string;
  cnssNumber: string;
  sectorCode: string;
  regionCode: string;
  city: string;
  address: string;
  foundedOn: string;
  employees: number;
  annualTurnover: string;
}

export interface CompanyRegistration extends CompanyProfile {
  managerName: string | null;
  managerEmail: string | null;
  managerLocale: Locale;
}

/** The audit trail's view of a company: every profile field, nothing else. */
export function auditedCompany(company: Company): Record<string, unknown> {
  return {
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
    ownerId: company.ownerId,
    managerName: company.managerName,
    managerEmail: company.managerEmail,
  };
}

export function auditedMandate(mandate: Mandate): Record<string, unknown> {
  return {
    companyId: mandate.companyId,
    prescriberId: mandate.prescriberId,
    source: mandate.source,
    expiresOn: mandate.expiresOn,
    revoked: mandate.revokedAt !== null,
  };
}

async function assertReferencesExist(
  transaction: Transaction,
  profile: Partial<Pick<CompanyProfile, "sectorCode" | "regionCode" | "foundedOn">>,
  today: string,
): Promise<void> {
  const errors: FieldError[] = [];
  if (profile.sectorCode !== undefined) {
    const sector = await Sector.findOne({ where: { code: profile.sectorCode, active: true }, transaction });
    if (!sector) errors.push({ path: "sectorCode", key: "companies.unknown-sector" });
  }
  if (profile.regionCode !== undefined) {
    const region = await Region.findByPk(profile.regionCode, { transaction });
    if (!region) errors.push({ path: "regionCode", key: "companies.unknown-region" });
  }
  if (profile.foundedOn !== undefined && profile.foundedOn > today) {
    errors.push({ path: "foundedOn", key: "companies.founded-in-future" });
  }
  if (errors.length > 0) throw AppError.validation(errors);
}

function iceTaken(ice: string): AppError {
  return new AppError("conflict", 409, { detailKey: "companies.ice-taken", params: { ice } });
}

/** "Every use is audited": a prescriber's read or write through a mandate leaves a trace. */
async function recordMandateUse(transaction: Transaction, actor: Actor, mandate: Mandate | null, purpose: string) {
  if (!mandate) return;
  await recordAudit(transaction, actor, {
    action: "mandate.used",
    entityType: "mandate",
    entityId: mandate.id,
    after: { companyId: mandate.companyId, purpose },
  });
}

/**
 * An applicant registers its own company and owns it. A prescriber registers a client company:
 * it holds a mandate at once, and the manager named on the profile is invited by e-mail to create
 * an account and claim ownership.
 */
export async function registerCompany(
  deps: CompanyDeps,
  input: CompanyRegistration,
  creator: User,
  actor: Actor,
): Promise<Company> {
  const now = deps.clock.now();
  const today = localDate(now);
  const byPrescriber = creator.role === "prescriber";
  if (byPrescriber && (!input.managerName || !input.managerEmail)) {
    throw AppError.validation([
      ...(input.managerName ? [] : [{ path: "managerName", key: "field.any.required" as const }]),
      ...(input.managerEmail ? [] : [{ path: "managerEmail", key: "field.any.required" as const }]),
    ]);
  }
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      await assertReferencesExist(transaction, input, today);
      const existing = await Company.findOne({ where: { ice: input.ice }, transaction, attributes: ["id"] });
      if (existing) throw iceTaken(input.ice);
      const { managerLocale, ...profile } = input;
      const company = await Company.create(
        {
          ...profile,
          ownerId: byPrescriber ? null : creator.id,
          managerName: input.managerName,
          managerEmail: input.managerEmail?.toLowerCase() ?? null,
          createdBy: creator.id,
        },
        { transaction },
      );
      await recordAudit(transaction, actor, {
        action: "company.created",
        entityType: "company",
        entityId: company.id,
        after: auditedCompany(company),
      });
      if (!byPrescriber) return company;

      const mandate = await Mandate.create(
        {
          companyId: company.id,
          prescriberId: creator.id,
          grantedBy: creator.id,
          source: "prescriber-registration",
          expiresOn: null,
          revokedAt: null,
          revokedBy: null,
        },
        { transaction },
      );
      await recordAudit(transaction, actor, {
        action: "mandate.granted",
        entityType: "mandate",
        entityId: mandate.id,
        after: auditedMandate(mandate),
      });
      const token = randomBytes(32).toString("base64url");
      await CompanyInvitation.create(
        {
          companyId: company.id,
          email: company.managerEmail ?? "",
          tokenHash: createHash("sha256").update(token).digest("hex"),
          expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
          claimedAt: null,
          claimedBy: null,
        },
        { transaction },
      );
      await queueEmail(transaction, {
        to: company.managerEmail ?? "",
        template: "company-invitation",
        locale: managerLocale,
        data: {
          managerName: company.managerName ?? "",
          companyName: company.name,
          prescriberName: creator.fullName,
          prescriberOrganisation: creator.prescriberOrganisation ?? "",
          claimUrl: `${deps.publicUrl}/revendiquer-entreprise?token=${token}`,
        },
      });
      return company;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw iceTaken(input.ice);
    throw error;
  }
}

export async function updateCompany(
  deps: CompanyDeps,
  record: CompanyRecord,
  changes: Partial<CompanyProfile> & { managerName?: string | null; managerEmail?: string | null },
  actor: Actor,
  mandateUsed: Mandate | null,
): Promise<Company> {
  const today = localDate(deps.clock.now());
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const company = await Company.findByPk(record.company.id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!company) throw AppError.notFound();
      await assertReferencesExist(transaction, changes, today);
      if (changes.ice !== undefined && changes.ice !== company.ice) {
        const existing = await Company.findOne({
          where: { ice: changes.ice, id: { [Op.ne]: company.id } },
          transaction,
        });
        if (existing) throw iceTaken(changes.ice);
      }
      const before = auditedCompany(company);
      await company.update(
        { ...changes, ...(changes.managerEmail ? { managerEmail: changes.managerEmail.toLowerCase() } : {}) },
        { transaction },
      );
      await recordAudit(transaction, actor, {
        action: "company.updated",
        entityType: "company",
        entityId: company.id,
        before,
        after: auditedCompany(company),
      });
      await recordMandateUse(transaction, actor, mandateUsed, "company.updated");
      return company;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw iceTaken(changes.ice ?? record.company.ice);
    throw error;
  }
}

export async function grantMandate(
  deps: CompanyDeps,
  record: CompanyRecord,
  input: { prescriberEmail: string; expiresOn: string | null },
  granter: User,
  actor: Actor,
): Promise<Mandate> {
  const today = localDate(deps.clock.now());
  if (input.expiresOn !== null && input.expiresOn < today) {
    throw AppError.validation([{ path: "expiresOn", key: "mandates.expiry-in-past" }]);
  }
  return deps.sequelize.transaction(async (transaction) => {
    const prescriber = await User.findOne({
      where: { email: input.prescriberEmail.trim().toLowerCase(), role: "prescriber", disabledAt: null },
      transaction,
    });
    if (!prescriber) throw AppError.validation([{ path: "prescriberEmail", key: "mandates.no-such-prescriber" }]);
    const live = await Mandate.findOne({
      where: { companyId: record.company.id, prescriberId: prescriber.id, revokedAt: null },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (live && live.isLiveOn(today)) throw AppError.conflict("mandates.already-granted");
    if (live) {
      // An expired mandate still holds the unique slot: close it before granting anew.
      const before = auditedMandate(live);
      await live.update({ revokedAt: deps.clock.now(), revokedBy: granter.id }, { transaction });
      await recordAudit(transaction, actor, {
        action: "mandate.closed-after-expiry",
        entityType: "mandate",
        entityId: live.id,
        before,
        after: auditedMandate(live),
      });
    }
    const mandate = await Mandate.create(
      {
        companyId: record.company.id,
        prescriberId: prescriber.id,
        grantedBy: granter.id,
        source: "owner-grant",
        expiresOn: input.expiresOn,
        revokedAt: null,
        revokedBy: null,
      },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: "mandate.granted",
      entityType: "mandate",
      entityId: mandate.id,
      after: auditedMandate(mandate),
    });
    await queueEmail(transaction, {
      to: prescriber.email,
      template: "mandate-granted",
      locale: prescriber.locale,
      data: {
        prescriberName: prescriber.fullName,
        companyName: record.company.name,
        ownerName: granter.fullName,
        expiresOn: input.expiresOn ?? "",
        portfolioUrl: `${deps.publicUrl}/portefeuille`,
      },
    });
    return mandate;
  });
}

/** Revocation takes effect at once: the prescriber's very next request is refused. */
export async function revokeMandate(
  deps: CompanyDeps,
  mandate: Mandate,
  company: Company,
  revoker: User,
  actor: Actor,
) {
  return deps.sequelize.transaction(async (transaction) => {
    const locked = await Mandate.findByPk(mandate.id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!locked) throw AppError.notFound();
    if (locked.revokedAt !== null) return locked;
    const before = auditedMandate(locked);
    await locked.update({ revokedAt: deps.clock.now(), revokedBy: revoker.id }, { transaction });
    await recordAudit(transaction, actor, {
      action: "mandate.revoked",
      entityType: "mandate",
      entityId: locked.id,
      before,
      after: auditedMandate(locked),
    });
    const prescriber = await User.findByPk(locked.prescriberId, { transaction });
    if (prescriber) {
      await queueEmail(transaction, {
        to: prescriber.email,
        template: "mandate-revoked",
        locale: prescriber.locale,
        data: { prescriberName: prescriber.fullName, companyName: company.name },
      });
    }
    return locked;
  });
}

/**
 * The manager invited by a prescriber claims the company with the e-mailed link. The mandate that
 * prescriber holds stays, until the new owner revokes it.
 */
export async function claimCompany(deps: CompanyDeps, token: string, claimer: User, actor: Actor): Promise<Company> {
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    const invitation = await CompanyInvitation.findOne({
      where: { tokenHash: createHash("sha256").update(token).digest("hex") },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!invitation || invitation.claimedAt !== null || invitation.expiresAt <= now) {
      throw new AppError("token-invalid", 400, { detailKey: "companies.invitation-invalid" });
    }
    const company = await Company.findByPk(invitation.companyId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!company) throw AppError.notFound();
    if (company.ownerId !== null) throw AppError.conflict("companies.already-claimed");
    const before = auditedCompany(company);
    await company.update({ ownerId: claimer.id }, { transaction });
    await invitation.update({ claimedAt: now, claimedBy: claimer.id }, { transaction });
    await attachCompanyTraining(transaction, company.id, claimer);
    await refreshFastTrack(transaction, { companyIds: [company.id] });
    await recordAudit(transaction, actor, {
      action: "company.claimed",
      entityType: "company",
      entityId: company.id,
      before,
      after: auditedCompany(company),
    });
    return company;
  });
}

/** A read through a mandate, audited in its own transaction (a read changes nothing else). */
export async function auditMandateRead(deps: CompanyDeps, actor: Actor, mandate: Mandate | null, purpose: string) {
  if (!mandate) return;
  await deps.sequelize.transaction((transaction) => recordMandateUse(transaction, actor, mandate, purpose));
}
