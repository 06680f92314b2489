import { randomUUID } from "node:crypto";
import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from "sequelize";
import { burnVerificationTime, checkPasswordPolicy, hashPassword } from "../auth/passwords.js";
import type { SecretBox } from "../auth/secretBox.js";
import type { Clock } from "../domain/calendar.js";
import { AppError, type FieldError } from "../errors.js";
import type { Locale, MessageKey } from "../i18n/index.js";
import { queueEmail } from "../mail/outbox.js";
import { modelsSequelize, User, type PrescriberKind, type Role } from "../models/index.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./auditRecorder.js";
import { consumeToken, issueToken } from "./tokens.js";

export interface AccountDeps {
  sequelize: Sequelize;
  clock: Clock;
  publicUrl: string;
  secretBox: SecretBox;
}

/** What the audit trail keeps of a user: no password hash, no CIN. */
export function auditedUser(user: User): Record<string, unknown> {
  return {
    role: user.role,
    fullName: user.fullName,
    email: user.email,
    phone: user.phone,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    disabled: user.disabledAt !== null,
    prescriberKind: user.prescriberKind,
    prescriberRegistrationNumber: user.prescriberRegistrationNumber,
    prescriberOrganisation: user.prescriberOrganisation,
  };
}

export function assertPasswordAcceptable(password: string, path = "password"): void {
  const problem = checkPasswordPolicy(password);
  if (!problem) return;
  throw AppError.validation([{ path, key: `password.${problem}` as MessageKey }]);
}

/** Ends every session of a user (all devices), except optionally the one making the request. */
export async function endSessionsOf(transaction: Transaction, userId: string, keepSessionId?: string): Promise<number> {
  const sequelize = modelsSequelize();
  const ended = await sequelize.query<{ sid: string }>(
    `DELETE FROM sessions WHERE (sess -> 'passport' ->> 'user') = :userId ${keepSessionId ? "AND sid <> :keep" : ""} RETURNING sid`,
    { transaction, replacements: { userId, keep: keepSessionId ?? null }, type: QueryTypes.SELECT },
  );
  return ended.length;
}

const link = (deps: AccountDeps, pathAndQuery: string) => `${deps.publicUrl}${pathAndQuery}`;

export interface Registration {
  email: string;
  password: string;
  fullName: string;
  phone: string | null;
  role: "applicant" | "prescriber";
  locale: Locale;
  nationalId: string | null;
  prescriber: { kind: PrescriberKind; registrationNumber: string; organisation: string } | null;
}

/**
 * Self-registration of an SME manager or a prescriber. The answer is the same whether the address
 * is new or already has an account (whose owner is told by e-mail), so registration cannot be
 * used to find out who has an account.
 */
export async function registerAccount(deps: AccountDeps, input: Registration, actor: Actor): Promise<{ id: string }> {
  assertPasswordAcceptable(input.password);
  if (input.role === "prescriber" && !input.prescriber) {
    throw AppError.validation([{ path: "prescriber", key: "field.any.required" }]);
  }
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const existing = await User.findOne({ where: { email }, transaction });
      if (existing) {
        await queueEmail(transaction, {
          to: existing.email,
          template: "account-exists",
          locale: existing.locale,
          data: {
            fullName: existing.fullName,
            loginUrl: link(deps, "/connexion"),
            resetRequestUrl: link(deps, "/mot-de-passe-oublie"),
          },
        });
        return { id: randomUUID() };
      }
      const user = await User.create(
        {
          role: input.role,
          fullName: input.fullName.trim(),
          email,
          phone: input.phone,
          locale: input.locale,
          passwordHash,
          emailVerifiedAt: null,
          disabledAt: null,
          prescriberKind: input.prescriber?.kind ?? null,
          prescriberRegistrationNumber: input.prescriber?.registrationNumber.trim() ?? null,
          prescriberOrganisation: input.prescriber?.organisation.trim() ?? null,
          nationalIdEncrypted: input.nationalId ? deps.secretBox.seal(input.nationalId) : null,
          lastLoginAt: null,
        },
        { transaction },
      );
      const token = await issueToken(transaction, user.id, "verify-email", now);
      await queueEmail(transaction, {
        to: user.email,
        template: "verify-email",
        locale: user.locale,
        data: { fullName: user.fullName, verifyUrl: link(deps, `/verifier-email?token=${token}`) },
      });
      await recordAudit(
        transaction,
        { ...actor, userId: user.id, role: user.role },
        {
          action: "user.registered",
          entityType: "user",
          entityId: user.id,
          after: auditedUser(user),
        },
      );
      return { id: user.id };
    });
  } catch (error) {
    // Two registrations of one address at the same instant: the loser answers like a duplicate.
    if (error instanceof UniqueConstraintError) return { id: randomUUID() };
    throw error;
  }
}

