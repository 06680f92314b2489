import { expect } from "chai";
import { createPrivateKey, generateKeyPairSync, verify as verifySignature } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { base58btcDecode, base58btcEncode } from "../../server/signing/base58.js";
import { CanonicalJsonError, canonicalJson } from "../../server/signing/canonicalJson.js";
import {
  buildCredential,
  CREDENTIAL_CONTEXT,
  verifyCredential,
  type CertificateClaims,
  type OpenBadgeCredential,
} from "../../server/signing/credential.js";
import { addEddsaJcsProof, verifyEddsaJcsProof } from "../../server/signing/dataIntegrity.js";
import {
  loadOrCreateSigningKey,
  publicKeyFromMultibase,
  publishedKeys,
  signerFromPem,
  type CertificateSigner,
} from "../../server/signing/keys.js";

function newSigner(): CertificateSigner {
  const { privateKey } = generateKeyPairSync("ed25519");
  return signerFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
}

/**
 * The key pair of the W3C test vectors (vc-di-eddsa, TestVectors/keyPair.json): the private key
 * is multicodec ed25519-priv (0x80 0x26) + the 32-byte seed.
 */
const W3C_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
const W3C_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

function w3cSigner(): CertificateSigner {
  const privateBytes = base58btcDecode(W3C_PRIVATE_KEY.slice(1));
  const publicBytes = base58btcDecode(W3C_PUBLIC_KEY.slice(1));
  expect([...privateBytes.subarray(0, 2)]).to.deep.equal([0x80, 0x26]);
  const key = createPrivateKey({
    key: {
      kty: "OKP",
      crv: "Ed25519",
      d: Buffer.from(privateBytes.subarray(2)).toString("base64url"),
      x: Buffer.from(publicBytes.subarray(2)).toString("base64url"),
    },
    format: "jwk",
  });
  return signerFromPem(key.export({ type: "pkcs8", format: "pem" }).toString());
}

const claims: CertificateClaims = {
  certificateId: "7d3b3c1e-2f4a-4c8e-9b1d-5a6f7e8d9c0b",
  number: "PN-2026-000001",
  holderName: "Karim Benali",
  companyName: "Atlas Textiles SARL",
  courseTitle: "Initiation au numérique — Fès",
  sessionCity: "Fès",
  sessionStartsAt: new Date("2026-07-01T08:00:00.000Z"),
  sessionEndsAt: new Date("2026-07-01T16:00:00.000Z"),
  issuedAt: new Date("2026-07-02T09:15:42.123Z"),
  verificationUrl: "https://moussanada.example.ma/verify/q8Zr2m1vX0aB3cD4eF5gHw",
};
const PUBLIC_URL = "https://moussanada.example.ma";

/** A deep copy to tamper with, as a verifier would receive it: parsed JSON. */
function copyOf(credential: OpenBadgeCredential): Record<string, unknown> & OpenBadgeCredential {
  return JSON.parse(JSON.stringify(credential)) as Record<string, unknown> & OpenBadgeCredential;
}

