import { createHash, randomBytes } from "node:crypto";
import { Op, type Transaction } from "sequelize";
import { UserToken, type TokenPurpose } from "../models/index.js";

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  "verify-email": 24 * 60 * 60 * 1000,
  "password-reset": 60 * 60 * 1000,
  "account-setup": 72 * 60 * 60 * 1000,
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Issues a single-use token (256 random bits, URL-safe) and retires the user's earlier unused
 * tokens of the same purpose, so only the latest link works.
 */
export async function issueToken(
  transaction: Transaction,
  userId: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<string> {
  await UserToken.update({ usedAt: now }, { where: { userId, purpose, usedAt: { [Op.is]: null } }, transaction });
  const token = randomBytes(32).toString("base64url");
  await UserToken.create(
    {
      userId,
      purpose,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
      usedAt: null,
    },
    { transaction },
  );
  return token;
}

/** Marks the token used and returns it, or null when it is unknown, used, expired or for another purpose. */
export async function consumeToken(
  transaction: Transaction,
  token: string,
  purposes: readonly TokenPurpose[],
  now: Date,
): Promise<UserToken | null> {
  const row = await UserToken.findOne({
    where: { tokenHash: hashToken(token) },
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (!row || !purposes.includes(row.purpose) || row.usedAt !== null || row.expiresAt <= now) return null;
  await row.update({ usedAt: now }, { transaction });
  return row;
}
