import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { assertStorageKey, isStorageKey, StoredObjectMissingError, type DocumentStore } from "./documentStore.js";

const SHARD_PATTERN = /^[0-9a-f]{2}$/;
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

function isErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && codes.includes(code);
}

/** Temporary names start with a dot so they can never match the key pattern. */
function temporaryName(prefix: string): string {
  return `.${prefix}-${randomBytes(8).toString("hex")}.tmp`;
}

/**
 * Documents as files under `directory/<first two characters of the key>/<key>`, so no folder grows
 * to millions of entries. Only the application's own account can read them (0600 files, 0700
 * folders), and a file appears under its final name only once complete and flushed to disk.
 */
export class LocalDiskStore implements DocumentStore {
  readonly driver = "local" as const;
  private readonly root: string;

  constructor(directory: string) {
    this.root = path.resolve(directory);
  }

  private pathOf(key: string): { shard: string; file: string } {
    assertStorageKey(key);
    const shard = path.join(this.root, key.slice(0, 2));
    return { shard, file: path.join(shard, key) };
  }

  /** The type is not kept on disk: the database row that holds the key records it. */
  async putFile(key: string, filePath: string, _contentType: string): Promise<void> {
    const { shard, file } = this.pathOf(key);
    // Creates the root as well on first use, 0700 at every level; building the store touches nothing.
    await makeDirectory(shard);
    const temporary = path.join(shard, temporaryName(key));
    try {
      // "wx": never follow or reuse whatever may already sit under the temporary name.
      const handle = await fs.open(temporary, "wx", FILE_MODE);
      try {
        // Written chunk by chunk on our own handle, so it can be fsynced before the rename.
        for await (const chunk of createReadStream(filePath)) {
          await writeFully(handle, chunk as Buffer);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(shard);
  }

  async open(key: string): Promise<Readable> {
    const { file } = this.pathOf(key);
    // Opening first turns a missing file into an error here, not into a stream 'error' later.
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, "r");
    } catch (error) {
      if (isErrorCode(error, "ENOENT")) throw new StoredObjectMissingError(key);
      throw error;
    }
    return handle.createReadStream();
  }

  async remove(key: string): Promise<void> {
    const { file } = this.pathOf(key);
    await fs.rm(file, { force: true });
  }

  async has(key: string): Promise<boolean> {
    const { file } = this.pathOf(key);
    try {
      return (await fs.stat(file)).isFile();
    } catch (error) {
      if (isErrorCode(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    }
  }

  async keys(): Promise<string[]> {
    const shards = await readDirectoryOrEmpty(this.root);
    const keys: string[] = [];
    for (const shard of shards) {
      if (!SHARD_PATTERN.test(shard)) continue;
      const names = await readDirectoryOrEmpty(path.join(this.root, shard));
      keys.push(...names.filter((name) => isStorageKey(name) && name.startsWith(shard)));
    }
    return keys.sort();
  }

  /** Writes and deletes a probe: `access(W_OK)` alone says yes on a read-only mount. */
  async check(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true, mode: DIRECTORY_MODE });
    const probe = path.join(this.root, temporaryName("probe"));
    await fs.writeFile(probe, "", { flag: "wx", mode: FILE_MODE });
    await fs.rm(probe, { force: true });
  }
}

/**
 * `mkdir -p`. Node's recursive mkdir reports a read-only disk as ENOENT; a plain mkdir of the last
 * level then names the real cause (EROFS, EACCES, ENOSPC), which the error handler turns into a 503.
 */
async function makeDirectory(directory: string): Promise<void> {
  try {
    await fs.mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
  } catch (error) {
    if (!isErrorCode(error, "ENOENT")) throw error;
    await fs.mkdir(directory, { mode: DIRECTORY_MODE });
  }
}

/** write() may write less than asked; loop until the chunk is on disk. */
async function writeFully(handle: fs.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

async function readDirectoryOrEmpty(directory: string): Promise<string[]> {
  try {
    return await fs.readdir(directory);
  } catch (error) {
    if (isErrorCode(error, "ENOENT")) return [];
    throw error;
  }
}

/** The rename itself is durable only once the folder's entry is flushed too. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(directory, "r");
  } catch (error) {
    // Some platforms (Windows) cannot open a folder; the rename is as durable as they allow.
    if (isErrorCode(error, "EISDIR", "EPERM", "EACCES")) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isErrorCode(error, "EINVAL", "EPERM", "EBADF")) throw error;
  } finally {
    await handle.close();
  }
}
