import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  renderCertificatePdf,
  renderCertificatePdfToFile,
  type CertificatePdfData,
} from "../../../server/pdf/certificate.js";

const typical: CertificatePdfData = {
  number: "PN-2026-000001",
  holderName: "Karim Benali",
  companyName: "Atlas Textiles SARL",
  courseTitle: "Initiation au numérique — Fès",
  city: "Fès",
  sessionStartsAt: new Date("2026-07-01T08:00:00Z"),
  sessionEndsAt: new Date("2026-07-01T16:00:00Z"),
  issuedAt: new Date("2026-07-02T09:15:42Z"),
  verificationUrl: "http://localhost:3000/verify/q8Zr2m1vX0aB3cD4eF5gHw",
  verificationCode: "q8Zr2m1vX0aB3cD4eF5gHw",
  keyId: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
};

/** 200 characters, the longest the forms accept, cut at a word boundary for the full-text check. */
function longest(text: string): string {
  return text
    .repeat(Math.ceil(200 / text.length))
    .slice(0, 200)
    .replace(/\s+\S*$/, "");
}

const long: CertificatePdfData = {
  ...typical,
  number: "PN-2026-123456",
  holderName: longest("Mohammed Amine Abderrahmane El Idrissi Benjelloun Alaoui Mrani Zentar "),
  companyName: longest("شركة الأطلس الكبير للنسيج والملابس الجاهزة والتصدير Atlas Textiles International SARL AU "),
  courseTitle: longest(
    "Initiation au numérique : messagerie, bureautique, facturation électronique, cybersécurité et présence en ligne ",
  ),
  city: longest("Casablanca-Settat, Préfecture d'arrondissements Aïn Chock, quartier Maârif Extension "),
  sessionEndsAt: new Date("2026-07-03T16:00:00Z"),
  verificationUrl: "https://moussanada-numerique.example.gov.ma/verify/q8Zr2m1vX0aB3cD4eF5gHw",
};

const arabic: CertificatePdfData = {
  ...typical,
  number: "PN-2026-000042",
  // Overrides and control characters typed into a name must not reach the page.
  holderName: "فاطمة\u202E الزهراء\u0007 بنعلي",
  companyName: "شركة النور للخدمات",
  courseTitle: "مدخل إلى الرقمنة — فاس",
  city: "فاس",
};

const samples = { typical, long, arabic } as const;
type Sample = keyof typeof samples;

