import { RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Sequelize } from "sequelize";
import type { RateLimits } from "../../config/index.js";
import { AppError } from "../../errors.js";

export const ACCOUNT_FAILURES_BEFORE_LOCK = 5;
export const ACCOUNT_FAILURE_WINDOW_SECONDS = 60;
export const ACCOUNT_LOCK_SECONDS = 10 * 60;

export interface RateLimiters {
  loginByIp: RateLimiterPostgres;
  registrationByIp: RateLimiterPostgres;
  passwordResetByIp: RateLimiterPostgres;
  accountFailures: RateLimiterPostgres;
}

/** Counters in PostgreSQL (table rate_limits), so every app instance sees the same counts. */
export function createRateLimiters(sequelize: Sequelize, limits: RateLimits): RateLimiters {
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({
      storeClient: sequelize,
      storeType: "sequelize",
      tableName: "rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix,
      points,
      duration,
    });
  return {
    loginByIp: limiter("login-ip", limits.loginPerMinute, 60),
    registrationByIp: limiter("register-ip", limits.registrationsPerHour, 3600),
    passwordResetByIp: limiter("reset-ip", limits.passwordResetsPerHour, 3600),
    accountFailures: limiter("login-account", ACCOUNT_FAILURES_BEFORE_LOCK, ACCOUNT_FAILURE_WINDOW_SECONDS),
  };
}

/** Takes one point for this key, or refuses with 429 and Retry-After when none is left. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new AppError("too-many-requests", 429, { retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) });
    }
    throw rejection;
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The lock is keyed by the address typed, whether or not it has an account: an unknown address
 * locks the same way, so lockout reveals nothing.
 */
export async function assertAccountNotLocked(limiters: RateLimiters, email: string): Promise<void> {
  const state = await limiters.accountFailures.get(accountKey(email));
  if (!state || state.consumedPoints < ACCOUNT_FAILURES_BEFORE_LOCK) return;
  const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  throw new AppError("account-locked", 429, {
    params: { minutes: Math.ceil(seconds / 60) },
    retryAfterSeconds: seconds,
  });
}

export async function recordFailedLogin(limiters: RateLimiters, email: string): Promise<void> {
  const key = accountKey(email);
  const state = await limiters.accountFailures.penalty(key, 1);
  if (state.consumedPoints >= ACCOUNT_FAILURES_BEFORE_LOCK) {
    await limiters.accountFailures.block(key, ACCOUNT_LOCK_SECONDS);
  }
}

export async function clearFailedLogins(limiters: RateLimiters, email: string): Promise<void> {
  await limiters.accountFailures.delete(accountKey(email));
}
