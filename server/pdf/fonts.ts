import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FontScript } from "./bidi.js";

/**
 * The PDF fonts, committed under templates/pdf/fonts (SIL OFL 1.1, see OFL.txt there): Noto Sans
 * for Latin text and digits, Noto Naskh Arabic for Arabic. The Arabic font has no Latin letters,
 * so every line is drawn run by run with the font of its script (see bidi.ts).
 */

export type FontWeight = "regular" | "bold";

const FONT_FILES: Record<FontScript, Record<FontWeight, string>> = {
  latin: { regular: "NotoSans-Regular.ttf", bold: "NotoSans-Bold.ttf" },
  arabic: { regular: "NotoNaskhArabic-Regular.ttf", bold: "NotoNaskhArabic-Bold.ttf" },
};

const FONTS_SUBDIRECTORY = path.join("templates", "pdf", "fonts");

/**
 * Walks up from this module to the folder that holds templates/pdf/fonts, so the lookup does not
 * depend on the working directory nor on whether the code runs from server/ under tsx or from a
 * bundled copy elsewhere in the tree.
 */
export function findFontDirectory(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let directory = from;
  for (;;) {
    const candidate = path.join(directory, FONTS_SUBDIRECTORY);
    if (existsSync(path.join(candidate, FONT_FILES.latin.regular))) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`PDF fonts not found: no ${FONTS_SUBDIRECTORY} above ${from}`);
    directory = parent;
  }
}

/** The pdfkit name a font is registered under. */
export function fontName(script: FontScript, weight: FontWeight): string {
  return `${script}-${weight}`;
}

let cache: Map<string, Buffer> | null = null;

/** Reads the four TTF files once per process; each document then embeds only the glyphs it uses. */
function fontBuffers(): Map<string, Buffer> {
  if (cache) return cache;
  const directory = findFontDirectory();
  const buffers = new Map<string, Buffer>();
  for (const script of ["latin", "arabic"] as const) {
    for (const weight of ["regular", "bold"] as const) {
      buffers.set(fontName(script, weight), readFileSync(path.join(directory, FONT_FILES[script][weight])));
    }
  }
  cache = buffers;
  return buffers;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, buffer] of fontBuffers()) doc.registerFont(name, buffer);
  doc.font(fontName("latin", "regular"));
}
