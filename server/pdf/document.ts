import { randomUUID } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import PDFDocument from "pdfkit";
import type { Locale } from "../i18n/index.js";
import { registerFonts } from "./fonts.js";

export const PDF_AUTHOR = "Moussanada Numérique";

export interface PdfDocumentOptions {
  locale: Locale;
  layout?: "portrait" | "landscape";
  title: string;
  subject?: string;
  keywords?: string;
  /**
   * Written as CreationDate and ModDate, and pdfkit derives the file identifier from them: the
   * same content and the same date give the same bytes.
   */
  createdAt: Date;
}

export type DrawPdf = (doc: PDFKit.PDFDocument) => void | Promise<void>;

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * pdfkit copies the document information (title with the holder's name, subject, keywords) into
 * the XMP metadata packet, which is XML, without escaping it: a holder named "<x>" broke the packet
 * and could forge its fields. The Info dictionary is already written when the packet is built, so
 * the values are escaped for the packet only.
 */
function escapeInfoInXmp(doc: PDFKit.PDFDocument): void {
  const target = doc as unknown as { endMetadata(): void; info: Record<string, unknown> };
  const endMetadata = target.endMetadata.bind(target);
  target.endMetadata = () => {
    for (const [key, value] of Object.entries(target.info)) {
      if (typeof value === "string") {
        target.info[key] = value.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);
      }
    }
    endMetadata();
  };
}

/**
 * An A4 document with the programme's fonts registered. Pages are buffered so that footers
 * ("Page 2 / 3") can be written once the page count is known. Margins are zero: callers lay out
 * their pages themselves (see PageFlow), so pdfkit never adds a page on its own.
 */
export function createPdfDocument(options: PdfDocumentOptions): PDFKit.PDFDocument {
  const info: PDFKit.DocumentInfo = {
    Title: options.title,
    Author: PDF_AUTHOR,
    Creator: PDF_AUTHOR,
    CreationDate: options.createdAt,
    ModDate: options.createdAt,
  };
  if (options.subject) info.Subject = options.subject;
  if (options.keywords) info.Keywords = options.keywords;
  const doc = new PDFDocument({
    size: "A4",
    layout: options.layout ?? "portrait",
    margin: 0,
    bufferPages: true,
    lang: options.locale,
    displayTitle: true,
    pdfVersion: "1.7",
    info,
  });
  escapeInfoInXmp(doc);
  registerFonts(doc);
  return doc;
}

/** Renders a whole document in memory, for an HTTP response. */
export function renderPdfToBuffer(options: PdfDocumentOptions, draw: DrawPdf): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = createPdfDocument(options);
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    Promise.resolve()
      .then(() => draw(doc))
      .then(() => doc.end())
      .catch(reject);
  });
}

/**
 * Renders a document to `target` through a temporary file in the same folder, flushed to disk and
 * then renamed: readers see either no file or a whole PDF, never a half-written one, even if the
 * process dies in the middle.
 */
export async function renderPdfToFile(target: string, options: PdfDocumentOptions, draw: DrawPdf): Promise<void> {
  const bytes = await renderPdfToBuffer(options, draw);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  const handle = await open(temporary, "wx", 0o640);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
