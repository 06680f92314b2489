import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { fileTypeFromFile } from "file-type";

/** The only document formats the programme accepts. */
export type DocumentMime = "application/pdf" | "image/png" | "image/jpeg";

export const DOCUMENT_MIMES: readonly DocumentMime[] = ["application/pdf", "image/png", "image/jpeg"];

const EXTENSION_BY_MIME: Record<DocumentMime, readonly string[]> = {
  "application/pdf": ["pdf"],
  "image/png": ["png"],
  "image/jpeg": ["jpg", "jpeg"],
};

function isDocumentMime(value: string): value is DocumentMime {
  return (DOCUMENT_MIMES as readonly string[]).includes(value);
}

/**
 * The file's real type, read from its first bytes. The name and the type the browser declared are
 * both chosen by the sender, so neither is consulted: an HTML page renamed "devis.pdf" is HTML.
 */
export async function detectDocumentMime(filePath: string): Promise<DocumentMime | null> {
  const detected = await fileTypeFromFile(filePath);
  if (!detected) return null;
  return isDocumentMime(detected.mime) ? detected.mime : null;
}

export type FileNameProblem = "missing" | "path" | "control" | "too-long";

/** File systems (ext4, NTFS, APFS) cap a name at 255 bytes or thereabouts. */
const MAX_NAME_BYTES = 255;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;

/** Why a name sent with an upload cannot be accepted, or null when it can. */
export function fileNameProblem(name: string): FileNameProblem | null {
  if (name.trim() === "") return "missing";
  if (CONTROL_CHARACTERS.test(name)) return "control";
  if (name.includes("/") || name.includes("\\") || name === "." || name === "..") return "path";
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return "too-long";
  return null;
}

/**
 * Invisible direction marks let "\u202Efdp.exe" display as "exe.pdf"; U+061C (Arabic letter mark)
 * is one of them too even though it sits in the Arabic block.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS_GLOBAL = /[\u0000-\u001F\u007F-\u009F]/g;
const EXTENSION = /\.[A-Za-z0-9]{1,10}$/;
const FALLBACK_STEM = "document";

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let result = "";
  let bytes = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, "utf8");
    if (bytes + size > maxBytes) break;
    result += character;
    bytes += size;
  }
  return result;
}

/**
 * A name safe to show and to offer for download: one Unicode form (NFC), no invisible direction
 * marks or control characters, no quotes or semicolons (which end a header parameter), single
 * spaces, no leading dot (a hidden file on download). The extension is kept; "document" stands in
 * for a stem left empty. The ASCII apostrophe becomes ’ so that "Devis d'installation" stays readable.
 */
export function sanitiseFileName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(BIDI_CONTROLS, "")
    .replace(CONTROL_CHARACTERS_GLOBAL, " ")
    .replace(/[/\\]/g, "_")
    .replace(/'/g, "\u2019")
    .replace(/["`;]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const extensionMatch = EXTENSION.exec(cleaned);
  const extension = extensionMatch ? extensionMatch[0] : "";
  const rawStem = extensionMatch ? cleaned.slice(0, extensionMatch.index) : cleaned;
  // Leading dots hide the file; trailing dots and spaces are dropped by Windows anyway.
  const stem = rawStem.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  const boundedStem = truncateUtf8(stem, MAX_NAME_BYTES - Buffer.byteLength(extension, "utf8")).trimEnd();
  return `${boundedStem || FALLBACK_STEM}${extension}`;
}

/**
 * The sanitised name with an extension that matches what the file really is, so "devis" or
 * "devis.exe" holding a PDF is offered as "devis.pdf" / "devis.exe.pdf".
 */
export function fileNameFor(name: string, mime: DocumentMime): string {
  const sanitised = sanitiseFileName(name);
  const extension = EXTENSION.exec(sanitised)?.[0].slice(1).toLowerCase();
  const expected = EXTENSION_BY_MIME[mime];
  if (extension && expected.includes(extension)) return sanitised;
  const suffix = `.${expected[0] ?? "bin"}`;
  return `${truncateUtf8(sanitised, MAX_NAME_BYTES - suffix.length)}${suffix}`;
}

/** RFC 5987 value-chars: encodeURIComponent leaves ' ( ) * unescaped, the RFC does not allow them. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Accents dropped (é → e), anything else outside printable ASCII or risky in a quoted string → "_". */
function asciiFallback(name: string): string {
  const extensionMatch = EXTENSION.exec(name);
  const extension = extensionMatch ? extensionMatch[0] : "";
  const stem = (extensionMatch ? name.slice(0, extensionMatch.index) : name)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7E]|["\\%]/g, "_")
    .replace(/_+/g, "_");
  // A name with no Latin letter or digit left (an Arabic name) is better as "document.pdf" than "___.pdf".
  return `${/[A-Za-z0-9]/.test(stem) ? stem : FALLBACK_STEM}${extension}`;
}

/**
 * A download header every browser understands: a plain ASCII `filename` for old clients and the
 * exact UTF-8 name in `filename*` (RFC 6266 / RFC 5987), which modern ones prefer.
 */
export function contentDisposition(name: string): string {
  const safe = sanitiseFileName(name);
  return `attachment; filename="${asciiFallback(safe)}"; filename*=UTF-8''${encodeRfc5987(safe)}`;
}

/** Hex SHA-256 of a file, read as a stream so a 10 MB document never sits whole in memory. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(filePath)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}
