import express, { type Router } from "express";
import Joi from "joi";
import { Op } from "sequelize";
import { AppError } from "../../errors.js";
import { escapeHtml } from "../../mail/templates.js";
import { CapturedEmail, OutboxMessage } from "../../models/index.js";
import { listOf, type ApiRouter } from "../apiRouter.js";
import { pageWindow } from "../validation.js";

/** Development only: the e-mails the app would have sent, for people and tests to read. */

const capturedSchema = Joi.object({
  id: Joi.string().guid(),
  to: Joi.string(),
  subject: Joi.string(),
  text: Joi.string(),
  html: Joi.string(),
  links: Joi.array().items(Joi.string()),
  createdAt: Joi.string().isoDate(),
}).label("CapturedEmail");

function present(mail: CapturedEmail) {
  return {
    id: mail.id,
    to: mail.recipient,
    subject: mail.subject,
    text: mail.textBody,
    html: mail.htmlBody,
    links: mail.links,
    createdAt: mail.createdAt.toISOString(),
  };
}

export function registerDevMailApi(api: ApiRouter): void {
  api.route<{ to?: string; page: number; pageSize: number }>({
    method: "get",
    path: "/dev/mails",
    summary: "E-mails capturés (mode développement uniquement), du plus récent au plus ancien",
    tags: ["Développement"],
    access: "tout le monde, en développement seulement",
    query: Joi.object({
      to: Joi.string().trim().lowercase().max(254),
      page: Joi.number().integer().min(1).default(1),
      pageSize: Joi.number().integer().min(1).max(100).default(50),
    }),
    responses: { 200: { description: "E-mails", schema: listOf(capturedSchema) } },
    handler: async ({ query }, _req, res) => {
      const { rows, count } = await CapturedEmail.findAndCountAll({
        where: query.to ? { recipient: { [Op.iLike]: query.to } } : {},
        order: [
          ["createdAt", "DESC"],
          ["id", "DESC"],
        ],
        ...pageWindow(query),
      });
      res
        .set("Cache-Control", "no-store")
        .json({ items: rows.map(present), total: count, page: query.page, pageSize: query.pageSize });
    },
  });
}

function page(nonce: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:960px;padding:24px;color:#1b2733}
h1{font-size:1.6rem} article{border:1px solid #d5dde5;border-radius:8px;padding:16px;margin:16px 0}
pre{white-space:pre-wrap;background:#f4f6f8;padding:12px;border-radius:6px;unicode-bidi:plaintext}
.meta{color:#4a5b6b;font-size:.9rem} a{color:#0b5d3b}
</style></head><body>${body}</body></html>`;
}

export function devMailPages(): Router {
  const router = express.Router({ strict: true });
  router.get("/dev/mail", async (_req, res) => {
    const mails = await CapturedEmail.findAll({ order: [["createdAt", "DESC"]], limit: 100 });
    const locales = new Map(
      (
        await OutboxMessage.findAll({
          where: { id: mails.map((mail) => mail.outboxMessageId) },
          attributes: ["id", "locale"],
        })
      ).map((message) => [message.id, message.locale]),
    );
    const items = mails
      .map((mail) => {
        // The page is French; each message keeps its own language and direction for screen readers.
        const locale = locales.get(mail.outboxMessageId) ?? "fr";
        const dir = locale === "ar" ? "rtl" : "ltr";
        return `<article>
  <h2 lang="${locale}" dir="${dir}">${escapeHtml(mail.subject)}</h2>
  <p class="meta">À : <span dir="ltr">${escapeHtml(mail.recipient)}</span> — ${escapeHtml(mail.createdAt.toISOString())} —
     <a href="/dev/mail/${mail.id}.html">version HTML</a></p>
  <pre lang="${locale}" dir="${dir}">${escapeHtml(mail.textBody)}</pre>
  ${mail.links.length > 0 ? `<ul>${mail.links.map((link) => `<li><a href="${escapeHtml(link)}" dir="ltr">${escapeHtml(link)}</a></li>`).join("")}</ul>` : ""}
</article>`;
      })
      .join("\n");
    res
      .set("Cache-Control", "no-store")
      .type("html")
      .send(
        page(
          res.locals.cspNonce,
          "E-mails capturés",
          `<h1>E-mails capturés (développement)</h1>
<p>En développement, aucun e-mail ne quitte la machine : voici ce qui aurait été envoyé, du plus récent au plus ancien. Rechargez la page pour voir les nouveaux.</p>
${items || "<p>Aucun e-mail pour l'instant.</p>"}`,
        ),
      );
  });
  router.get("/dev/mail/:id.html", async (req, res) => {
    const id = req.params.id;
    if (!/^[0-9a-f-]{36}$/.test(id)) throw AppError.notFound();
    const mail = await CapturedEmail.findByPk(id);
    if (!mail) throw AppError.notFound();
    // E-mail HTML relies on inline styles; shown alone, with nothing else allowed to run.
    res
      .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
      .type("html")
      .send(mail.htmlBody);
  });
  return router;
}
