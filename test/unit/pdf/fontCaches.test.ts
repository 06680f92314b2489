import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { create, type Font, type GlyphRun } from "fontkit";
import { documentFont, findFontDirectory } from "../../../server/pdf/fonts.js";
import { LruCache } from "../../../server/pdf/lru.js";

/**
 * The process-wide caches behind certificate rendering (server/pdf/fonts.ts, subset.ts, lru.ts)
 * against fontkit itself: a document's runs, glyphs and embedded fonts must be exactly what
 * fontkit alone would give that document, whatever was rendered before.
 */

const FONT_FILES = [
  "NotoSans-Regular.ttf",
  "NotoSans-Bold.ttf",
  "NotoNaskhArabic-Regular.ttf",
  "NotoNaskhArabic-Bold.ttf",
] as const;

const bytesOf = (file: string): Buffer => readFileSync(path.join(findFontDirectory(), file));

type GlyphCache = { _glyphs: Record<number, { codePoints: number[] } | undefined> };
type CodePointLookup = { glyphForCodePoint(codePoint: number): { id: number } };

/** A fontkit font as a document saw it before the caches: parsed on its own, shaping everything. */
function plainFont(file: string): Font {
  return create(bytesOf(file));
}

function describeRun(run: GlyphRun) {
  return {
    glyphs: run.glyphs.map((glyph) => [glyph.id, [...glyph.codePoints]]),
    positions: run.positions.map(({ xAdvance, yAdvance, xOffset, yOffset }) => [xAdvance, yAdvance, xOffset, yOffset]),
    advanceWidth: run.advanceWidth,
  };
}

function glyphCache(font: Font): Array<[number, number[]]> {
  return Object.entries((font as unknown as GlyphCache)._glyphs)
    .filter(([, glyph]) => glyph !== undefined)
    .map(([id, glyph]): [number, number[]] => [Number(id), [...(glyph?.codePoints ?? [])]])
    .sort((a, b) => a[0] - b[0]);
}

/** What pdfkit hands fontkit: runs already in the order that makes fontkit's own reversal right. */
const RUNS: Array<[file: (typeof FONT_FILES)[number], texts: string[]]> = [
  [
    "NotoSans-Regular.ttf",
    ["Le présent permis est décerné à", "Karim Benali", "N° PN-2026-000042", "« Fès »", "ﬁ AV To"],
  ],
  ["NotoSans-Bold.ttf", ["Permis Numérique", "Zoé-Léa Chraïbi", "1 juillet 2026"]],
  [
    "NotoNaskhArabic-Regular.ttf",
    // Joining forms, the lam-alef ligature, marks, Arabic punctuation and the neutrals of the Arabic font.
    ["تمنح هذه الرخصة إلى", "لا إله", "مُحَمَّد", "رمز التحقق:", "الرخصة، الرقمية؟", "« فاس »", "لالة"],
  ],
  ["NotoNaskhArabic-Bold.ttf", ["الرخصة الرقمية", "فاطمة الزهراء بنعلي", "المملكة المغربية"]],
];

