import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Request, Response } from "express";
import multer from "multer";
import { AppError, type FieldError } from "../errors.js";
import type { MessageKey } from "../i18n/index.js";
import {
  detectDocumentMime,
  fileNameFor,
  fileNameProblem,
  sha256File,
  type DocumentMime,
  type FileNameProblem,
} from "../storage/uploadInspection.js";

export interface UploadOptions {
  maxFileBytes: number;
  fieldName: "file";
  /** Names of the text fields the form may carry beside the file; any other is refused. */
  textFields: string[];
}

export interface ReceivedUpload {
  /** A private temporary file; call discard() once it has been stored or refused. */
  tempPath: string;
  /** The name as the browser sent it, unchecked: see fileNameProblem() and sanitiseFileName(). */
  originalName: string;
  size: number;
  fields: Record<string, string>;
  /** Idempotent. */
  discard(): Promise<void>;
}

/** Outside any served folder, readable by this account only: uploads may hold tax certificates. */
export const UPLOAD_TEMP_DIRECTORY = path.join(os.tmpdir(), "moussanada-uploads");

/** Enough for a document kind or a short label; a longer value is a forged request. */
const MAX_TEXT_FIELD_BYTES = 16 * 1024;
const MAX_FIELD_NAME_BYTES = 100;
/** Part headers, boundaries and the text fields around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function isErrorCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

/**
 * /tmp is shared by every account on the machine: a folder someone else created in advance, or a
 * symbolic link planted there, would let them read the documents, so either is refused.
 */
