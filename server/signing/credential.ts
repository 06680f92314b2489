import { stripBidiControls } from "../pdf/bidi.js";
import { formatDate } from "../pdf/format.js";
import {
  addEddsaJcsProof,
  DATA_INTEGRITY_PROOF,
  EDDSA_JCS_2022,
  verifyEddsaJcsProof,
  type DataIntegrityProof,
  type ProofFailure,
} from "./dataIntegrity.js";
import type { CertificateSigner } from "./keys.js";

/**
 * The Permis Numérique as an Open Badges 3.0 credential (1EdTech OB 3.0, a W3C Verifiable
 * Credential 2.0), signed with a Data Integrity proof (eddsa-jcs-2022) by the programme's did:key.
 * A holder can hand it to any OB 3.0 wallet or verifier; it says what the printed certificate
 * says, and nothing more personal: no e-mail, no national identity number.
 *
 * Where each fact sits, all in terms OB 3.0 defines:
 * - the holder: credentialSubject.name, and credentialSubject.identifier as an IdentityObject of
 *   type "name" (OB 3.0 requires an `id` or an `identifier` on the subject, and holders have no
 *   DID);
 * - the certificate number: credentialSubject.licenseNumber ("the license number that was issued
 *   with this credential" — a permis is a licence);
 * - the session: credentialSubject.activityStartDate / activityEndDate, and the evidence entry;
 * - the verification URL: evidence[0].id, the page that shows the certificate and whether it has
 *   been revoked since (the credential itself carries no credentialStatus); the evidence's name is
 *   the course title, its description the city and dates, its narrative the holder and company.
 */

export const CREDENTIAL_CONTEXT = [
  "https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
] as const;

export const ISSUER_NAME = "Programme Moussanada Numérique";
const ACHIEVEMENT_NAME = "Permis Numérique";

export interface CertificateClaims {
  certificateId: string; // uuid
  number: string; // "PN-2026-000001"
  holderName: string;
  companyName: string | null;
  courseTitle: string;
  sessionCity: string;
  sessionStartsAt: Date;
  sessionEndsAt: Date;
  issuedAt: Date;
  verificationUrl: string; // "https://host/verify/<code>"
}

type CredentialContext = [(typeof CREDENTIAL_CONTEXT)[0], (typeof CREDENTIAL_CONTEXT)[1]];

export interface IssuerProfile {
  id: string;
  type: ["Profile"];
  name: string;
  url: string;
}

export interface IdentityObject {
  type: "IdentityObject";
  identityType: "name";
  hashed: false;
  identityHash: string;
}

export interface Achievement {
  id: string;
  type: ["Achievement"];
  achievementType: "Certificate";
  name: string;
  description: string;
  criteria: { narrative: string };
}

export interface AchievementSubject {
  type: ["AchievementSubject"];
  name: string;
  identifier: [IdentityObject];
  licenseNumber: string;
  activityStartDate: string;
  activityEndDate: string;
  achievement: Achievement;
}

export interface Evidence {
  id: string;
  type: ["Evidence"];
  name: string;
  description: string;
  narrative: string;
  genre: string;
}

export type UnsignedOpenBadgeCredential = {
  "@context": CredentialContext;
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  issuer: IssuerProfile;
  validFrom: string;
  name: string;
  credentialSubject: AchievementSubject;
  evidence: [Evidence];
};

export type OpenBadgeCredential = UnsignedOpenBadgeCredential & { proof: DataIntegrityProof<CredentialContext> };

export type CredentialCheck = { valid: true; keyId: string } | { valid: false; reason: ProofFailure };

/**
 * An instant as an XML Schema dateTimeStamp to the second, "2026-07-01T16:30:00Z": the form the
 * Data Integrity examples use for `created`, and one that does not depend on how precisely the
 * database stored the instant.
 */
