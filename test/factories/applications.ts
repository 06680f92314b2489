import { expect } from "chai";
import zlib from "node:zlib";
import type request from "supertest";
import { Call } from "../../server/models/index.js";
import { API, type BrowserSession } from "../helpers/auth.js";

/**
 * Applications (dossiers) made through the API, as the client makes them, and the smallest real
 * document files: a PDF with its cross-reference table, a PNG with valid CRCs, a baseline JPEG.
 */

/** The call the reference seeds open for the test year (2026-01-01 … 2026-12-31). */
export async function seededCall(year = 2026): Promise<Call> {
  const call = await Call.findOne({ where: { code: `moussanada-${year}` } });
  if (!call) throw new Error(`the seeds did not create the call moussanada-${year}`);
  return call;
}

export interface LinePayload {
  /** "software" | "hardware" | "services" | "training" (anything, to test refusals). */
  category: string;
  label: string;
  supplierId?: string | null;
  amountExclTax: unknown;
  vatRate: unknown;
}

export interface ApplicationPayload {
  companyId: string;
  callId: string;
  sectorCode: string;
  solutionIds: string[];
  description: string;
  lines: LinePayload[];
}

/** A valid body for POST /applications: one software line of 100,000.00 at 20 %. */
export function applicationPayload(
  companyId: string,
  callId: string,
  overrides: Partial<ApplicationPayload> & Record<string, unknown> = {},
): ApplicationPayload {
  return {
    companyId,
    callId,
    sectorCode: "textile-habillement",
    solutionIds: [],
    description: "ERP de gestion de production et de stock pour l'atelier de confection",
    lines: [{ category: "software", label: "Licence ERP confection", amountExclTax: "100000.00", vatRate: "0.20" }],
    ...overrides,
  };
}

/** An application as the API presents it (contract of issue 5). */
export interface ApplicationBody {
  id: string;
  reference: string | null;
  status: string;
  company: { id: string; name: string; ice: string; sectorCode: string; regionCode: string; city: string };
  call: {
    id: string;
    code: string;
    titleFr: string;
    titleAr: string;
    opensOn: string;
    closesOn: string;
    status: string;
  };
  sectorCode: string;
  description: string;
  solutionIds: string[];
  solutions: Array<{ id: string; code: string; nameFr: string; nameAr: string; supplierName: string }>;
  lines: Array<{
    id: string;
    category: string;
    label: string;
    supplierId: string | null;
    supplierName: string | null;
    amountExclTax: string;
    vatRate: string;
    vatAmount: string;
  }>;
  eligibleAmount: string;
  vatAmount: string;
  grantAmount: string;
  ownShare: string;
  rate: string;
  cap: string;
  capUsed: string;
  eligible: boolean;
  eligibility: Array<{ rule: string; ok: boolean; detail: string }>;
  fastTrack: boolean;
  documents: DocumentBody[];
  filedViaMandate: boolean;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  permissions: Record<string, boolean>;
}

export interface DocumentBody {
  id: string;
  type: string;
  originalName: string;
  mimeType: string;
  size: number;
  sha256: string;
  verdict: string;
  uploadedAt: string;
}

export const createApplicationRequest = (session: BrowserSession, body: unknown): request.Test =>
  session.agent
    .post(`${API}/applications`)
    .set("X-CSRF-Token", session.csrfToken)
    .send(body as object);

/** POST /applications, expecting 201. */
export async function createDraft(session: BrowserSession, payload: ApplicationPayload): Promise<ApplicationBody> {
  const response = await createApplicationRequest(session, payload);
  expect(response.status, response.text).to.equal(201);
  return response.body as ApplicationBody;
}

export interface UploadFile {
  bytes: Buffer;
  filename: string;
  contentType: string;
}