export async function verifyEmail(deps: AccountDeps, token: string, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const used = await consumeToken(transaction, token, ["verify-email"], now);
    if (!used) throw new AppError("token-invalid", 400, { detailKey: "auth.verify-link-invalid" });
    const user = await User.findByPk(used.userId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!user) throw new AppError("token-invalid", 400, { detailKey: "auth.verify-link-invalid" });
    if (user.emailVerifiedAt !== null) return;
    const before = auditedUser(user);
    await user.update({ emailVerifiedAt: now }, { transaction });
    await recordAudit(
      transaction,
      { ...actor, userId: user.id, role: user.role },
      {
        action: "user.email-verified",
        entityType: "user",
        entityId: user.id,
        before,
        after: auditedUser(user),
      },
    );
  });
}

export const ACCOUNT_LINK_REQUEST_TASK = "account_link_request";

export interface AccountLinkRequest {
  kind: "verify-email" | "password-reset";
  email: string;
  actor: Actor;
}

/**
 * Accepts a request for a verification or reset link with one and the same insert whether the
 * address has an account or not, so neither the answer nor its timing tells: the lookup, the
 * token and the e-mail happen in the worker (sendAccountLink).
 */
export async function requestAccountLink(deps: AccountDeps, request: AccountLinkRequest): Promise<void> {
  await deps.sequelize.query("SELECT queue_job(:task, CAST(:payload AS json))", {
    replacements: {
      task: ACCOUNT_LINK_REQUEST_TASK,
      payload: JSON.stringify({ ...request, email: request.email.trim().toLowerCase() }),
    },
  });
}

/** The worker's half of requestAccountLink: silent when there is no account to send to. */
export async function sendAccountLink(deps: AccountDeps, request: AccountLinkRequest): Promise<void> {
  await deps.sequelize.transaction(async (transaction) => {
    const user = await User.findOne({ where: { email: request.email }, transaction });
    if (!user || user.disabledAt !== null) return;
    if (request.kind === "verify-email") {
      if (user.emailVerifiedAt !== null) return;
      const token = await issueToken(transaction, user.id, "verify-email", deps.clock.now());
      await queueEmail(transaction, {
        to: user.email,
        template: "verify-email",
        locale: user.locale,
        data: { fullName: user.fullName, verifyUrl: link(deps, `/verifier-email?token=${token}`) },
      });
      return;
    }
    const token = await issueToken(transaction, user.id, "password-reset", deps.clock.now());
    await queueEmail(transaction, {
      to: user.email,
      template: "password-reset",
      locale: user.locale,
      data: { fullName: user.fullName, resetUrl: link(deps, `/reinitialiser-mot-de-passe?token=${token}`) },
    });
    await recordAudit(
      transaction,
      { ...request.actor, userId: user.id, role: user.role },
      { action: "user.password-reset-requested", entityType: "user", entityId: user.id },
    );
  });
}

/**
 * Sets a new password from an e-mailed link (reset, or first password of an account an admin
 * created). Every session of the user ends; the mailbox is proven, so the address counts as verified.
 */
export async function setPasswordWithToken(
  deps: AccountDeps,
  input: { token: string; password: string },
  actor: Actor,
): Promise<void> {
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const used = await consumeToken(transaction, input.token, ["password-reset", "account-setup"], now);
    if (!used) throw new AppError("token-invalid", 400, { detailKey: "auth.reset-link-invalid" });
    const user = await User.findByPk(used.userId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!user || user.disabledAt !== null)
      throw new AppError("token-invalid", 400, { detailKey: "auth.reset-link-invalid" });
    const before = auditedUser(user);
    await user.update({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now }, { transaction });
    const endedSessions = await endSessionsOf(transaction, user.id);
    await recordAudit(
      transaction,
      { ...actor, userId: user.id, role: user.role },
      {
        action: used.purpose === "account-setup" ? "user.account-set-up" : "user.password-reset",
        entityType: "user",
        entityId: user.id,
        before,
        after: { ...auditedUser(user), endedSessions },
      },
    );
    if (used.purpose === "password-reset") {
      await queueEmail(transaction, {
        to: user.email,
        template: "password-changed",
        locale: user.locale,
        data: { fullName: user.fullName, resetRequestUrl: link(deps, "/mot-de-passe-oublie") },
      });
    }
  });
}

const ROLE_NAMES: Record<Locale, Record<Role, string>> = {
  fr: {
    applicant: "dirigeant de PME",
    prescriber: "prescripteur",
    officer: "chargé de programme",
    trainer: "formateur",
    admin: "administrateur",
  },
  ar: {
    applicant: "مسير مقاولة",
    prescriber: "موجِّه",
    officer: "مكلف بالبرنامج",
    trainer: "مكوِّن",
    admin: "مدير",
  },
};

export interface StaffAccount {
  email: string;
  fullName: string;
  role: "officer" | "trainer" | "admin";
  phone: string | null;
  locale: Locale;
}