function instant(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid date in certificate claims");
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * User-typed text is carried as typed, minus what could make a wallet display it as something
 * else (bidi embeddings and overrides) and control characters, as on the printed certificate.
 */
function cleanText(value: string): string {
  return stripBidiControls(value)
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function sessionDates(startsAt: Date, endsAt: Date): string {
  const first = formatDate(startsAt, "fr");
  const last = formatDate(endsAt, "fr");
  return first === last ? `le ${first}` : `du ${first} au ${last}`;
}

export function buildCredential(
  claims: CertificateClaims,
  signer: CertificateSigner,
  publicUrl: string,
): OpenBadgeCredential {
  const baseUrl = publicUrl.replace(/\/+$/, "");
  const holderName = cleanText(claims.holderName);
  const companyName = claims.companyName === null ? "" : cleanText(claims.companyName);
  const courseTitle = cleanText(claims.courseTitle);
  const city = cleanText(claims.sessionCity);
  const issued = instant(claims.issuedAt);

  const credential: UnsignedOpenBadgeCredential = {
    "@context": [...CREDENTIAL_CONTEXT],
    id: `urn:uuid:${claims.certificateId}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: signer.did, type: ["Profile"], name: ISSUER_NAME, url: baseUrl },
    validFrom: issued,
    name: ACHIEVEMENT_NAME,
    credentialSubject: {
      type: ["AchievementSubject"],
      name: holderName,
      identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: holderName }],
      licenseNumber: claims.number,
      activityStartDate: instant(claims.sessionStartsAt),
      activityEndDate: instant(claims.sessionEndsAt),
      achievement: {
        id: `${baseUrl}/formations#permis-numerique`,
        type: ["Achievement"],
        achievementType: "Certificate",
        name: ACHIEVEMENT_NAME,
        description:
          "Attestation de la formation gratuite d'initiation au numérique du Programme Moussanada Numérique, " +
          "destinée aux dirigeants de petites et moyennes entreprises marocaines.",
        criteria: {
          narrative:
            "Avoir suivi la formation d'initiation au numérique et obtenu, à l'évaluation finale, " +
            "au moins la note de réussite fixée pour la session.",
        },
      },
    },
    evidence: [
      {
        id: claims.verificationUrl,
        type: ["Evidence"],
        name: courseTitle,
        description: `Session de formation à ${city}, ${sessionDates(claims.sessionStartsAt, claims.sessionEndsAt)}.`,
        narrative: companyName
          ? `${holderName}, de l'entreprise ${companyName}, a suivi cette session et atteint la note de réussite.`
          : `${holderName} a suivi cette session et atteint la note de réussite.`,
        genre: "Session de formation",
      },
    ],
  };

  return addEddsaJcsProof(
    credential,
    {
      type: DATA_INTEGRITY_PROOF,
      cryptosuite: EDDSA_JCS_2022,
      created: issued,
      verificationMethod: signer.verificationMethod,
      proofPurpose: "assertionMethod",
    },
    (data) => signer.sign(data),
  );
}

const DID_KEY_METHOD = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)#(z[1-9A-HJ-NP-Za-km-z]+)$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasTypes(value: unknown, types: readonly string[]): boolean {
  return Array.isArray(value) && types.every((type) => value.includes(type));
}

/** The shape every credential of ours has; anything else is not worth checking a signature for. */
function looksLikeOurCredential(credential: unknown): credential is Record<string, unknown> {
  if (!isObject(credential)) return false;
  const context = credential["@context"];
  return (
    Array.isArray(context) &&
    CREDENTIAL_CONTEXT.every((url, index) => context[index] === url) &&
    hasTypes(credential.type, ["VerifiableCredential", "OpenBadgeCredential"]) &&
    isObject(credential.issuer) &&
    typeof credential.issuer.id === "string" &&
    isObject(credential.credentialSubject) &&
    "proof" in credential
  );
}

/**
 * Checks a credential against the keys the verifier trusts (the published ones, as multibase
 * values). Only did:key verification methods are resolved, and only to a trusted key: the
 * credential cannot bring its own.
 */
export function verifyCredential(credential: unknown, trustedKeys: readonly string[]): CredentialCheck {
  if (!looksLikeOurCredential(credential)) return { valid: false, reason: "malformed" };
  const trusted = new Set(trustedKeys);
  const check = verifyEddsaJcsProof(credential, (verificationMethod) => {
    const match = DID_KEY_METHOD.exec(verificationMethod);
    if (!match || match[1] !== match[2]) return null;
    const keyId = match[1] ?? "";
    return trusted.has(keyId) ? keyId : null;
  });
  if (!check.valid) return check;
  // The signature holds, so these were written by the key's holder; still, a credential must
  // be an assertion by the issuer it names.
  const proof = credential.proof as DataIntegrityProof;
  const issuer = credential.issuer as { id: string };
  if (proof.proofPurpose !== "assertionMethod" || issuer.id !== `did:key:${check.keyId}`) {
    return { valid: false, reason: "malformed" };
  }
  return check;
}
