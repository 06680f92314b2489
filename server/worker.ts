import { EventEmitter } from "node:events";
import pg from "pg";
import { makeWorkerUtils, run, type Runner, type Task, type WorkerEvents } from "graphile-worker";
import {
  ACCOUNT_LINK_REQUEST_TASK,
  sendAccountLink,
  type AccountDeps,
  type AccountLinkRequest,
} from "./commands/accounts.js";
import {
  CERTIFICATE_JOB_MAX_ATTEMPTS,
  certificateJobKey,
  failCertificateJob,
  ISSUE_CERTIFICATES_TASK,
  processCertificateJob,
  staleCertificateJobs,
  type CertificateIssuing,
} from "./commands/certificates.js";
import { SYSTEM_ACTOR } from "./commands/actor.js";
import { refreshStatisticsOnClient, REFRESH_STATISTICS_TASK } from "./commands/statistics.js";
import { sendSessionReminders, type TrainingDeps } from "./commands/training.js";
import type { Logger } from "./logger.js";
import { deliverOutboxMessage, type DeliveryContext } from "./mail/deliverOutboxMessage.js";
import { SEND_EMAIL_TASK } from "./mail/outbox.js";

export const PRUNE_EXPIRED_TASK = "prune_expired";
export const SESSION_REMINDERS_TASK = "session_reminders";
// Hourly; `?max=1` keeps a backlog from piling up after downtime (one run catches up).
const CRONTAB = [
  `0 * * * * ${PRUNE_EXPIRED_TASK} ?max=1`,
  `15 * * * * ${SESSION_REMINDERS_TASK} ?max=1`,
  // The statistics are at most five minutes old.
  `*/5 * * * * ${REFRESH_STATISTICS_TASK} ?max=1`,
].join("\n");

export interface WorkerContext {
  delivery: DeliveryContext;
  accounts: AccountDeps;
  certificates: CertificateIssuing;
  training: TrainingDeps;
}

export interface WorkerOptions extends WorkerContext {
  connectionString: string;
  concurrency: number;
  pollIntervalMs: number;
  /** A certificate batch silent for this long is taken over (its worker is presumed dead). */
  staleJobAfterMs: number;
  logger: Logger;
}

