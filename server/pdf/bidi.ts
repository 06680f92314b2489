import bidiModule, { type EmbeddingLevels } from "bidi-js";

/**
 * The Unicode bidi algorithm for pdfkit. pdfkit hands each string to fontkit, which shapes Arabic
 * (joining forms, ligatures) but knows nothing of bidi: it guesses one script for the whole string
 * and, when that script is written right to left, reverses the shaped glyphs. So a mixed line has
 * to be cut into runs of one level and one font, ordered visually here, and each run handed over
 * in the order that makes fontkit's own reversal come out right.
 */

type BidiFactory = typeof bidiModule.default;
// bidi-js is CommonJS whose module.exports is the factory, typed as if it were an ES default
// export: under Node's ESM loader the default import is the factory itself.
const bidiFactory: BidiFactory =
  typeof bidiModule === "function" ? (bidiModule as unknown as BidiFactory) : bidiModule.default;
const bidi = bidiFactory();

export type Direction = "ltr" | "rtl";
export type FontScript = "latin" | "arabic";

export interface VisualRun {
  /** The run's characters in logical (typed) order, as they were given. */
  text: string;
  /**
   * The string to hand to pdfkit: mirrored where the run is right to left, and pre-reversed
   * exactly when fontkit's own script-based reversal would otherwise leave it in the wrong order.
   */
  glyphInput: string;
  direction: Direction;
  level: number;
  font: FontScript;
  /** Logical position of the run in the paragraph: [start, end). */
  start: number;
  end: number;
}

export interface BidiParagraph {
  text: string;
  direction: Direction;
  embedding: EmbeddingLevels;
}

/** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Controls plus the implicit marks (ALM, LRM, RLM): they steer the algorithm but draw nothing. */
const INVISIBLE_CONTROL = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/;
const INVISIBLE_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const FIRST_STRONG_ISOLATE = "\u2068";
const POP_DIRECTIONAL_ISOLATE = "\u2069";

/**
 * Text typed by users goes through this before it is drawn: explicit embeddings and overrides
 * could otherwise make a file name or a label display as something else than what it is.
 */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * Wraps a value inserted into a sentence (a reference, an amount, a name) so that its direction is
 * its own and does not leak into the sentence around it, like HTML's <bdi>: without it, digits
 * after Arabic letters become "Arabic numbers" (rule W2) and "2026-00042" would display as
 * "00042-2026". The writer draws no glyph for the marks.
 */
export function isolate(value: string): string {
  return `${FIRST_STRONG_ISOLATE}${stripBidiControls(value)}${POP_DIRECTIONAL_ISOLATE}`;
}

/**
 * Arabic script, including the Arabic punctuation that Unicode files under "Common" (، ؛ ؟ ـ)
 * and the Arabic-Indic digits: the Latin font has none of them.
 */
const ARABIC_SCRIPT = /\p{Script_Extensions=Arabic}/u;

/**
 * Neutral characters the Arabic font also carries (checked in NotoNaskhArabic 2.004, both weights): inside
 * Arabic text they stay in the Arabic run, so spaces and full stops have the Arabic font's metrics
 * and the words around them are shaped and reversed together.
 */
const ARABIC_FONT_NEUTRALS = new Set([" ", "\u00A0", ".", ",", ":", "!", "«", "»"]);

/** Scripts fontkit lays out right to left (its RTL table, reduced to what can reach a PDF here). */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const NEUTRAL_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}\p{Cn}]/u;

/** fontkit's own guess (Script.forString): the first character of a real script decides. */
export function fontkitReverses(text: string): boolean {
  for (const char of text) {
    if (NEUTRAL_SCRIPT.test(char)) continue;
    return RTL_SCRIPT.test(char);
  }
  return false;
}

const STRONG_LTR = new Set(["L"]);
const STRONG_RTL = new Set(["R", "AL"]);

const ISOLATE_OPENERS = new Set(["LRI", "RLI", "FSI"]);

/**
 * The paragraph direction rule P2–P3: the first strong character outside isolates, or the
 * fallback when there is none (a line of digits keeps the document's direction).
 */
export function detectDirection(text: string, fallback: Direction): Direction {
  let depth = 0;
  for (const char of text) {
    const type = bidi.getBidiCharTypeName(char);
    if (ISOLATE_OPENERS.has(type)) depth++;
    else if (type === "PDI") depth = Math.max(0, depth - 1);
    else if (depth > 0) continue;
    else if (STRONG_LTR.has(type)) return "ltr";
    else if (STRONG_RTL.has(type)) return "rtl";
  }
  return fallback;
}

/**
 * Resolves the embedding levels of one paragraph (no line feeds: callers split paragraphs first).
 * "auto" picks the direction of the first strong character, falling back to `fallback`.
 */
