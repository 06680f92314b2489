import { createHash, verify as verifySignature, type KeyObject } from "node:crypto";
import { base58btcDecode, base58btcEncode } from "./base58.js";
import { canonicalJson } from "./canonicalJson.js";
import { publicKeyFromMultibase } from "./keys.js";

/**
 * Data Integrity proofs with the "eddsa-jcs-2022" cryptosuite (W3C Data Integrity EdDSA
 * Cryptosuites v1.0, section 3.3): the document and the proof configuration are canonicalised
 * with JCS, hashed separately with SHA-256, and the two hashes, proof configuration first, are
 * signed with Ed25519. JCS rather than RDF canonicalisation: verifying needs no JSON-LD processor
 * and no context fetched from the network.
 */

export const DATA_INTEGRITY_PROOF = "DataIntegrityProof";
export const EDDSA_JCS_2022 = "eddsa-jcs-2022";

export interface ProofOptions {
  type: typeof DATA_INTEGRITY_PROOF;
  cryptosuite: typeof EDDSA_JCS_2022;
  /** An XML Schema dateTimeStamp, e.g. "2026-07-01T16:30:00Z". */
  created: string;
  verificationMethod: string;
  proofPurpose: string;
}

export interface DataIntegrityProof<Context = unknown> extends ProofOptions {
  /**
   * The document's own @context, which the spec's Create Proof algorithm copies into the proof:
   * the proof configuration is signed with it, and a verifier that reads the proof alone still
   * knows which contexts the signed document was interpreted with.
   */
  "@context"?: Context;
  /** "z" + base58btc of the 64-byte signature. */
  proofValue: string;
}

export type ProofFailure = "malformed" | "unsupported-proof" | "unknown-key" | "bad-signature";

export type ProofCheck = { valid: true; keyId: string } | { valid: false; reason: ProofFailure };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Sections 3.3.3–3.3.5: what Ed25519 signs. Throws if either object has no JSON form. */
function hashData(unsecuredDocument: JsonObject, proofConfig: JsonObject): Buffer {
  return Buffer.concat([sha256(canonicalJson(proofConfig)), sha256(canonicalJson(unsecuredDocument))]);
}

/**
 * Section 3.3.1, Create Proof: returns the document with its proof. `document` must not already
 * carry one (proof sets and chains are not needed here).
 */
export function addEddsaJcsProof<Document extends JsonObject & { "@context": unknown }>(
  document: Document,
  options: ProofOptions,
  sign: (data: Uint8Array) => Buffer,
): Document & { proof: DataIntegrityProof<Document["@context"]> } {
  if ("proof" in document) throw new TypeError("The document is already signed");
  const proofConfig: Omit<DataIntegrityProof<Document["@context"]>, "proofValue"> = {
    ...options,
    "@context": document["@context"],
  };
  const signature = sign(hashData(document, proofConfig));
  const proof: DataIntegrityProof<Document["@context"]> = {
    ...proofConfig,
    proofValue: `z${base58btcEncode(signature)}`,
  };
  return { ...document, proof };
}

/** Whether `list` begins with the entries of `prefix`, in order (JSON values compared canonically). */
function startsWith(list: unknown, prefix: unknown): boolean {
  const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const whole = asArray(list);
  const start = asArray(prefix);
  if (list === undefined || start.length > whole.length) return false;
  return start.every((entry, index) => canonicalJson(entry) === canonicalJson(whole[index]));
}

/**
 * Section 3.3.2, Verify Proof. `trustedKeyOf` maps the proof's verificationMethod to the
 * Multikey value of a key the caller trusts, or null: a key that is merely well-formed proves
 * nothing, since anyone can make one.
 */
export function verifyEddsaJcsProof(
  securedDocument: unknown,
  trustedKeyOf: (verificationMethod: string) => string | null,
): ProofCheck {
  if (!isObject(securedDocument)) return { valid: false, reason: "malformed" };
  const { proof, ...unsecuredDocument } = securedDocument;
  // A set of proofs (an array) is valid Data Integrity, but not something this issuer produces.
  if (Array.isArray(proof)) return { valid: false, reason: "unsupported-proof" };
  if (!isObject(proof)) return { valid: false, reason: "malformed" };
  if (proof.type !== DATA_INTEGRITY_PROOF || proof.cryptosuite !== EDDSA_JCS_2022) {
    return { valid: false, reason: "unsupported-proof" };
  }
  const { proofValue, ...proofOptions } = proof;
  const { verificationMethod, created, proofPurpose } = proofOptions;
  if (
    typeof proofValue !== "string" ||
    typeof verificationMethod !== "string" ||
    typeof proofPurpose !== "string" ||
    (created !== undefined && typeof created !== "string")
  ) {
    return { valid: false, reason: "malformed" };
  }

  let signature: Uint8Array;
  try {
    if (!proofValue.startsWith("z")) throw new SyntaxError("Not base58btc");
    signature = base58btcDecode(proofValue.slice(1));
  } catch {
    return { valid: false, reason: "malformed" };
  }
  if (signature.length !== 64) return { valid: false, reason: "malformed" };

  const keyId = trustedKeyOf(verificationMethod);
  if (keyId === null) return { valid: false, reason: "unknown-key" };

  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromMultibase(keyId);
  } catch {
    return { valid: false, reason: "unknown-key" };
  }

  let data: Buffer;
  try {
    if (proofOptions["@context"] !== undefined) {
      // The document may have gained contexts after signing, never lost or reordered them.
      if (!startsWith(unsecuredDocument["@context"], proofOptions["@context"])) {
        return { valid: false, reason: "bad-signature" };
      }
      unsecuredDocument["@context"] = proofOptions["@context"];
    }
    data = hashData(unsecuredDocument, proofOptions);
  } catch {
    // Values JSON cannot carry (a caller may hand over a live object rather than parsed JSON).
    return { valid: false, reason: "malformed" };
  }
  const valid = verifySignature(null, data, publicKey, signature);
  return valid ? { valid: true, keyId } : { valid: false, reason: "bad-signature" };
}
