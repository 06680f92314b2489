import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import { Readable } from "node:stream";
import type * as S3SdkModule from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  assertStorageKey,
  isStorageKey,
  StoredObjectMissingError,
  type DocumentStore,
  type StorageConfig,
} from "./documentStore.js";

export type S3StorageConfig = Extract<StorageConfig, { driver: "s3" }>;

export interface S3StoreOptions {
  /** Keys per ListObjectsV2 page (S3 caps it at 1000); tests lower it to exercise pagination. */
  listPageSize?: number;
}

type S3Sdk = typeof S3SdkModule;
let sdkLoading: Promise<S3Sdk> | null = null;

/**
 * The SDK is loaded on first use: it weighs ~18 MB of memory in every process, and most
 * deployments keep their documents on disk.
 */
function loadSdk(): Promise<S3Sdk> {
  sdkLoading ??= import("@aws-sdk/client-s3");
  return sdkLoading;
}

function isMissingObject(sdk: S3Sdk, error: unknown): boolean {
  if (!(error instanceof sdk.S3ServiceException)) return false;
  if (error.name === "NoSuchKey" || error.name === "NotFound") return true;
  // A missing bucket is a configuration fault, not a missing document.
  return error.$metadata.httpStatusCode === 404 && error.name !== "NoSuchBucket";
}

/**
 * Documents as objects of one bucket, under `prefix + key`. Works with AWS and with S3-compatible
 * servers (MinIO, Garage, Ceph, s3rver in tests).
 */
export class S3Store implements DocumentStore {
  readonly driver = "s3" as const;
  private connected: { sdk: S3Sdk; client: S3Client } | null = null;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly listPageSize: number;

  constructor(
    private readonly config: S3StorageConfig,
    options: S3StoreOptions = {},
  ) {
    this.bucket = config.bucket;
    this.prefix = config.prefix;
    this.listPageSize = options.listPageSize ?? 1000;
  }

  private async connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    if (this.connected) return this.connected;
    const sdk = await loadSdk();
    const { config } = this;
    this.connected ??= { sdk, client: this.newClient(sdk, config) };
    return this.connected;
  }

  private newClient(sdk: S3Sdk, config: S3StorageConfig): S3Client {
    return new sdk.S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Since 3.729.0 the SDK adds a CRC32 to every upload, streamed as an "aws-chunked" body with
      // a trailer (aws/aws-sdk-js-v3#6810). Servers that do not speak that encoding refuse the
      // upload or, like s3rver, silently store the chunk framing as if it were the document.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // Readiness probes and uploads must fail rather than hang when the server is unreachable.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
  }

  private objectKey(key: string): string {
    assertStorageKey(key);
    return `${this.prefix}${key}`;
  }

  async putFile(key: string, filePath: string, contentType: string): Promise<void> {
    const Key = this.objectKey(key);
    // The length must be known up front: without it the SDK cannot send a stream in one request.
    const { size } = await fs.stat(filePath);
    const { sdk, client } = await this.connect();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key,
        Body: createReadStream(filePath),
        ContentLength: size,
        ContentType: contentType,
      }),
    );
  }

  async open(key: string): Promise<Readable> {
    const Key = this.objectKey(key);
    const { sdk, client } = await this.connect();
    try {
      const output = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key }));
      if (!(output.Body instanceof Readable)) throw new Error(`S3 GetObject for ${key} returned no Node stream`);
      return output.Body;
    } catch (error) {
      if (isMissingObject(sdk, error)) throw new StoredObjectMissingError(key);
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    const Key = this.objectKey(key);
    // S3 answers 204 whether or not the object existed, which is the idempotence we promise.
    const { sdk, client } = await this.connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key }));
  }

  async has(key: string): Promise<boolean> {
    const Key = this.objectKey(key);
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (error) {
      if (isMissingObject(sdk, error)) return false;
      throw error;
    }
  }

  async keys(): Promise<string[]> {
    const keys: string[] = [];
    const { sdk, client } = await this.connect();
    const pages = sdk.paginateListObjectsV2(
      { client, pageSize: this.listPageSize },
      { Bucket: this.bucket, Prefix: this.prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length) ?? "";
        if (isStorageKey(key)) keys.push(key);
      }
    }
    return keys.sort();
  }

  async check(): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(new sdk.HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Closes the client's keep-alive sockets (tests, shutdown). */
  destroy(): void {
    this.connected?.client.destroy();
  }
}
