import Joi from "joi";
import type { SecretBox } from "../../auth/secretBox.js";
import { verifyPassword } from "../../auth/passwords.js";
import { actorFrom } from "../../commands/actor.js";
import {
  changeOwnPassword,
  updateOwnAccount,
  type AccountDeps,
  type OwnAccountChanges,
} from "../../commands/accounts.js";
import type { ApiRouter } from "../apiRouter.js";
import { currentUser } from "../auth/guards.js";
import { presentUser, userSchema } from "../presenters/users.js";
import { fullNameField, localeField, nationalIdField, passwordField, phoneField } from "../schemas.js";

const TAGS = ["Mon compte"];

export function registerAccountRoutes(api: ApiRouter, deps: { accounts: AccountDeps; secretBox: SecretBox }): void {
  api.route<Record<string, never>, OwnAccountChanges>({
    method: "patch",
    path: "/account",
    summary: "Modifie son nom, son téléphone, sa langue ou son numéro de CIN",
    tags: TAGS,
    access: "utilisateur connecté",
    body: Joi.object({
      fullName: fullNameField(),
      phone: phoneField(),
      locale: localeField(),
      nationalId: nationalIdField(),
    }).min(1),
    responses: { 200: { description: "Compte modifié", schema: Joi.object({ user: userSchema }) } },
    handler: async ({ body }, req, res) => {
      const user = currentUser(req);
      const updated = await updateOwnAccount(deps.accounts, user.id, body, actorFrom(req, user));
      res.json({ user: presentUser(updated, deps.secretBox) });
    },
  });

  api.route<Record<string, never>, { currentPassword: string; newPassword: string }>({
    method: "post",
    path: "/account/password",
    summary: "Change son mot de passe ; ses autres sessions sont fermées",
    tags: TAGS,
    access: "utilisateur connecté",
    body: Joi.object({ currentPassword: passwordField().required(), newPassword: passwordField().required() }),
    responses: { 200: { description: "Mot de passe changé", schema: Joi.object({ status: Joi.string() }) } },
    handler: async ({ body }, req, res) => {
      const user = currentUser(req);
      await changeOwnPassword(
        deps.accounts,
        {
          userId: user.id,
          currentPassword: body.currentPassword,
          newPassword: body.newPassword,
          keepSessionId: req.sessionID,
        },
        actorFrom(req, user),
        verifyPassword,
      );
      res.json({ status: "password-changed" });
    },
  });
}
