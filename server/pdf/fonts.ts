import { existsSync, readFileSync } from "node:fs";
import { create, type Font, type Glyph, type GlyphPosition, type GlyphRun } from "fontkit";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FontScript } from "./bidi.js";
import { LruCache } from "./lru.js";
import { createSubset } from "./subset.js";

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

/** fontkit keeps a font's glyph objects in `_glyphs`, by id; the first lookup of an id makes it. */
type GlyphCachingFont = Font & { _glyphs: Record<number, Glyph | undefined> };

/** A view of a shared font with an empty glyph cache of its own. */
function freshView(shared: Font): GlyphCachingFont {
  const own = Object.create(shared) as GlyphCachingFont;
  own._glyphs = {};
  return own;
}

/**
 * Shaping (fontkit's layout: Arabic joining forms, ligatures, kerning) is most of the cost of
 * drawing text, and every certificate draws the same sentences. A run is shaped once per process,
 * on a view with an empty glyph cache, recording each glyph lookup it made: the id, the characters
 * passed, and the characters of the glyph obtained. A document replays those lookups on its own
 * cache in the same order, which leaves its glyphs exactly as shaping there would have. Shaping
 * reads the characters of the glyphs it obtains (an Arabic letter's joining depends on them), so a
 * lookup that finds a glyph the document made from other characters means shaping there could
 * differ: the document then shapes the run itself, as it always did. Either way a document's bytes
 * and text layer are what they would be without the cache.
 */
interface GlyphLookup {
  id: number;
  codePoints: readonly number[];
  /** The characters of the glyph the lookup gave while recording. */
  obtained: readonly number[];
}

interface ShapedRun {
  lookups: GlyphLookup[];
  glyphIds: number[];
  positions: GlyphPosition[];
}

/** fontkit's GlyphRun as pdfkit reads it: pdfkit scales the positions in place, so each gets copies. */
class ReplayedRun implements GlyphRun {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: GlyphPosition[],
  ) {}

  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

interface Recorder {
  view: GlyphCachingFont;
  lookups: GlyphLookup[];
  /** Runs shaped so far, by text; null when a run cannot be replayed. */
  runs: LruCache<string, ShapedRun | null>;
}

const recorders = new WeakMap<Font, Recorder>();

function recorderOf(shared: Font): Recorder {
  const existing = recorders.get(shared);
  if (existing) return existing;
  const view = freshView(shared);
  const recorder: Recorder = { view, lookups: [], runs: new LruCache(600) };
  const getGlyph = shared.getGlyph;
  view.getGlyph = (id: number, codePoints: number[] = []) => {
    const glyph = withMetrics(shared, getGlyph.call(view, id, codePoints));
    recorder.lookups.push({ id, codePoints: [...codePoints], obtained: glyph ? [...glyph.codePoints] : [] });
    if (!glyph) throw new MissingGlyph();
    return glyph;
  };
  recorders.set(shared, recorder);
  return recorder;
}

class MissingGlyph extends Error {}

interface GlyphMetrics {
  advanceWidth: number;
  advanceHeight: number;
  leftBearing: number;
  topBearing: number;
}

type MeasuredGlyph = Glyph & { _metrics?: GlyphMetrics; _getMetrics(): GlyphMetrics };

/** Metrics by glyph id, per shared font, read through a view of their own. */
const glyphMetrics = new WeakMap<Font, { view: GlyphCachingFont; byId: Map<number, GlyphMetrics> }>();

/**
 * A glyph's metrics (advance, bearings) depend on its id only, but fontkit reads them for each
 * new glyph object, decoding the glyph's outline header to do so: once per glyph and document.
 * A new glyph gets its own copy of what was read the first time in the process.
 */
function withMetrics(shared: Font, glyph: Glyph | null): Glyph | null {
  const measured = glyph as MeasuredGlyph | null;
  if (!measured || measured._metrics) return glyph;
  let known = glyphMetrics.get(shared);
  if (!known) {
    known = { view: freshView(shared), byId: new Map() };
    glyphMetrics.set(shared, known);
  }
  let metrics = known.byId.get(measured.id);
  if (!metrics) {
    const reference = known.view.getGlyph(measured.id) as MeasuredGlyph | null;
    if (!reference) return glyph;
    metrics = { ...reference._getMetrics() };
    known.byId.set(measured.id, metrics);
  }
  measured._metrics = { ...metrics };
  return glyph;
}