function isJobPayload(payload: unknown): payload is { jobId: string } {
  return typeof payload === "object" && payload !== null && typeof (payload as { jobId?: unknown }).jobId === "string";
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

export function taskList({ delivery, accounts, certificates, training }: WorkerContext): Record<string, Task> {
  return {
    [ISSUE_CERTIFICATES_TASK]: async (payload, helpers) => {
      if (!isJobPayload(payload)) throw new Error(`${ISSUE_CERTIFICATES_TASK}: bad payload`);
      try {
        await processCertificateJob(certificates, payload.jobId, helpers.job.locked_by ?? "unknown-worker");
      } catch (error) {
        if (helpers.job.attempts >= helpers.job.max_attempts) {
          await failCertificateJob(payload.jobId, error instanceof Error ? error.message : String(error));
        }
        throw error;
      }
    },
    // Materialised views belong to the schema owner: the worker's own connection refreshes them.
    [REFRESH_STATISTICS_TASK]: async (_payload, helpers) => {
      const refreshed = await helpers.withPgClient((client) => refreshStatisticsOnClient(client));
      // Another instance is refreshing: its figures may predate the request, so try again shortly.
      if (!refreshed) throw new Error("statistics are being refreshed elsewhere; retrying");
    },
    [SESSION_REMINDERS_TASK]: async () => {
      const sent = await sendSessionReminders(training, SYSTEM_ACTOR);
      if (sent > 0) certificates.logger.info({ sent }, "session reminders queued");
    },
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
  // The names graphile-worker locks jobs with: its pool's (0.17 locks by pool) and each worker's.
  const events: WorkerEvents = new EventEmitter();
  const workerIds = new Set<string>();
  events.on("pool:create", ({ workerPool }) => workerIds.add(workerPool.id));
  events.on("worker:create", ({ worker }) => workerIds.add(worker.workerId));
  const runner = await run({
    events,
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
  // The sweepers' own pool, to handle its errors: PostgreSQL stopping (shutdown, restart) ends its
  // idle connections, and an unhandled pool error would end the process.
  const sweepersPool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  sweepersPool.on("error", (error) => workerLog.debug({ err: error }, "worker sweepers: idle connection lost"));
  const stopSweeper = sweepStaleCertificateJobs(options, sweepersPool, workerLog);
  const stopLiveness = keepWorkersAlive(options, sweepersPool, workerIds, workerLog);
  void runner.promise.finally(async () => {
    await Promise.all([stopSweeper(), stopLiveness()]);
    await sweepersPool.end().catch(() => undefined);
  });
  return runner;
}

/**
 * A worker killed in the middle of a batch leaves its job locked (the queue would wait hours).
 * Every instance watches the batches' heartbeats; one that went silent is unlocked and queued
 * again under its key, and the next worker resumes it where the database says it stopped.
 */
function sweepStaleCertificateJobs(options: WorkerOptions, pgPool: pg.Pool, log: Logger): () => Promise<void> {
  const utilsPromise = makeWorkerUtils({ pgPool });
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const stale = await staleCertificateJobs(options.staleJobAfterMs);
      if (stale.length === 0) return;
      const utils = await utilsPromise;
      await utils.forceUnlockWorkers([...new Set(stale.map((job) => job.workerId))]);
      for (const job of stale) {
        await utils.addJob(
          ISSUE_CERTIFICATES_TASK,
          { jobId: job.id },
          { jobKey: certificateJobKey(job.id), maxAttempts: CERTIFICATE_JOB_MAX_ATTEMPTS },
        );
        log.warn({ jobId: job.id, deadWorker: job.workerId }, "certificate batch taken over from a silent worker");
      }
    } catch (error) {
      log.warn({ err: error }, "could not sweep stale certificate batches");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), Math.max(250, Math.floor(options.staleJobAfterMs / 2)));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await utilsPromise.then((utils) => utils.release()).catch(() => undefined);
  };
}

/**
 * graphile-worker keeps a killed worker's jobs locked for four hours: an e-mail it was sending
 * would wait that long. Every instance beats for its workers and sweeps for workers whose beat is
 * older than the stale delay; their jobs are unlocked for the living (an e-mail in flight at the
 * kill may then go twice, which beats four hours late). DELETE … RETURNING gives each dead worker
 * to exactly one sweeper.
 */
function keepWorkersAlive(
  options: WorkerOptions,
  pgPool: pg.Pool,
  workerIds: ReadonlySet<string>,
  log: Logger,
): () => Promise<void> {
  const staleSeconds = options.staleJobAfterMs / 1000;
  const beat = async () => {
    if (workerIds.size === 0) return;
    await pgPool.query(
      `INSERT INTO worker_heartbeats (worker_id) SELECT unnest($1::text[])
       ON CONFLICT (worker_id) DO UPDATE SET beat_at = now()`,
      [[...workerIds]],
    );
  };
  const sweep = async () => {
    const client = await pgPool.connect();
    let dead: string[] = [];
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ worker_id: string }>(
        "DELETE FROM worker_heartbeats WHERE beat_at < now() - make_interval(secs => $1) RETURNING worker_id",
        [staleSeconds],
      );
      dead = rows.map((row) => row.worker_id);
      if (dead.length > 0) await client.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [dead]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (dead.length > 0) log.warn({ deadWorkers: dead }, "jobs of silent workers handed back to the queue");
  };
  const tick = () =>
    void beat()
      .then(sweep)
      .catch((error: unknown) => log.warn({ err: error }, "worker heartbeat or sweep failed"));
  tick();
  const timer = setInterval(tick, Math.max(250, Math.floor(options.staleJobAfterMs / 3)));
  timer.unref();
  return async () => {
    clearInterval(timer);
    // A worker that stops cleanly is not dead: nothing of its to hand over.
    if (workerIds.size === 0) return;
    await pgPool
      .query("DELETE FROM worker_heartbeats WHERE worker_id = ANY($1::text[])", [[...workerIds]])
      .catch(() => undefined);
  };
}
