// fontkit ships no types; pdfkit uses it and accepts its font objects in registerFont. Only what
// server/pdf/fonts.ts calls is declared.
declare module "fontkit" {
  export interface Glyph {
    readonly id: number;
    /** The characters the glyph was first made from: they become the PDF's text layer. */
    readonly codePoints: number[];
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    positions: GlyphPosition[];
    readonly advanceWidth: number;
  }
  /** The glyphs of a document, written out as a font file to embed. */
  export interface Subset {
    includeGlyph(glyph: number | { id: number }): number;
    encode(): Uint8Array;
  }
  export interface Font {
    readonly postscriptName: string;
    layout(text: string, features?: unknown, script?: string, language?: string, direction?: string): GlyphRun;
    getGlyph(id: number, codePoints?: number[]): Glyph | null;
    createSubset(): Subset;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
