import type { Request, Response } from "express";
import Joi from "joi";
import type { SecretBox } from "../../auth/secretBox.js";
import { actorFrom } from "../../commands/actor.js";
import {
  registerAccount,
  requestAccountLink,
  setPasswordWithToken,
  verifyEmail,
  type AccountDeps,
  type Registration,
} from "../../commands/accounts.js";
import { recordAudit } from "../../commands/auditRecorder.js";
import { AppError } from "../../errors.js";
import { PRESCRIBER_KINDS, User } from "../../models/index.js";
import type { ApiRouter } from "../apiRouter.js";
import type { Csrf } from "../auth/csrf.js";
import { currentUser } from "../auth/guards.js";
import type { PassportInstance } from "../auth/passport.js";
import {
  assertAccountNotLocked,
  clearFailedLogins,
  consumeOrRefuse,
  recordFailedLogin,
  type RateLimiters,
} from "../auth/rateLimits.js";
import { sessionCookieName } from "../auth/sessions.js";
import { presentUser, userSchema } from "../presenters/users.js";
import { emailField, fullNameField, localeField, nationalIdField, passwordField, phoneField } from "../schemas.js";

export interface AuthRouteDeps {
  accounts: AccountDeps;
  passport: PassportInstance;
  csrf: Csrf;
  limiters: RateLimiters;
  secretBox: SecretBox;
  isProduction: boolean;
}

const TAGS = ["Comptes et connexion"];
const ANYONE = "tout le monde";

function clientKey(req: Request): string {
  return req.ip ?? "unknown";
}

function authenticateLocal(passport: PassportInstance, req: Request, res: Response): Promise<User | false> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate("local", { session: false }, (error: unknown, user: User | false) => {
      if (error) reject(error);
      else resolve(user);
    }) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
    middleware(req, res, (error) => (error ? reject(error) : resolve(false)));
  });
}

function logIn(req: Request, user: User): Promise<void> {
  // Passport regenerates the session here: a session id planted before sign-in is worthless after.
  return new Promise((resolve, reject) => req.login(user, (error: unknown) => (error ? reject(error) : resolve())));
}

function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!req.session) {
      resolve();
      return;
    }
    req.session.destroy((error: unknown) => (error ? reject(error) : resolve()));
  });
}

