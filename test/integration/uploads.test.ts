import { expect } from "chai";
import { createHash } from "node:crypto";
import express, { type Express } from "express";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import multer from "multer";
import request from "supertest";
import {
  inspectReceivedDocument,
  purgeStaleUploads,
  receiveSingleUpload,
  UPLOAD_TEMP_DIRECTORY,
  type UploadOptions,
} from "../../server/http/uploads.js";
import { errorHandler } from "../../server/http/middleware/problems.js";
import { requestLocale, requestLogging } from "../../server/http/middleware/requestContext.js";
import { expectProblem, type ProblemBody } from "../helpers/problem.js";
import { testLogger } from "../helpers/testDatabase.js";

const MB = 1024 * 1024;
const OPTIONS: UploadOptions = { maxFileBytes: 10 * MB, fieldName: "file", textFields: ["kind"] };

/** A 1 KB file that file-type recognises as a PDF. */
function pdfOfSize(bytes: number): Buffer {
  const head = Buffer.from("%PDF-1.4\n");
  const tail = Buffer.from("\n%%EOF\n");
  return Buffer.concat([head, Buffer.alloc(bytes - head.length - tail.length, "x"), tail]);
}

interface UploadAnswer {
  originalName: string;
  size: number;
  fields: Record<string, string>;
  tempPathInPrivateFolder: boolean;
  tempFileExisted: boolean;
  sha256?: string;
  contentType?: string;
  fileName?: string;
}

/** The smallest app around receiveSingleUpload: request id, locale, JSON body, problem answers. */
function uploadApp(options: UploadOptions = OPTIONS): Express {
  const app = express();
  app.use(requestLogging(testLogger));
  app.use(requestLocale());
  app.use(express.json());
  app.post("/upload", async (req, res) => {
    const upload = await receiveSingleUpload(req, res, options);
    let answer: UploadAnswer;
    try {
      const existed = await fs.stat(upload.tempPath).then(
        (stats) => stats.isFile() && stats.size === upload.size,
        () => false,
      );
      answer = {
        originalName: upload.originalName,
        size: upload.size,
        fields: upload.fields,
        tempPathInPrivateFolder: path.dirname(upload.tempPath) === UPLOAD_TEMP_DIRECTORY,
        tempFileExisted: existed,
      };
    } finally {
      // Before answering, as the application's routes do: the client then sees the folder as
      // the request left it (answering first raced the removal).
      await upload.discard();
    }
    res.json(answer);
  });
  app.post("/documents", async (req, res) => {
    const upload = await receiveSingleUpload(req, res, options);
    const document = await inspectReceivedDocument(upload);
    await upload.discard();
    res.json(document);
  });
  app.use(errorHandler({ logger: testLogger, exposeInternals: true }));
  return app;
}

async function tempEntries(directory = UPLOAD_TEMP_DIRECTORY): Promise<string[]> {
  try {
    return (await fs.readdir(directory)).sort();
  } catch {
    return [];
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

const BOUNDARY = "----moussanada-test-boundary";

function fileHead(fieldName: string, fileName: string, contentType = "application/pdf"): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${fileName}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
}

const CLOSING = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

interface RawAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A multipart body sent chunked, without Content-Length, as a streaming client would. */
function postChunked(port: number, body: Readable, urlPath = "/upload"): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: urlPath,
        headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
      },
    );
    req.on("error", reject);
    body.pipe(req);
  });
}

/** `count` chunks of 1 MB after the part head: a file as large as the test wants, never in memory at once. */
function largeFileBody(megabytes: number): Readable {
  const chunk = Buffer.alloc(MB, "x");
  return Readable.from(
    (function* () {
      yield fileHead("file", "scan.pdf");
      for (let index = 0; index < megabytes; index += 1) yield chunk;
      yield CLOSING;
    })(),
  );
}

function listen(app: Express): Promise<{ server: http.Server; port: number }> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function fieldMessages(body: ProblemBody): Array<[string, string]> {
  return (body.errors ?? []).map((error) => [error.path, error.message]);
}

