import { expect } from "chai";
import type { Direction } from "../../../server/pdf/bidi.js";
import { createPdfDocument } from "../../../server/pdf/document.js";
import { layoutText, textOfLine, widthOfText } from "../../../server/pdf/text.js";

/**
 * A word wider than its line (a verification URL, a code, a long name typed without spaces) is
 * cut after the last grapheme that fits: found by halving, it must be the cut a grapheme-by-
 * grapheme scan makes, which these cases check grapheme by grapheme.
 */
const cases: Array<[name: string, text: string, direction: Direction, size: number, width: number]> = [
  ["a verification URL", "https://moussanada-numerique.example.ma/verify/84fKMW0YKzrZzefoOR_7Zg", "ltr", 8, 294.9],
  ["the same, narrower", "https://moussanada-numerique.example.ma/verify/84fKMW0YKzrZzefoOR_7Zg", "ltr", 8, 61],
  ["a code, large", "q8Zr2m1vX0aB3cD4eF5gHwq8Zr2m1vX0aB3cD4eF5gHw", "ltr", 17, 180],
  ["ligatures and kerning", "officeAVATARfflWaTaYoTo.affinité".repeat(3), "ltr", 12, 140],
  ["an Arabic word without spaces", "الاستراتيجيةالوطنيةللتحولالرقميللمقاولاتالصغيرة", "rtl", 14, 120],
  ["Arabic with lam-alef", "لالالالالالالالالالالالالالالالالالا", "rtl", 14, 60],
  ["letters with combining marks", "e\u0301".repeat(40), "ltr", 12, 50],
];

describe("wrapping a word wider than its line", () => {
  const doc = createPdfDocument({ locale: "fr", title: "wrap", createdAt: new Date("2026-07-02T09:15:42Z") });
  const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

  for (const [name, text, direction, size, width] of cases) {
    it(`${name}: each line is the longest run of graphemes that fits, the last one holds the rest`, () => {
      const style = { size, direction, fallback: direction } as const;
      const block = layoutText(doc, text, { ...style, width });
      const lines = block.lines.map(textOfLine);
      expect(lines.join(""), name).to.equal(text);
      expect(lines.length, name).to.be.greaterThan(1);
      lines.forEach((line, index) => {
        const parts = Array.from(graphemes.segment(line), ({ segment }) => segment);
        // A line of one grapheme is taken even when it is too wide.
        if (parts.length > 1) expect(widthOfText(doc, line, style), `${name}: line ${index}`).to.be.at.most(width);
        const next = lines[index + 1];
        if (next === undefined) return;
        const longer = line + (graphemes.segment(next)[Symbol.iterator]().next().value?.segment ?? "");
        expect(widthOfText(doc, longer, style), `${name}: line ${index} plus a grapheme`).to.be.greaterThan(width);
      });
    });
  }
});
