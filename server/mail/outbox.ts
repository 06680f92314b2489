import type { Transaction } from "sequelize";
import type { Locale } from "../i18n/index.js";
import { modelsSequelize, OutboxMessage, type OutboxAttachment } from "../models/index.js";

export const SEND_EMAIL_TASK = "send_email";
const MAX_SEND_ATTEMPTS = 12;

export interface EmailToQueue {
  to: string;
  template: string;
  locale: Locale;
  data: Record<string, string>;
  attachments?: OutboxAttachment[];
}

/**
 * Queues an e-mail inside the caller's transaction: the message and its delivery job commit or
 * roll back together with the change that caused them, so no mail leaves for a change that did
 * not happen and no change loses its mail.
 */
export async function queueEmail(transaction: Transaction, email: EmailToQueue): Promise<OutboxMessage> {
  const message = await OutboxMessage.create(
    {
      recipient: email.to,
      template: email.template,
      locale: email.locale,
      data: email.data,
      attachments: email.attachments ?? [],
      lastError: null,
      sentAt: null,
    },
    { transaction },
  );
  const sequelize = modelsSequelize();
  await sequelize.query("SELECT queue_job(:task, json_build_object('messageId', CAST(:id AS text)), :maxAttempts)", {
    transaction,
    replacements: { task: SEND_EMAIL_TASK, id: message.id, maxAttempts: MAX_SEND_ATTEMPTS },
  });
  return message;
}