export function registerAuthRoutes(api: ApiRouter, deps: AuthRouteDeps): void {
  api.route({
    method: "get",
    path: "/auth/csrf",
    summary: "Jeton anti-CSRF de la session, à renvoyer dans l'en-tête X-CSRF-Token",
    tags: TAGS,
    access: ANYONE,
    responses: { 200: { description: "Jeton", schema: Joi.object({ csrfToken: Joi.string().required() }) } },
    handler: (_input, req, res) => {
      res.set("Cache-Control", "no-store").json({ csrfToken: deps.csrf.generateToken(req) });
    },
  });

  api.route<Record<string, never>, Registration>({
    method: "post",
    path: "/auth/register",
    summary: "Inscription d'un dirigeant de PME ou d'un prescripteur (e-mail de confirmation envoyé)",
    tags: TAGS,
    access: ANYONE,
    body: Joi.object({
      email: emailField().required(),
      password: passwordField().required(),
      fullName: fullNameField().required(),
      phone: phoneField().default(null),
      role: Joi.string().valid("applicant", "prescriber").required(),
      locale: localeField().default("fr"),
      nationalId: nationalIdField().default(null),
      prescriber: Joi.when("role", {
        is: "prescriber",
        then: Joi.object({
          kind: Joi.string()
            .valid(...PRESCRIBER_KINDS)
            .required(),
          registrationNumber: Joi.string().trim().min(1).max(50).required(),
          organisation: Joi.string().trim().min(2).max(200).required(),
        }).required(),
        otherwise: Joi.valid(null).default(null),
      }),
    }),
    responses: {
      201: {
        description:
          "Demande enregistrée : un e-mail part vers l'adresse donnée (confirmation, ou avis « compte existant »). La réponse est la même dans les deux cas.",
        schema: Joi.object({
          id: Joi.string().guid(),
          email: Joi.string(),
          status: Joi.string().valid("verification-sent"),
        }),
      },
    },
    handler: async ({ body }, req, res) => {
      await consumeOrRefuse(deps.limiters.registrationByIp, clientKey(req));
      const { id } = await registerAccount(deps.accounts, body, actorFrom(req, null));
      res.status(201).json({ id, email: body.email, status: "verification-sent" });
    },
  });

  api.route<Record<string, never>, { token: string }>({
    method: "post",
    path: "/auth/verify-email",
    summary: "Confirme l'adresse e-mail avec le jeton du lien reçu",
    tags: TAGS,
    access: ANYONE,
    body: Joi.object({ token: Joi.string().trim().max(200).required() }),
    responses: {
      200: { description: "Adresse confirmée", schema: Joi.object({ status: Joi.string().valid("verified") }) },
    },
    handler: async ({ body }, req, res) => {
      await verifyEmail(deps.accounts, body.token, actorFrom(req, null));
      res.json({ status: "verified" });
    },
  });

  api.route<Record<string, never>, { email: string }>({
    method: "post",
    path: "/auth/verify-email/resend",
    summary: "Renvoie un lien de confirmation (même réponse que l'adresse existe ou non)",
    tags: TAGS,
    access: ANYONE,
    body: Joi.object({ email: emailField().required() }),
    responses: { 202: { description: "Demande prise en compte", schema: Joi.object({ status: Joi.string() }) } },
    handler: async ({ body }, req, res) => {
      await consumeOrRefuse(deps.limiters.passwordResetByIp, clientKey(req));
      await requestAccountLink(deps.accounts, { kind: "verify-email", email: body.email, actor: actorFrom(req, null) });
      res.status(202).json({ status: "sent-if-pending" });
    },
  });

  api.route<Record<string, never>, { email: string; password: string }>({
    method: "post",
    path: "/auth/login",
    summary: "Connexion ; renvoie l'utilisateur et un nouveau jeton anti-CSRF",
    tags: TAGS,
    access: ANYONE,
    body: Joi.object({ email: emailField().required(), password: passwordField().required() }),
    responses: {
      200: { description: "Connecté", schema: Joi.object({ user: userSchema, csrfToken: Joi.string() }) },
      401: { description: "Adresse ou mot de passe incorrect (même réponse que le compte existe ou non)" },
      403: { description: "Adresse e-mail non confirmée, ou compte désactivé" },
      429: { description: "Trop de tentatives (compte bloqué 10 minutes après 5 échecs en 60 secondes)" },
    },
    handler: async ({ body }, req, res) => {
      await consumeOrRefuse(deps.limiters.loginByIp, clientKey(req));
      await assertAccountNotLocked(deps.limiters, body.email);
      const user = await authenticateLocal(deps.passport, req, res);
      if (!user) {
        await recordFailedLogin(deps.limiters, body.email);
        const known = await User.findOne({ where: { email: body.email }, attributes: ["id", "role"] });
        await deps.accounts.sequelize.transaction((transaction) =>
          recordAudit(transaction, actorFrom(req, null), {
            action: "auth.login-failed",
            entityType: "user",
            entityId: known?.id ?? null,
            after: { email: body.email },
          }),
        );
        throw new AppError("invalid-credentials", 401);
      }
      if (user.disabledAt !== null) throw new AppError("account-disabled", 403);
      if (user.emailVerifiedAt === null) throw new AppError("email-not-verified", 403);
      await clearFailedLogins(deps.limiters, body.email);
      await logIn(req, user);
      const now = deps.accounts.clock.now();
      req.session.signedInAt = now.getTime();
      await deps.accounts.sequelize.transaction(async (transaction) => {
        await user.update({ lastLoginAt: now }, { transaction });
        await recordAudit(transaction, actorFrom(req, user), {
          action: "auth.login",
          entityType: "user",
          entityId: user.id,
        });
      });
      const csrfToken = deps.csrf.generateToken(req, true);
      res.json({ user: presentUser(user, deps.secretBox), csrfToken });
    },
  });

  api.route({
    method: "post",
    path: "/auth/logout",
    summary: "Déconnexion : la session est détruite côté serveur",
    tags: TAGS,
    access: "utilisateur connecté",
    responses: { 204: { description: "Déconnecté" } },
    handler: async (_input, req, res) => {
      const user = currentUser(req);
      await deps.accounts.sequelize.transaction((transaction) =>
        recordAudit(transaction, actorFrom(req, user), {
          action: "auth.logout",
          entityType: "user",
          entityId: user.id,
        }),
      );
      await destroySession(req);
      res.clearCookie(sessionCookieName({ isProduction: deps.isProduction }), {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: deps.isProduction,
      });
      res.status(204).end();
    },
  });

  api.route({
    method: "get",
    path: "/auth/me",
    summary: "L'utilisateur connecté et ce qu'il peut faire",
    tags: TAGS,
    access: "utilisateur connecté",
    responses: { 200: { description: "Utilisateur", schema: Joi.object({ user: userSchema }) } },
    handler: (_input, req, res) => {
      res.set("Cache-Control", "no-store").json({ user: presentUser(currentUser(req), deps.secretBox) });
    },
  });

  api.route<Record<string, never>, { email: string }>({
    method: "post",
    path: "/auth/password-reset",
    summary: "Demande un lien de réinitialisation (même réponse que l'adresse existe ou non)",
    tags: TAGS,
    access: ANYONE,
    body: Joi.object({ email: emailField().required() }),
    responses: { 202: { description: "Demande prise en compte", schema: Joi.object({ status: Joi.string() }) } },
    handler: async ({ body }, req, res) => {
      await consumeOrRefuse(deps.limiters.passwordResetByIp, clientKey(req));
      await requestAccountLink(deps.accounts, {
        kind: "password-reset",
        email: body.email,
        actor: actorFrom(req, null),
      });
      res.status(202).json({ status: "sent-if-exists" });
    },
  });

  api.route<Record<string, never>, { token: string; password: string }>({
    method: "post",
    path: "/auth/password-reset/confirm",
    summary: "Choisit un nouveau mot de passe avec le jeton du lien reçu ; toutes les sessions sont fermées",
    tags: TAGS,
    access: ANYONE,
    body: Joi.object({ token: Joi.string().trim().max(200).required(), password: passwordField().required() }),
    responses: { 200: { description: "Mot de passe changé", schema: Joi.object({ status: Joi.string() }) } },
    handler: async ({ body }, req, res) => {
      await setPasswordWithToken(deps.accounts, body, actorFrom(req, null));
      res.json({ status: "password-changed" });
    },
  });
}