describe("PDF font caches", () => {
  describe("shaping, replayed from the process's cache", () => {
    for (const [file, texts] of RUNS) {
      it(`${file}: every run and the document's glyphs are fontkit's own, in any order and after other documents`, () => {
        const shared = create(bytesOf(file));
        // Three documents in a row, the texts in different orders: the cache fills in the first.
        const orders = [texts, [...texts].reverse(), [...texts.slice(1), texts[0] ?? ""]];
        for (const order of orders) {
          const cached = documentFont(shared);
          const plain = plainFont(file);
          for (const text of order) {
            expect(describeRun(cached.layout(text, [])), `${file}: ${text}`).to.deep.equal(
              describeRun(plain.layout(text, [])),
            );
            expect(glyphCache(cached), `${file}: glyphs after ${text}`).to.deep.equal(glyphCache(plain));
          }
        }
      });
    }

    it("a document whose glyph was first made from other characters shapes the run itself, as fontkit would", () => {
      const file = "NotoNaskhArabic-Regular.ttf";
      const shared = create(bytesOf(file));
      // The cache knows the run as a fresh document shapes it.
      documentFont(shared).layout("لا إله", []);
      const cached = documentFont(shared);
      const plain = plainFont(file);
      // Both documents first obtained the alef's glyph from a lam: its characters then differ
      // from what the cached run found, so replaying it could give another text layer.
      const alef = (create(bytesOf(file)) as unknown as CodePointLookup).glyphForCodePoint(0x0627).id;
      for (const font of [cached, plain]) {
        delete (font as unknown as GlyphCache)._glyphs[alef];
        font.getGlyph(alef, [0x0644]);
      }
      expect(describeRun(cached.layout("لا إله", []))).to.deep.equal(describeRun(plain.layout("لا إله", [])));
      expect(glyphCache(cached)).to.deep.equal(glyphCache(plain));
    });

    it("runs with features, a script or a direction are shaped by fontkit, not replayed", () => {
      const file = "NotoSans-Regular.ttf";
      const cached = documentFont(create(bytesOf(file)));
      const plain = plainFont(file);
      for (const [features, script] of [
        [["smcp"], undefined],
        [[], "latn"],
        [undefined, undefined],
      ] as const) {
        const text = "Office efficace";
        expect(describeRun(cached.layout(text, features, script))).to.deep.equal(
          describeRun(plain.layout(text, features, script)),
        );
      }
    });
  });

  describe("embedded font subsets", () => {
    for (const file of FONT_FILES) {
      it(`${file}: the same bytes as fontkit's TrueType subset for the same glyphs in the same order`, () => {
        const shared = create(bytesOf(file));
        const plain = plainFont(file);
        const glyphCount = (plain as unknown as { numGlyphs: number }).numGlyphs;
        // mulberry32: the same glyph sets every run.
        let seed = 0x9e3779b9 ^ file.length;
        const random = () => {
          seed = (seed + 0x6d2b79f5) | 0;
          let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const sets = [
          [],
          [3],
          // A real run's glyphs (composite Arabic glyphs among them), then random ones.
          plain
            .layout(file.includes("Arabic") ? "تمنح هذه الرخصة إلى لا مُحَمَّد" : "Permis Numérique « Fès »", [])
            .glyphs.map((glyph) => glyph.id),
          Array.from({ length: 40 }, () => Math.floor(random() * glyphCount)),
          Array.from({ length: 300 }, () => Math.floor(random() * glyphCount)),
        ];
        for (const glyphs of sets) {
          const ours = documentFont(shared).createSubset();
          const theirs = plainFont(file).createSubset();
          for (const glyph of glyphs) expect(ours.includeGlyph(glyph)).to.equal(theirs.includeGlyph(glyph));
          expect(Buffer.from(ours.encode()).equals(Buffer.from(theirs.encode())), `${glyphs.length} glyphs`).to.equal(
            true,
          );
        }
      });
    }
  });

  describe("LruCache", () => {
    const cases: Array<[string, (cache: LruCache<string, number>) => void, Array<[string, number | undefined]>]> = [
      [
        "keeps up to its capacity",
        (cache) => ["a", "b", "c"].forEach((key, index) => cache.set(key, index)),
        [
          ["a", 0],
          ["b", 1],
          ["c", 2],
        ],
      ],
      [
        "drops the least recently set beyond it",
        (cache) => ["a", "b", "c", "d"].forEach((key, index) => cache.set(key, index)),
        [
          ["a", undefined],
          ["d", 3],
        ],
      ],
      [
        "a read makes an entry recent",
        (cache) => {
          ["a", "b", "c"].forEach((key, index) => cache.set(key, index));
          cache.get("a");
          cache.set("d", 3);
        },
        [
          ["a", 0],
          ["b", undefined],
          ["d", 3],
        ],
      ],
      [
        "setting a key again replaces its value without growing",
        (cache) => {
          ["a", "b", "c"].forEach((key, index) => cache.set(key, index));
          cache.set("a", 9);
          cache.set("d", 3);
        },
        [
          ["a", 9],
          ["b", undefined],
          ["c", 2],
        ],
      ],
    ];
    for (const [name, fill, expected] of cases) {
      it(name, () => {
        const cache = new LruCache<string, number>(3);
        fill(cache);
        for (const [key, value] of expected) expect(cache.get(key), key).to.equal(value);
        expect(cache.size).to.be.at.most(3);
      });
    }
  });
});
