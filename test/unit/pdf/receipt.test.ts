import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  analyseParagraph,
  detectDirection,
  isolate,
  splitBidiRuns,
  stripBidiControls,
  visualRuns,
  type Direction,
  type FontScript,
} from "../../../server/pdf/bidi.js";
import { renderPdfToBuffer, renderPdfToFile } from "../../../server/pdf/document.js";
import { findFontDirectory } from "../../../server/pdf/fonts.js";
import { formatAmount, formatDate, formatFileSize, formatPercent, formatTime } from "../../../server/pdf/format.js";
import { renderReceipt, type ReceiptData } from "../../../server/pdf/receipt.js";
import { sampleReceipt } from "./receiptSample.js";

const NBSP = "\u00A0";

type Run = [text: string, direction: Direction, font: FontScript, glyphInput?: string];

/** Runs as [logical text, direction, font, what pdfkit receives when it differs]. */
function runsOf(text: string, base: Direction | "auto"): Run[] {
  return splitBidiRuns(text, base).map((run): Run =>
    run.glyphInput === run.text
      ? [run.text, run.direction, run.font]
      : [run.text, run.direction, run.font, run.glyphInput],
  );
}

describe("PDF layer", () => {
  describe("splitBidiRuns: a line → runs in visual order, left to right", () => {
    const cases: Array<{ name: string; text: string; base: Direction | "auto"; expected: Run[] }> = [
      {
        name: "pure Arabic: one run, handed over in logical order (fontkit reverses it)",
        text: "مساندة الرقمية",
        base: "rtl",
        expected: [["مساندة الرقمية", "rtl", "arabic"]],
      },
      {
        name: "pure French",
        text: "Accusé de dépôt",
        base: "ltr",
        expected: [["Accusé de dépôt", "ltr", "latin"]],
      },
      {
        name: "Arabic with a number: the number stays left to right, between the words",
        text: "المبلغ 1500 درهم",
        base: "rtl",
        expected: [
          [" درهم", "rtl", "arabic"],
          ["1500", "ltr", "latin"],
          ["المبلغ ", "rtl", "arabic"],
        ],
      },
      {
        name: "Arabic with an amount grouped by no-break spaces: one number",
        text: `المبلغ 400${NBSP}000,00 درهم`,
        base: "rtl",
        expected: [
          [" درهم", "rtl", "arabic"],
          [`400${NBSP}000,00`, "ltr", "latin"],
          ["المبلغ ", "rtl", "arabic"],
        ],
      },
      {
        name: "Arabic with a Latin reference",
        text: "المرجع MS-2026-00042",
        base: "rtl",
        expected: [
          ["MS-2026-00042", "ltr", "latin"],
          ["المرجع ", "rtl", "arabic"],
        ],
      },
      {
        name: "the brief's example: reference, dash and amount read as one left-to-right stretch",
        text: "المرجع MS-2026-00001 — 400.000,00 MAD",
        base: "rtl",
        expected: [
          ["MS-2026-00001 — 400.000,00 MAD", "ltr", "latin"],
          ["المرجع ", "rtl", "arabic"],
        ],
      },
      {
        name: "digits after Arabic letters: without an isolate, '-' splits them (rule W2)",
        text: "الملف 2026-00042",
        base: "rtl",
        expected: [
          ["00042", "ltr", "latin"],
          ["-", "rtl", "latin"],
          ["2026", "ltr", "latin"],
          ["الملف ", "rtl", "arabic"],
        ],
      },
      {
        name: "the same digits isolated read as typed",
        text: `الملف ${isolate("2026-00042")}`,
        base: "rtl",
        expected: [
          ["2026-00042", "ltr", "latin"],
          ["الملف ", "rtl", "arabic"],
        ],
      },
      {
        name: "an isolated reference followed by a full stop: the stop ends the Arabic sentence",
        text: `المرجع ${isolate("MS-2026-00042")}.`,
        base: "rtl",
        expected: [
          [".", "rtl", "arabic"],
          ["MS-2026-00042", "ltr", "latin"],
          ["المرجع ", "rtl", "arabic"],
        ],
      },
      {
        name: "French with an Arabic name",
        text: "Société شركة الأمل SARL",
        base: "ltr",
        expected: [
          ["Société ", "ltr", "latin"],
          ["شركة الأمل", "rtl", "arabic"],
          [" SARL", "ltr", "latin"],
        ],
      },
      {
        name: "parentheses in Arabic are mirrored and drawn with the Latin font (Naskh has none)",
        text: "برنامج (مساندة) الرقمية",
        base: "rtl",
        expected: [
          [" الرقمية", "rtl", "arabic"],
          [")", "rtl", "latin", "("],
          ["مساندة", "rtl", "arabic"],
          ["(", "rtl", "latin", ")"],
          ["برنامج ", "rtl", "arabic"],
        ],
      },
      {
        // Rule W2: after Arabic letters, European digits count as Arabic numbers, so "%" does
        // not join them and goes to their left, as browsers show it too.
        name: "parentheses and a percentage inside Arabic",
        text: "الدعم (60%) المقدر",
        base: "rtl",
        expected: [
          [" المقدر", "rtl", "arabic"],
          ["%)", "rtl", "latin", "(%"],
          ["60", "ltr", "latin"],
          ["(", "rtl", "latin", ")"],
          ["الدعم ", "rtl", "arabic"],
        ],
      },
      {
        name: "an isolated percentage keeps its sign on the right",
        text: `الدعم (${isolate("60%")}) المقدر`,
        base: "rtl",
        expected: [
          [" المقدر", "rtl", "arabic"],
          [")", "rtl", "latin", "("],
          ["60%", "ltr", "latin"],
          ["(", "rtl", "latin", ")"],
          ["الدعم ", "rtl", "arabic"],
        ],
      },
      {
        name: "parentheses around Arabic in French are not mirrored",
        text: "Nom (الأمل)",
        base: "ltr",
        expected: [
          ["Nom (", "ltr", "latin"],
          ["الأمل", "rtl", "arabic"],
          [")", "ltr", "latin"],
        ],
      },
      {
        name: "guillemets inside Arabic are mirrored; Arabic-Indic digits are pre-reversed for fontkit",
        text: "«نص» ١٢٣",
        base: "rtl",
        expected: [
          ["١٢٣", "ltr", "arabic", "٣٢١"],
          ["«نص» ", "rtl", "arabic", "»نص« "],
        ],
      },
      {
        name: "a dash between Arabic words is reversed by hand (fontkit sees no script in it)",
        text: "مساندة — الرقمية",
        base: "rtl",
        expected: [
          [" الرقمية", "rtl", "arabic"],
          ["—", "rtl", "latin"],
          ["مساندة ", "rtl", "arabic"],
        ],
      },
      {
        name: "auto direction follows the first strong character",
        text: "Licence ERP (12 mois).",
        base: "auto",
        expected: [["Licence ERP (12 mois).", "ltr", "latin"]],
      },
      {
        name: "explicit overrides in user text are gone once stripped",
        text: stripBidiControls("Facture \u202Efdp.exe\u202C"),
        base: "ltr",
        expected: [["Facture fdp.exe", "ltr", "latin"]],
      },
    ];
    for (const { name, text, base, expected } of cases) {
      it(name, () => {
        expect(runsOf(text, base)).to.deep.equal(expected);
      });
    }

    it("never hands a bidi control or mark to pdfkit", () => {
      const runs = splitBidiRuns(`أودعه ${isolate("Karima")} \u200Fمن ${isolate("Cabinet (Atlas)")}.`, "rtl");
      for (const run of runs) expect(run.glyphInput).not.to.match(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
      expect(runs.map((run) => run.text).join("")).to.have.length.greaterThan(10);
    });

    it("reorders each wrapped line on its own (rule L1–L2 after line breaking)", () => {
      const text = "نص عربي MS-2026-00042 يليه نص آخر";
      const paragraph = analyseParagraph(text, "rtl");
      const firstLineEnd = text.indexOf(" يليه");
      const first = visualRuns(paragraph, 0, firstLineEnd).map((run) => run.text);
      const second = visualRuns(paragraph, firstLineEnd + 1).map((run) => run.text);
      expect(first).to.deep.equal(["MS-2026-00042", "نص عربي "]);
      expect(second).to.deep.equal(["يليه نص آخر"]);
    });

    it("detects the paragraph direction, skipping isolated values, with a fallback for digits only", () => {
      expect(detectDirection("Bonjour", "rtl")).to.equal("ltr");
      expect(detectDirection("مرحبا Bonjour", "ltr")).to.equal("rtl");
      expect(detectDirection(`${isolate("MS-2026")} وصل`, "ltr")).to.equal("rtl");
      expect(detectDirection("2026 — 42", "rtl")).to.equal("rtl");
      expect(detectDirection("2026 — 42", "ltr")).to.equal("ltr");
    });

    it("strips explicit embeddings, overrides and isolates, and nothing else", () => {
      const controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
      expect(stripBidiControls(`a${controls}b\u200Fc`)).to.equal("ab\u200Fc");
    });
  });

  describe("formatting", () => {
    it("formats amounts from their decimal string, exactly, in both languages", () => {
      expect(formatAmount("400000.00", "fr")).to.equal(`400${NBSP}000,00${NBSP}MAD`);
      expect(formatAmount("400000.00", "ar")).to.equal(`400${NBSP}000,00${NBSP}درهم`);
      expect(formatAmount("0.50", "fr")).to.equal(`0,50${NBSP}MAD`);
      expect(formatAmount("1234.5", "fr", { currency: false })).to.equal(`1${NBSP}234,50`);
      // Beyond 2^53 centimes a float would round; the string is never converted.
      expect(formatAmount("999999999999.99", "fr", { currency: false })).to.equal(
        ["999", "999", "999", "999,99"].join(NBSP),
      );
      expect(formatAmount("12345678901234567.89", "fr", { currency: false })).to.equal(
        ["12", "345", "678", "901", "234", "567,89"].join(NBSP),
      );
      expect(() => formatAmount("12.345", "fr")).to.throw(TypeError);
      expect(() => formatAmount("1e5", "fr")).to.throw(TypeError);
    });

    it("formats rates as percentages", () => {
      expect(formatPercent("0.60", "fr")).to.equal(`60${NBSP}%`);
      expect(formatPercent("0.2", "fr")).to.equal(`20${NBSP}%`);
      expect(formatPercent("0.075", "fr")).to.equal(`7,5${NBSP}%`);
      expect(formatPercent("0.6525", "fr")).to.equal(`65,25${NBSP}%`);
      expect(formatPercent("1", "fr")).to.equal(`100${NBSP}%`);
      expect(formatPercent("0.00", "fr")).to.equal(`0${NBSP}%`);
      expect(formatPercent("0.60", "ar")).to.equal("60%");
    });

    it("formats file sizes in octets, Ko and Mo", () => {
      expect(formatFileSize(812, "fr")).to.equal(`812${NBSP}octets`);
      expect(formatFileSize(183_296, "fr")).to.equal(`179${NBSP}Ko`);
      expect(formatFileSize(1536, "fr")).to.equal(`1,5${NBSP}Ko`);
      expect(formatFileSize(1_048_570, "fr")).to.equal(`1${NBSP}Mo`);
      expect(formatFileSize(2_411_725, "fr")).to.equal(`2,3${NBSP}Mo`);
      expect(formatFileSize(2_411_725, "ar")).to.equal(`2,3${NBSP}ميغابايت`);
    });

    it("gives dates and times in Casablanca", () => {
      const instant = new Date("2026-06-14T23:30:00Z"); // already the 15th in Morocco (UTC+1)
      expect(formatDate(instant, "fr")).to.equal("15 juin 2026");
      expect(formatDate(instant, "ar")).to.match(/^15 \S+ 2026$/);
      expect(formatTime(instant)).to.equal("00:30");
    });
  });

  describe("fonts and documents", () => {
    it("finds the committed fonts from anywhere below the repository", () => {
      const directory = findFontDirectory();
      expect(findFontDirectory(path.join(directory, "..", "..", "..", "server", "pdf"))).to.equal(directory);
      expect(() => findFontDirectory(tmpdir())).to.throw(/PDF fonts not found/);
    });

    it("writes a file through a temporary one and leaves nothing behind when drawing fails", async () => {
      const directory = await mkdtemp(path.join(tmpdir(), "moussanada-pdf-"));
      try {
        const target = path.join(directory, "document.pdf");
        const options = { locale: "fr" as const, title: "Essai", createdAt: new Date("2026-01-01T00:00:00Z") };
        await renderPdfToFile(target, options, (doc) => {
          doc.font("latin-regular").fontSize(12).text("Bonjour", 50, 50);
        });
        expect((await readFile(target)).subarray(0, 5).toString("latin1")).to.equal("%PDF-");
        expect(await readdir(directory)).to.deep.equal(["document.pdf"]);

        const failing = path.join(directory, "failing.pdf");
        let caught: unknown = null;
        await renderPdfToFile(failing, options, () => {
          throw new Error("drawing failed");
        }).catch((error: unknown) => {
          caught = error;
        });
        expect(caught).to.be.instanceOf(Error);
        expect(await readdir(directory)).to.deep.equal(["document.pdf"]);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });

    it("sets the metadata and language", async () => {
      const bytes = await renderPdfToBuffer(
        { locale: "ar", title: "Essai", subject: "Sujet", createdAt: new Date("2026-06-15T10:05:00Z") },
        () => undefined,
      );
      const text = bytes.toString("latin1");
      expect(text).to.include("/Lang (ar)");
      expect(text).to.include("(Essai)");
      expect(text).to.include("(Sujet)");
      expect(text).to.include("(D:20260615100500Z)");
    });
  });

  describe("renderReceipt", function () {
    this.timeout(60_000);
    const sample = sampleReceipt();
    const receipts: Partial<Record<"fr" | "ar", Buffer>> = {};
    const rendered = (locale: "fr" | "ar"): Buffer => {
      const bytes = receipts[locale];
      if (!bytes) throw new Error(`the ${locale} receipt was not rendered`);
      return bytes;
    };

    before(async () => {
      receipts.fr = await renderReceipt(sample, "fr");
      receipts.ar = await renderReceipt(sample, "ar");
    });

    it("the sample is consistent: totals are the sums of its 60 lines", () => {
      expect(sample.lines).to.have.length(60);
      expect(sample.totals).to.deep.include({
        eligibleAmount: "21926835.90",
        vatAmount: "2172833.62",
        grantAmount: "400000.00",
        ownShare: "23699669.52",
      });
    });

    it("is a PDF, the same bytes for the same data", async () => {
      for (const locale of ["fr", "ar"] as const) {
        const bytes = rendered(locale);
        expect(bytes.subarray(0, 8).toString("latin1")).to.equal("%PDF-1.7");
        expect((await renderReceipt(sample, locale)).equals(bytes), `${locale} deterministic`).to.equal(true);
      }
      expect(rendered("fr").equals(rendered("ar"))).to.equal(false);
    });

    it("declares its title, author, language and the submission date", () => {
      const fr = rendered("fr").toString("latin1");
      const ar = rendered("ar").toString("latin1");
      expect(fr).to.include("/Lang (fr)");
      expect(ar).to.include("/Lang (ar)");
      for (const text of [fr, ar]) expect(text).to.include("(D:20260615100500Z)");
    });

    describe("checked with poppler-utils and qpdf", function () {
      let directory = "";
      const files: Partial<Record<"fr" | "ar", string>> = {};
      const fileOf = (locale: "fr" | "ar"): string => files[locale] ?? "";

      before(async function () {
        const missing = ["pdftotext", "pdfinfo", "qpdf"].filter(
          (tool) => spawnSync(tool, ["-v"], { encoding: "utf8" }).error !== undefined,
        );
        if (missing.length > 0) {
          // eslint-disable-next-line no-console
          console.warn(
            `    ⚠ ${missing.join(", ")} missing: PDF content checks skipped (.ci/run installs them: apt-get install poppler-utils qpdf)`,
          );
          this.skip();
        }
        directory = await mkdtemp(path.join(tmpdir(), "moussanada-receipt-"));
        for (const locale of ["fr", "ar"] as const) {
          files[locale] = path.join(directory, `receipt-${locale}.pdf`);
          await writeFile(fileOf(locale), rendered(locale));
        }
      });

      after(async () => {
        if (directory) await rm(directory, { recursive: true, force: true });
      });

      const run = (command: string, args: string[]): { status: number | null; stdout: string; stderr: string } => {
        const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
      };
      const text = (locale: "fr" | "ar", options: { raw?: boolean; page?: number } = {}): string => {
        const args = [
          ...(options.raw ? ["-raw"] : []),
          ...(options.page ? ["-f", String(options.page), "-l", String(options.page)] : []),
          fileOf(locale),
          "-",
        ];
        const result = run("pdftotext", args);
        expect(result.status, result.stderr).to.equal(0);
        // pdftotext wraps right-to-left words in its own embedding marks, and prints no-break spaces as spaces.
        return result.stdout.replace(/[\u202A-\u202C]/g, "");
      };
      const pageCount = (locale: "fr" | "ar"): number => {
        const match = /^Pages:\s+(\d+)$/m.exec(run("pdfinfo", [fileOf(locale)]).stdout);
        return Number(match?.[1] ?? 0);
      };

      it("passes qpdf --check", () => {
        for (const locale of ["fr", "ar"] as const) {
          const result = run("qpdf", ["--check", fileOf(locale)]);
          expect(result.status, `${locale}: ${result.stdout}${result.stderr}`).to.equal(0);
          expect(result.stdout).to.include("No syntax or stream encoding errors found");
        }
      });

      it("carries its metadata (pdfinfo)", () => {
        const fr = run("pdfinfo", [fileOf("fr")]).stdout;
        expect(fr).to.match(/^Title:\s+Accusé de dépôt MS-2026-00042 — Moussanada Numérique$/m);
        expect(fr).to.match(/^Author:\s+Moussanada Numérique$/m);
        expect(fr).to.match(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
        const ar = run("pdfinfo", [fileOf("ar")]).stdout;
        expect(ar).to.match(/^Title:\s+وصل إيداع MS-2026-00042 — مساندة الرقمية$/m);
      });

      it("French: reference, date, company, amounts, solutions and documents are there as text", () => {
        const all = text("fr").replace(/\s+/g, " ");
        for (const expected of [
          "Accusé de dépôt",
          "MS-2026-00042",
          "Déposé le 15 juin 2026 à 11:05 (heure du Maroc)",
          "Dépôt n° 2 : dossier complété à la demande du chargé de programme.",
          "Statut du dossier : Déposé",
          "001525362000088",
          "Casablanca-Settat",
          "Gestion commerciale et stocks (ERP)",
          "21 926 835,90 MAD",
          "2 172 833,62 MAD",
          "Subvention estimée (60 % du montant HT)",
          "400 000,00 MAD",
          "23 699 669,52 MAD",
          "ne devient définitive qu'après la décision du chargé de programme",
          "Extrait du registre du commerce",
          "devis_atlas_2026.pdf",
          "179 Ko",
          "2,3 Mo",
          "812 octets",
          "9f86d081884c7d65",
          "Karima Benjelloun (Cabinet Fiduciaire Atlas), prescripteur, pour le compte de l'entreprise",
        ]) {
          expect(all, expected).to.include(expected);
        }
        // Only the first 16 characters of each fingerprint are printed.
        expect(all).not.to.include("9f86d081884c7d659");
      });

      it("user text that looks like markup is printed literally, without its bidi overrides", () => {
        const all = text("fr", { raw: true });
        // The name wraps in its column of the company grid.
        expect(all).to.include("Société gnp.exe Al Amal <img");
        expect(all).to.include("src=x onerror=alert(1)>");
        expect(all).to.include("<script>alert(1)</script>fdp.exe");
        expect(all).to.include("<script>alert('xss')</script> poste de");
        expect(all).not.to.match(/[\u202D\u202E\u2066-\u2069]/);
        expect(text("ar", { raw: true })).not.to.match(/[\u202D\u202E\u2066-\u2069]/);
      });

      it("no glyph in either PDF stands for a bidi control character", async () => {
        for (const locale of ["fr", "ar"] as const) {
          const expanded = path.join(directory, `expanded-${locale}.pdf`);
          const result = run("qpdf", ["--qdf", "--object-streams=disable", fileOf(locale), expanded]);
          expect(result.status, result.stderr).to.equal(0);
          const pdf = (await readFile(expanded)).toString("latin1");
          const cmaps = pdf.match(/begincmap[\s\S]*?endcmap/g) ?? [];
          expect(cmaps.length, `${locale}: ToUnicode maps`).to.be.greaterThan(0);
          for (const cmap of cmaps) expect(cmap).not.to.match(/<(?:202[a-eA-E]|206[6-9])>/);
        }
      });

      it("every investment line is printed once, in order, across at least three pages", () => {
        const pages = pageCount("fr");
        expect(pages).to.be.at.least(3);
        const pageTexts = Array.from({ length: pages }, (_, index) => text("fr", { page: index + 1 }));
        let lastPage = 0;
        for (const line of sample.lines) {
          const amount = formatAmount(line.amountExclTax, "fr", { currency: false }).replace(/\u00A0/g, " ");
          // The whole number only: "1 250,00" must not match inside "31 250,00".
          const pattern = new RegExp(`(?<![\\d,])(?<!\\d )${amount.replace(/[.,]/g, "\\$&")}(?![\\d,])`, "g");
          const found = pageTexts.flatMap((page, index) => Array.from(page.matchAll(pattern), () => index));
          expect(found, `${line.label}: ${amount}`).to.have.length(1);
          const page = found[0] ?? -1;
          expect(page).to.be.at.least(lastPage);
          lastPage = page;
          expect(pageTexts[page], `table header on page ${page + 1}`).to.include("Désignation");
          expect(pageTexts[page]).to.include("Montant HT (MAD)");
        }
      });

      it("has a footer with the reference and 'Page n / N' on every page, in both languages", () => {
        const frPages = pageCount("fr");
        for (let page = 1; page <= frPages; page++) {
          const pageText = text("fr", { page });
          expect(pageText).to.include(`Page ${page} / ${frPages}`);
          expect(pageText).to.include("Moussanada Numérique — Accusé de dépôt MS-2026-00042");
        }
        const arPages = pageCount("ar");
        expect(arPages).to.be.at.least(3);
        for (let page = 1; page <= arPages; page++) {
          // -raw keeps the visual order: read right to left, "الصفحة 1 من 4".
          const pageText = text("ar", { raw: true, page });
          expect(pageText).to.include(`${arPages} من ${page} الصفحة`);
          expect(pageText).to.include("MS-2026-00042 إيداع وصل — الرقمية مساندة");
        }
      });

      it("Arabic: words are spelled in logical order (never reversed twice) and laid out right to left", () => {
        const raw = text("ar", { raw: true });
        // Within a word pdftotext restores the logical order of the glyphs; a word reversed once
        // too often (or not shaped as Arabic) would come out backwards.
        for (const word of ["مساندة", "الرقمية", "وصل", "إيداع", "المقاولة", "درهم", "البيضاء", "تكوين"]) {
          expect(raw, word).to.include(word);
          expect(raw, `${word} reversed`).not.to.include([...word].reverse().join(""));
        }
        // -raw lists words left to right as drawn: an Arabic line comes out in reverse word order.
        expect(raw).to.include("الرقمية مساندة");
        expect(raw).to.include("إيداع وصل");
        expect(raw).to.include("البيضاء الدار");
        // Numbers and Latin references keep their own left-to-right order inside Arabic lines.
        expect(raw).to.include("درهم 400 000,00");
        expect(raw).to.include("درهم 21 926 835,90");
        expect(raw).to.include("يونيو 15");
        expect(raw).to.include("MS-2026-00042");
        expect(raw).to.include("درهم 1.250.000,00");
        expect(raw).to.include("Sage X3");
      });

      it("Arabic: pdftotext's own reordering reads the sentences back in logical order", () => {
        // Its spacing around numbers is approximate, so compare without spaces.
        const logical = text("ar").replace(/\s+/g, "");
        for (const sentence of [
          "مساندةالرقمية",
          "وصلإيداع",
          "مرجعالملف",
          "تمالإيداعبتاريخ15يونيو2026علىالساعة",
          "الدارالبيضاءسطات",
          "التحولالرقميللمقاولاتالصغرىوالمتوسطة",
          "400000,00درهم",
        ]) {
          expect(logical, sentence).to.include(sentence);
        }
      });

      it("a first submission by the manager, without description, documents nor supplier", async () => {
        const data: ReceiptData = sampleReceipt({
          submissionNumber: 1,
          description: "   ",
          documents: [],
          filedBy: { name: "Youssef El Amrani", role: "applicant", organisation: null },
        });
        data.lines = data.lines.slice(0, 2).map((line) => ({ ...line, supplierName: null }));
        const target = path.join(directory, "first.pdf");
        await writeFile(target, await renderReceipt(data, "fr"));
        expect(run("qpdf", ["--check", target]).status).to.equal(0);
        const all = run("pdftotext", [target, "-"]).stdout.replace(/\s+/g, " ");
        for (const expected of [
          "Premier dépôt du dossier.",
          "Aucune description fournie.",
          "Aucune pièce jointe.",
          "Non précisé",
          "Déposé par Youssef El Amrani, dirigeant de l'entreprise.",
          "Page 1 / 1",
        ]) {
          expect(all, expected).to.include(expected);
        }
      });
    });
  });
});
