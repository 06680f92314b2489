import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign as signBytes,
  type KeyObject,
} from "node:crypto";
import { link, mkdir, open, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { base58btcDecode, base58btcEncode } from "./base58.js";

/**
 * The programme's Ed25519 signing key, named the way Data Integrity proofs name keys: as a
 * did:key (https://w3c-ccg.github.io/did-key-spec/), whose identifier is the public key itself.
 * A verifier needs no registry to find the key; it only has to decide whether it trusts it, which
 * is what the published keys document is for.
 */

export interface CertificateSigner {
  /** The did:key method-specific id, "z6Mk…" (equal to publicKeyMultibase). */
  keyId: string;
  /** "did:key:z6Mk…" */
  did: string;
  /** "did:key:z6Mk…#z6Mk…" */
  verificationMethod: string;
  /** Multicodec ed25519-pub (0xed 0x01) + the 32-byte key, base58btc, with multibase's "z". */
  publicKeyMultibase: string;
  publicKeyJwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  /** A raw 64-byte Ed25519 signature (RFC 8032: no pre-hash, deterministic). */
  sign(data: Uint8Array): Buffer;
}

export interface PublishedKey {
  id: string;
  type: "Multikey";
  controller: string;
  publicKeyMultibase: string;
  publicKeyJwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  algorithm: "Ed25519";
  purpose: "Permis Numérique certificates";
}

export interface PublishedKeys {
  issuer: { id: string; name: string; url: string };
  keys: PublishedKey[];
}

/** The multicodec varint of "ed25519-pub". */
const ED25519_PUB_PREFIX = Uint8Array.of(0xed, 0x01);
const ED25519_PUBLIC_KEY_LENGTH = 32;

function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    throw new TypeError("Not an Ed25519 public key");
  }
  return Buffer.from(jwk.x, "base64url");
}

export function multibaseOfPublicKey(raw: Uint8Array): string {
  if (raw.length !== ED25519_PUBLIC_KEY_LENGTH) throw new RangeError("An Ed25519 public key is 32 bytes");
  const bytes = new Uint8Array(ED25519_PUB_PREFIX.length + raw.length);
  bytes.set(ED25519_PUB_PREFIX);
  bytes.set(raw, ED25519_PUB_PREFIX.length);
  return `z${base58btcEncode(bytes)}`;
}

/**
 * The Ed25519 public key of a Multikey "z6Mk…" value. Throws on another multibase, another
 * multicodec (a private key, above all, must never be taken for a public one) or a wrong length.
 */
export function publicKeyFromMultibase(multibase: string): KeyObject {
  if (!multibase.startsWith("z")) throw new SyntaxError("Not a base58btc multibase value");
  const bytes = base58btcDecode(multibase.slice(1));
  if (bytes.length !== ED25519_PUB_PREFIX.length + ED25519_PUBLIC_KEY_LENGTH) {
    throw new RangeError("Not an Ed25519 Multikey: wrong length");
  }
  if (bytes[0] !== ED25519_PUB_PREFIX[0] || bytes[1] !== ED25519_PUB_PREFIX[1]) {
    throw new RangeError("Not an Ed25519 Multikey: wrong multicodec");
  }
  const x = Buffer.from(bytes.subarray(ED25519_PUB_PREFIX.length)).toString("base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

export function signerFromPem(pkcs8Pem: string): CertificateSigner {
  const privateKey = createPrivateKey({ key: pkcs8Pem, format: "pem" });
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new TypeError(`The signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? "unknown"}`);
  }
  const raw = rawPublicKey(createPublicKey(privateKey));
  const publicKeyMultibase = multibaseOfPublicKey(raw);
  const did = `did:key:${publicKeyMultibase}`;
  return {
    keyId: publicKeyMultibase,
    did,
    verificationMethod: `${did}#${publicKeyMultibase}`,
    publicKeyMultibase,
    publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") },
    // Ed25519 hashes internally: Node takes no digest name for it.
    sign: (data) => signBytes(null, data, privateKey),
  };
}

function isErrorWithCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

async function readKeyFile(filePath: string): Promise<string | null> {
  try {
    return await readFile(filePath, "utf8");
  } catch (error) {
    if (isErrorWithCode(error, "ENOENT")) return null;
    throw error;
  }
}

/**
 * Makes the new directory entry durable: after a power cut the key must still be there, or a new
 * one would be generated and every certificate signed in between would stop verifying.
 */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads the PKCS#8 PEM at `filePath`, creating it (0600, in a folder created 0700) when absent.
 *
 * The key is written whole to a temporary file, flushed, then linked to its final name: link()
 * fails when the name exists, so of two processes starting together exactly one key wins and the
 * other reads it, and nobody ever reads a half-written file. (rename() would silently replace the
 * first key, and certificates signed with it would stop verifying.)
 */
export async function loadOrCreateSigningKey(filePath: string): Promise<CertificateSigner> {
  const existing = await readKeyFile(filePath);
  if (existing !== null) return signerFromPem(existing);

  await mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomUUID()}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    try {
      // open()'s mode goes through the umask: chmod makes it exactly owner read/write.
      await handle.chmod(0o600);
      await handle.writeFile(pem);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, filePath);
      await syncDirectory(path.dirname(filePath));
    } catch (error) {
      if (!isErrorWithCode(error, "EEXIST")) throw error;
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  const winner = await readKeyFile(filePath);
  if (winner === null) throw new Error(`The signing key ${filePath} vanished while it was being created`);
  return signerFromPem(winner);
}

/** The document served at /.well-known/permis-numerique-keys.json. */
export function publishedKeys(signer: CertificateSigner, issuer: { name: string; url: string }): PublishedKeys {
  return {
    issuer: { id: signer.did, name: issuer.name, url: issuer.url },
    keys: [
      {
        id: signer.verificationMethod,
        type: "Multikey",
        controller: signer.did,
        publicKeyMultibase: signer.publicKeyMultibase,
        publicKeyJwk: { ...signer.publicKeyJwk },
        algorithm: "Ed25519",
        purpose: "Permis Numérique certificates",
      },
    ],
  };
}
