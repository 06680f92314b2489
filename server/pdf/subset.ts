import type { Font, Subset } from "fontkit";

/**
 * The embedded font of a PDF: the glyphs a document uses, copied out of the TrueType file, as
 * fontkit's TTFSubset writes them (its tables and directory, byte for byte), but without decoding
 * every glyph's outline again for each document: a glyph's bytes, its components and its metrics
 * are read once per process. Embedding was a third of the cost of a certificate. It reads glyphs
 * through a view of its own: fontkit's subset made the components of composite glyphs in the
 * document's glyph cache, without characters, which is how a glyph cache shared between documents
 * once dropped an Arabic letter from the next certificate's text layer.
 */

interface CompositeComponent {
  glyphID: number;
  /** Where the component's glyph id sits in the glyph's bytes. */
  pos: number;
}

interface DecodedGlyph {
  numberOfContours: number;
  components?: CompositeComponent[];
}

interface TrueTypeGlyph {
  advanceWidth: number;
  _decode(): DecodedGlyph | null;
  _getMetrics(): { leftBearing: number };
}

/** What is read out of a fontkit TrueType font, beyond its public interface. */
interface TrueTypeFont {
  loca: { version: number; offsets: number[] };
  directory: { tables: Record<string, unknown> };
  _variationProcessor?: unknown;
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array } | null;
  getGlyph(id: number): TrueTypeGlyph | null;
  createSubset(): Subset;
}

function internals(font: Font): TrueTypeFont {
  return font as unknown as TrueTypeFont;
}

interface GlyphData {
  bytes: Uint8Array;
  components: CompositeComponent[];
  advance: number;
  bearing: number;
}

/** The tables fontkit writes, in its order; those a font lacks are left out. */
const TABLE_ORDER = ["head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx", "fpgm"] as const;
type TableTag = (typeof TABLE_ORDER)[number];
/** Tables copied as fontkit re-encodes them, with their glyph counts patched. */
const COPIED: readonly TableTag[] = ["head", "hhea", "maxp", "cvt ", "prep", "fpgm"];
const HHEA_NUMBER_OF_METRICS = 34;
const MAXP_NUM_GLYPHS = 4;

class FontData {
  private readonly glyphs = new Map<number, GlyphData>();
  private readonly view: TrueTypeFont;
  /** Each copied table as fontkit encodes it, read from a subset fontkit wrote itself. */
  readonly tables = new Map<TableTag, Uint8Array>();
  readonly locaVersion: number;

  constructor(shared: Font) {
    // Its own glyph cache: the shared font's stays untouched.
    const view = Object.create(shared) as TrueTypeFont & { _glyphs: Record<number, unknown> };
    view._glyphs = {};
    this.view = view;
    this.locaVersion = this.view.loca.version;
    const reference = this.view.createSubset().encode();
    const data = new DataView(reference.buffer, reference.byteOffset, reference.byteLength);
    const count = data.getUint16(4);
    for (let index = 0; index < count; index++) {
      const entry = 12 + 16 * index;
      const tag = String.fromCharCode(...reference.subarray(entry, entry + 4)) as TableTag;
      if (!COPIED.includes(tag)) continue;
      const offset = data.getUint32(entry + 8);
      this.tables.set(tag, reference.slice(offset, offset + data.getUint32(entry + 12)));
    }
  }

  static supports(shared: Font): boolean {
    const font = internals(shared);
    return Boolean(font.directory.tables.glyf) && !font.directory.tables["CFF "] && !font._variationProcessor;
  }

  glyph(id: number): GlyphData {
    const known = this.glyphs.get(id);
    if (known) return known;
    const { view } = this;
    const glyph = view.getGlyph(id);
    if (!glyph) throw new Error(`glyph ${id} is not in the font`);
    const decoded = glyph._decode();
    const start = view.loca.offsets[id] ?? 0;
    const end = view.loca.offsets[id + 1] ?? start;
    const stream = view._getTableStream("glyf");
    if (!stream) throw new Error("the font has no glyf table");
    stream.pos += start;
    const data: GlyphData = {
      bytes: new Uint8Array(stream.readBuffer(end - start)),
      components: decoded && decoded.numberOfContours < 0 ? (decoded.components ?? []) : [],
      advance: glyph.advanceWidth,
      bearing: glyph._getMetrics().leftBearing,
    };
    this.glyphs.set(id, data);
    return data;
  }
}

const fontData = new WeakMap<Font, FontData>();

function dataOf(shared: Font): FontData {
  let data = fontData.get(shared);
  if (!data) {
    data = new FontData(shared);
    fontData.set(shared, data);
  }
  return data;
}

