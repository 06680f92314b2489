import { expect } from "chai";
import { createHash } from "node:crypto";
import type { Express } from "express";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { Response } from "supertest";
import { UPLOAD_TEMP_DIRECTORY } from "../../server/http/uploads.js";
import { ApplicationDocument, type Call, type User } from "../../server/models/index.js";
import { createDocumentStore, type DocumentStore } from "../../server/storage/documentStore.js";
import {
  applicationPayload,
  createDraft,
  jpegFile,
  minimalPdf,
  pdfFile,
  pngFile,
  seededCall,
  submitRequest,
  uploadDocument,
  uploadRequest,
  type ApplicationBody,
  type DocumentBody,
  type UploadFile,
} from "../factories/applications.js";
import { createUser, TEST_PASSWORD } from "../factories/users.js";
import { API, clearRateLimits, signIn, type SignedIn } from "../helpers/auth.js";
import { expectProblem } from "../helpers/problem.js";
import { startS3Server, type TestS3Server } from "../helpers/s3Server.js";
import { buildTestApp, useTestApp, type TestContext } from "../helpers/testApp.js";
import { TEST_NOW } from "../helpers/testDatabase.js";
import { auditActionsOf, companyWithMandate, getBinary } from "./applicationsApi.js";
import { deleteJson, getJson } from "./companiesApi.js";

