import { existsSync, readFileSync } from "node:fs";
import { create, type Font } from "fontkit";
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

let cache: Map<string, Font> | null = null;

/**
 * Reads and parses the four TTF files once per process: parsing is most of the cost of a short
 * document (a certificate took ~180 ms, ~70 ms with the tables parsed once).
 */
function parsedFonts(): Map<string, Font> {
  if (cache) return cache;
  const directory = findFontDirectory();
  const fonts = new Map<string, Font>();
  for (const script of ["latin", "arabic"] as const) {
    for (const weight of ["regular", "bold"] as const) {
      fonts.set(fontName(script, weight), create(readFileSync(path.join(directory, FONT_FILES[script][weight]))));
    }
  }
  cache = fonts;
  return fonts;
}

/**
 * A document's own view of a shared font: the decoded tables are inherited, but glyphs (which
 * remember the characters they were first shaped from, and feed the PDF's text layer) and the
 * shaping engine belong to the document. Sharing them made a document's bytes and extractable
 * text depend on what the process had rendered before.
 */
function documentFont(shared: Font): Font {
  const own = Object.create(shared) as Font & { _glyphs: Record<number, unknown> };
  own._glyphs = {};
  return own;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  // pdfkit takes a parsed fontkit font where its typings only list file contents.
  for (const [name, font] of parsedFonts()) doc.registerFont(name, documentFont(font) as unknown as Buffer);
  doc.font(fontName("latin", "regular"));
}