async function ensurePrivateDirectory(directory: string): Promise<void> {
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const stats = await fs.lstat(directory);
  if (!stats.isDirectory()) throw new Error(`${directory} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new Error(`${directory} belongs to another account (uid ${stats.uid}); remove it`);
  }
  if ((stats.mode & 0o077) !== 0) await fs.chmod(directory, 0o700);
}

async function removeQuietly(filePath: string): Promise<void> {
  await fs.rm(filePath, { force: true });
}

/** As problems.ts writes the JSON body limit: the shared detail reads "(10 Mo)". */
function megabytes(bytes: number): string {
  const value = Math.round((bytes / 1024 / 1024) * 10) / 10;
  return String(value).replace(".", ",");
}

function fileTooLarge(options: UploadOptions): AppError {
  const limit = megabytes(options.maxFileBytes);
  return new AppError("payload-too-large", 413, {
    params: { limit: `${limit} Mo` },
    errors: [{ path: options.fieldName, key: "uploads.file-too-large", params: { limit } }],
  });
}

function fileFieldError(options: UploadOptions, key: MessageKey): AppError {
  return AppError.validation([{ path: options.fieldName, key }]);
}

function formError(detailKey: MessageKey): AppError {
  return new AppError("validation-failed", 422, { detailKey });
}

/** Node's own failures (disk full, permissions) carry a syscall; busboy's parse errors do not. */
function isSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === "string";
}

/** What multer and busboy report, in the product's words. Unknown faults stay server errors. */
function toAppError(error: unknown, req: Request, options: UploadOptions): unknown {
  if (req.destroyed && !req.complete) {
    return new AppError("malformed-request", 400, { detailKey: "uploads.interrupted" });
  }
  if (error instanceof multer.MulterError) {
    switch (error.code) {
      case "LIMIT_FILE_SIZE":
        return fileTooLarge(options);
      case "LIMIT_FILE_COUNT":
        return fileFieldError(options, "uploads.one-file-only");
      case "LIMIT_UNEXPECTED_FILE":
        return fileFieldError(
          options,
          error.field === options.fieldName ? "uploads.one-file-only" : "uploads.unexpected-file-field",
        );
      case "LIMIT_PART_COUNT":
      case "LIMIT_FIELD_COUNT":
        return formError("uploads.too-many-parts");
      case "LIMIT_FIELD_VALUE":
        return error.field
          ? AppError.validation([
              { path: error.field, key: "field.string.max", params: { limit: MAX_TEXT_FIELD_BYTES } },
            ])
          : formError("uploads.invalid-form");
      default:
        return formError("uploads.invalid-form");
    }
  }
  if (isSystemError(error)) return error;
  if (error instanceof Error) {
    // Busboy: no boundary, truncated body, malformed part headers.
    return new AppError("malformed-request", 400, { detailKey: "uploads.malformed" });
  }
  return error;
}

/** Only the declared text fields, each once, each a plain string. */
function readTextFields(body: unknown, options: UploadOptions): Record<string, string> {
  const fields: Record<string, string> = {};
  const errors: FieldError[] = [];
  const received = (body ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(received)) {
    const value = received[name];
    if (name === options.fieldName) {
      // A text part named like the file field: the browser sent no file.
      errors.push({ path: name, key: "uploads.file-required" });
    } else if (!options.textFields.includes(name)) {
      errors.push({ path: name, key: "field.any.unknown" });
    } else if (typeof value !== "string") {
      errors.push({ path: name, key: "field.string.base" });
    } else {
      fields[name] = value;
    }
  }
  if (errors.length > 0) throw AppError.validation(errors);
  return fields;
}

/** Temporary files this request created, and the writes still in flight, for the final sweep. */
interface TempFileTracker {
  paths: Set<string>;
  writes: Promise<void>[];
}

/**
 * multer's disk storage, wrapped so that every temporary name is known and every write can be
 * awaited: after a failure, anything multer itself left behind is swept (see the upload tests).
 */
function trackedDiskStorage(tracker: TempFileTracker): multer.StorageEngine {
  const disk = multer.diskStorage({
    destination: (_req, _file, callback) => callback(null, UPLOAD_TEMP_DIRECTORY),
    filename: (_req, _file, callback) => {
      const name = `${randomBytes(16).toString("hex")}.upload`;
      tracker.paths.add(path.join(UPLOAD_TEMP_DIRECTORY, name));
      callback(null, name);
    },
  });
  return {
    _handleFile(req, file, callback) {
      let settle: () => void = () => undefined;
      tracker.writes.push(new Promise<void>((resolve) => (settle = resolve)));
      disk._handleFile(req, file, (error, info) => {
        settle();
        callback(error, info);
      });
    },
    _removeFile(req, file, callback) {
      disk._removeFile(req, file, callback);
    },
  };
}

function runMulter(req: Request, res: Response, options: UploadOptions, tracker: TempFileTracker): Promise<void> {
  const middleware = multer({
    storage: trackedDiskStorage(tracker),
    // Browsers send the file name as raw UTF-8; busboy would read it as Latin-1 and garble Arabic.
    defParamCharset: "utf8",
    // Keep any folder part of the name so fileNameProblem() can refuse it, instead of busboy
    // silently cutting "../../etc/passwd.pdf" down to "passwd.pdf".
    preservePath: true,
    limits: {
      fileSize: options.maxFileBytes,
      files: 1,
      fields: options.textFields.length,
      parts: options.textFields.length + 1,
      fieldSize: MAX_TEXT_FIELD_BYTES,
      fieldNameSize: MAX_FIELD_NAME_BYTES,
      fieldNestingDepth: 0,
      headerPairs: 20,
    },
  }).single(options.fieldName);
  return new Promise<void>((resolve, reject) => {
    middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

async function sweep(tracker: TempFileTracker): Promise<void> {
  // A write still open could recreate its file after an early unlink: let every write end first.
  await Promise.all(tracker.writes);
  await Promise.all([...tracker.paths].map(removeQuietly));
}

/**
 * Receives exactly one multipart file into a private temporary file, with the size and count
 * limits enforced while the bytes arrive. Every refusal is an AppError in the requester's language,
 * and leaves nothing behind in the temporary folder.
 */
export async function receiveSingleUpload(
  req: Request,
  res: Response,
  options: UploadOptions,
): Promise<ReceivedUpload> {
  if (!req.is("multipart/form-data")) {
    throw new AppError("malformed-request", 415, { detailKey: "uploads.not-multipart" });
  }
  // A declared length already over the limit is refused before a single byte reaches the disk.
  const declaredLength = Number(req.get("content-length"));
  const maxBodyBytes =
    options.maxFileBytes + options.textFields.length * MAX_TEXT_FIELD_BYTES + MULTIPART_OVERHEAD_BYTES;
  if (Number.isFinite(declaredLength) && declaredLength > maxBodyBytes) throw fileTooLarge(options);

  await ensurePrivateDirectory(UPLOAD_TEMP_DIRECTORY);
  const tracker: TempFileTracker = { paths: new Set(), writes: [] };
  try {
    await runMulter(req, res, options, tracker);
  } catch (error) {
    await sweep(tracker);
    throw toAppError(error, req, options);
  }

  const file = req.file;
  try {
    if (!file) throw fileFieldError(options, "uploads.file-required");
    const fields = readTextFields(req.body, options);
    const tempPath = file.path;
    return {
      tempPath,
      originalName: file.originalname,
      size: file.size,
      fields,
      discard: () => removeQuietly(tempPath),
    };
  } catch (error) {
    await sweep(tracker);
    throw error;
  }
}

export interface InspectedDocument {
  /** Read from the bytes, never from the name or the declared type. */
  contentType: DocumentMime;
  /** Sanitised, with an extension matching the content: ready for Content-Disposition. */
  fileName: string;
  sha256: string;
  size: number;
}

const NAME_PROBLEM_KEYS: Record<FileNameProblem, MessageKey> = {
  missing: "uploads.name-missing",
  path: "uploads.name-invalid",
  control: "uploads.name-invalid",
  "too-long": "uploads.name-too-long",
};

/**
 * Checks that a received file is a document the programme accepts (name, non-empty, PDF/PNG/JPEG
 * by content). On refusal the temporary file is discarded and a 422 on the file field is thrown.
 */
export async function inspectReceivedDocument(
  upload: ReceivedUpload,
  fieldName: UploadOptions["fieldName"] = "file",
): Promise<InspectedDocument> {
  const refuse = async (key: MessageKey): Promise<never> => {
    await upload.discard();
    throw AppError.validation([{ path: fieldName, key }]);
  };
  const nameProblem = fileNameProblem(upload.originalName);
  if (nameProblem) return refuse(NAME_PROBLEM_KEYS[nameProblem]);
  if (upload.size === 0) return refuse("uploads.empty-file");
  const contentType = await detectDocumentMime(upload.tempPath);
  if (!contentType) return refuse("uploads.unsupported-type");
  return {
    contentType,
    fileName: fileNameFor(upload.originalName, contentType),
    sha256: await sha256File(upload.tempPath),
    size: upload.size,
  };
}

/**
 * Removes temporary uploads older than `maxAgeMs` that a crash or a kill left behind. Meant for
 * start-up and the hourly maintenance job; files of uploads in progress are younger than that.
 */
export async function purgeStaleUploads(maxAgeMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(UPLOAD_TEMP_DIRECTORY);
  } catch (error) {
    if (isErrorCode(error, "ENOENT")) return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    const filePath = path.join(UPLOAD_TEMP_DIRECTORY, name);
    const stats = await fs.lstat(filePath).catch(() => null);
    if (!stats?.isFile() || now - stats.mtimeMs < maxAgeMs) continue;
    await removeQuietly(filePath);
    removed += 1;
  }
  return removed;
}
