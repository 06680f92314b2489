import Joi from "joi";
import type { SecretBox } from "../../auth/secretBox.js";
import { ROLES, type Role, type User } from "../../models/index.js";

/** What each role may do in the interface; the server checks every action again on its own. */
export function capabilitiesOf(role: Role) {
  return {
    applyForSubsidy: role === "applicant" || role === "prescriber",
    actForClients: role === "prescriber",
    reviewApplications: role === "officer",
    manageTraining: role === "trainer" || role === "admin",
    manageUsers: role === "admin",
    manageProgramme: role === "admin",
  };
}

/** "AB123456" → "AB****56": enough for its holder to recognise it, useless to anyone else. */
export function maskNationalId(nationalId: string): string {
  if (nationalId.length <= 4) return "*".repeat(nationalId.length);
  return `${nationalId.slice(0, 2)}${"*".repeat(nationalId.length - 4)}${nationalId.slice(-2)}`;
}

export const userSchema = Joi.object({
  id: Joi.string().guid().required(),
  role: Joi.string()
    .valid(...ROLES)
    .required(),
  fullName: Joi.string().required(),
  email: Joi.string().required(),
  phone: Joi.string().allow(null).required(),
  locale: Joi.string().valid("fr", "ar").required(),
  emailVerified: Joi.boolean().required(),
  disabled: Joi.boolean().required(),
  prescriber: Joi.object({
    kind: Joi.string().valid("accountant", "association").required(),
    registrationNumber: Joi.string().required(),
    organisation: Joi.string().required(),
  })
    .allow(null)
    .required(),
  nationalIdMasked: Joi.string().allow(null).required(),
  createdAt: Joi.string().isoDate().required(),
  lastLoginAt: Joi.string().isoDate().allow(null).required(),
  permissions: Joi.object().pattern(Joi.string(), Joi.boolean()).required(),
}).label("User");

export function presentUser(user: User, secretBox: SecretBox) {
  return {
    id: user.id,
    role: user.role,
    fullName: user.fullName,
    email: user.email,
    phone: user.phone,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    disabled: user.disabledAt !== null,
    prescriber:
      user.role === "prescriber" && user.prescriberKind
        ? {
            kind: user.prescriberKind,
            registrationNumber: user.prescriberRegistrationNumber ?? "",
            organisation: user.prescriberOrganisation ?? "",
          }
        : null,
    nationalIdMasked: user.nationalIdEncrypted ? maskNationalId(secretBox.open(user.nationalIdEncrypted)) : null,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    permissions: capabilitiesOf(user.role),
  };
}