describe("receiveSingleUpload", () => {
  let app: Express;
  let server: http.Server;
  let port: number;
  let before: string[];

  beforeEach(async () => {
    app = uploadApp();
    ({ server, port } = await listen(app));
    before = await tempEntries();
  });

  afterEach(async () => {
    await close(server);
  });

  /** What the brief asks of every refusal: nothing of this request left in the temporary folder. */
  async function expectNothingLeft(): Promise<void> {
    // The previous test's file may still be on its way out when `before` is read: what matters
    // is that this request added nothing.
    const added = (await tempEntries()).filter((entry) => !before.includes(entry));
    expect(added).to.deep.equal([]);
  }

  it("receives a 1 KB PDF with its text field into the private temporary folder, and discard() removes it", async () => {
    const bytes = pdfOfSize(1024);
    const response = await request(app)
      .post("/upload")
      .field("kind", "quote")
      .attach("file", bytes, { filename: "devis.pdf", contentType: "application/pdf" });
    expect(response.status, response.text).to.equal(200);
    const body = response.body as UploadAnswer;
    expect(body).to.deep.equal({
      originalName: "devis.pdf",
      size: 1024,
      fields: { kind: "quote" },
      tempPathInPrivateFolder: true,
      tempFileExisted: true,
    });
    const stats = await fs.stat(UPLOAD_TEMP_DIRECTORY);
    expect(stats.mode & 0o777).to.equal(0o700);
    await expectNothingLeft();
  });

  it("keeps an Arabic file name intact (UTF-8, not Latin-1)", async () => {
    const response = await request(app)
      .post("/upload")
      .attach("file", pdfOfSize(1024), { filename: "عرض السعر.pdf", contentType: "application/pdf" });
    expect(response.status, response.text).to.equal(200);
    expect((response.body as UploadAnswer).originalName).to.equal("عرض السعر.pdf");
  });

  it("answers 413 to a 50 MB file streamed without Content-Length, in the requester's language", async () => {
    const answer = await postChunked(port, largeFileBody(50));
    expect(answer.status, answer.body).to.equal(413);
    const body = JSON.parse(answer.body) as ProblemBody;
    expect(body.code).to.equal("payload-too-large");
    expect(body.detail).to.equal("Les données envoyées dépassent la taille autorisée (10 Mo).");
    expect(fieldMessages(body)).to.deep.equal([
      [
        "file",
        "Ce fichier dépasse la taille maximale de 10 Mo. Réduisez-le (par exemple en le numérisant en qualité moindre) puis réessayez.",
      ],
    ]);
    await expectNothingLeft();
  });

  it("answers 413 before reading a body whose Content-Length is already over the limit", async () => {
    const response = await request(app)
      .post("/upload")
      .set("Accept-Language", "ar")
      .attach("file", Buffer.alloc(50 * MB, "x"), { filename: "scan.pdf", contentType: "application/pdf" });
    const body = expectProblem(response, 413, "payload-too-large");
    expect(body.errors?.[0]?.path).to.equal("file");
    expect(body.errors?.[0]?.message).to.contain("10 ميغابايت");
    await expectNothingLeft();
  });

  it("refuses a file one byte over the limit and accepts one exactly at it", async () => {
    const small = uploadApp({ ...OPTIONS, maxFileBytes: 64 * 1024 });
    const atLimit = await request(small)
      .post("/upload")
      .attach("file", pdfOfSize(64 * 1024), { filename: "a.pdf", contentType: "application/pdf" });
    expect(atLimit.status, atLimit.text).to.equal(200);
    const over = await request(small)
      .post("/upload")
      .attach("file", pdfOfSize(64 * 1024 + 1), { filename: "a.pdf", contentType: "application/pdf" });
    expectProblem(over, 413, "payload-too-large");
    await expectNothingLeft();
  });

  it("refuses 100 files in one request with 422 on the file field", async () => {
    let req = request(app).post("/upload");
    for (let index = 0; index < 100; index += 1) {
      req = req.attach("file", pdfOfSize(1024), { filename: `devis-${index}.pdf`, contentType: "application/pdf" });
    }
    const body = expectProblem(await req, 422, "validation-failed");
    expect(fieldMessages(body)).to.deep.equal([["file", "Envoyez un seul fichier à la fois."]]);
    await expectNothingLeft();
  });

  it("refuses a file sent under another field name", async () => {
    const response = await request(app)
      .post("/upload")
      .attach("document", pdfOfSize(1024), { filename: "devis.pdf", contentType: "application/pdf" });
    const body = expectProblem(response, 422, "validation-failed");
    expect(body.errors?.map((error) => error.path)).to.deep.equal(["file"]);
    await expectNothingLeft();
  });

  it("answers 422 'file' required when the form carries no file", async () => {
    const response = await request(app).post("/upload").field("kind", "quote");
    const body = expectProblem(response, 422, "validation-failed");
    expect(fieldMessages(body)).to.deep.equal([["file", "Choisissez le fichier à envoyer."]]);
  });

  it('treats an empty file input (filename=""), as browsers send it, as no file', async () => {
    const answer = await postChunked(port, Readable.from([fileHead("file", ""), CLOSING]));
    expect(answer.status, answer.body).to.equal(422);
    expect((JSON.parse(answer.body) as ProblemBody).errors?.[0]?.path).to.equal("file");
  });

  it("refuses text fields it was not told about, and too many fields", async () => {
    const unknown = await request(app)
      .post("/upload")
      .field("admin", "true")
      .attach("file", pdfOfSize(1024), { filename: "devis.pdf", contentType: "application/pdf" });
    expect(fieldMessages(expectProblem(unknown, 422, "validation-failed"))).to.deep.equal([
      ["admin", "Ce champ n'est pas accepté."],
    ]);

    // The field limit is the number of declared fields, so a flood is refused while parsing.
    let many = request(app).post("/upload");
    for (let index = 0; index < 50; index += 1) many = many.field(`f${index}`, "x");
    const flooded = await many.attach("file", pdfOfSize(1024), {
      filename: "devis.pdf",
      contentType: "application/pdf",
    });
    expect(expectProblem(flooded, 422, "validation-failed").detail).to.equal(
      "Le formulaire contient trop d'éléments. Envoyez un seul fichier à la fois, sans autre pièce jointe.",
    );
    await expectNothingLeft();
  });

  it("refuses a text field longer than 16 KB", async () => {
    const response = await request(app)
      .post("/upload")
      .field("kind", "x".repeat(16 * 1024 + 1))
      .attach("file", pdfOfSize(1024), { filename: "devis.pdf", contentType: "application/pdf" });
    const body = expectProblem(response, 422, "validation-failed");
    expect(body.errors?.map((error) => error.path)).to.deep.equal(["kind"]);
    await expectNothingLeft();
  });

  it("answers 415 with a clear message to a JSON body", async () => {
    const response = await request(app).post("/upload").send({ file: "JVBERi0xLjQK" });
    const body = expectProblem(response, 415, "malformed-request");
    expect(body.detail).to.equal("Le document doit être envoyé comme fichier joint (formulaire multipart/form-data).");
  });

  it("answers 400 to a multipart body without a boundary or cut short", async () => {
    const noBoundary = await request(app)
      .post("/upload")
      .set("Content-Type", "multipart/form-data")
      .send(Buffer.from("whatever"));
    expectProblem(noBoundary, 400, "malformed-request");

    const truncated = await postChunked(port, Readable.from([fileHead("file", "devis.pdf"), pdfOfSize(1024)]));
    expect(truncated.status, truncated.body).to.equal(400);
    expect((JSON.parse(truncated.body) as ProblemBody).detail).to.equal(
      "Le fichier est arrivé incomplet ou abîmé. Réessayez.",
    );
    await expectNothingLeft();
  });

  it("removes the partial file when the client aborts mid-upload", async () => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/upload",
      headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
    });
    req.on("error", () => undefined);
    req.write(fileHead("file", "scan.pdf"));
    req.write(Buffer.alloc(2 * MB, "x"));
    // The partial file must exist first, or the test would prove nothing.
    const appeared = await waitFor(async () => {
      for (const name of await tempEntries()) {
        if (before.includes(name)) continue;
        const stats = await fs.stat(path.join(UPLOAD_TEMP_DIRECTORY, name)).catch(() => null);
        if (stats && stats.size > 0) return true;
      }
      return false;
    }, 5000);
    expect(appeared, "a partial temporary file while the upload is under way").to.equal(true);
    req.destroy();
    const cleaned = await waitFor(async () => (await tempEntries()).every((entry) => before.includes(entry)), 3000);
    expect(cleaned, "temporary folder back to its state before the upload").to.equal(true);
  });
});

