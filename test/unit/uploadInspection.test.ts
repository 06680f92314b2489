import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { validateHeaderValue } from "node:http";
import os from "node:os";
import path from "node:path";
import {
  contentDisposition,
  detectDocumentMime,
  fileNameFor,
  fileNameProblem,
  sanitiseFileName,
  sha256File,
  type DocumentMime,
  type FileNameProblem,
} from "../../server/storage/uploadInspection.js";

/** Real, minimal files: a one-object PDF, a 1×1 PNG and a 1×1 JFIF JPEG. */
const SAMPLE_PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
const SAMPLE_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
const SAMPLE_JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
  "base64",
);
/** A ZIP archive holding "devis.pdf", as Python's zipfile writes it. */
const SAMPLE_ZIP = Buffer.from(
  "UEsDBBQAAAAAAK2qd134yZN/DQAAAA0AAAAJAAAAZGV2aXMucGRmJVBERi0xLjQgZmFrZVBLAQIUAxQAAAAAAK2qd134yZN/DQAAAA0AAAAJAAAAAAAAAAAAAACAAQAAAABkZXZpcy5wZGZQSwUGAAAAAAEAAQA3AAAANAAAAAAA",
  "base64",
);

/** Test titles with invisible characters spelled out, so the report shows what was tested. */
function visible(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 20)}…(${text.length} characters)` : text;
  return JSON.stringify(shown).replace(
    // eslint-disable-next-line no-control-regex -- spelling out control characters is the point
    /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}

describe("upload inspection", () => {
  let dir: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-inspection-"));
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe("detectDocumentMime reads the bytes, never the name", () => {
    const cases: Array<{ label: string; name: string; bytes: Buffer; expected: DocumentMime | null }> = [
      { label: "a real PDF", name: "devis.pdf", bytes: SAMPLE_PDF, expected: "application/pdf" },
      { label: "a real PNG", name: "scan.png", bytes: SAMPLE_PNG, expected: "image/png" },
      { label: "a real JPEG", name: "photo.jpg", bytes: SAMPLE_JPEG, expected: "image/jpeg" },
      { label: "a PNG named .pdf", name: "devis.pdf", bytes: SAMPLE_PNG, expected: "image/png" },
      { label: "a PDF without an extension", name: "devis", bytes: SAMPLE_PDF, expected: "application/pdf" },
      {
        label: "an HTML page named .pdf",
        name: "devis.pdf",
        bytes: Buffer.from("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
        expected: null,
      },
      {
        label: "an HTML page mentioning %PDF after its first byte",
        name: "devis.pdf",
        bytes: Buffer.from("<html>%PDF-1.4</html>"),
        expected: null,
      },
      {
        label: "a Windows executable renamed .pdf",
        name: "devis.pdf",
        bytes: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(62), Buffer.from("PE\0\0")]),
        expected: null,
      },
      { label: "a ZIP archive named .pdf", name: "devis.pdf", bytes: SAMPLE_ZIP, expected: null },
      {
        label: "an SVG with an XML prolog",
        name: "logo.png",
        bytes: Buffer.from(
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        expected: null,
      },
      {
        label: "an SVG without a prolog",
        name: "logo.svg",
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        expected: null,
      },
      {
        label: "a GIF (an image, but not an accepted one)",
        name: "a.jpg",
        bytes: Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1"),
        expected: null,
      },
      { label: "plain text", name: "devis.pdf", bytes: Buffer.from("Devis n° 12 : 4 000 MAD"), expected: null },
      { label: "an empty file", name: "devis.pdf", bytes: Buffer.alloc(0), expected: null },
    ];
    for (const { label, name, bytes, expected } of cases) {
      it(`${label} → ${String(expected)}`, async () => {
        const caseDir = await fs.mkdtemp(path.join(dir, "case-"));
        const filePath = path.join(caseDir, name);
        await fs.writeFile(filePath, bytes);
        expect(await detectDocumentMime(filePath)).to.equal(expected);
      });
    }
  });

  describe("fileNameProblem", () => {
    const cases: Array<{ name: string; expected: FileNameProblem | null }> = [
      { name: "devis.pdf", expected: null },
      { name: "Devis n° 12 (version finale).pdf", expected: null },
      { name: "عرض السعر.pdf", expected: null },
      { name: "devis..final.pdf", expected: null },
      { name: "..pdf", expected: null },
      // Direction marks are not refused: sanitiseFileName strips them.
      { name: "\u202Efdp.exe", expected: null },
      { name: "", expected: "missing" },
      { name: "   ", expected: "missing" },
      { name: "../etc/passwd", expected: "path" },
      { name: "a/b.pdf", expected: "path" },
      { name: "a\\b.pdf", expected: "path" },
      { name: "..\\..\\windows\\win.ini", expected: "path" },
      { name: "..", expected: "path" },
      { name: ".", expected: "path" },
      { name: "devis\u0000.pdf", expected: "control" },
      { name: "devis\r\n.pdf", expected: "control" },
      { name: "devis\t.pdf", expected: "control" },
      { name: "devis\u001B[31m.pdf", expected: "control" },
      { name: "devis\u007F.pdf", expected: "control" },
      { name: "devis\u0085.pdf", expected: "control" },
      { name: "devis\u009F.pdf", expected: "control" },
      { name: "a".repeat(255), expected: null },
      { name: "a".repeat(256), expected: "too-long" },
      { name: `${"a".repeat(300)}.pdf`, expected: "too-long" },
      // 2 bytes per Arabic letter in UTF-8: 128 letters are 256 bytes.
      { name: "ع".repeat(127), expected: null },
      { name: "ع".repeat(128), expected: "too-long" },
    ];
    for (const { name, expected } of cases) {
      it(`${visible(name)} → ${String(expected)}`, () => {
        expect(fileNameProblem(name)).to.equal(expected);
      });
    }
  });

  describe("sanitiseFileName", () => {
    const cases: Array<{ name: string; expected: string }> = [
      { name: "devis.pdf", expected: "devis.pdf" },
      { name: "DEVIS.PDF", expected: "DEVIS.PDF" },
      { name: "\u202Efdp.exe", expected: "fdp.exe" },
      { name: "facture\u2066\u200F\u200E\u061C.pdf", expected: "facture.pdf" },
      { name: "Devis  \t final .pdf", expected: "Devis final.pdf" },
      { name: 'facture "2024";.pdf', expected: "facture 2024.pdf" },
      { name: "Devis d'installation.pdf", expected: "Devis d\u2019installation.pdf" },
      { name: "Re\u0301sume\u0301.pdf", expected: "R\u00e9sum\u00e9.pdf" },
      { name: "عرض السعر.pdf", expected: "عرض السعر.pdf" },
      { name: "devis\r\n.pdf", expected: "devis.pdf" },
      { name: "devis\u0000.pdf", expected: "devis.pdf" },
      { name: "a/b\\c.pdf", expected: "a_b_c.pdf" },
      { name: "...hidden.pdf", expected: "hidden.pdf" },
      { name: "\u202E.pdf", expected: "document.pdf" },
      { name: '"";.pdf', expected: "document.pdf" },
      { name: "", expected: "document" },
      { name: "   ", expected: "document" },
    ];
    for (const { name, expected } of cases) {
      it(`${visible(name)} → ${visible(expected)}`, () => {
        expect(sanitiseFileName(name)).to.equal(expected);
      });
    }

    it("shortens a 300-character name to 255 UTF-8 bytes, keeping the extension", () => {
      const latin = sanitiseFileName(`${"a".repeat(300)}.pdf`);
      expect(Buffer.byteLength(latin)).to.equal(255);
      expect(latin.endsWith("a.pdf")).to.equal(true);

      const arabic = sanitiseFileName(`${"ع".repeat(300)}.pdf`);
      expect(Buffer.byteLength(arabic)).to.be.at.most(255);
      expect(arabic.endsWith("ع.pdf")).to.equal(true);
      // No character cut in half: decoding and re-encoding changes nothing.
      expect(Buffer.from(arabic).toString("utf8")).to.equal(arabic);
    });

    it("is idempotent", () => {
      for (const name of ["\u202Efdp.exe", "Devis d'installation.pdf", "  x  ;.pdf", `${"ع".repeat(300)}.pdf`]) {
        const once = sanitiseFileName(name);
        expect(sanitiseFileName(once)).to.equal(once);
      }
    });
  });

  describe("fileNameFor", () => {
    const cases: Array<{ name: string; mime: DocumentMime; expected: string }> = [
      { name: "devis.pdf", mime: "application/pdf", expected: "devis.pdf" },
      { name: "DEVIS.PDF", mime: "application/pdf", expected: "DEVIS.PDF" },
      { name: "photo.jpeg", mime: "image/jpeg", expected: "photo.jpeg" },
      { name: "photo.JPG", mime: "image/jpeg", expected: "photo.JPG" },
      { name: "devis", mime: "application/pdf", expected: "devis.pdf" },
      { name: "\u202Efdp.exe", mime: "application/pdf", expected: "fdp.exe.pdf" },
      { name: "scan.pdf", mime: "image/png", expected: "scan.pdf.png" },
    ];
    for (const { name, mime, expected } of cases) {
      it(`${visible(name)} holding ${mime} → ${visible(expected)}`, () => {
        expect(fileNameFor(name, mime)).to.equal(expected);
      });
    }
  });

  describe("contentDisposition", () => {
    const cases: Array<{ name: string; expected: string }> = [
      { name: "devis.pdf", expected: `attachment; filename="devis.pdf"; filename*=UTF-8''devis.pdf` },
      {
        name: "Devis été.pdf",
        expected: `attachment; filename="Devis ete.pdf"; filename*=UTF-8''Devis%20%C3%A9t%C3%A9.pdf`,
      },
      {
        name: "عرض السعر.pdf",
        expected: `attachment; filename="document.pdf"; filename*=UTF-8''%D8%B9%D8%B1%D8%B6%20%D8%A7%D9%84%D8%B3%D8%B9%D8%B1.pdf`,
      },
      {
        name: 'Devis "final"; x=1.pdf',
        expected: `attachment; filename="Devis final x=1.pdf"; filename*=UTF-8''Devis%20final%20x%3D1.pdf`,
      },
      {
        name: "l'offre (v2)*.pdf",
        expected: `attachment; filename="l_offre (v2)*.pdf"; filename*=UTF-8''l%E2%80%99offre%20%28v2%29%2A.pdf`,
      },
      {
        name: "devis\r\nSet-Cookie: a=b.pdf",
        expected: `attachment; filename="devis Set-Cookie: a=b.pdf"; filename*=UTF-8''devis%20Set-Cookie%3A%20a%3Db.pdf`,
      },
      { name: "100%.pdf", expected: `attachment; filename="100_.pdf"; filename*=UTF-8''100%25.pdf` },
      { name: "\u202Efdp.exe", expected: `attachment; filename="fdp.exe"; filename*=UTF-8''fdp.exe` },
    ];
    for (const { name, expected } of cases) {
      it(visible(name), () => {
        const header = contentDisposition(name);
        expect(header).to.equal(expected);
        expect(() => validateHeaderValue("Content-Disposition", header)).not.to.throw();
      });
    }

    it("decodes back to the sanitised name", () => {
      for (const name of ["عرض السعر (نهائي).pdf", "Attestation fiscale – Société Atlas.pdf", "l'offre.pdf"]) {
        const encoded = /filename\*=UTF-8''(.+)$/.exec(contentDisposition(name))?.[1] ?? "";
        expect(decodeURIComponent(encoded)).to.equal(sanitiseFileName(name));
        expect(encoded).to.match(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
      }
    });
  });

  describe("sha256File", () => {
    it("hashes a 3 MB file as crypto does on the whole buffer", async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const filePath = path.join(dir, "big.bin");
      await fs.writeFile(filePath, bytes);
      expect(await sha256File(filePath)).to.equal(createHash("sha256").update(bytes).digest("hex"));
    });

    it("hashes an empty file", async () => {
      const filePath = path.join(dir, "empty.bin");
      await fs.writeFile(filePath, "");
      expect(await sha256File(filePath)).to.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    });
  });
});
