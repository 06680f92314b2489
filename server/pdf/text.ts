import { analyseParagraph, visualRuns, type BidiParagraph, type Direction, type VisualRun } from "./bidi.js";
import { fontName, type FontWeight } from "./fonts.js";
import { LruCache } from "./lru.js";

/**
 * Bidi-aware text on pdfkit: paragraphs are wrapped by words to a width, each line is reordered
 * on its own (UAX #9 L1–L2 after line breaking), then drawn run by run with the font of its
 * script. pdfkit's own wrapping is never used: it would measure and break the logical string.
 */

export type TextAlign = "left" | "right" | "center";

export interface TextStyle {
  size: number;
  weight?: FontWeight;
  color?: string;
  /** Line height as a multiple of the size. */
  leading?: number;
}

export interface TextOptions extends TextStyle {
  width: number;
  /** The bidi paragraph direction; "auto" follows the first strong character, else `fallback`. */
  direction: Direction | "auto";
  fallback?: Direction;
  /** Physical alignment; by default the start side of each paragraph's resolved direction. */
  align?: TextAlign;
  /** Lines beyond this are dropped and the last one ends with "…". */
  maxLines?: number;
}

export interface PlacedRun {
  run: VisualRun;
  width: number;
}

export interface TextLine {
  runs: PlacedRun[];
  width: number;
  align: TextAlign;
}

export interface TextBlock {
  lines: TextLine[];
  width: number;
  lineHeight: number;
  height: number;
  size: number;
  weight: FontWeight;
  color: string;
}

export const DEFAULT_LEADING = 1.5;
const DEFAULT_COLOR = "#1a1a1a";

/** Tabs and line separators other than \n become spaces; \r\n and \r become \n. */
function normalise(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\t\v\f\u0085\u2028]/g, " ")
    .replace(/\u2029/g, "\n");
}

/**
 * Passed with every run. Without features, pdfkit lays a string out word by word and puts the
 * words back in logical order, which would undo the visual order of a right-to-left run; with
 * them (even none), it hands the whole run to fontkit. The defaults of the script still apply.
 */
const WHOLE_RUN: { features: PDFKit.Mixins.OpenTypeFeatures[] } = { features: [] };

/** Widths at 1 pt, per font: wrapping measures the same runs many times. */
const widthCache = new Map<string, Map<string, number>>();

function runWidth(doc: PDFKit.PDFDocument, font: string, text: string, size: number): number {
  let widths = widthCache.get(font);
  if (!widths) {
    widths = new Map();
    widthCache.set(font, widths);
  }
  let width = widths.get(text);
  if (width === undefined) {
    width = doc.font(font).fontSize(1).widthOfString(text, WHOLE_RUN);
    if (widths.size > 50_000) widths.clear();
    widths.set(text, width);
  }
  return width * size;
}

function measureRuns(doc: PDFKit.PDFDocument, runs: VisualRun[], size: number, weight: FontWeight): PlacedRun[] {
  return runs.map((run) => ({ run, width: runWidth(doc, fontName(run.font, weight), run.glyphInput, size) }));
}