export function analyseParagraph(text: string, base: Direction | "auto", fallback: Direction = "ltr"): BidiParagraph {
  const direction = base === "auto" ? detectDirection(text, fallback) : base;
  return { text, direction, embedding: bidi.getEmbeddingLevels(text, direction) };
}

const WHITESPACE_TYPES = new Set(["WS", "BN", "LRI", "RLI", "FSI", "PDI"]);

/** Rule L1: whitespace at the end of a line goes back to the paragraph level. */
function lineLevels(paragraph: BidiParagraph, start: number, end: number): number[] {
  const { text, embedding, direction } = paragraph;
  const levels = Array.from(embedding.levels.subarray(start, end));
  const paragraphLevel = direction === "rtl" ? 1 : 0;
  for (let index = end - 1; index >= start; index--) {
    if (!WHITESPACE_TYPES.has(bidi.getBidiCharTypeName(text.charAt(index)))) break;
    levels[index - start] = paragraphLevel;
  }
  return levels;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function fontsOf(text: string, start: number, end: number, levels: number[]): FontScript[] {
  const fonts: FontScript[] = [];
  for (let index = start; index < end; index++) {
    const previous = fonts[fonts.length - 1];
    const char = String.fromCodePoint(text.codePointAt(index) ?? 0);
    const type = bidi.getBidiCharTypeName(char);
    // Combining marks, joiners and the second half of a surrogate pair belong with what precedes.
    if (previous && (isLowSurrogate(text.charCodeAt(index)) || type === "NSM" || type === "BN")) {
      fonts.push(previous);
      continue;
    }
    if (ARABIC_SCRIPT.test(char)) {
      fonts.push("arabic");
      continue;
    }
    const rightToLeft = ((levels[index - start] ?? 0) & 1) === 1;
    fonts.push(rightToLeft && ARABIC_FONT_NEUTRALS.has(char) ? "arabic" : "latin");
  }
  return fonts;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function reverseGraphemes(text: string): string {
  return Array.from(graphemes.segment(text), (part) => part.segment)
    .reverse()
    .join("");
}

function glyphInputOf(text: string, rightToLeft: boolean): string {
  if (!rightToLeft) return fontkitReverses(text) ? reverseGraphemes(text) : text;
  // Brackets and guillemets take their mirrored shape in right-to-left text (rule L4); fontkit
  // would not do it (it applies the font's 'rtlm' feature, which Noto Naskh Arabic lacks).
  const mirrored = Array.from(text, (char) => bidi.getMirroredCharacter(char) ?? char).join("");
  return fontkitReverses(mirrored) ? mirrored : reverseGraphemes(mirrored);
}

/**
 * Cuts the line [start, end) of a paragraph into runs of one level and one font, in visual order
 * from left to right (rules L1–L4).
 */
export function visualRuns(paragraph: BidiParagraph, start = 0, end = paragraph.text.length): VisualRun[] {
  const { text } = paragraph;
  if (end <= start) return [];
  const levels = lineLevels(paragraph, start, end);
  const fonts = fontsOf(text, start, end, levels);
  const order = bidi.getReorderedIndices(text, paragraph.embedding, start, end - 1).slice(start, end);

  // Directional marks have done their work once the levels are known: they are not drawn.
  const isControl = (index: number): boolean => INVISIBLE_CONTROL.test(text.charAt(index));
  const onlyControlsBetween = (from: number, to: number): boolean => {
    for (let index = Math.min(from, to) + 1; index < Math.max(from, to); index++) {
      if (!isControl(index)) return false;
    }
    return true;
  };

  const groups: Array<{ first: number; last: number; level: number; font: FontScript }> = [];
  for (const index of order) {
    if (isControl(index)) continue;
    const level = levels[index - start] ?? 0;
    const font = fonts[index - start] ?? "latin";
    const group = groups[groups.length - 1];
    const forward = (level & 1) === 0;
    if (
      group &&
      group.level === level &&
      group.font === font &&
      (forward ? index > group.last : index < group.last) &&
      onlyControlsBetween(group.last, index)
    ) {
      group.last = index;
      continue;
    }
    groups.push({ first: index, last: index, level, font });
  }

  return groups.map(({ first, last, level, font }) => {
    const runStart = Math.min(first, last);
    const runEnd = Math.max(first, last) + 1;
    const runText = text.slice(runStart, runEnd).replace(INVISIBLE_CONTROLS, "");
    const rightToLeft = (level & 1) === 1;
    return {
      text: runText,
      glyphInput: glyphInputOf(runText, rightToLeft),
      direction: rightToLeft ? "rtl" : "ltr",
      level,
      font,
      start: runStart,
      end: runEnd,
    };
  });
}

/** One line of text, as runs in visual order. */
export function splitBidiRuns(text: string, base: Direction | "auto", fallback: Direction = "ltr"): VisualRun[] {
  return visualRuns(analyseParagraph(text, base, fallback));
}
