import type { Request, Response } from "express";
import type { Transaction } from "sequelize";
import { actorFrom } from "../../commands/actor.js";
import { assessApplication, loadApplication } from "../../commands/applicationAssessment.js";
import type { Acting } from "../../commands/applications.js";
import { localDate, type Clock } from "../../domain/calendar.js";
import { AppError } from "../../errors.js";
import { Application, Claim, Company, ConflictOfInterest, Mandate, User } from "../../models/index.js";
import {
  APPLICATION_ACTIONS,
  liveMandateOf,
  policies,
  type ApplicationAction,
  type ApplicationRecord,
  type PolicyContext,
} from "../../policies/index.js";
import { currentUser } from "../auth/guards.js";
import { applicationPermissions, presentApplication } from "../presenters/applications.js";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What every decision about an application looks at: the file, its company, mandates, conflicts. */
export async function loadApplicationRecord(id: string): Promise<ApplicationRecord> {
  if (!UUID.test(id)) throw AppError.notFound();
  const application = await Application.findByPk(id);
  if (!application) throw AppError.notFound();
  // With its owner: the answer that usually follows shows it, and needs no second read.
  const company = await Company.findByPk(application.companyId, { include: [{ model: User, as: "owner" }] });
  if (!company) throw AppError.notFound();
  const [mandates, conflicts] = await Promise.all([
    Mandate.findAll({ where: { companyId: company.id, revokedAt: null } }),
    ConflictOfInterest.findAll({ where: { companyId: company.id }, attributes: ["officerId"] }),
  ]);
  return {
    application,
    companyRecord: { company, mandates },
    conflictedUserIds: conflicts.map((conflict) => conflict.officerId),
  };
}

/** A refused officer learns why: its own proposal (four-eyes) or a declared conflict. */
function explainRefusal(error: unknown, user: User, action: ApplicationAction, record: ApplicationRecord): unknown {
  if (!(error instanceof AppError) || error.status !== 403) return error;
  if (record.conflictedUserIds.includes(user.id)) {
    return new AppError("forbidden", 403, { detailKey: "review.conflicted" });
  }
  if ((action === "approve" || action === "reject") && record.application.examinedBy === user.id) {
    return new AppError("forbidden", 403, { detailKey: "review.four-eyes" });
  }
  return error;
}

/**
 * The three things every application route does: check the policy on the record (404/403), say
 * who acts and through which mandate, and answer with the application as this user sees it.
 */
export function applicationAccess(clock: Clock) {
  const context = (): PolicyContext => ({ today: localDate(clock.now()) });

  /** Inside a transaction, pass it: a query outside it would wait for a pool connection it holds. */
  const permissionsOf = async (user: User, record: ApplicationRecord, transaction?: Transaction) => {
    const claim = await Claim.findOne({
      where: { applicationId: record.application.id },
      attributes: ["status"],
      transaction,
    });
    return applicationPermissions(
      record.application,
      policies.permissionsFor(user, "Application", APPLICATION_ACTIONS, record, context()) as Record<
        ApplicationAction,
        boolean
      >,
      claim?.status ?? null,
    );
  };

  const authorize = async (req: Request, id: string, action: ApplicationAction) => {
    const user = currentUser(req);
    const record = await loadApplicationRecord(id);
    try {
      policies.authorize(user, action, "Application", record, context());
    } catch (error) {
      throw explainRefusal(error, user, action, record);
    }
    const acting: Acting = {
      user,
      actor: actorFrom(req, user),
      mandate: liveMandateOf(user, record.companyRecord, context().today),
    };
    return { user, record, acting };
  };

  /**
   * `current`: the record authorize() read in this request, when nothing has changed since (a
   * read); after a change, the file is read again.
   */
  const answer = async (req: Request, res: Response, id: string, status = 200, current?: ApplicationRecord) => {
    const user = currentUser(req);
    const record = current ?? (await loadApplicationRecord(id));
    const loaded = await loadApplication(id, {
      loaded: { application: record.application, company: record.companyRecord.company },
    });
    if (!loaded) throw AppError.notFound();
    const now = clock.now();
    const [assessment, permissions] = await Promise.all([assessApplication(loaded, now), permissionsOf(user, record)]);
    res.status(status).json(presentApplication(loaded, assessment, req.locale, permissions, now));
  };

  return { context, permissionsOf, authorize, answer };
}
