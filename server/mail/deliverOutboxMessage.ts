import type { Sequelize } from "sequelize";
import type { Logger } from "../logger.js";
import { OutboxMessage, type OutboxAttachment } from "../models/index.js";
import type { DocumentStore } from "../storage/documentStore.js";
import { renderEmail } from "./templates.js";
import type { MailTransport } from "./transport.js";

export interface DeliveryContext {
  sequelize: Sequelize;
  /** Where attachments kept as storage keys (certificates' PDFs) are read from. */
  documentStore: DocumentStore;
  transport: MailTransport;
  publicUrl: string;
  mailDomain: string;
  logger: Logger;
}

/**
 * Sends one outbox message and marks it sent. The row is locked while sending so two workers never
 * send it twice; a failure is recorded and rethrown, and the job queue retries with back-off.
 */
export async function deliverOutboxMessage(
  context: DeliveryContext,
  messageId: string,
  attempt: { number: number; isLast: boolean },
): Promise<void> {
  try {
    await context.sequelize.transaction(async (transaction) => {
      const message = await OutboxMessage.findByPk(messageId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!message) {
        context.logger.warn({ messageId }, "outbox message vanished; nothing to send");
        return;
      }
      if (message.status === "sent") return;
      const rendered = renderEmail(message.template, message.locale, { publicUrl: context.publicUrl, ...message.data });
      await context.transport.send(
        {
          ...rendered,
          to: message.recipient,
          messageId: `<${message.id}@${context.mailDomain}>`,
          attachments: await loadAttachments(context.documentStore, message.attachments),
        },
        { outboxMessageId: message.id, transaction },
      );
      await message.update(
        { status: "sent", sentAt: new Date(), attempts: attempt.number, lastError: null },
        { transaction },
      );
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await OutboxMessage.update(
      { attempts: attempt.number, lastError: reason.slice(0, 1000), status: attempt.isLast ? "failed" : "pending" },
      { where: { id: messageId } },
    );
    context.logger.warn({ messageId, attempt: attempt.number, err: error }, "e-mail not sent; the queue will retry");
    throw error;
  }
}

async function readAll(store: DocumentStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.open(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Attachments as the transport takes them: stored objects are read into memory (PDFs of ~100 KB). */
async function loadAttachments(store: DocumentStore, attachments: OutboxAttachment[]) {
  const loaded = [];
  for (const attachment of attachments) {
    const { filename, contentType } = attachment;
    loaded.push(
      "storageKey" in attachment
        ? { filename, contentType, content: await readAll(store, attachment.storageKey) }
        : { filename, contentType, path: attachment.path },
    );
  }
  return loaded;
}