function totalWidth(runs: PlacedRun[]): number {
  return runs.reduce((sum, placed) => sum + placed.width, 0);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

interface LineRange {
  paragraph: BidiParagraph;
  start: number;
  end: number;
  align: TextAlign;
}

/** Greedy line breaking at spaces; a word wider than the line is cut between graphemes. */
function wrapParagraph(
  paragraph: BidiParagraph,
  fits: (paragraph: BidiParagraph, start: number, end: number) => boolean,
  align: TextAlign,
): LineRange[] {
  const { text } = paragraph;
  const range = (start: number, end: number): LineRange => ({ paragraph, start, end, align });
  const trimEnd = (start: number, end: number): number => {
    let last = end;
    while (last > start && text.charAt(last - 1) === " ") last--;
    return last;
  };

  // Break opportunities: after each sequence of spaces. No-break spaces are not among them.
  const words = Array.from(text.matchAll(/ *[^ ]+ */g), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
  const lines: LineRange[] = [];
  let lineStart = 0;
  let lineEnd = 0;
  for (let wordIndex = 0; wordIndex < words.length;) {
    const word = words[wordIndex];
    if (!word) break;
    const candidateEnd = trimEnd(lineStart, word.end);
    if (fits(paragraph, lineStart, candidateEnd)) {
      lineEnd = word.end;
      wordIndex++;
      continue;
    }
    if (lineEnd > lineStart) {
      lines.push(range(lineStart, trimEnd(lineStart, lineEnd)));
      lineStart = lineEnd;
      continue;
    }
    // A single word wider than the line (a URL, a hash, a file name): cut it after the last
    // grapheme that fits, the first one always. A grapheme widens the line by more than any
    // kerning takes back, so the cut is found by halving: a verification URL printed on every
    // certificate measured each of its prefixes, one at a time, and that was a third of the work.
    const ends = Array.from(
      graphemes.segment(text.slice(lineStart, candidateEnd)),
      ({ index, segment }) => lineStart + index + segment.length,
    );
    let low = 0;
    let high = ends.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (fits(paragraph, lineStart, ends[middle] ?? candidateEnd)) low = middle;
      else high = middle - 1;
    }
    const cut = ends[low] ?? candidateEnd;
    lines.push(range(lineStart, cut));
    lineStart = cut;
    lineEnd = cut;
    if (cut >= word.end) wordIndex++;
    else words[wordIndex] = { start: cut, end: word.end };
  }
  const rest = trimEnd(lineStart, text.length);
  if (rest > lineStart || lines.length === 0) lines.push(range(lineStart, rest));
  return lines;
}

/**
 * Laid-out blocks by text and options. A layout depends on nothing else (widths are measured at
 * 1 pt and cached above), and every certificate lays out the same sentences, several times over
 * while it looks for the size at which its columns fit. Blocks are never changed once made.
 */
const layoutCache = new LruCache<string, TextBlock>(400);

function layoutKey(text: string, options: TextOptions): string {
  const { size, weight, color, leading, width, direction, fallback, align, maxLines } = options;
  return [text, size, weight, color, leading, width, direction, fallback, align, maxLines].join("\u0000");
}

/** Lays text out without drawing it: the height tells whether it fits before drawing. */
export function layoutText(doc: PDFKit.PDFDocument, text: string, options: TextOptions): TextBlock {
  const key = layoutKey(text, options);
  const known = layoutCache.get(key);
  if (known) return known;
  const block = layoutTextAfresh(doc, text, options);
  layoutCache.set(key, block);
  return block;
}

function layoutTextAfresh(doc: PDFKit.PDFDocument, text: string, options: TextOptions): TextBlock {
  const weight = options.weight ?? "regular";
  const lineHeight = options.size * (options.leading ?? DEFAULT_LEADING);
  const place = (paragraph: BidiParagraph, start: number, end: number): PlacedRun[] =>
    measureRuns(doc, visualRuns(paragraph, start, end), options.size, weight);
  const fits = (paragraph: BidiParagraph, start: number, end: number): boolean =>
    totalWidth(place(paragraph, start, end)) <= options.width;

  const ranges: LineRange[] = [];
  for (const paragraphText of normalise(text).split("\n")) {
    const paragraph = analyseParagraph(paragraphText, options.direction, options.fallback);
    const align = options.align ?? (paragraph.direction === "rtl" ? "right" : "left");
    ranges.push(...wrapParagraph(paragraph, fits, align));
  }

  const toLine = ({ paragraph, start, end, align }: LineRange): TextLine => {
    const runs = place(paragraph, start, end);
    return { runs, width: totalWidth(runs), align };
  };
  const lines = ranges.map(toLine);
  const maxLines = options.maxLines === undefined ? lines.length : Math.max(1, options.maxLines);
  const last = ranges[maxLines - 1];
  if (lines.length > maxLines && last) {
    lines.length = maxLines;
    lines[maxLines - 1] = toLine(ellipsize(last, fits));
  }
  return {
    lines,
    width: options.width,
    lineHeight,
    height: lines.length * lineHeight,
    size: options.size,
    weight,
    color: options.color ?? DEFAULT_COLOR,
  };
}

/** Shortens a line and ends it with "…" (in its own paragraph, so it reorders as a whole). */
function ellipsize(
  range: LineRange,
  fits: (paragraph: BidiParagraph, start: number, end: number) => boolean,
): LineRange {
  const { paragraph, start, align } = range;
  for (let cut = range.end; cut > start; cut--) {
    const shortened = analyseParagraph(`${paragraph.text.slice(start, cut).trimEnd()}…`, paragraph.direction);
    if (fits(shortened, 0, shortened.text.length))
      return { paragraph: shortened, start: 0, end: shortened.text.length, align };
  }
  const ellipsis = analyseParagraph("…", paragraph.direction);
  return { paragraph: ellipsis, start: 0, end: ellipsis.text.length, align };
}

/** The logical text of a laid-out line (for tests and for shortening). */
export function textOfLine(line: TextLine): string {
  return [...line.runs]
    .sort((a, b) => a.run.start - b.run.start)
    .map((placed) => placed.run.text)
    .join("");
}

/**
 * Where the baseline sits in a line box: half the line height below its top, plus 0.3 em, which
 * centres Latin x-height and the body of Arabic letters alike.
 */
function baselineOffset(block: Pick<TextBlock, "lineHeight" | "size">): number {
  return block.lineHeight / 2 + block.size * 0.3;
}

/** Draws one line whose box starts at (x, top) and is `width` wide. */
export function drawLine(
  doc: PDFKit.PDFDocument,
  line: TextLine,
  block: Pick<TextBlock, "lineHeight" | "size" | "weight" | "color">,
  x: number,
  top: number,
  width: number,
): void {
  let cursor = x;
  if (line.align === "right") cursor = x + width - line.width;
  if (line.align === "center") cursor = x + (width - line.width) / 2;
  const baseline = top + baselineOffset(block);
  doc.fillColor(block.color);
  for (const { run, width: runWidth } of line.runs) {
    if (run.glyphInput.trim() !== "") {
      doc
        .font(fontName(run.font, block.weight))
        .fontSize(block.size)
        .text(run.glyphInput, cursor, baseline, { ...WHOLE_RUN, lineBreak: false, baseline: "alphabetic" });
    }
    cursor += runWidth;
  }
}

/** Draws a laid-out block with its top-left corner at (x, y). */
export function drawTextBlock(doc: PDFKit.PDFDocument, block: TextBlock, x: number, y: number): void {
  block.lines.forEach((line, index) => drawLine(doc, line, block, x, y + index * block.lineHeight, block.width));
}

/** Lays out and draws; returns the height used. */
export function drawText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, options: TextOptions): number {
  const block = layoutText(doc, text, options);
  drawTextBlock(doc, block, x, y);
  return block.height;
}

/** The natural width of a text on one line, without wrapping. */
export function widthOfText(
  doc: PDFKit.PDFDocument,
  text: string,
  options: Omit<TextOptions, "width" | "maxLines" | "align">,
): number {
  const block = layoutText(doc, text, { ...options, width: Number.POSITIVE_INFINITY });
  return Math.max(0, ...block.lines.map((line) => line.width));
}