export const uploadRequest = (
  session: BrowserSession,
  applicationId: string,
  type: string,
  file: UploadFile = pdfFile(),
): request.Test =>
  session.agent
    .post(`${API}/applications/${applicationId}/documents`)
    .set("X-CSRF-Token", session.csrfToken)
    .field("type", type)
    .attach("file", file.bytes, { filename: file.filename, contentType: file.contentType });

/** Uploads one document, expecting 201. */
export async function uploadDocument(
  session: BrowserSession,
  applicationId: string,
  type: string,
  file: UploadFile = pdfFile(),
): Promise<DocumentBody> {
  const response = await uploadRequest(session, applicationId, type, file);
  expect(response.status, response.text).to.equal(201);
  return response.body as DocumentBody;
}

/** A draft that meets every criterion: answers, a quote and a sworn declaration. */
export async function readyApplication(session: BrowserSession, payload: ApplicationPayload): Promise<ApplicationBody> {
  const draft = await createDraft(session, payload);
  await uploadDocument(session, draft.id, "quote", pdfFile("devis.pdf"));
  await uploadDocument(session, draft.id, "sworn_declaration", pdfFile("declaration-sur-l-honneur.pdf"));
  return draft;
}

let keyCounter = 0;

/** A fresh Idempotency-Key as the client makes one per click. */
export function idempotencyKey(label = "submit"): string {
  keyCounter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${keyCounter}`;
}

export const submitRequest = (
  session: BrowserSession,
  applicationId: string,
  key: string | null = idempotencyKey(),
) => {
  const test = session.agent.post(`${API}/applications/${applicationId}/submit`).set("X-CSRF-Token", session.csrfToken);
  return key === null ? test : test.set("Idempotency-Key", key);
};

// ——— Real, minimal document files ———

/**
 * A one-page PDF 1.4 with a correct cross-reference table (qpdf --check accepts it). `marker`
 * changes the text, so two files have two different hashes.
 */
export function minimalPdf(marker = "Devis"): Buffer {
  const text = marker.replace(/[()\\]/g, "");
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A 2×2 RGB PNG (IHDR, IDAT, IEND with valid CRCs). */
export function minimalPng(rgb: [number, number, number] = [26, 82, 118]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0); // width
  header.writeUInt32BE(2, 4); // height
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const row = Buffer.from([0, ...rgb, ...rgb]); // filter byte "none", then two pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", zlib.deflateSync(Buffer.concat([row, row]))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * An 8×8 grey baseline JPEG: JFIF header, one quantisation table, one-symbol Huffman tables, and a
 * single block whose every coefficient is zero (DC difference 0, then end of block).
 */
export function minimalJpeg(): Buffer {
  const jfif = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const quantisation = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const frame = Buffer.from([0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]);
  // Table class/id, 16 code-length counts (one code of length 1), then the symbol.
  const oneSymbolTable = (classAndId: number, symbol: number) =>
    Buffer.concat([Buffer.from([classAndId, 1]), Buffer.alloc(15, 0), Buffer.from([symbol])]);
  const scan = Buffer.from([0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, jfif),
    jpegSegment(0xdb, quantisation),
    jpegSegment(0xc0, frame),
    jpegSegment(0xc4, oneSymbolTable(0x00, 0x00)),
    jpegSegment(0xc4, oneSymbolTable(0x10, 0x00)),
    jpegSegment(0xda, scan),
    // DC code "0" (difference 0), AC code "0" (end of block), padded with ones.
    Buffer.from([0x3f]),
    Buffer.from([0xff, 0xd9]),
  ]);
}

export const pdfFile = (filename = "devis.pdf", marker = filename): UploadFile => ({
  bytes: minimalPdf(marker),
  filename,
  contentType: "application/pdf",
});
export const pngFile = (filename = "attestation.png"): UploadFile => ({
  bytes: minimalPng(),
  filename,
  contentType: "image/png",
});
export const jpegFile = (filename = "attestation.jpg"): UploadFile => ({
  bytes: minimalJpeg(),
  filename,
  contentType: "image/jpeg",
});
