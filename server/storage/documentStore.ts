import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { LocalDiskStore } from "./localDiskStore.js";
import { S3Store } from "./s3Store.js";

/**
 * Where application documents live. Callers only ever hold keys made by `newStorageKey()`: a file
 * name chosen by a user never reaches a path or an object name.
 */
export interface DocumentStore {
  readonly driver: "local" | "s3";
  /** Copies a local (temporary) file into the store under `key`; resolves once durable. */
  putFile(key: string, filePath: string, contentType: string): Promise<void>;
  /** The object's bytes as a stream; throws StoredObjectMissingError when absent. */
  open(key: string): Promise<Readable>;
  /** Idempotent. */
  remove(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
  /** Every stored key (tests, backups). */
  keys(): Promise<string[]>;
  /** Readiness: the folder is writable / the bucket answers. */
  check(): Promise<void>;
}

export type StorageConfig =
  | { driver: "local"; directory: string }
  | {
      driver: "s3";
      /** Null: AWS itself; otherwise the URL of an S3-compatible server (MinIO, Garage, Ceph…). */
      endpoint: string | null;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
      /** Prepended to every key, e.g. "documents/"; lets one bucket serve several purposes. */
      prefix: string;
    };

/** 128 random bits as lowercase hex: safe in URLs and file names, identical on case-insensitive disks. */
const KEY_PATTERN = /^[0-9a-f]{32}$/;

export function newStorageKey(): string {
  return randomBytes(16).toString("hex");
}

export function isStorageKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** A key that `newStorageKey()` cannot have produced: a programming error or a forged value. */
export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key ${JSON.stringify(key.slice(0, 80))}`);
    this.name = "InvalidStorageKeyError";
  }
}

export class StoredObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`no stored object under key ${key}`);
    this.name = "StoredObjectMissingError";
  }
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) throw new InvalidStorageKeyError(key);
}

export function createDocumentStore(config: StorageConfig): DocumentStore {
  if (config.driver === "local") return new LocalDiskStore(config.directory);
  return new S3Store(config);
}