function sameCodePoints(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function recordRun(recorder: Recorder, text: string): ShapedRun | null {
  const { view } = recorder;
  view._glyphs = {};
  recorder.lookups = [];
  let run: GlyphRun;
  try {
    run = view.layout(text, []);
  } catch (error) {
    if (error instanceof MissingGlyph) return null;
    throw error;
  }
  const { lookups } = recorder;
  recorder.lookups = [];
  // Every glyph of the run must be the one its lookups made, and no glyph's characters may have
  // changed after its lookup: otherwise replaying the lookups would not give the same glyphs.
  if (!run.glyphs.every((glyph) => view._glyphs[glyph.id] === glyph)) return null;
  for (const lookup of lookups) {
    const glyph = view._glyphs[lookup.id];
    if (!glyph || !sameCodePoints(glyph.codePoints, lookup.obtained)) return null;
  }
  return {
    lookups,
    glyphIds: run.glyphs.map((glyph) => glyph.id),
    positions: run.positions.map(({ xAdvance, yAdvance, xOffset, yOffset }) => ({
      xAdvance,
      yAdvance,
      xOffset,
      yOffset,
    })),
  };
}

function shapedRun(shared: Font, text: string): ShapedRun | null {
  const recorder = recorderOf(shared);
  const known = recorder.runs.get(text);
  if (known !== undefined) return known;
  const shaped = recordRun(recorder, text);
  recorder.runs.set(text, shaped);
  return shaped;
}

/** The run as `doc` would shape it, or null when the document must shape it itself. */
function replay(doc: GlyphCachingFont, shaped: ShapedRun): GlyphRun | null {
  for (const lookup of shaped.lookups) {
    const glyph = doc._glyphs[lookup.id] ?? doc.getGlyph(lookup.id, [...lookup.codePoints]);
    if (!glyph || !sameCodePoints(glyph.codePoints, lookup.obtained)) return null;
  }
  const glyphs: Glyph[] = [];
  for (const id of shaped.glyphIds) {
    const glyph = doc._glyphs[id];
    if (!glyph) return null;
    glyphs.push(glyph);
  }
  return new ReplayedRun(
    glyphs,
    shaped.positions.map(({ xAdvance, yAdvance, xOffset, yOffset }) => ({ xAdvance, yAdvance, xOffset, yOffset })),
  );
}

/**
 * A document's own view of a shared font: the decoded tables are inherited, but glyphs (which
 * remember the characters they were first shaped from, and feed the PDF's text layer) and the
 * shaping engine belong to the document. Sharing them made a document's bytes and extractable
 * text depend on what the process had rendered before. Runs shaped with pdfkit's defaults (no
 * features, script or direction given) are replayed from the process's shaping cache.
 */
export function documentFont(shared: Font): Font {
  const own = freshView(shared);
  const getGlyph = shared.getGlyph;
  own.getGlyph = (id: number, codePoints: number[] = []) => withMetrics(shared, getGlyph.call(own, id, codePoints));
  const layout = shared.layout;
  own.layout = (text, features, script, language, direction) => {
    const plain =
      Array.isArray(features) &&
      features.length === 0 &&
      script === undefined &&
      language === undefined &&
      direction === undefined;
    if (plain) {
      const shaped = shapedRun(shared, text);
      const replayed = shaped ? replay(own, shaped) : null;
      if (replayed) return replayed;
    }
    return layout.call(own, text, features, script, language, direction);
  };
  own.createSubset = () => createSubset(shared, own);
  return own;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  // pdfkit takes a parsed fontkit font where its typings only list file contents.
  for (const [name, font] of parsedFonts()) doc.registerFont(name, documentFont(font) as unknown as Buffer);
  doc.font(fontName("latin", "regular"));
}