describe("inspectReceivedDocument", () => {
  let app: Express;
  let before: string[];

  beforeEach(async () => {
    app = uploadApp();
    before = await tempEntries();
  });

  it("describes an accepted PDF: type from the bytes, sanitised name, SHA-256, size", async () => {
    const bytes = pdfOfSize(1024);
    const response = await request(app)
      .post("/documents")
      .attach("file", bytes, { filename: "\u202Efdp.exe", contentType: "application/x-msdownload" });
    expect(response.status, response.text).to.equal(200);
    expect(response.body).to.deep.equal({
      contentType: "application/pdf",
      fileName: "fdp.exe.pdf",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: 1024,
    });
  });

  const refusals: Array<{ label: string; bytes: Buffer; name: string; fr: string; ar: string }> = [
    {
      label: "an HTML page named .pdf",
      bytes: Buffer.from("<!DOCTYPE html><html><script>alert(1)</script></html>"),
      name: "devis.pdf",
      fr: "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG. Enregistrez-le en PDF puis réessayez.",
      ar: "هذا الملف ليس بصيغة PDF ولا صورة PNG أو JPEG. احفظوه بصيغة PDF ثم أعيدوا المحاولة.",
    },
    {
      label: "an empty file",
      bytes: Buffer.alloc(0),
      name: "devis.pdf",
      fr: "Ce fichier est vide. Choisissez le bon fichier puis réessayez.",
      ar: "هذا الملف فارغ. اختاروا الملف الصحيح ثم أعيدوا المحاولة.",
    },
    {
      label: "a name with a C1 control character",
      bytes: pdfOfSize(1024),
      name: "devis\u0085.pdf",
      fr: "Le nom de ce fichier contient des caractères non acceptés (par exemple / ou \\). Renommez-le avec des lettres, des chiffres et des espaces puis réessayez.",
      ar: "يحتوي اسم هذا الملف على رموز غير مقبولة (مثل / أو \\). أعيدوا تسميته بحروف وأرقام ومسافات ثم أعيدوا المحاولة.",
    },
    {
      label: "a 300-character name",
      bytes: pdfOfSize(1024),
      name: `${"a".repeat(300)}.pdf`,
      fr: "Le nom de ce fichier est trop long. Donnez-lui un nom plus court puis réessayez.",
      ar: "اسم هذا الملف طويل جدًا. اختاروا له اسمًا أقصر ثم أعيدوا المحاولة.",
    },
  ];
  for (const { label, bytes, name, fr, ar } of refusals) {
    it(`refuses ${label} with 422 on "file", in French and Arabic, and discards it`, async () => {
      for (const [language, message] of [
        ["fr", fr],
        ["ar", ar],
      ] as const) {
        const response = await request(app)
          .post("/documents")
          .set("Accept-Language", language)
          .attach("file", bytes, { filename: name, contentType: "application/pdf" });
        const body = expectProblem(response, 422, "validation-failed");
        expect(fieldMessages(body)).to.deep.equal([["file", message]]);
      }
      expect((await tempEntries()).filter((entry) => !before.includes(entry))).to.deep.equal([]);
    });
  }
});