describe("Signing: keys, canonical JSON and Open Badges credentials", () => {
  describe("base58btc", () => {
    const vectors: Array<[hex: string, encoded: string]> = [
      ["", ""],
      ["00", "1"],
      ["0000", "11"],
      ["ff", "5Q"],
      ["0000287fb4cd", "11233QC4"],
      [Buffer.from("Hello World!").toString("hex"), "2NEpo7TZRRrLZSi2U"],
      [
        Buffer.from("The quick brown fox jumps over the lazy dog.").toString("hex"),
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
      ],
      // A Bitcoin address: version byte 0, then hash and checksum.
      ["00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"],
    ];
    for (const [hex, encoded] of vectors) {
      it(`0x${hex || "(empty)"} ↔ "${encoded}"`, () => {
        expect(base58btcEncode(Buffer.from(hex, "hex"))).to.equal(encoded);
        expect(Buffer.from(base58btcDecode(encoded)).toString("hex")).to.equal(hex);
      });
    }

    it("round-trips random bytes, leading zeros included", () => {
      for (let length = 0; length < 70; length++) {
        const bytes = Buffer.from(Array.from({ length }, (_, index) => (index < length / 4 ? 0 : (index * 97) % 256)));
        expect(Buffer.from(base58btcDecode(base58btcEncode(bytes))).equals(bytes), `length ${length}`).to.equal(true);
      }
    });

    it("refuses characters outside the Bitcoin alphabet", () => {
      for (const text of ["0", "O", "I", "l", "abc def", "2NEpo7TZ+", "é"]) {
        expect(() => base58btcDecode(text), text).to.throw(SyntaxError);
      }
    });
  });

  describe("canonical JSON (RFC 8785)", () => {
    it("sorts keys by UTF-16 code units (RFC 8785 §3.2.3), recursively", () => {
      const value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
      };
      // The emoji (high surrogate 0xD83D) comes before U+FB33, although its code point is higher.
      const order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"] as const;
      const expected = order.map((key) => `${JSON.stringify(key)}:${JSON.stringify(value[key])}`).join(",");
      expect(canonicalJson(value)).to.equal(`{${expected}}`);
      expect(canonicalJson({ b: [{ z: 1, a: 2 }], a: { d: {}, c: [] } })).to.equal(
        '{"a":{"c":[],"d":{}},"b":[{"a":2,"z":1}]}',
      );
    });

    it("escapes strings minimally, as RFC 8785 §3.2.2.2 requires", () => {
      expect(canonicalJson({ string: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"/" })).to.equal(
        '{"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
      expect(canonicalJson("\b\t\f\r\u001f\u007f")).to.equal('"\\b\\t\\f\\r\\u001f\u007f"');
      expect(canonicalJson("الرخصة الرقمية 🎓")).to.equal('"الرخصة الرقمية 🎓"');
    });

    it("writes numbers in their shortest ECMAScript form (RFC 8785 §3.2.2.3)", () => {
      // The RFC's first input has more digits than a double holds: parsed, it is 333333333.3333333.
      expect(canonicalJson([Number("333333333.33333329"), 1e30, 4.5, 2e-3, 0.000000000000000000000000001])).to.equal(
        "[333333333.3333333,1e+30,4.5,0.002,1e-27]",
      );
      expect(canonicalJson([-0, 0, -1, 1e21, 1e-7, 100, 9007199254740991])).to.equal(
        "[0,0,-1,1e+21,1e-7,100,9007199254740991]",
      );
    });

    it("writes literals and nested arrays", () => {
      expect(canonicalJson([null, true, false, [[], [{}]]])).to.equal("[null,true,false,[[],[{}]]]");
      expect(canonicalJson(Object.create(null) as object)).to.equal("{}");
    });

    it("refuses what JSON cannot represent, instead of dropping it", () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const [name, value] of [
        ["undefined", undefined],
        ["undefined member", { a: undefined }],
        ["undefined item", [1, undefined]],
        ["function", { f: () => 1 }],
        ["NaN", [Number.NaN]],
        ["Infinity", { n: Number.POSITIVE_INFINITY }],
        ["bigint", { n: 1n }],
        ["symbol", [Symbol("s")]],
        ["Date", { at: new Date(0) }],
        ["Map", new Map()],
        ["hole", [1, , 3]], // eslint-disable-line no-sparse-arrays
        ["cycle", cyclic],
        ["lone surrogate", { name: "\ud800" }],
      ] as const) {
        expect(() => canonicalJson(value), name).to.throw(CanonicalJsonError);
      }
    });

    it("is stable whatever order the keys were written in", () => {
      expect(canonicalJson({ z: 1, a: { y: [1, { c: 3, b: 2 }], x: null } })).to.equal(
        canonicalJson({ a: { x: null, y: [1, { b: 2, c: 3 }] }, z: 1 }),
      );
    });
  });

  describe("keys", () => {
    it("names an Ed25519 key as a did:key, with matching Multikey and JWK forms", () => {
      const signer = newSigner();
      expect(signer.keyId).to.match(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
      expect(signer.publicKeyMultibase).to.equal(signer.keyId);
      expect(signer.did).to.equal(`did:key:${signer.keyId}`);
      expect(signer.verificationMethod).to.equal(`${signer.did}#${signer.keyId}`);
      const decoded = base58btcDecode(signer.publicKeyMultibase.slice(1));
      expect([...decoded.subarray(0, 2)]).to.deep.equal([0xed, 0x01]);
      expect(Buffer.from(decoded.subarray(2)).toString("base64url")).to.equal(signer.publicKeyJwk.x);
      expect(signer.publicKeyJwk).to.deep.include({ kty: "OKP", crv: "Ed25519" });
    });

    it("signs raw 64-byte Ed25519 signatures that the published key verifies", () => {
      const signer = newSigner();
      const data = Buffer.from("Permis Numérique PN-2026-000001");
      const signature = signer.sign(data);
      expect(signature).to.have.length(64);
      expect(signer.sign(data).equals(signature), "Ed25519 is deterministic").to.equal(true);
      const publicKey = publicKeyFromMultibase(signer.publicKeyMultibase);
      expect(verifySignature(null, data, publicKey, signature)).to.equal(true);
      expect(verifySignature(null, Buffer.from("Permis Numérique PN-2026-000002"), publicKey, signature)).to.equal(
        false,
      );
    });

    it("derives the W3C test vectors' public key from their private key", () => {
      expect(w3cSigner().publicKeyMultibase).to.equal(W3C_PUBLIC_KEY);
    });

    it("refuses keys that are not Ed25519", () => {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      expect(() => signerFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString())).to.throw(
        /must be Ed25519/,
      );
      expect(() => signerFromPem("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")).to.throw();
    });

    it("reads a Multikey back, and refuses anything else", () => {
      const signer = newSigner();
      const jwk = publicKeyFromMultibase(signer.publicKeyMultibase).export({ format: "jwk" });
      expect(jwk.x).to.equal(signer.publicKeyJwk.x);
      const bytes = base58btcDecode(signer.publicKeyMultibase.slice(1));
      for (const bad of [
        signer.publicKeyMultibase.slice(1), // no multibase prefix
        `u${Buffer.from(bytes).toString("base64url")}`, // base64url multibase
        `${signer.publicKeyMultibase.slice(0, 10)}0${signer.publicKeyMultibase.slice(11)}`, // "0" is not base58
        `z${base58btcEncode(bytes.subarray(0, 33))}`, // too short
        `z${base58btcEncode(Buffer.concat([bytes, Buffer.of(0)]))}`, // too long
        W3C_PRIVATE_KEY, // a private key (multicodec 0x8026) must never pass for a public one
        "",
      ]) {
        expect(() => publicKeyFromMultibase(bad), bad).to.throw();
      }
    });

    it("publishes the key as a Multikey of the issuer's did:key", () => {
      const signer = newSigner();
      const document = publishedKeys(signer, { name: "Programme Moussanada Numérique", url: PUBLIC_URL });
      expect(document).to.deep.equal({
        issuer: { id: signer.did, name: "Programme Moussanada Numérique", url: PUBLIC_URL },
        keys: [
          {
            id: signer.verificationMethod,
            type: "Multikey",
            controller: signer.did,
            publicKeyMultibase: signer.publicKeyMultibase,
            publicKeyJwk: signer.publicKeyJwk,
            algorithm: "Ed25519",
            purpose: "Permis Numérique certificates",
          },
        ],
      });
      const [key] = document.keys;
      expect(key?.publicKeyMultibase.startsWith("z6Mk")).to.equal(true);
      // The two forms are the same key.
      const fromMultibase = publicKeyFromMultibase(key?.publicKeyMultibase ?? "").export({ format: "jwk" });
      expect(fromMultibase.x).to.equal(key?.publicKeyJwk.x);
      // Nothing private: the JSON holds no "d" and no PEM.
      expect(JSON.stringify(document)).not.to.match(/"d"|PRIVATE/);
    });

    describe("loadOrCreateSigningKey", () => {
      let directory = "";
      beforeEach(async () => {
        directory = await mkdtemp(path.join(tmpdir(), "moussanada-keys-"));
      });
      afterEach(async () => {
        await rm(directory, { recursive: true, force: true });
      });

      it("creates a private 0600 key in a 0700 folder, then reads the same key back", async () => {
        const file = path.join(directory, "secrets", "permis", "signing-key.pem");
        const created = await loadOrCreateSigningKey(file);
        expect((await stat(file)).mode & 0o777).to.equal(0o600);
        expect((await stat(path.dirname(file))).mode & 0o777).to.equal(0o700);
        expect((await stat(path.join(directory, "secrets"))).mode & 0o777).to.equal(0o700);
        const pem = await readFile(file, "utf8");
        expect(pem).to.match(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
        expect(await readdir(path.dirname(file))).to.deep.equal(["signing-key.pem"]);

        const reloaded = await loadOrCreateSigningKey(file);
        expect(reloaded.keyId).to.equal(created.keyId);
        expect(signerFromPem(pem).keyId).to.equal(created.keyId);
        const data = Buffer.from("same key");
        expect(reloaded.sign(data).equals(created.sign(data))).to.equal(true);
      });

      it("ends with one key when ten callers start together on a fresh path", async () => {
        const file = path.join(directory, "fresh", "signing-key.pem");
        const signers = await Promise.all(Array.from({ length: 10 }, () => loadOrCreateSigningKey(file)));
        const keyIds = new Set(signers.map((signer) => signer.keyId));
        expect(keyIds.size).to.equal(1);
        expect(signerFromPem(await readFile(file, "utf8")).keyId).to.equal(signers[0]?.keyId);
        // The losers' temporary files are gone.
        expect(await readdir(path.dirname(file))).to.deep.equal(["signing-key.pem"]);
      });

      it("does not replace an existing key it cannot read as Ed25519", async () => {
        const file = path.join(directory, "rsa.pem");
        const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        await writeFile(file, pem, { mode: 0o600 });
        let caught: unknown = null;
        await loadOrCreateSigningKey(file).catch((error: unknown) => {
          caught = error;
        });
        expect(caught).to.be.instanceOf(Error);
        expect(await readFile(file, "utf8")).to.equal(pem);
      });
    });
  });

  describe("Data Integrity proofs (eddsa-jcs-2022)", () => {
    // TestVectors/eddsa-jcs-2022 of the W3C vc-di-eddsa repository: the unsigned credential and
    // the proof value the specification's own implementation produced.
    const unsigned = {
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
      id: "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
      type: ["VerifiableCredential", "AlumniCredential"],
      name: "Alumni Credential",
      description: "A minimum viable example of an Alumni Credential.",
      issuer: "https://vc.example/issuers/5678",
      validFrom: "2023-01-01T00:00:00Z",
      credentialSubject: { id: "did:example:abcdefgh", alumniOf: "The School of Examples" },
    };
    const verificationMethod = `https://vc.example/issuers/5678#${W3C_PUBLIC_KEY}`;
    const expectedProofValue =
      "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4";
    const trustW3c = (method: string): string | null => (method === verificationMethod ? W3C_PUBLIC_KEY : null);

    it("reproduces the W3C test vector byte for byte", () => {
      const signer = w3cSigner();
      const signed = addEddsaJcsProof(
        unsigned,
        {
          type: "DataIntegrityProof",
          cryptosuite: "eddsa-jcs-2022",
          created: "2023-02-24T23:36:38Z",
          verificationMethod,
          proofPurpose: "assertionMethod",
        },
        (data) => signer.sign(data),
      );
      expect(signed.proof).to.deep.equal({
        type: "DataIntegrityProof",
        cryptosuite: "eddsa-jcs-2022",
        created: "2023-02-24T23:36:38Z",
        verificationMethod,
        proofPurpose: "assertionMethod",
        "@context": unsigned["@context"],
        proofValue: expectedProofValue,
      });
      expect(verifyEddsaJcsProof(signed, trustW3c)).to.deep.equal({ valid: true, keyId: W3C_PUBLIC_KEY });
    });

    it("verifies the W3C signed test vector as published, and refuses it altered", () => {
      const published = {
        ...unsigned,
        proof: {
          type: "DataIntegrityProof",
          cryptosuite: "eddsa-jcs-2022",
          created: "2023-02-24T23:36:38Z",
          verificationMethod,
          proofPurpose: "assertionMethod",
          "@context": unsigned["@context"],
          proofValue: expectedProofValue,
        },
      };
      expect(verifyEddsaJcsProof(published, trustW3c).valid).to.equal(true);
      const altered = { ...published, credentialSubject: { ...unsigned.credentialSubject, alumniOf: "Elsewhere" } };
      expect(verifyEddsaJcsProof(altered, trustW3c)).to.deep.equal({ valid: false, reason: "bad-signature" });
      // The proof's @context must be where the document's begins.
      const reordered = { ...published, "@context": [...unsigned["@context"]].reverse() };
      expect(verifyEddsaJcsProof(reordered, trustW3c)).to.deep.equal({ valid: false, reason: "bad-signature" });
    });
  });

  describe("Open Badges 3.0 credential", () => {
    const signer = newSigner();
    const trusted = [signer.publicKeyMultibase];
    const credential = buildCredential(claims, signer, PUBLIC_URL);

    it("is an OpenBadgeCredential with the certificate's facts, and nothing private", () => {
      expect(credential["@context"]).to.deep.equal([...CREDENTIAL_CONTEXT]);
      expect(credential.id).to.equal(`urn:uuid:${claims.certificateId}`);
      expect(credential.type).to.deep.equal(["VerifiableCredential", "OpenBadgeCredential"]);
      expect(credential.issuer).to.deep.equal({
        id: signer.did,
        type: ["Profile"],
        name: "Programme Moussanada Numérique",
        url: PUBLIC_URL,
      });
      expect(credential.validFrom).to.equal("2026-07-02T09:15:42Z");
      expect(credential.name).to.equal("Permis Numérique");

      const subject = credential.credentialSubject;
      expect(subject.type).to.deep.equal(["AchievementSubject"]);
      expect(subject.name).to.equal("Karim Benali");
      expect(subject.identifier).to.deep.equal([
        { type: "IdentityObject", identityType: "name", hashed: false, identityHash: "Karim Benali" },
      ]);
      expect(subject.licenseNumber).to.equal("PN-2026-000001");
      expect(subject.activityStartDate).to.equal("2026-07-01T08:00:00Z");
      expect(subject.activityEndDate).to.equal("2026-07-01T16:00:00Z");
      expect(subject.achievement.id).to.equal(`${PUBLIC_URL}/formations#permis-numerique`);
      expect(subject.achievement.type).to.deep.equal(["Achievement"]);
      expect(subject.achievement.name).to.equal("Permis Numérique");
      expect(subject.achievement.description).to.match(/initiation au numérique/);
      expect(subject.achievement.criteria.narrative).to.match(/note de réussite/);

      const [evidence] = credential.evidence;
      expect(evidence.id).to.equal(claims.verificationUrl);
      expect(evidence.type).to.deep.equal(["Evidence"]);
      expect(evidence.name).to.equal("Initiation au numérique — Fès");
      expect(evidence.description).to.equal("Session de formation à Fès, le 1 juillet 2026.");
      expect(evidence.narrative).to.include("Atlas Textiles SARL");

      expect(credential.proof).to.deep.include({
        type: "DataIntegrityProof",
        cryptosuite: "eddsa-jcs-2022",
        created: "2026-07-02T09:15:42Z",
        verificationMethod: signer.verificationMethod,
        proofPurpose: "assertionMethod",
      });
      expect(credential.proof.proofValue).to.match(/^z[1-9A-HJ-NP-Za-km-z]{86,88}$/);
      expect(base58btcDecode(credential.proof.proofValue.slice(1))).to.have.length(64);
      expect(JSON.stringify(credential)).not.to.match(/@[a-z0-9-]+\.[a-z]|email/i);
    });

    it("verifies, also after a JSON round trip", () => {
      expect(verifyCredential(credential, trusted)).to.deep.equal({ valid: true, keyId: signer.keyId });
      expect(verifyCredential(copyOf(credential), trusted)).to.deep.equal({ valid: true, keyId: signer.keyId });
      expect(verifyCredential(copyOf(credential), [newSigner().keyId, signer.keyId]).valid).to.equal(true);
    });

    it("is deterministic: the same claims and key give the same bytes", () => {
      const reordered: CertificateClaims = {
        verificationUrl: claims.verificationUrl,
        issuedAt: new Date(claims.issuedAt.getTime()),
        sessionEndsAt: new Date(claims.sessionEndsAt.getTime()),
        sessionStartsAt: new Date(claims.sessionStartsAt.getTime()),
        sessionCity: claims.sessionCity,
        courseTitle: claims.courseTitle,
        companyName: claims.companyName,
        holderName: claims.holderName,
        number: claims.number,
        certificateId: claims.certificateId,
      };
      const again = buildCredential(reordered, signer, `${PUBLIC_URL}/`);
      expect(JSON.stringify(again)).to.equal(JSON.stringify(credential));
      expect(canonicalJson(again)).to.equal(canonicalJson(credential));
    });

    it("describes a session over several days, and a holder without a company", () => {
      const other = buildCredential(
        {
          ...claims,
          companyName: null,
          sessionStartsAt: new Date("2026-07-01T08:00:00Z"),
          sessionEndsAt: new Date("2026-07-03T23:30:00Z"), // already the 4th in Casablanca
        },
        signer,
        PUBLIC_URL,
      );
      expect(other.evidence[0].description).to.equal(
        "Session de formation à Fès, du 1 juillet 2026 au 4 juillet 2026.",
      );
      expect(other.evidence[0].narrative).to.equal(
        "Karim Benali a suivi cette session et atteint la note de réussite.",
      );
      expect(verifyCredential(other, trusted).valid).to.equal(true);
    });

    it("carries user text without bidi overrides or control characters", () => {
      const other = buildCredential(
        { ...claims, holderName: "  Karim\u202E ilaneB\u202C\n\tBenali ", courseTitle: "Cours\u0000 A" },
        signer,
        PUBLIC_URL,
      );
      expect(other.credentialSubject.name).to.equal("Karim ilaneB Benali");
      expect(other.credentialSubject.identifier[0].identityHash).to.equal("Karim ilaneB Benali");
      expect(other.evidence[0].name).to.equal("Cours A");
    });

    const tamperings: Array<[name: string, tamper: (copy: ReturnType<typeof copyOf>) => void]> = [
      ["the holder's name is altered", (copy) => (copy.credentialSubject.name = "Karima Benali")],
      [
        "the holder's identifier is altered",
        (copy) => (copy.credentialSubject.identifier[0].identityHash = "Someone Else"),
      ],
      ["the certificate number is altered", (copy) => (copy.credentialSubject.licenseNumber = "PN-2026-000002")],
      ["the session start is altered", (copy) => (copy.credentialSubject.activityStartDate = "2026-06-30T08:00:00Z")],
      ["the session end is altered", (copy) => (copy.credentialSubject.activityEndDate = "2026-07-02T16:00:00Z")],
      ["the issue date is altered", (copy) => (copy.validFrom = "2025-07-02T09:15:42Z")],
      ["the course title is altered", (copy) => (copy.evidence[0].name = "Cours avancé")],
      ["the verification URL is altered", (copy) => (copy.evidence[0].id = "https://evil.example/verify/x")],
      [
        "the company is altered",
        (copy) => (copy.evidence[0].narrative = copy.evidence[0].narrative.replace("Atlas", "Sahara")),
      ],
      ["the achievement is altered", (copy) => (copy.credentialSubject.achievement.name = "Doctorat")],
      ["the issuer's name is altered", (copy) => (copy.issuer.name = "Autre programme")],
      [
        "the issuer's id is altered",
        (copy) => (copy.issuer.id = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
      ],
      ["the credential id is altered", (copy) => (copy.id = "urn:uuid:00000000-0000-4000-8000-000000000000")],
      ["a claim is added", (copy) => Object.assign(copy.credentialSubject, { role: "Directeur" })],
      ["a property is added", (copy) => (copy.validUntil = "2030-01-01T00:00:00Z")],
      ["a property is removed", (copy) => delete (copy as Partial<OpenBadgeCredential>).evidence],
      ["the proof's creation date is altered", (copy) => (copy.proof.created = "2026-07-02T09:15:43Z")],
      ["the proof's purpose is altered", (copy) => (copy.proof.proofPurpose = "authentication")],
      [
        "the proof's @context is altered",
        (copy) => Object.assign(copy.proof, { "@context": [CREDENTIAL_CONTEXT[1], CREDENTIAL_CONTEXT[0]] }),
      ],
      [
        "the signature is altered",
        (copy) => {
          const bytes = Buffer.from(base58btcDecode(copy.proof.proofValue.slice(1)));
          bytes[10] = (bytes[10] ?? 0) ^ 0x01;
          copy.proof.proofValue = `z${base58btcEncode(bytes)}`;
        },
      ],
    ];
    for (const [name, tamper] of tamperings) {
      it(`fails with bad-signature when ${name}`, () => {
        const copy = copyOf(credential);
        tamper(copy);
        expect(verifyCredential(copy, trusted)).to.deep.equal({ valid: false, reason: "bad-signature" });
      });
    }

    it("fails with unknown-key for a key the verifier does not trust", () => {
      expect(verifyCredential(credential, [])).to.deep.equal({ valid: false, reason: "unknown-key" });
      expect(verifyCredential(credential, [newSigner().keyId])).to.deep.equal({ valid: false, reason: "unknown-key" });
      // Someone else's key, however valid its signature, is not the programme's.
      const forger = newSigner();
      const forged = buildCredential(claims, forger, PUBLIC_URL);
      expect(verifyCredential(forged, [forger.keyId]).valid).to.equal(true);
      expect(verifyCredential(forged, trusted)).to.deep.equal({ valid: false, reason: "unknown-key" });
      // A verification method that is not a did:key of a trusted key is never resolved.
      for (const method of [
        `https://evil.example/keys#${signer.keyId}`,
        `did:key:${signer.keyId}`,
        `did:key:${forger.keyId}#${signer.keyId}`,
        `did:web:moussanada.example.ma#${signer.keyId}`,
      ]) {
        const copy = copyOf(credential);
        copy.proof.verificationMethod = method;
        expect(verifyCredential(copy, trusted), method).to.deep.equal({ valid: false, reason: "unknown-key" });
      }
      // Pointing a forgery at the trusted key only breaks the signature.
      const redirected = copyOf(forged);
      redirected.proof.verificationMethod = signer.verificationMethod;
      redirected.issuer.id = signer.did;
      expect(verifyCredential(redirected, trusted)).to.deep.equal({ valid: false, reason: "bad-signature" });
    });

    it("fails with unsupported-proof for another kind of proof", () => {
      for (const [name, tamper] of [
        ["cryptosuite eddsa-rdfc-2022", (copy) => (copy.proof.cryptosuite = "eddsa-rdfc-2022" as "eddsa-jcs-2022")],
        ["type Ed25519Signature2020", (copy) => (copy.proof.type = "Ed25519Signature2020" as "DataIntegrityProof")],
        ["a proof set", (copy) => (copy.proof = [copy.proof] as unknown as typeof copy.proof)],
      ] as Array<[string, (copy: ReturnType<typeof copyOf>) => void]>) {
        const copy = copyOf(credential);
        tamper(copy);
        expect(verifyCredential(copy, trusted), name).to.deep.equal({ valid: false, reason: "unsupported-proof" });
      }
    });

    it("fails with malformed for anything that is not one of our credentials", () => {
      const without = (key: string): unknown => {
        const copy = copyOf(credential);
        delete copy[key];
        return copy;
      };
      const withProof = (proof: Record<string, unknown>): unknown => ({
        ...copyOf(credential),
        proof: { ...copyOf(credential).proof, ...proof },
      });
      for (const [name, value] of [
        ["null", null],
        ["a string", JSON.stringify(credential)],
        ["an array", [credential]],
        ["an empty object", {}],
        ["no proof", without("proof")],
        ["no @context", without("@context")],
        ["no type", without("type")],
        ["no issuer", without("issuer")],
        ["no subject", without("credentialSubject")],
        ["another context", { ...copyOf(credential), "@context": ["https://www.w3.org/2018/credentials/v1"] }],
        ["another type", { ...copyOf(credential), type: ["VerifiableCredential"] }],
        ["a proof that is a string", { ...copyOf(credential), proof: "signed" }],
        ["no proof value", withProof({ proofValue: undefined })],
        ["a proof value that is not base58btc", withProof({ proofValue: "uAAAA" })],
        ["a proof value with a bad character", withProof({ proofValue: "z0OIl" })],
        ["a proof value of the wrong length", withProof({ proofValue: `z${base58btcEncode(Buffer.alloc(63, 7))}` })],
        ["no verification method", withProof({ verificationMethod: 42 })],
        ["a live object that JSON cannot carry", { ...copyOf(credential), validUntil: () => "never" }],
      ] as Array<[string, unknown]>) {
        expect(verifyCredential(value, trusted), name).to.deep.equal({ valid: false, reason: "malformed" });
      }
    });
  });
});