class TrueTypeSubset implements Subset {
  private readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();

  constructor(private readonly font: FontData) {
    // fontkit always includes the missing glyph first.
    this.includeGlyph(0);
  }

  includeGlyph(glyph: number | { id: number }): number {
    const id = typeof glyph === "number" ? glyph : glyph.id;
    const known = this.mapping.get(id);
    if (known !== undefined) return known;
    this.glyphs.push(id);
    this.mapping.set(id, this.glyphs.length - 1);
    return this.glyphs.length - 1;
  }

  encode(): Uint8Array {
    const glyf: Uint8Array[] = [];
    const offsets: number[] = [];
    const metrics: Array<{ advance: number; bearing: number }> = [];
    let offset = 0;
    // Components are appended while the list is walked, as fontkit does.
    for (let index = 0; index < this.glyphs.length; index++) {
      const data = this.font.glyph(this.glyphs[index] ?? 0);
      let bytes = data.bytes;
      if (data.components.length > 0) {
        bytes = new Uint8Array(bytes);
        const view = new DataView(bytes.buffer);
        for (const component of data.components) view.setUint16(component.pos, this.includeGlyph(component.glyphID));
      }
      glyf.push(bytes);
      offsets.push(offset);
      metrics.push({ advance: data.advance, bearing: data.bearing });
      offset += bytes.length;
    }
    offsets.push(offset);

    const short = this.font.locaVersion === 0;
    const loca = new Uint8Array(offsets.length * (short ? 2 : 4));
    const locaView = new DataView(loca.buffer);
    offsets.forEach((value, index) => {
      if (short) locaView.setUint16(index * 2, value >>> 1);
      else locaView.setUint32(index * 4, value);
    });
    const hmtx = new Uint8Array(metrics.length * 4);
    const hmtxView = new DataView(hmtx.buffer);
    metrics.forEach(({ advance, bearing }, index) => {
      hmtxView.setUint16(index * 4, advance);
      hmtxView.setInt16(index * 4 + 2, bearing);
    });
    const patched = (tag: "hhea" | "maxp", at: number, value: number): Uint8Array | undefined => {
      const table = this.font.tables.get(tag);
      if (!table) return undefined;
      const copy = new Uint8Array(table);
      new DataView(copy.buffer).setUint16(at, value);
      return copy;
    };
    const glyfTable = new Uint8Array(offset);
    let position = 0;
    for (const bytes of glyf) {
      glyfTable.set(bytes, position);
      position += bytes.length;
    }
    const tables: Record<TableTag, Uint8Array | undefined> = {
      head: this.font.tables.get("head"),
      hhea: patched("hhea", HHEA_NUMBER_OF_METRICS, metrics.length),
      loca,
      maxp: patched("maxp", MAXP_NUM_GLYPHS, glyf.length),
      "cvt ": this.font.tables.get("cvt "),
      prep: this.font.tables.get("prep"),
      glyf: glyfTable,
      hmtx,
      fpgm: this.font.tables.get("fpgm"),
    };
    return directory(TABLE_ORDER.flatMap((tag) => (tables[tag] ? [{ tag, bytes: tables[tag] }] : [])));
  }
}

/** The font file: fontkit's directory (tag "true", no checksums), the tables back to back. */
function directory(tables: Array<{ tag: string; bytes: Uint8Array }>): Uint8Array {
  const headerSize = 12 + 16 * tables.length;
  const size = tables.reduce((sum, table) => sum + table.bytes.length, headerSize);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const exponent = Math.floor(Math.log(tables.length) / Math.LN2);
  const searchRange = 2 ** exponent * 16;
  out.set([0x74, 0x72, 0x75, 0x65], 0);
  view.setUint16(4, tables.length);
  view.setUint16(6, searchRange);
  view.setUint16(8, exponent);
  view.setUint16(10, tables.length * 16 - searchRange);
  let offset = headerSize;
  tables.forEach(({ tag, bytes }, index) => {
    const entry = 12 + 16 * index;
    for (let char = 0; char < 4; char++) view.setUint8(entry + char, tag.charCodeAt(char));
    view.setUint32(entry + 4, 0);
    view.setUint32(entry + 8, offset);
    view.setUint32(entry + 12, bytes.length);
    out.set(bytes, offset);
    offset += bytes.length;
  });
  return out;
}

/** A subset writer for `shared`: this module's for static TrueType fonts, fontkit's otherwise. */
export function createSubset(shared: Font, view: Font): Subset {
  if (!FontData.supports(shared)) return shared.createSubset.call(view);
  return new TrueTypeSubset(dataOf(shared));
}