describe("inspectReceivedDocument with a browser-escaped name", () => {
  it("refuses CR LF sent as %0D%0A, the escaping browsers apply, as a control character", async () => {
    const { server, port } = await listen(uploadApp());
    try {
      const answer = await postChunked(
        port,
        Readable.from([fileHead("file", "devis%0D%0A.pdf"), pdfOfSize(1024), CLOSING]),
        "/documents",
      );
      expect(answer.status, answer.body).to.equal(422);
      expect((JSON.parse(answer.body) as ProblemBody).errors?.[0]?.path).to.equal("file");
    } finally {
      await close(server);
    }
  });
});

describe("purgeStaleUploads", () => {
  it("removes temporary uploads older than the given age and keeps recent ones", async () => {
    await fs.mkdir(UPLOAD_TEMP_DIRECTORY, { recursive: true, mode: 0o700 });
    const stale = path.join(UPLOAD_TEMP_DIRECTORY, "stale-test.upload");
    const fresh = path.join(UPLOAD_TEMP_DIRECTORY, "fresh-test.upload");
    await fs.writeFile(stale, "x");
    await fs.writeFile(fresh, "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(stale, twoHoursAgo, twoHoursAgo);
    try {
      expect(await purgeStaleUploads(60 * 60 * 1000)).to.be.at.least(1);
      expect(await tempEntries()).to.not.include("stale-test.upload");
      expect(await tempEntries()).to.include("fresh-test.upload");
    } finally {
      await fs.rm(stale, { force: true });
      await fs.rm(fresh, { force: true });
    }
  });
});

/**
 * multer's own behaviour, which receiveSingleUpload builds on: with plain disk storage it removes
 * the partial file itself when a limit is hit or the client goes away.
 */
describe("multer 2 disk storage on its own", () => {
  let directory: string;
  let server: http.Server;
  let port: number;

  beforeEach(async () => {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-multer-"));
    const app = express();
    const upload = multer({ storage: multer.diskStorage({ destination: directory }), limits: { fileSize: MB } });
    app.post("/raw", upload.single("file"), (_req, res) => {
      res.json({ ok: true });
    });
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(error instanceof multer.MulterError ? 413 : 400).json({ code: (error as { code?: string }).code });
    });
    ({ server, port } = await listen(app));
  });

  afterEach(async () => {
    await close(server);
    await fs.rm(directory, { recursive: true, force: true });
  });

  it("deletes the partial file when the size limit is hit", async () => {
    const answer = await postChunked(port, largeFileBody(5), "/raw");
    expect(answer.status).to.equal(413);
    expect(JSON.parse(answer.body)).to.deep.equal({ code: "LIMIT_FILE_SIZE" });
    expect(await tempEntries(directory)).to.deep.equal([]);
  });

  it("deletes the partial file when the client aborts", async () => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/raw",
      headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
    });
    req.on("error", () => undefined);
    req.write(fileHead("file", "scan.pdf"));
    req.write(Buffer.alloc(512 * 1024, "x"));
    expect(await waitFor(async () => (await tempEntries(directory)).length > 0, 5000)).to.equal(true);
    req.destroy();
    expect(await waitFor(async () => (await tempEntries(directory)).length === 0, 3000)).to.equal(true);
  });
});
