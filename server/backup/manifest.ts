import fs from "node:fs/promises";
import path from "node:path";
import Joi from "joi";
import type { DatabaseFacts } from "./databaseFacts.js";
import { PRIVATE_FILE_MODE, syncFile } from "./files.js";
import { BackupError } from "./pgTools.js";

export const MANIFEST_FILE = "manifest.json";
export const DUMP_FILE = "database.dump";
export const MANIFEST_FORMAT = "moussanada-backup/1";

export interface BackedUpDocument {
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
}

/**
 * A storage key the database referenced at the dump's instant that was not in the store when the
 * documents were copied: deleted since (its row is gone too; harmless) or lost (its row remains).
 */
export interface MissingDocument {
  key: string;
  reason: "deleted-after-dump" | "absent-from-store";
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  app: { name: string; version: string };
  database: DatabaseFacts & {
    pgDumpVersion: string;
    dump: { file: string; bytes: number; sha256: string };
  };
  documents: {
    driver: "local" | "s3";
    count: number;
    totalBytes: number;
    files: BackedUpDocument[];
    missing: MissingDocument[];
  };
}

const sha256 = Joi.string().pattern(/^[0-9a-f]{64}$/);
const storageKey = Joi.string().pattern(/^[0-9a-f]{32}$/);
const money = Joi.string().pattern(/^-?\d+\.\d{2}$/);

const manifestSchema = Joi.object({
  format: Joi.string().valid(MANIFEST_FORMAT).required(),
  createdAt: Joi.string().isoDate().required(),
  app: Joi.object({ name: Joi.string().required(), version: Joi.string().required() }).required(),
  database: Joi.object({
    serverVersion: Joi.string().required(),
    serverMajor: Joi.number().integer().min(9).required(),
    pgDumpVersion: Joi.string().required(),
    dump: Joi.object({
      file: Joi.string().valid(DUMP_FILE).required(),
      bytes: Joi.number().integer().min(1).required(),
      sha256: sha256.required(),
    }).required(),
    migrations: Joi.array().items(Joi.string()).required(),
    tables: Joi.object().pattern(Joi.string(), Joi.number().integer().min(0)).required(),
    audit: Joi.object({
      events: Joi.number().integer().min(0).required(),
      headPosition: Joi.string().pattern(/^\d+$/).allow(null).required(),
      headHash: sha256.allow(null).required(),
    }).required(),
    ledger: Joi.object({
      rows: Joi.number().integer().min(0).required(),
      digest: sha256.required(),
      envelopes: Joi.array()
        .items(
          Joi.object({
            id: Joi.string().required(),
            callId: Joi.string().required(),
            sectorCode: Joi.string().allow(null).required(),
            amount: money.required(),
            committed: money.required(),
            paid: money.required(),
            commitments: money.required(),
            releases: money.required(),
            payments: money.required(),
          }),
        )
        .required(),
    }).required(),
    applicationRole: Joi.object({
      objects: Joi.object().pattern(Joi.string(), Joi.string().allow("")).required(),
      defaults: Joi.array().items(Joi.string()).required(),
    })
      .allow(null)
      .required(),
  }).required(),
  documents: Joi.object({
    driver: Joi.string().valid("local", "s3").required(),
    count: Joi.number().integer().min(0).required(),
    totalBytes: Joi.number().integer().min(0).required(),
    files: Joi.array()
      .items(
        Joi.object({
          key: storageKey.required(),
          bytes: Joi.number().integer().min(0).required(),
          sha256: sha256.required(),
          contentType: Joi.string().required(),
        }),
      )
      .unique("key")
      .required(),
    missing: Joi.array()
      .items(
        Joi.object({
          key: storageKey.required(),
          reason: Joi.string().valid("deleted-after-dump", "absent-from-store").required(),
        }),
      )
      .required(),
  }).required(),
});

export async function writeManifest(backupDir: string, manifest: Manifest): Promise<void> {
  const file = path.join(backupDir, MANIFEST_FILE);
  await fs.writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx", mode: PRIVATE_FILE_MODE });
  await syncFile(file);
}

/** Reads and checks the shape of a backup's manifest; the files it lists are checked separately. */
export async function readManifest(backupDir: string): Promise<Manifest> {
  const file = path.join(backupDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    throw new BackupError(`${file} not found: not a backup made by npm run db:backup`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BackupError(`${file} is not valid JSON`);
  }
  const { value, error } = manifestSchema.validate(parsed, { abortEarly: false, presence: "required" });
  if (error) throw new BackupError(`${file} is not a valid manifest: ${error.message}`);
  const manifest = value as Manifest;
  const { files } = manifest.documents;
  if (manifest.documents.count !== files.length) {
    throw new BackupError(`${file}: documents.count ${manifest.documents.count} but ${files.length} files listed`);
  }
  return manifest;
}