const MB = 1024 * 1024;
const UPLOAD_LIMITS = { maxFileBytes: 10 * MB, maxDocumentsPerApplication: 3 };
const BOUNDARY = "----moussanada-documents-boundary";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A multipart body written byte by byte: names and headers exactly as an attacker sends them. */
function rawMultipart(
  parts: Array<{ name: string; value?: string; filename?: string; type?: string; bytes?: Buffer }>,
) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += "\r\n";
    if (part.type) head += `Content-Type: ${part.type}\r\n`;
    head += "\r\n";
    chunks.push(Buffer.from(head, "utf8"), part.bytes ?? Buffer.from(part.value ?? "", "utf8"), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

function rawUpload(session: SignedIn, applicationId: string, body: Buffer) {
  return session.agent
    .post(`${API}/applications/${applicationId}/documents`)
    .set("X-CSRF-Token", session.csrfToken)
    .set("Content-Type", `multipart/form-data; boundary=${BOUNDARY}`)
    .send(body);
}

/** A Windows executable's first bytes: "MZ", the DOS stub, then the "PE\0\0" header. */
function windowsExecutable(): Buffer {
  const bytes = Buffer.alloc(1024, 0);
  bytes.write("MZ", 0, "latin1");
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write("This program cannot be run in DOS mode.", 0x4e, "latin1");
  bytes.write("PE\0\0", 0x80, "latin1");
  bytes.writeUInt16LE(0x14c, 0x84); // i386
  return bytes;
}

const html = Buffer.from(
  "<!DOCTYPE html><html><head><title>Devis</title></head><body><script>fetch('/api/v1/auth/me')</script></body></html>",
);

/** What a refusal must leave untouched. */
interface Snapshot {
  documentRows: number;
  storeKeys: string[];
  tempEntries: string[];
}

async function tempEntries(): Promise<string[]> {
  try {
    return (await fs.readdir(UPLOAD_TEMP_DIRECTORY)).sort();
  } catch {
    return [];
  }
}

async function snapshot(store: DocumentStore): Promise<Snapshot> {
  return {
    documentRows: await ApplicationDocument.count(),
    storeKeys: await store.keys(),
    tempEntries: await tempEntries(),
  };
}

async function expectNothingStored(store: DocumentStore, before: Snapshot): Promise<void> {
  const after = await snapshot(store);
  expect(after.documentRows, "no new row in documents").to.equal(before.documentRows);
  expect(after.storeKeys, "the store holds the same keys").to.deep.equal(before.storeKeys);
  // Other test processes may share the machine's temporary folder: none of OUR files may remain.
  const leftovers = after.tempEntries.filter((entry) => !before.tempEntries.includes(entry));
  expect(leftovers, `left in ${UPLOAD_TEMP_DIRECTORY}`).to.deep.equal([]);
}

/** Streams a 50 MB "PDF" (a %PDF header, then zeros) without Content-Length, chunk by chunk. */
function postHugePdfChunked(
  app: Express,
  session: SignedIn,
  applicationId: string,
): Promise<{ status: number; body: string }> {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const finish = (result: { status: number; body: string } | Error) => {
        server.closeAllConnections();
        server.close();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: `${API}/applications/${applicationId}/documents`,
          headers: {
            "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
            Cookie: session.cookie,
            "X-CSRF-Token": session.csrfToken,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        },
      );
      // The server may answer 413 and close while we are still writing: that is the point.
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE" && error.code !== "ECONNRESET") finish(error);
      });
      const zeros = Buffer.alloc(MB, 0);
      Readable.from(
        (function* () {
          yield Buffer.from(
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nquote\r\n` +
              `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n` +
              "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n",
          );
          for (let index = 0; index < 50; index += 1) yield zeros;
          yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
        })(),
      ).pipe(req);
    });
  });
}

interface Attack {
  rule: string;
  send: (
    session: SignedIn,
    applicationId: string,
    app: Express,
  ) => Promise<{ status: number; text?: string; body?: unknown }>;
  /** Status, or the statuses a clear refusal may use (a header broken by CR LF may be unreadable: 400). */
  status: number | number[];
  path?: string;
}

const ATTACKS: Attack[] = [
  {
    rule: "a Windows executable (MZ…) named devis.pdf and declared application/pdf → 422 on file",
    send: (session, id) =>
      uploadRequest(session, id, "quote", {
        bytes: windowsExecutable(),
        filename: "devis.pdf",
        contentType: "application/pdf",
      }),
    status: 422,
    path: "file",
  },
  {
    rule: "an HTML page named devis.pdf → 422 on file",
    send: (session, id) =>
      uploadRequest(session, id, "quote", { bytes: html, filename: "devis.pdf", contentType: "application/pdf" }),
    status: 422,
    path: "file",
  },
  {
    rule: "a plain-text file named devis.pdf → 422 on file",
    send: (session, id) =>
      uploadRequest(session, id, "quote", {
        bytes: Buffer.from("devis: 12500 MAD\n"),
        filename: "devis.pdf",
        contentType: "application/pdf",
      }),
    status: 422,
    path: "file",
  },
  {
    rule: "a GIF (an image, but not PNG or JPEG) → 422 on file",
    send: (session, id) =>
      uploadRequest(session, id, "quote", {
        bytes: Buffer.from("474946383961010001000000002c00000000010001000002", "hex"),
        filename: "devis.gif",
        contentType: "image/gif",
      }),
    status: 422,
    path: "file",
  },
  {
    rule: "a 50 MB file (%PDF then zeros) with its Content-Length → 413",
    send: (session, id) => {
      const bytes = Buffer.alloc(50 * MB, 0);
      bytes.write("%PDF-1.4\n", 0, "latin1");
      return uploadRequest(session, id, "quote", { bytes, filename: "scan.pdf", contentType: "application/pdf" });
    },
    status: 413,
    path: "file",
  },
  {
    rule: "a 50 MB file (%PDF then zeros) streamed without Content-Length → 413",
    send: (session, id, app) => postHugePdfChunked(app, session, id),
    status: 413,
  },
  {
    rule: "100 files in one request → 422",
    send: (session, id) => {
      let req = session.agent
        .post(`${API}/applications/${id}/documents`)
        .set("X-CSRF-Token", session.csrfToken)
        .field("type", "quote");
      for (let index = 0; index < 100; index += 1) {
        req = req.attach("file", minimalPdf(`devis ${index}`), {
          filename: `devis-${index}.pdf`,
          contentType: "application/pdf",
        });
      }
      return req;
    },
    status: 422,
  },
  {
    rule: "two files in one request → 422",
    send: (session, id) =>
      session.agent
        .post(`${API}/applications/${id}/documents`)
        .set("X-CSRF-Token", session.csrfToken)
        .field("type", "quote")
        .attach("file", minimalPdf("un"), { filename: "un.pdf", contentType: "application/pdf" })
        .attach("file", minimalPdf("deux"), { filename: "deux.pdf", contentType: "application/pdf" }),
    status: 422,
  },
  {
    rule: 'the name "../../etc/passwd.pdf" → 422 on file',
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", filename: "../../etc/passwd.pdf", type: "application/pdf", bytes: minimalPdf() },
        ]),
      ),
    status: 422,
    path: "file",
  },
  {
    rule: 'the name "a/b.pdf" → 422 on file',
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", filename: "a/b.pdf", type: "application/pdf", bytes: minimalPdf() },
        ]),
      ),
    status: 422,
    path: "file",
  },
  {
    rule: 'the name "..\\..\\windows\\devis.pdf" (backslashes) → 422 on file',
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", filename: "..\\..\\windows\\devis.pdf", type: "application/pdf", bytes: minimalPdf() },
        ]),
      ),
    status: 422,
    path: "file",
  },
  {
    // Raw in the part header, busboy already finds the header unreadable (400); either refusal is clear.
    rule: 'a control character in the name ("devis\\u0007.pdf") → a clear 4xx',
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", filename: "devis\u0007.pdf", type: "application/pdf", bytes: minimalPdf() },
        ]),
      ),
    status: [400, 422],
  },
  {
    rule: "a control character in an RFC 5987 name (filename*=UTF-8''devis%07.pdf) → 422 on file",
    send: (session, id) =>
      rawUpload(
        session,
        id,
        Buffer.concat([
          Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nquote\r\n`),
          Buffer.from(
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''devis%07.pdf\r\n` +
              "Content-Type: application/pdf\r\n\r\n",
          ),
          minimalPdf(),
          Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
        ]),
      ),
    status: 422,
    path: "file",
  },
  {
    rule: "a path in an RFC 5987 name (filename*=UTF-8''..%2F..%2Fetc%2Fpasswd.pdf) → 422 on file",
    send: (session, id) =>
      rawUpload(
        session,
        id,
        Buffer.concat([
          Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nquote\r\n`),
          Buffer.from(
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd.pdf\r\n` +
              "Content-Type: application/pdf\r\n\r\n",
          ),
          minimalPdf(),
          Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
        ]),
      ),
    status: 422,
    path: "file",
  },
  {
    rule: "CR LF in the name → a clear 4xx",
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", filename: "devis\r\nX-Injected: 1\r\n.pdf", type: "application/pdf", bytes: minimalPdf() },
        ]),
      ),
    status: [400, 422],
  },
  {
    rule: "an empty name → 422 on file",
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", filename: "   ", type: "application/pdf", bytes: minimalPdf() },
        ]),
      ),
    status: 422,
    path: "file",
  },
  {
    rule: "a name over 255 bytes → 422 on file",
    send: (session, id) =>
      uploadRequest(session, id, "quote", {
        bytes: minimalPdf(),
        filename: `${"é".repeat(200)}.pdf`,
        contentType: "application/pdf",
      }),
    status: 422,
    path: "file",
  },
  {
    rule: "an empty file → 422 on file",
    send: (session, id) =>
      uploadRequest(session, id, "quote", {
        bytes: Buffer.alloc(0),
        filename: "devis.pdf",
        contentType: "application/pdf",
      }),
    status: 422,
    path: "file",
  },
  {
    rule: "no `type` field → 422 on type",
    send: (session, id) =>
      session.agent
        .post(`${API}/applications/${id}/documents`)
        .set("X-CSRF-Token", session.csrfToken)
        .attach("file", minimalPdf(), { filename: "devis.pdf", contentType: "application/pdf" }),
    status: 422,
    path: "type",
  },
  {
    rule: "an unknown type (passport) → 422 on type",
    send: (session, id) => uploadRequest(session, id, "passport", pdfFile()),
    status: 422,
    path: "type",
  },
  {
    rule: "a type the officer reserves for claims (invoice) → 422 on type",
    send: (session, id) => uploadRequest(session, id, "invoice", pdfFile()),
    status: 422,
    path: "type",
  },
  {
    rule: "no file at all → 422 on file",
    send: (session, id) =>
      session.agent
        .post(`${API}/applications/${id}/documents`)
        .set("X-CSRF-Token", session.csrfToken)
        .field("type", "quote"),
    status: 422,
    path: "file",
  },
  {
    rule: "the file sent as a text field → 422",
    send: (session, id) =>
      rawUpload(
        session,
        id,
        rawMultipart([
          { name: "type", value: "quote" },
          { name: "file", value: "%PDF-1.4 not really a file" },
        ]),
      ),
    status: 422,
  },
  {
    rule: "an unexpected extra field → 422",
    send: (session, id) =>
      session.agent
        .post(`${API}/applications/${id}/documents`)
        .set("X-CSRF-Token", session.csrfToken)
        .field("type", "quote")
        .field("storageKey", "../../../etc/passwd")
        .attach("file", minimalPdf(), { filename: "devis.pdf", contentType: "application/pdf" }),
    status: 422,
  },
  {
    rule: "a JSON body instead of multipart → 415",
    send: (session, id) =>
      session.agent
        .post(`${API}/applications/${id}/documents`)
        .set("X-CSRF-Token", session.csrfToken)
        .send({ type: "quote", file: minimalPdf().toString("base64") }),
    status: 415,
  },
];

/** The attack table against one store: each refusal is clear and leaves nothing anywhere. */
function attackSuite(
  label: string,
  context: () => TestContext,
  owner: () => SignedIn,
  call: () => Call,
  user: () => User,
) {
  describe(`refused uploads leave nothing behind (${label})`, function () {
    this.timeout(60_000);
    for (const attack of ATTACKS) {
      it(attack.rule, async () => {
        // A draft per attack: an upload wrongly accepted by one case must not change the next.
        const { company } = await companyWithMandate(user(), null);
        const draft = await createDraft(owner(), applicationPayload(company.id, call().id));
        const store = context().services.documentStore;
        const before = await snapshot(store);
        const response = await attack.send(owner(), draft.id, context().app);
        const statuses = Array.isArray(attack.status) ? attack.status : [attack.status];
        expect(statuses, `${response.status}: ${response.text ?? JSON.stringify(response.body)}`).to.include(
          response.status,
        );
        const text =
          response.text ?? (typeof response.body === "string" ? response.body : JSON.stringify(response.body));
        const problem = JSON.parse(text) as {
          code: string;
          detail: string;
          errors?: Array<{ path: string; message: string }>;
        };
        expect(problem.detail).to.be.a("string").and.not.equal("");
        if (attack.path) {
          expect(problem.errors?.map((error) => error.path)).to.include(attack.path);
          for (const error of problem.errors ?? [])
            expect(error.message)
              .to.be.a("string")
              .and.not.match(/\{\{|uploads\./);
        }
        await expectNothingStored(store, before);
        const read = await getJson(owner(), `/applications/${draft.id}`);
        expect((read.body as ApplicationBody).documents).to.deep.equal([]);
      });
    }
  });
}

describe("application documents (POST/GET/DELETE /api/v1/applications/:id/documents)", () => {
  const context = useTestApp({ config: { uploads: UPLOAD_LIMITS } });
  let ownerUser: User;
  let owner: SignedIn;
  let prescriber: SignedIn;
  let officer: SignedIn;
  let call: Call;
  let prescriberForDrafts: User | null = null;

  before(async () => {
    ownerUser = await createUser({ role: "applicant", fullName: "Fatima Zahra Alaoui" });
    const prescriberUser = await createUser({ role: "prescriber", fullName: "Karima Bennis" });
    const officerUser = await createUser({ role: "officer" });
    await clearRateLimits();
    owner = await signIn(context().app, ownerUser.email, TEST_PASSWORD);
    prescriber = await signIn(context().app, prescriberUser.email, TEST_PASSWORD);
    officer = await signIn(context().app, officerUser.email, TEST_PASSWORD);
    call = await seededCall();
    // The prescriber holds a mandate on every company made through freshDraft().
    prescriberForDrafts = prescriberUser;
  });

  beforeEach(() => context().clock.set(TEST_NOW));

  async function freshDraft(session: SignedIn = owner): Promise<ApplicationBody> {
    const { company } = await companyWithMandate(ownerUser, prescriberForDrafts);
    return createDraft(session, applicationPayload(company.id, call.id));
  }

  describe("accepted files", () => {
    const ACCEPTED: Array<[string, () => UploadFile, string, string]> = [
      ["a real PDF", () => pdfFile("devis-erp.pdf", "Devis ERP"), "application/pdf", "quote"],
      ["a real PNG", () => pngFile("attestation-cnss.png"), "image/png", "cnss_certificate"],
      ["a real JPEG", () => jpegFile("attestation-fiscale.jpg"), "image/jpeg", "tax_certificate"],
    ];
    for (const [label, file, mimeType, type] of ACCEPTED) {
      it(`${label}: 201 with the detected type, the size and the SHA-256 of the bytes; the download gives them back`, async () => {
        const draft = await freshDraft();
        const upload = file();
        const response = await uploadRequest(owner, draft.id, type, upload);
        expect(response.status, response.text).to.equal(201);
        const document = response.body as DocumentBody;
        expect(document).to.deep.include({
          type,
          originalName: upload.filename,
          mimeType,
          size: upload.bytes.length,
          sha256: sha256(upload.bytes),
          verdict: "pending",
        });
        expect(new Date(document.uploadedAt).toISOString()).to.equal(document.uploadedAt);
        const stored = await ApplicationDocument.findByPk(document.id);
        expect(stored?.storageKey).to.match(/^[0-9a-f]{32}$/);
        expect(stored?.storageKey).to.not.include(upload.filename);
        expect(await context().services.documentStore.has(stored?.storageKey ?? "")).to.equal(true);

        const download = await getBinary(owner, `/applications/${draft.id}/documents/${document.id}`);
        expect(download.status).to.equal(200);
        expect(Buffer.compare(download.body as Buffer, upload.bytes)).to.equal(0);
        expect(download.headers["content-type"]).to.match(new RegExp(`^${mimeType.replace("/", "\\/")}`));
        expect(download.headers["content-length"]).to.equal(String(upload.bytes.length));
        expect(download.headers["content-disposition"]).to.match(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
        expect(download.headers["x-content-type-options"]).to.equal("nosniff");
        const read = await getJson(owner, `/applications/${draft.id}`);
        expect((read.body as ApplicationBody).documents).to.deep.equal([document]);
      });
    }

    it("the type is read from the bytes, not from the declared type or the name: a PNG declared as a PDF is a PNG named .png", async () => {
      const draft = await freshDraft();
      const document = await uploadDocument(owner, draft.id, "other", {
        bytes: pngFile().bytes,
        filename: "scan.pdf",
        contentType: "application/pdf",
      });
      expect(document.mimeType).to.equal("image/png");
      expect(document.originalName).to.equal("scan.pdf.png");
    });

    it("keeps an Arabic name: intact in the JSON and in filename*, an ASCII fallback in filename", async () => {
      const draft = await freshDraft();
      const name = "عرض الأسعار.pdf";
      const document = await uploadDocument(owner, draft.id, "quote", pdfFile(name, "Arabic"));
      expect(document.originalName).to.equal(name);
      const download = await getBinary(owner, `/applications/${draft.id}/documents/${document.id}`);
      const disposition = String(download.headers["content-disposition"]);
      expect(disposition).to.match(/^attachment; filename="document\.pdf"; filename\*=UTF-8''/);
      const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? "";
      expect(decodeURIComponent(encoded)).to.equal(name);
    });

    it("makes a hostile but readable name safe for the download header (quotes, semicolons, direction marks)", async () => {
      const draft = await freshDraft();
      const document = await uploadDocument(
        owner,
        draft.id,
        "quote",
        pdfFile('Devis "final"; v2\u202Efdp.pdf', "Hostile"),
      );
      expect(document.originalName).to.not.match(/["`;\u202E]/);
      const download = await getBinary(owner, `/applications/${draft.id}/documents/${document.id}`);
      const disposition = String(download.headers["content-disposition"]);
      expect(disposition.match(/"/g)).to.have.length(2);
      expect(disposition.split(";")).to.have.length(3);
    });

    it("the mandated prescriber uploads and the officer downloads once the file is submitted", async () => {
      const draft = await freshDraft(prescriber);
      const quote = await uploadDocument(prescriber, draft.id, "quote", pdfFile("devis.pdf", "prescriber"));
      await uploadDocument(prescriber, draft.id, "sworn_declaration", pdfFile("dsh.pdf", "dsh"));
      expect((await getBinary(officer, `/applications/${draft.id}/documents/${quote.id}`)).status).to.equal(404);
      expect((await submitRequest(prescriber, draft.id)).status).to.equal(200);
      const download = await getBinary(officer, `/applications/${draft.id}/documents/${quote.id}`);
      expect(download.status).to.equal(200);
      expect(sha256(download.body as Buffer)).to.equal(quote.sha256);
    });
  });

  describe("limits and statuses", () => {
    it(`refuses the document beyond the limit (${UPLOAD_LIMITS.maxDocumentsPerApplication}): 422 on file, nothing stored`, async () => {
      const draft = await freshDraft();
      for (let index = 0; index < UPLOAD_LIMITS.maxDocumentsPerApplication; index += 1) {
        await uploadDocument(owner, draft.id, "other", pdfFile(`piece-${index}.pdf`));
      }
      const store = context().services.documentStore;
      const before = await snapshot(store);
      const response = await uploadRequest(owner, draft.id, "other", pdfFile("une-de-trop.pdf"));
      const problem = expectProblem(response, 422, "validation-failed");
      expect(problem.errors).to.deep.equal([
        {
          path: "file",
          message: `Ce dossier compte déjà ${UPLOAD_LIMITS.maxDocumentsPerApplication} pièces, le maximum. Supprimez une pièce inutile avant d'en ajouter une autre.`,
        },
      ]);
      await expectNothingStored(store, before);
    });

    it("parallel uploads racing for the last place: exactly one 201, the others 422, one new key in the store", async () => {
      const draft = await freshDraft();
      for (let index = 0; index < UPLOAD_LIMITS.maxDocumentsPerApplication - 1; index += 1) {
        await uploadDocument(owner, draft.id, "other", pdfFile(`piece-${index}.pdf`));
      }
      const store = context().services.documentStore;
      const before = await snapshot(store);
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          uploadRequest(owner, draft.id, "other", pdfFile(`course-${index}.pdf`)),
        ),
      );
      expect(responses.map((response) => response.status).sort()).to.deep.equal([
        201, 422, 422, 422, 422, 422, 422, 422,
      ]);
      const after = await snapshot(store);
      expect(after.documentRows).to.equal(before.documentRows + 1);
      expect(after.storeKeys).to.have.length(before.storeKeys.length + 1);
      expect(after.tempEntries.filter((entry) => !before.tempEntries.includes(entry))).to.deep.equal([]);
      const read = await getJson(owner, `/applications/${draft.id}`);
      expect((read.body as ApplicationBody).documents).to.have.length(UPLOAD_LIMITS.maxDocumentsPerApplication);
    });

    it("refuses an upload to a submitted file: 409, nothing stored", async () => {
      const draft = await freshDraft();
      await uploadDocument(owner, draft.id, "quote");
      await uploadDocument(owner, draft.id, "sworn_declaration");
      expect((await submitRequest(owner, draft.id)).status).to.equal(200);
      const store = context().services.documentStore;
      const before = await snapshot(store);
      expectProblem(await uploadRequest(owner, draft.id, "other", pdfFile("apres.pdf")), 409, "conflict");
      await expectNothingStored(store, before);
    });

    it("refuses an upload to a withdrawn file: 409", async () => {
      const draft = await freshDraft();
      expect((await postWithdraw(draft.id)).status).to.equal(200);
      expectProblem(await uploadRequest(owner, draft.id, "other", pdfFile("apres.pdf")), 409, "conflict");
    });

    async function postWithdraw(id: string): Promise<Response> {
      return owner.agent.post(`${API}/applications/${id}/withdraw`).set("X-CSRF-Token", owner.csrfToken).send({});
    }

    it("deletes a document of a draft: 204, its key leaves the store, the download then answers 404", async () => {
      const draft = await freshDraft();
      const document = await uploadDocument(owner, draft.id, "quote");
      const key = (await ApplicationDocument.findByPk(document.id))?.storageKey ?? "";
      const store = context().services.documentStore;
      expect(await store.has(key)).to.equal(true);
      const response = await deleteJson(owner, `/applications/${draft.id}/documents/${document.id}`);
      expect(response.status, response.text).to.equal(204);
      expect(await store.has(key)).to.equal(false);
      expect(await store.keys()).to.not.include(key);
      expect(await ApplicationDocument.findByPk(document.id)).to.equal(null);
      expect((await getBinary(owner, `/applications/${draft.id}/documents/${document.id}`)).status).to.equal(404);
      expect((await deleteJson(owner, `/applications/${draft.id}/documents/${document.id}`)).status).to.equal(404);
    });

    it("deleting a document frees a place under the limit", async () => {
      const draft = await freshDraft();
      const documents: DocumentBody[] = [];
      for (let index = 0; index < UPLOAD_LIMITS.maxDocumentsPerApplication; index += 1) {
        documents.push(await uploadDocument(owner, draft.id, "other", pdfFile(`p-${index}.pdf`)));
      }
      expect(
        (await deleteJson(owner, `/applications/${draft.id}/documents/${documents[0]?.id ?? ""}`)).status,
      ).to.equal(204);
      await uploadDocument(owner, draft.id, "other", pdfFile("remplacante.pdf"));
    });

    it("refuses to delete a document of a submitted file: 409, the key stays in the store", async () => {
      const draft = await freshDraft();
      const quote = await uploadDocument(owner, draft.id, "quote");
      await uploadDocument(owner, draft.id, "sworn_declaration");
      expect((await submitRequest(owner, draft.id)).status).to.equal(200);
      const key = (await ApplicationDocument.findByPk(quote.id))?.storageKey ?? "";
      expectProblem(await deleteJson(owner, `/applications/${draft.id}/documents/${quote.id}`), 409, "conflict");
      expect(await context().services.documentStore.has(key)).to.equal(true);
      expect(await ApplicationDocument.findByPk(quote.id)).to.not.equal(null);
    });

    it("records document.uploaded and document.deleted in the audit trail", async () => {
      const draft = await freshDraft();
      const upload = await uploadRequest(owner, draft.id, "quote");
      const removal = await deleteJson(
        owner,
        `/applications/${draft.id}/documents/${(upload.body as DocumentBody).id}`,
      );
      expect((await auditActionsOf(upload)).map((event) => event.action)).to.deep.equal(["document.uploaded"]);
      expect((await auditActionsOf(removal)).map((event) => event.action)).to.deep.equal(["document.deleted"]);
    });
  });

  attackSuite(
    "local disk",
    context,
    () => owner,
    () => call,
    () => ownerUser,
  );

  describe("against an S3 store", function () {
    this.timeout(60_000);
    let s3: TestS3Server;
    let s3Context: TestContext;
    let s3Owner: SignedIn;

    before(async () => {
      s3 = await startS3Server();
      const store = createDocumentStore(s3.config);
      s3Context = buildTestApp({ config: { uploads: UPLOAD_LIMITS }, documentStore: store });
      await clearRateLimits();
      s3Owner = await signIn(s3Context.app, ownerUser.email, TEST_PASSWORD);
    });

    after(async () => {
      const store = s3Context.services.documentStore as DocumentStore & { destroy?: () => void };
      store.destroy?.();
      await s3.close();
    });

    it("stores an accepted PDF in the bucket and serves the same bytes back", async () => {
      const { company } = await companyWithMandate(ownerUser, null);
      const draft = await createDraft(s3Owner, applicationPayload(company.id, call.id));
      const upload = pdfFile("devis-s3.pdf", "S3");
      const document = await uploadDocument(s3Owner, draft.id, "quote", upload);
      const key = (await ApplicationDocument.findByPk(document.id))?.storageKey ?? "";
      expect(await s3Context.services.documentStore.keys()).to.include(key);
      const download = await getBinary(s3Owner, `/applications/${draft.id}/documents/${document.id}`);
      expect(Buffer.compare(download.body as Buffer, upload.bytes)).to.equal(0);
      expect((await deleteJson(s3Owner, `/applications/${draft.id}/documents/${document.id}`)).status).to.equal(204);
      expect(await s3Context.services.documentStore.keys()).to.not.include(key);
    });

    attackSuite(
      "S3",
      () => s3Context,
      () => s3Owner,
      () => call,
      () => ownerUser,
    );
  });
});
