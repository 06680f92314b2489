import { runOnce } from "graphile-worker";
import { Op } from "sequelize";
import { Logger as WorkerLogger } from "graphile-worker";
import { workerContext } from "../../server/services/container.js";
import { captureTransport, type MailTransport } from "../../server/mail/transport.js";
import { CapturedEmail } from "../../server/models/index.js";
import { taskList } from "../../server/worker.js";
import { createDocumentStore } from "../../server/storage/documentStore.js";
import { TEST_SIGNER, testConfig } from "./testApp.js";
import type { Clock } from "../../server/domain/calendar.js";
import { TEST_NOW, testLogger, testSequelize } from "./testDatabase.js";

function databaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  return url;
}

/**
 * Runs every job that is due now (e-mail deliveries) through the real worker code, then returns.
 * Jobs waiting for a retry later are left for a later call.
 */
export async function deliverQueuedEmails(
  transport: MailTransport = captureTransport(),
  clock: Clock = testClock,
): Promise<void> {
  const context = workerContext({
    config: testConfig(),
    logger: testLogger,
    clock,
    sequelize: testSequelize(),
    transport,
    documentStore: createDocumentStore(testConfig().storage),
    signer: TEST_SIGNER,
  });
  // Twice: a first pass may queue mails (link requests), the second sends them.
  for (let pass = 0; pass < 2; pass += 1) {
    await runOnce({
      connectionString: databaseUrl(),
      taskList: taskList(context),
      noHandleSignals: true,
      logger: silentWorkerLogger,
    });
  }
}

const silentWorkerLogger = new WorkerLogger(() => () => undefined);
// The default app clock of the tests (buildTestApp): tokens made by the worker expire on the
// same timeline as the app that checks them. Tests that move their app's clock pass it.
const testClock: Clock = { now: () => new Date(TEST_NOW) };

/** Captured e-mails to an address, newest first (development capture transport). */
export async function capturedEmailsTo(address: string): Promise<CapturedEmail[]> {
  return CapturedEmail.findAll({
    where: { recipient: { [Op.iLike]: address } },
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
  });
}

/** The first link of the mail whose path starts with `pathPrefix`, e.g. "/verifier-email". */
export function linkIn(mail: { links: string[] }, pathPrefix: string): URL {
  const found = mail.links.map((link) => new URL(link)).find((url) => url.pathname.startsWith(pathPrefix));
  if (!found) throw new Error(`no ${pathPrefix} link in ${JSON.stringify(mail.links)}`);
  return found;
}
