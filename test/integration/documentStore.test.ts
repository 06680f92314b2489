import { expect } from "chai";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import {
  createDocumentStore,
  InvalidStorageKeyError,
  newStorageKey,
  StoredObjectMissingError,
  type DocumentStore,
  type StorageConfig,
} from "../../server/storage/documentStore.js";
import { S3Store } from "../../server/storage/s3Store.js";
import { startS3Server, type TestS3Server } from "../helpers/s3Server.js";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** Every file under a folder, relative, with its permission bits. */
async function filesUnder(root: string): Promise<Array<{ path: string; mode: number; isDirectory: boolean }>> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.map(async (entry) => {
      const full = path.join(entry.parentPath, entry.name);
      const stats = await fs.lstat(full);
      return { path: path.relative(root, full), mode: stats.mode & 0o777, isDirectory: stats.isDirectory() };
    }),
  );
}

const FORGED_KEYS = [
  "../etc/passwd",
  "../../../../tmp/x",
  "aa/../../x",
  "",
  ".",
  "..",
  "0123456789ABCDEF0123456789ABCDEF",
  "0123456789abcdef0123456789abcde",
  "0123456789abcdef0123456789abcdef0",
  "0123456789abcdef0123456789abcde/",
  "0123456789abcdef0123456789abcd\u0000f",
  "devis.pdf",
];

interface DriverFixture {
  name: "local" | "s3";
  start(): Promise<{ config: StorageConfig; stop(): Promise<void> }>;
}

const drivers: DriverFixture[] = [
  {
    name: "local",
    async start() {
      const parent = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-store-"));
      // A folder that does not exist yet: the store creates it on first use.
      const directory = path.join(parent, "documents");
      return { config: { driver: "local", directory }, stop: () => fs.rm(parent, { recursive: true, force: true }) };
    },
  },
  {
    name: "s3",
    async start() {
      const server: TestS3Server = await startS3Server();
      return { config: server.config, stop: () => server.close() };
    },
  },
];