interface Word {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** The inner frame of the page, which no text may cross (server/pdf/certificate.ts: FRAME.inner). */
const INNER = 23;

describe("Permis Numérique certificate PDF", function () {
  this.timeout(60_000);
  let directory = "";
  const fileOf = (sample: Sample): string => path.join(directory, `certificate-${sample}.pdf`);

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "moussanada-certificate-"));
    for (const [name, data] of Object.entries(samples)) {
      await writeFile(path.join(directory, `certificate-${name}.pdf`), await renderCertificatePdf(data));
    }
  });

  after(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const run = (command: string, args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const text = (sample: Sample, options: { raw?: boolean } = {}): string => {
    const result = run("pdftotext", [...(options.raw ? ["-raw"] : []), fileOf(sample), "-"]);
    expect(result.status, result.stderr).to.equal(0);
    // pdftotext wraps right-to-left words in its own embedding marks, and prints no-break spaces as spaces.
    return result.stdout.replace(/[\u202A-\u202C]/g, "");
  };
  const flat = (value: string): string => value.replace(/\s+/g, " ");
  const words = (sample: Sample): Word[] => {
    const result = run("pdftotext", ["-bbox", fileOf(sample), "-"]);
    expect(result.status, result.stderr).to.equal(0);
    const pattern = /xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g;
    return Array.from(result.stdout.matchAll(pattern), ([, xMin, yMin, xMax, yMax, word]) => ({
      xMin: Number(xMin),
      yMin: Number(yMin),
      xMax: Number(xMax),
      yMax: Number(yMax),
      text: word ?? "",
    }));
  };
  const decodeQr = (sample: Sample): string => {
    const prefix = path.join(directory, `qr-${sample}`);
    const rendered = run("pdftoppm", ["-r", "150", "-png", "-singlefile", fileOf(sample), prefix]);
    expect(rendered.status, rendered.stderr).to.equal(0);
    const decoded = run("zbarimg", ["--raw", "-q", `${prefix}.png`]);
    expect(decoded.status, decoded.stderr).to.equal(0);
    return decoded.stdout.replace(/\n$/, "");
  };

  it("is one A4 landscape page (842 × 595 pt) with its metadata", () => {
    for (const sample of Object.keys(samples) as Sample[]) {
      const info = run("pdfinfo", [fileOf(sample)]).stdout;
      expect(info, sample).to.match(/^Pages:\s+1$/m);
      expect(info, sample).to.match(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
      expect(info, sample).to.match(/^Page rot:\s+0$/m);
    }
    const info = run("pdfinfo", [fileOf("typical")]).stdout;
    expect(info).to.match(/^Title:\s+Permis Numérique PN-2026-000001 — Karim Benali$/m);
    expect(info).to.match(/^Author:\s+Moussanada Numérique$/m);
    expect(info).to.match(/^Keywords:\s+PN-2026-000001$/m);
  });

  it("passes qpdf --check", () => {
    for (const sample of Object.keys(samples) as Sample[]) {
      const result = run("qpdf", ["--check", fileOf(sample)]);
      expect(result.status, `${sample}: ${result.stdout}${result.stderr}`).to.equal(0);
      expect(result.stdout).to.include("No syntax or stream encoding errors found");
    }
  });

  it("French: title, number, holder, company, course, session, issue date and verification are there as text", () => {
    const all = flat(text("typical"));
    for (const expected of [
      "ROYAUME DU MAROC",
      "Programme Moussanada Numérique",
      "Permis Numérique",
      "N° PN-2026-000001",
      "Le présent permis est décerné à",
      "Karim Benali",
      "de l'entreprise Atlas Textiles SARL",
      "pour avoir suivi avec succès la formation",
      "« Initiation au numérique — Fès »",
      "organisée à Fès le 1 juillet 2026",
      "Délivré le 2 juillet 2026",
      "Vérifiez l'authenticité :",
      "http://localhost:3000/verify/q8Zr2m1vX0aB3cD4eF5gHw",
      "Code de vérification : q8Zr2m1vX0aB3cD4eF5gHw",
      "Signé électroniquement (Ed25519) — clé z6MkrJVnaZkeFzdQ…",
    ]) {
      expect(all, expected).to.include(expected);
    }
    // Only the first 16 characters of the key are printed.
    expect(all).not.to.include("z6MkrJVnaZkeFzdQy");
  });

  it("Arabic: words are shaped and spelled in logical order, and laid out right to left", () => {
    const raw = text("typical", { raw: true });
    // pdftotext restores the logical order of the glyphs within a word; a word reversed once too
    // often (or not shaped as Arabic) would come out backwards.
    for (const word of ["المملكة", "المغربية", "الرخصة", "الرقمية", "مساندة", "تمنح", "مقاولة", "التكوين", "يوليوز"]) {
      expect(raw, word).to.include(word);
      expect(raw, `${word} reversed`).not.to.include([...word].reverse().join(""));
    }
    // -raw lists words left to right as drawn: an Arabic line comes out in reverse word order.
    expect(raw).to.include("الرقمية الرخصة");
    expect(raw).to.include("المغربية المملكة");
    expect(raw).to.include("إلى الرخصة هذه تمنح");
    // Latin values and dates keep their own order inside Arabic sentences.
    expect(raw).to.include("Atlas Textiles SARL مقاولة من");
    expect(raw).to.include("2026 يوليوز 1 يوم Fès بمدينة المنظم");
    expect(raw).to.include("q8Zr2m1vX0aB3cD4eF5gHw :التحقق رمز");
    expect(raw).to.include("2026 يوليوز 2 بتاريخ سلمت");

    // pdftotext's own reordering reads the sentences back in logical order (spacing aside).
    const logical = text("typical").replace(/\s+/g, "");
    for (const sentence of [
      "المملكةالمغربية",
      "برنامجمساندةالرقمية",
      "الرخصةالرقمية",
      "تمنحهذهالرخصةإلى",
      "بعدالنجاحفيالتكوين",
      "سلمتبتاريخ",
      "تحققوامنصحةهذهالرخصة",
    ]) {
      expect(logical, sentence).to.include(sentence);
    }
  });

  it("prints Arabic user values in both columns, without their bidi overrides or control characters", async () => {
    const raw = text("arabic", { raw: true });
    expect(raw).to.include("بنعلي الزهراء فاطمة");
    expect(raw).to.include("للخدمات النور شركة");
    expect(raw).to.include("فاس — الرقمنة إلى مدخل");
    expect(flat(text("arabic"))).to.include("organisée à");
    // Line and page breaks are pdftotext's own.
    expect(raw.replace(/[\n\f]/g, "")).not.to.match(/[\p{Cc}\u202D\u202E\u2066-\u2069]/u);

    const expanded = path.join(directory, "expanded-arabic.pdf");
    const result = run("qpdf", ["--qdf", "--object-streams=disable", fileOf("arabic"), expanded]);
    expect(result.status, result.stderr).to.equal(0);
    const cmaps = (await readFile(expanded)).toString("latin1").match(/begincmap[\s\S]*?endcmap/g) ?? [];
    expect(cmaps.length).to.be.greaterThan(0);
    for (const cmap of cmaps) expect(cmap).not.to.match(/<(?:202[a-eA-E]|206[6-9]|0007)>/);
  });

  it("is deterministic: the same data give the same bytes", async () => {
    const first = await renderCertificatePdf(typical);
    const second = await renderCertificatePdf({ ...typical, issuedAt: new Date(typical.issuedAt.getTime()) });
    expect(first.equals(second)).to.equal(true);
    expect(first.equals(await readFile(fileOf("typical")))).to.equal(true);
    expect(first.equals(await renderCertificatePdf({ ...typical, number: "PN-2026-000002" }))).to.equal(false);
  });

  it("gives the same bytes whatever the process rendered before", async function () {
    this.timeout(120_000);
    // Each sample rendered alone by a fresh process must match what this process, which has drawn
    // the others (and perhaps receipts) already, renders now: no state may leak between documents.
    const script = path.join(directory, "render-alone.mts");
    const moduleUrl = new URL("../../../server/pdf/certificate.ts", import.meta.url).href;
    await writeFile(
      script,
      [
        'import { writeFile } from "node:fs/promises";',
        `import { renderCertificatePdf } from ${JSON.stringify(moduleUrl)};`,
        "const data = JSON.parse(process.argv[2], (key, value) => (/At$/.test(key) ? new Date(value) : value));",
        "await writeFile(process.argv[3], await renderCertificatePdf(data));",
      ].join("\n"),
    );
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
    for (const [name, data] of Object.entries(samples)) {
      const target = path.join(directory, `alone-${name}.pdf`);
      const child = spawnSync(process.execPath, ["--import", "tsx", script, JSON.stringify(data), target], {
        cwd: root,
        encoding: "utf8",
      });
      expect(child.status, child.stderr).to.equal(0);
      const alone = await readFile(target);
      expect(alone.equals(await renderCertificatePdf(data)), name).to.equal(true);
    }
  });

  it("rendered after certificates with other French and Arabic names, keeps the bytes and the text it has alone", async function () {
    this.timeout(180_000);
    // Holders, companies, courses and cities in both scripts, with letters in several joining forms
    // and the lam-alef ligature: what the shaping and layout caches keep from one certificate must
    // not change the next one's glyphs or its text layer.
    const holders: Array<[holderName: string, companyName: string | null, courseTitle: string, city: string]> = [
      ["Zoé-Léa Benali لحلو Chraïbi", null, "مدخل إلى الرقمنة — فاس", "Tanger"],
      // Rendered after the one above with a glyph cache shared between documents, "العلوي" lost
      // its ع from the text layer: the bug that made glyphs a document's own.
      ["Zoé-Léa العلوي", "شركة النور للخدمات", "Initiation au numérique — promotion nationale", "Tanger"],
      ["فاطمة الزهراء بنعلي", "Boulangerie الأمل", "مدخل إلى الرقمنة — فاس", "Tanger"],
      ["لالة لبنى الإدريسي", "Café لالة SARL", "Initiation au numérique — Fès", "فاس"],
      ["محمد أمين العلوي", null, "Facturation électronique (niveau 2)", "Casablanca-Settat"],
      ["Aïcha Lahlou", "Atlas Textiles SARL", "مدخل إلى الرقمنة — فاس", "فاس"],
    ];
    const batch = holders.map(([holderName, companyName, courseTitle, city], index) => ({
      ...typical,
      number: `PN-2026-${String(300 + index).padStart(6, "0")}`,
      holderName,
      companyName,
      courseTitle,
      city,
      verificationCode: `${typical.verificationCode.slice(0, 20)}x${index}`,
      verificationUrl: `${typical.verificationUrl.slice(0, -2)}x${index}`,
    }));
    // In this order, each after the ones before it: the caches are as a batch leaves them.
    const afterOthers = [];
    for (const data of batch) afterOthers.push(await renderCertificatePdf(data));

    const moduleUrl = new URL("../../../server/pdf/certificate.ts", import.meta.url).href;
    const script = path.join(directory, "render-one-alone.mts");
    await writeFile(
      script,
      [
        'import { writeFile } from "node:fs/promises";',
        `import { renderCertificatePdf } from ${JSON.stringify(moduleUrl)};`,
        "const data = JSON.parse(process.argv[2], (key, value) => (/At$/.test(key) ? new Date(value) : value));",
        "await writeFile(process.argv[3], await renderCertificatePdf(data));",
      ].join("\n"),
    );
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
    for (const [index, data] of batch.entries()) {
      const alone = path.join(directory, `alone-holder-${index}.pdf`);
      const after = path.join(directory, `after-others-${index}.pdf`);
      await writeFile(after, afterOthers[index] ?? Buffer.alloc(0));
      const child = spawnSync(process.execPath, ["--import", "tsx", script, JSON.stringify(data), alone], {
        cwd: root,
        encoding: "utf8",
      });
      expect(child.status, child.stderr).to.equal(0);
      const textOf = (file: string, mode: string[] = []) =>
        run("pdftotext", [...mode, file, "-"]).stdout.replace(/[\u202A-\u202C]/g, "");
      // pdftotext reads words back in logical order (with -raw, as drawn: a ligature's letters apart).
      for (const word of data.holderName.split(" ")) {
        expect(textOf(alone), data.holderName).to.include(word);
        expect(textOf(after), data.holderName).to.include(word);
      }
      const expectedText = textOf(alone, ["-raw"]);
      expect(textOf(after, ["-raw"]), data.holderName).to.equal(expectedText);
      expect((await readFile(alone)).equals(afterOthers[index] ?? Buffer.alloc(0)), data.holderName).to.equal(true);
    }
  });

  it("has a QR code that decodes to exactly the verification URL", () => {
    expect(decodeQr("typical")).to.equal(typical.verificationUrl);
    expect(decodeQr("long")).to.equal(long.verificationUrl);
  });

  it("keeps 200-character values whole, on one page, inside the frame, with no text overlapping", () => {
    const raw = flat(text("long", { raw: true }));
    // The French column prints the holder's name and the course title in full.
    expect(raw).to.include(long.holderName);
    expect(raw).to.include(long.courseTitle);
    expect(raw).to.include("du 1 juillet 2026 au 3 juillet 2026");
    expect(raw).to.include("2026 يوليوز 3 إلى 2026 يوليوز 1 من");
    expect(raw.match(/…/g) ?? [], "only the key is shortened").to.have.length(1);

    for (const sample of Object.keys(samples) as Sample[]) {
      // Combining marks are boxed apart by pdftotext, over the letter that carries them.
      const boxes = words(sample).filter((word) => !/^\p{M}+$/u.test(word.text));
      expect(boxes.length, sample).to.be.greaterThan(40);
      for (const word of boxes) {
        expect(word.xMin, `${sample}: ${word.text}`).to.be.at.least(INNER);
        expect(word.yMin, `${sample}: ${word.text}`).to.be.at.least(INNER);
        expect(word.xMax, `${sample}: ${word.text}`).to.be.at.most(841.89 - INNER);
        expect(word.yMax, `${sample}: ${word.text}`).to.be.at.most(595.28 - INNER);
      }
      // Font boxes reach above and below the letters (Naskh's most of all): compare their middle half.
      const core = boxes.map((word) => {
        const inset = (word.yMax - word.yMin) / 4;
        return {
          ...word,
          xMin: word.xMin + 0.5,
          xMax: word.xMax - 0.5,
          yMin: word.yMin + inset,
          yMax: word.yMax - inset,
        };
      });
      const overlaps: string[] = [];
      core.forEach((a, index) => {
        for (const b of core.slice(index + 1)) {
          if (a.xMin < b.xMax && b.xMin < a.xMax && a.yMin < b.yMax && b.yMin < a.yMax) {
            overlaps.push(`${a.text} × ${b.text}`);
          }
        }
      });
      expect(overlaps, sample).to.deep.equal([]);
    }
  });

  it("without a company and over several days", async () => {
    const target = path.join(directory, "no-company.pdf");
    await writeFile(
      target,
      await renderCertificatePdf({
        ...typical,
        companyName: null,
        sessionEndsAt: new Date("2026-07-03T23:30:00Z"), // already the 4th in Casablanca
      }),
    );
    expect(run("qpdf", ["--check", target]).status).to.equal(0);
    const all = flat(run("pdftotext", [target, "-"]).stdout);
    expect(all).to.include("organisée à Fès du 1 juillet 2026 au 4 juillet 2026");
    expect(all).not.to.include("de l'entreprise");
    expect(all).not.to.include("مقاولة");
  });

  it("renderCertificatePdfToFile writes the whole file through a temporary one", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "moussanada-certificate-file-"));
    try {
      const target = path.join(folder, "permis-numerique-PN-2026-000001.pdf");
      await renderCertificatePdfToFile(typical, target);
      expect(await readdir(folder)).to.deep.equal(["permis-numerique-PN-2026-000001.pdf"]);
      const bytes = await readFile(target);
      expect(bytes.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
      expect(bytes.subarray(-6).toString("latin1")).to.match(/%%EOF\n?$/);
      expect(bytes.equals(await renderCertificatePdf(typical))).to.equal(true);
      expect(run("qpdf", ["--check", target]).status).to.equal(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
