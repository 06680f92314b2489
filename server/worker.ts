import { run, type Runner, type Task } from "graphile-worker";
import {
  ACCOUNT_LINK_REQUEST_TASK,
  sendAccountLink,
  type AccountDeps,
  type AccountLinkRequest,
} from "./commands/accounts.js";
import type { Logger } from "./logger.js";
import { deliverOutboxMessage, type DeliveryContext } from "./mail/deliverOutboxMessage.js";
import { SEND_EMAIL_TASK } from "./mail/outbox.js";

export const PRUNE_EXPIRED_TASK = "prune_expired";
// Hourly; `?max=1` keeps a backlog from piling up after downtime (one run catches up).
const CRONTAB = `0 * * * * ${PRUNE_EXPIRED_TASK} ?max=1`;

export interface WorkerContext {
  delivery: DeliveryContext;
  accounts: AccountDeps;
}

export interface WorkerOptions extends WorkerContext {
  connectionString: string;
  concurrency: number;
  pollIntervalMs: number;
  logger: Logger;
}

function isMessagePayload(payload: unknown): payload is { messageId: string } {
  return (
    typeof payload === "object" &&
    payload !== null &&
    typeof (payload as { messageId?: unknown }).messageId === "string"
  );
}

function isAccountLinkRequest(payload: unknown): payload is AccountLinkRequest {
  const candidate = payload as Partial<AccountLinkRequest> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    (candidate.kind === "verify-email" || candidate.kind === "password-reset") &&
    typeof candidate.email === "string" &&
    typeof candidate.actor === "object"
  );
}

export function taskList({ delivery, accounts }: WorkerContext): Record<string, Task> {
  return {
    [ACCOUNT_LINK_REQUEST_TASK]: async (payload) => {
      if (!isAccountLinkRequest(payload)) throw new Error(`${ACCOUNT_LINK_REQUEST_TASK}: bad payload`);
      await sendAccountLink(accounts, payload);
    },
    // Sessions and rate-limit counters past their expiry, and retired single-use tokens.
    [PRUNE_EXPIRED_TASK]: async (_payload, helpers) => {
      await helpers.query("DELETE FROM sessions WHERE expire < now()");
      await helpers.query(
        "DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire < (extract(epoch FROM now()) * 1000)::bigint",
      );
      await helpers.query("DELETE FROM user_tokens WHERE expires_at < now() - interval '30 days'");
    },
    [SEND_EMAIL_TASK]: async (payload, helpers) => {
      if (!isMessagePayload(payload)) throw new Error(`${SEND_EMAIL_TASK}: bad payload`);
      await deliverOutboxMessage(delivery, payload.messageId, {
        number: helpers.job.attempts,
        isLast: helpers.job.attempts >= helpers.job.max_attempts,
      });
    },
  };
}

/**
 * The background worker: e-mail now, PDF batches later. It runs inside the web process by default
 * and can run alone on other machines (jobs live in PostgreSQL, any instance may take them).
 */
export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const workerLog = options.logger.child({ component: "worker" });
  return run({
    connectionString: options.connectionString,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs,
    noHandleSignals: true,
    taskList: taskList(options),
    crontab: CRONTAB,
    logger: new (await import("graphile-worker")).Logger((scope) => (level, message, meta) => {
      const log = workerLog.child({ scope: scope.label ?? "worker" });
      if (level === "error") log.error(meta ?? {}, message);
      else if (level === "warning") log.warn(meta ?? {}, message);
      else log.debug(meta ?? {}, message);
    }),
  });
}
