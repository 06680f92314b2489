import nodemailer from "nodemailer";
import type { Transaction } from "sequelize";
import { CapturedEmail } from "../models/index.js";
import { extractLinks, type RenderedEmail } from "./templates.js";

export interface OutgoingEmail extends RenderedEmail {
  to: string;
  /** Stable per outbox message, so a receiver can drop a rare duplicate after a crash. */
  messageId: string;
  attachments: Array<{ filename: string; contentType: string } & ({ path: string } | { content: Buffer })>;
}

export interface MailTransport {
  readonly kind: "smtp" | "capture";
  send(email: OutgoingEmail, context: { outboxMessageId: string; transaction: Transaction }): Promise<void>;
  close(): void;
}

export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    kind: "smtp",
    async send(email) {
      await transporter.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        attachments: email.attachments,
      });
    },
    close: () => transporter.close(),
  };
}

/** Development: nothing leaves the machine; the mail is kept for /dev/mail. */
export function captureTransport(): MailTransport {
  return {
    kind: "capture",
    async send(email, { outboxMessageId, transaction }) {
      await CapturedEmail.create(
        {
          outboxMessageId,
          recipient: email.to,
          subject: email.subject,
          textBody: email.text,
          htmlBody: email.html,
          links: extractLinks(email),
        },
        { transaction },
      );
    },
    close: () => undefined,
  };
}
