import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

export interface FileDigest {
  bytes: number;
  sha256: string;
}

export async function sha256OfStream(stream: Readable): Promise<FileDigest> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

export function sha256OfFile(file: string): Promise<FileDigest> {
  return sha256OfStream(createReadStream(file));
}

/** Flushes a written file to disk: a backup that only sits in the page cache is not one yet. */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `source` to a new private file (never over an existing one), hashing it on the way. */
export async function writeStreamToFile(source: Readable, file: string): Promise<FileDigest> {
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(file, { flags: "wx", mode: PRIVATE_FILE_MODE }),
  );
  await syncFile(file);
  return { bytes, sha256: hash.digest("hex") };
}

/** Runs `work` on every item, `concurrency` at a time, in no particular order. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** Documents in a backup mirror the local store's layout: `documents/<first two characters>/<key>`. */
export function documentPath(backupDir: string, key: string): string {
  return path.join(backupDir, "documents", key.slice(0, 2), key);
}
