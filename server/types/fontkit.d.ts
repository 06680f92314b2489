// fontkit ships no types; pdfkit uses it and accepts its font objects in registerFont. Only what
// server/pdf/fonts.ts calls is declared.
declare module "fontkit" {
  export interface Font {
    readonly postscriptName: string;
    layout(text: string, features?: unknown): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
