import { parentPort } from "node:worker_threads";
import { renderCertificatePdf, type CertificatePdfData } from "./certificate.js";

/**
 * A render thread of the certificate pool (renderPool.ts): it parses the fonts once, then renders
 * the certificates it is sent, one at a time, and sends each PDF back with the time it took.
 */
export interface RenderRequest {
  id: number;
  data: CertificatePdfData;
}

export type RenderReply = { id: number; pdf: Uint8Array; ms: number } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("renderThread.ts runs as a worker thread");

port.on("message", (request: RenderRequest) => {
  const started = performance.now();
  renderCertificatePdf(request.data).then(
    (pdf) => {
      const reply: RenderReply = { id: request.id, pdf, ms: performance.now() - started };
      // A PDF that owns its whole memory moves to the other thread instead of being copied.
      const owned = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
      port.postMessage(reply, owned ? [pdf.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const reply: RenderReply = {
        id: request.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
      port.postMessage(reply);
    },
  );
});