describe("document storage", () => {
  let sourceDir: string;
  let bigFile: string;
  let bigBytes: Buffer;
  let smallFile: string;

  before(async () => {
    sourceDir = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-store-src-"));
    bigBytes = randomBytes(3 * 1024 * 1024);
    bigFile = path.join(sourceDir, "big.bin");
    await fs.writeFile(bigFile, bigBytes);
    smallFile = path.join(sourceDir, "small.pdf");
    await fs.writeFile(smallFile, "%PDF-1.4\n%%EOF\n");
  });

  after(async () => {
    await fs.rm(sourceDir, { recursive: true, force: true });
  });

  describe("newStorageKey", () => {
    it("gives 128 random bits as 32 lowercase hex characters, never twice the same", () => {
      const keys = Array.from({ length: 2000 }, () => newStorageKey());
      for (const key of keys) expect(key).to.match(/^[0-9a-f]{32}$/);
      expect(new Set(keys).size).to.equal(keys.length);
    });
  });

  for (const driver of drivers) {
    describe(`${driver.name} driver: the DocumentStore contract`, () => {
      let store: DocumentStore;
      let stop: () => Promise<void>;
      let config: StorageConfig;

      beforeEach(async () => {
        const started = await driver.start();
        config = started.config;
        stop = started.stop;
        store = createDocumentStore(config);
      });

      afterEach(async () => {
        if (store instanceof S3Store) store.destroy();
        await stop();
      });

      it(`reports its driver as "${driver.name}"`, () => {
        expect(store.driver).to.equal(driver.name);
      });

      it("is ready on a fresh, empty store", async () => {
        await store.check();
        expect(await store.keys()).to.deep.equal([]);
      });

      it("gives back a 3 MB file byte for byte", async () => {
        const key = newStorageKey();
        await store.putFile(key, bigFile, "application/octet-stream");
        const read = await readAll(await store.open(key));
        expect(read.length).to.equal(bigBytes.length);
        expect(read.equals(bigBytes)).to.equal(true);
      });

      it("answers has, keys and remove, remove being idempotent", async () => {
        const first = newStorageKey();
        const second = newStorageKey();
        await store.putFile(first, smallFile, "application/pdf");
        await store.putFile(second, bigFile, "application/pdf");
        expect(await store.has(first)).to.equal(true);
        expect(await store.has(newStorageKey())).to.equal(false);
        expect(await store.keys()).to.deep.equal([first, second].sort());

        await store.remove(first);
        await store.remove(first);
        await store.remove(newStorageKey());
        expect(await store.has(first)).to.equal(false);
        expect(await store.keys()).to.deep.equal([second]);
        expect((await readAll(await store.open(second))).equals(bigBytes)).to.equal(true);
      });

      it("replaces an object put twice under the same key", async () => {
        const key = newStorageKey();
        await store.putFile(key, bigFile, "application/pdf");
        await store.putFile(key, smallFile, "application/pdf");
        expect((await readAll(await store.open(key))).toString()).to.equal("%PDF-1.4\n%%EOF\n");
        expect(await store.keys()).to.deep.equal([key]);
      });

      it("throws StoredObjectMissingError for a key never stored or already removed", async () => {
        const never = newStorageKey();
        const missing = await rejectionOf(store.open(never));
        expect(missing).to.be.instanceOf(StoredObjectMissingError);
        expect((missing as StoredObjectMissingError).key).to.equal(never);

        const removed = newStorageKey();
        await store.putFile(removed, smallFile, "application/pdf");
        await store.remove(removed);
        expect(await rejectionOf(store.open(removed))).to.be.instanceOf(StoredObjectMissingError);
      });

      it("stores nothing when the source file cannot be read", async () => {
        const key = newStorageKey();
        const error = await rejectionOf(store.putFile(key, path.join(sourceDir, "absent.pdf"), "application/pdf"));
        expect((error as NodeJS.ErrnoException).code).to.equal("ENOENT");
        expect(await store.has(key)).to.equal(false);
        expect(await store.keys()).to.deep.equal([]);
      });

      it("refuses keys it did not make, including paths such as ../etc/passwd, before any I/O", async () => {
        for (const key of FORGED_KEYS) {
          for (const attempt of [
            () => store.putFile(key, smallFile, "application/pdf"),
            () => store.open(key),
            () => store.remove(key),
            () => store.has(key),
          ]) {
            expect(await rejectionOf(attempt()), JSON.stringify(key)).to.be.instanceOf(InvalidStorageKeyError);
          }
        }
        expect(await store.keys()).to.deep.equal([]);
      });
    });
  }

  describe("local driver on disk", () => {
    let parent: string;
    let directory: string;
    let store: DocumentStore;

    beforeEach(async () => {
      parent = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-store-"));
      directory = path.join(parent, "documents");
      store = createDocumentStore({ driver: "local", directory });
    });

    afterEach(async () => {
      await fs.rm(parent, { recursive: true, force: true });
    });

    it("writes <directory>/<first two characters>/<key>, files 0600 and folders 0700, no temporary file left", async () => {
      const keys = [newStorageKey(), newStorageKey(), newStorageKey()];
      for (const key of keys) await store.putFile(key, bigFile, "application/pdf");
      await store.check();

      const entries = await filesUnder(directory);
      const files = entries.filter((entry) => !entry.isDirectory);
      expect(files.map((file) => file.path).sort()).to.deep.equal(
        keys.map((key) => path.join(key.slice(0, 2), key)).sort(),
      );
      for (const file of files) expect(file.mode, file.path).to.equal(0o600);
      for (const folder of entries.filter((entry) => entry.isDirectory)) {
        expect(folder.mode, folder.path).to.equal(0o700);
      }
      expect((await fs.stat(directory)).mode & 0o777).to.equal(0o700);
    });

    it("lists only real keys, not stray or temporary files", async () => {
      const key = newStorageKey();
      await store.putFile(key, smallFile, "application/pdf");
      const shard = path.join(directory, key.slice(0, 2));
      await fs.writeFile(path.join(shard, `.${key}-0011223344556677.tmp`), "half a file");
      await fs.writeFile(path.join(shard, "notes.txt"), "x");
      await fs.writeFile(path.join(directory, "README"), "x");
      await fs.mkdir(path.join(directory, "zz"));
      await fs.writeFile(path.join(directory, "zz", "0123456789abcdef0123456789abcdef"), "wrong shard");
      expect(await store.keys()).to.deep.equal([key]);
    });

    it("fails its readiness check when the folder cannot be created", async () => {
      const blocker = path.join(parent, "a-file");
      await fs.writeFile(blocker, "");
      const blocked = createDocumentStore({ driver: "local", directory: path.join(blocker, "documents") });
      expect(await rejectionOf(blocked.check())).to.have.property("code", "ENOTDIR");
    });
  });

  describe("s3 driver specifics", () => {
    let server: TestS3Server;

    beforeEach(async () => {
      server = await startS3Server();
    });

    afterEach(async () => {
      await server.close();
    });

    it("pages through ListObjectsV2 and keeps to its prefix", async () => {
      const paged = new S3Store(server.config, { listPageSize: 2 });
      const neighbour = new S3Store({ ...server.config, prefix: "backups/" });
      try {
        const keys = Array.from({ length: 5 }, () => newStorageKey());
        for (const key of keys) await paged.putFile(key, smallFile, "application/pdf");
        const foreign = newStorageKey();
        await neighbour.putFile(foreign, smallFile, "application/pdf");

        expect(await paged.keys()).to.deep.equal(keys.sort());
        expect(await neighbour.keys()).to.deep.equal([foreign]);
        expect(await paged.has(foreign)).to.equal(false);
      } finally {
        paged.destroy();
        neighbour.destroy();
      }
    });

    it("fails its readiness check when the bucket does not exist", async () => {
      const store = new S3Store({ ...server.config, bucket: "no-such-bucket" });
      try {
        expect(await rejectionOf(store.check())).to.be.instanceOf(Error);
      } finally {
        store.destroy();
      }
    });
  });
});
