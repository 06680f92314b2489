import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import type { StorageConfig } from "../../server/storage/documentStore.js";

export interface TestS3Server {
  config: Extract<StorageConfig, { driver: "s3" }>;
  close(): Promise<void>;
}

/** s3rver checks request signatures against this fixed pair. */
const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

// Node 20 is supported until the SDK's 2027 releases; the notice would only clutter test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

let desShimInstalled = false;

/**
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node ≥ 17)
 * only offers through its legacy provider: any truncated listing answers 500 InternalError
 * (ERR_OSSL_EVP_UNSUPPORTED, jamhall/s3rver#818). Triple DES with the key repeated three times is
 * the same cipher and is still in the default provider, so "des" is routed to it. Only the exact
 * name "des", which fails without the shim anyway, is affected, and only in the test process.
 */
function routeSingleDesToTripleDes(): void {
  if (desShimInstalled) return;
  desShimInstalled = true;
  const { createCipheriv, createDecipheriv } = crypto;
  const tripled = (key: crypto.CipherKey): Buffer => {
    const bytes = Buffer.from(key as Buffer);
    return Buffer.concat([bytes, bytes, bytes]);
  };
  Object.defineProperty(crypto, "createCipheriv", {
    value: (algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null) =>
      algorithm === "des" ? createCipheriv("des-ede3-cbc", tripled(key), iv) : createCipheriv(algorithm, key, iv),
  });
  Object.defineProperty(crypto, "createDecipheriv", {
    value: (algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null) =>
      algorithm === "des" ? createDecipheriv("des-ede3-cbc", tripled(key), iv) : createDecipheriv(algorithm, key, iv),
  });
}

/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 with a random port, its objects in a fresh
 * temporary folder, and one empty bucket. Path-style addressing: no wildcard DNS on loopback.
 */
export async function startS3Server(options: { bucket?: string; prefix?: string } = {}): Promise<TestS3Server> {
  routeSingleDesToTripleDes();
  const bucket = options.bucket ?? "moussanada-documents";
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "moussanada-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = await server.run();
  return {
    config: {
      driver: "s3",
      endpoint: `http://127.0.0.1:${address.port}`,
      region: "us-east-1",
      bucket,
      ...S3RVER_CREDENTIALS,
      forcePathStyle: true,
      prefix: options.prefix ?? "documents/",
    },
    async close() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