/** An admin creates an officer, trainer or admin; the person chooses a password from an e-mailed link. */
export async function createStaffAccount(deps: AccountDeps, input: StaffAccount, actor: Actor): Promise<User> {
  const email = input.email.trim().toLowerCase();
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const user = await User.create(
        {
          role: input.role,
          fullName: input.fullName.trim(),
          email,
          phone: input.phone,
          locale: input.locale,
          passwordHash: null,
          emailVerifiedAt: null,
          disabledAt: null,
          prescriberKind: null,
          prescriberRegistrationNumber: null,
          prescriberOrganisation: null,
          nationalIdEncrypted: null,
          lastLoginAt: null,
        },
        { transaction },
      );
      const token = await issueToken(transaction, user.id, "account-setup", deps.clock.now());
      await queueEmail(transaction, {
        to: user.email,
        template: "account-setup",
        locale: user.locale,
        data: {
          fullName: user.fullName,
          email: user.email,
          roleName: ROLE_NAMES[user.locale][user.role],
          setupUrl: link(deps, `/reinitialiser-mot-de-passe?token=${token}&setup=1`),
        },
      });
      await recordAudit(transaction, actor, {
        action: "user.created",
        entityType: "user",
        entityId: user.id,
        after: auditedUser(user),
      });
      return user;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) {
      throw new AppError("conflict", 409, {
        detailKey: "users.email-taken",
        errors: [{ path: "email", key: "users.email-taken" }],
      });
    }
    throw error;
  }
}

export interface UserChanges {
  role?: "officer" | "trainer" | "admin";
  disabled?: boolean;
}

/** Role changes (between staff roles) and disabling; disabling ends the user's sessions at once. */
export async function changeUserByAdmin(
  deps: AccountDeps,
  userId: string,
  changes: UserChanges,
  actor: Actor,
): Promise<User> {
  if (userId === actor.userId) throw AppError.conflict("users.cannot-change-self");
  return deps.sequelize.transaction(async (transaction) => {
    const user = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!user) throw AppError.notFound();
    const before = auditedUser(user);
    if (changes.role !== undefined && changes.role !== user.role) {
      if (user.role === "applicant" || user.role === "prescriber") {
        throw AppError.validation([{ path: "role", key: "users.role-not-changeable" }]);
      }
      await user.update({ role: changes.role }, { transaction });
      await recordAudit(transaction, actor, {
        action: "user.role-changed",
        entityType: "user",
        entityId: user.id,
        before,
        after: auditedUser(user),
      });
    }
    if (changes.disabled !== undefined && changes.disabled !== (user.disabledAt !== null)) {
      const beforeDisable = auditedUser(user);
      await user.update({ disabledAt: changes.disabled ? deps.clock.now() : null }, { transaction });
      const endedSessions = changes.disabled ? await endSessionsOf(transaction, user.id) : 0;
      await recordAudit(transaction, actor, {
        action: changes.disabled ? "user.disabled" : "user.enabled",
        entityType: "user",
        entityId: user.id,
        before: beforeDisable,
        after: { ...auditedUser(user), endedSessions },
      });
    }
    return user;
  });
}

export interface OwnAccountChanges {
  fullName?: string;
  phone?: string | null;
  locale?: Locale;
  nationalId?: string | null;
}

export async function updateOwnAccount(
  deps: AccountDeps,
  userId: string,
  changes: OwnAccountChanges,
  actor: Actor,
): Promise<User> {
  return deps.sequelize.transaction(async (transaction) => {
    const user = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!user) throw AppError.notFound();
    const before = auditedUser(user);
    const nationalIdChanged = changes.nationalId !== undefined;
    await user.update(
      {
        ...(changes.fullName !== undefined ? { fullName: changes.fullName.trim() } : {}),
        ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
        ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
        ...(nationalIdChanged
          ? { nationalIdEncrypted: changes.nationalId ? deps.secretBox.seal(changes.nationalId) : null }
          : {}),
      },
      { transaction },
    );
    await recordAudit(transaction, actor, {
      action: "user.account-updated",
      entityType: "user",
      entityId: user.id,
      before,
      after: { ...auditedUser(user), ...(nationalIdChanged ? { nationalIdChanged: true } : {}) },
    });
    return user;
  });
}

export async function changeOwnPassword(
  deps: AccountDeps,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionId: string },
  actor: Actor,
  verify: (hash: string, password: string) => Promise<boolean>,
): Promise<void> {
  assertPasswordAcceptable(input.newPassword, "newPassword");
  const user = await User.findByPk(input.userId);
  if (!user) throw AppError.notFound();
  const currentOk = user.passwordHash
    ? await verify(user.passwordHash, input.currentPassword)
    : await burnVerificationTime(input.currentPassword);
  if (!currentOk) {
    const errors: FieldError[] = [{ path: "currentPassword", key: "password.current-wrong" }];
    throw AppError.validation(errors);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.sequelize.transaction(async (transaction) => {
    await User.update({ passwordHash }, { where: { id: user.id }, transaction });
    const endedSessions = await endSessionsOf(transaction, user.id, input.keepSessionId);
    await recordAudit(transaction, actor, {
      action: "user.password-changed",
      entityType: "user",
      entityId: user.id,
      after: { endedSessions },
    });
    await queueEmail(transaction, {
      to: user.email,
      template: "password-changed",
      locale: user.locale,
      data: { fullName: user.fullName, resetRequestUrl: link(deps, "/mot-de-passe-oublie") },
    });
  });
}
