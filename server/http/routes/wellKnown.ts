import express, { type Router } from "express";
import { publishedKeys, type CertificateSigner } from "../../signing/keys.js";

export const CERTIFICATE_KEYS_PATH = "/.well-known/permis-numerique-keys.json";

/**
 * The public half of the signing key, at an address on the programme's own domain: a bank that
 * receives a credential checks that the key which signed it is one the programme publishes.
 */
export function wellKnownRoutes(signer: CertificateSigner, publicUrl: string): Router {
  const router = express.Router();
  const document = JSON.stringify(
    publishedKeys(signer, { name: "Programme Moussanada Numérique", url: publicUrl }),
    null,
    2,
  );
  router.get(CERTIFICATE_KEYS_PATH, (_req, res) => {
    res.set({ "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" });
    res.type("application/json").send(document);
  });
  return router;
}
