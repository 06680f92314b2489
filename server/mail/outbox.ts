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

/**
 * Queues many e-mails inside the caller's transaction, as queueEmail does each: two statements
 * whatever their number (a certificate batch queues one per certificate). Returns their ids.
 */
export async function queueEmails(transaction: Transaction, emails: readonly EmailToQueue[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const sequelize = modelsSequelize();
  const [rows] = (await sequelize.query(
    `INSERT INTO outbox_messages (recipient, template, locale, data, attachments)
     SELECT recipient, template, locale, data::jsonb, attachments::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
       AS m(recipient, template, locale, data, attachments, position)
     ORDER BY position
     RETURNING id`,
    {
      transaction,
      bind: [
        emails.map((email) => email.to),
        emails.map((email) => email.template),
        emails.map((email) => email.locale),
        emails.map((email) => JSON.stringify(email.data)),
        emails.map((email) => JSON.stringify(email.attachments ?? [])),
      ],
    },
  )) as [Array<{ id: string }>, unknown];
  const ids = rows.map((row) => row.id);
  await sequelize.query("SELECT queue_job($1, json_build_object('messageId', id), $2) FROM unnest($3::text[]) AS id", {
    transaction,
    bind: [SEND_EMAIL_TASK, MAX_SEND_ATTEMPTS, ids],
  });
  return ids;
}
