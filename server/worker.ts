import { run, runMigrations, type Runner, type Task } from "graphile-worker";
import type { Logger } from "./logger.js";
import { deliverOutboxMessage, type DeliveryContext } from "./mail/deliverOutboxMessage.js";
import { SEND_EMAIL_TASK } from "./mail/outbox.js";

export interface WorkerOptions {
  connectionString: string;
  concurrency: number;
  pollIntervalMs: number;
  delivery: DeliveryContext;
  logger: Logger;
}

function isMessagePayload(payload: unknown): payload is { messageId: string } {
  return (
    typeof payload === "object" &&
    payload !== null &&
    typeof (payload as { messageId?: unknown }).messageId === "string"
  );
}

/** graphile-worker's schema must exist before the first job is queued in a business transaction. */
export async function prepareJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString });
}

export function taskList(delivery: DeliveryContext): Record<string, Task> {
  return {
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
    taskList: taskList(options.delivery),
    logger: new (await import("graphile-worker")).Logger((scope) => (level, message, meta) => {
      const log = workerLog.child({ scope: scope.label ?? "worker" });
      if (level === "error") log.error(meta ?? {}, message);
      else if (level === "warning") log.warn(meta ?? {}, message);
      else log.debug(meta ?? {}, message);
    }),
  });
}
