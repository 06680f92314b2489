import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Locale } from "../i18n/index.js";

export const EMAIL_TEMPLATES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "templates",
  "email",
);

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * `{{name}}` is replaced (HTML-escaped when `escape`), `{{{name}}}` is inserted as is. One pass:
 * an inserted value is never read again as a template, so a user named "{{body}}" stays text.
 */
function fill(template: string, data: Record<string, string>, escape: boolean): string {
  return template.replace(
    /\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g,
    (_match, raw: string | undefined, name: string | undefined) => {
      if (raw !== undefined) return data[raw] ?? "";
      const value = data[name ?? ""] ?? "";
      return escape ? escapeHtml(value) : value;
    },
  );
}

const cache = new Map<string, string>();

function readTemplate(...segments: string[]): string {
  const file = path.join(EMAIL_TEMPLATES_DIR, ...segments);
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  if (!existsSync(file)) throw new Error(`Missing e-mail template ${path.relative(EMAIL_TEMPLATES_DIR, file)}`);
  const content = readFileSync(file, "utf8");
  cache.set(file, content);
  return content;
}

/**
 * Renders templates/email/{locale}/{name}.{html,txt} inside the shared layout; the subject is the
 * first line of the .txt file ("Subject: …"). Every value is escaped in the HTML part.
 */
export function renderEmail(name: string, locale: Locale, data: Record<string, string>): RenderedEmail {
  const textSource = readTemplate(locale, `${name}.txt`);
  const [firstLine = "", ...rest] = textSource.split("\n");
  const subjectMatch = /^Subject: (.+)$/.exec(firstLine);
  if (!subjectMatch?.[1]) throw new Error(`Template ${locale}/${name}.txt must start with "Subject: …"`);
  const subject = fill(subjectMatch[1], data, false).trim();
  const text = `${fill(rest.join("\n"), data, false).trim()}\n\n${fill(readTemplate(locale, "signature.txt"), data, false).trim()}\n`;
  const body = fill(readTemplate(locale, `${name}.html`), data, true);
  const html = fill(
    readTemplate("layout.html"),
    {
      lang: locale,
      dir: locale === "ar" ? "rtl" : "ltr",
      align: locale === "ar" ? "right" : "left",
      subject: escapeHtml(subject),
      publicUrl: escapeHtml(data.publicUrl ?? ""),
      signature: fill(readTemplate(locale, "signature.html"), data, true),
      body,
    },
    false,
  );
  return { subject, text, html };
}

/** Every http(s) link of a rendered message (shown at /dev/mail and followed by tests). */
export function extractLinks(email: RenderedEmail): string[] {
  const links = new Set<string>();
  for (const match of email.html.matchAll(/href="(https?:\/\/[^"]+)"/g)) {
    if (match[1]) links.add(match[1].replace(/&amp;/g, "&"));
  }
  for (const match of email.text.matchAll(/https?:\/\/\S+/g)) links.add(match[0]);
  return [...links];
}
