import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { CertificatePdfData } from "./certificate.js";
import type { RenderReply, RenderRequest } from "./renderThread.js";

/** Where certificates are rendered: in this thread, or spread over a pool of threads. */
export interface CertificateRenderer {
  /** Render threads; 0 when rendering in the calling thread. */
  readonly threads: number;
  render(data: CertificatePdfData): Promise<Buffer>;
  /** Milliseconds spent rendering so far, summed over the threads. */
  readonly renderMs: number;
  close(): Promise<void>;
}

/** Renders in the calling thread: for a few certificates, where starting threads costs more. */
export function inlineRenderer(): CertificateRenderer {
  let renderMs = 0;
  return {
    threads: 0,
    get renderMs() {
      return renderMs;
    },
    async render(data) {
      const started = performance.now();
      // pdfkit, the fonts and the QR encoder load with the first certificate, not with every process.
      const { renderCertificatePdf } = await import("./certificate.js");
      const pdf = await renderCertificatePdf(data);
      renderMs += performance.now() - started;
      return pdf;
    },
    close: async () => undefined,
  };
}

/**
 * The render thread's module. Run from TypeScript sources (tsx), a thread does not inherit the
 * loader of its parent whichever way the parent was started (`node --import tsx`, the tsx CLI,
 * or `register()` in scripts/run.mjs): it registers tsx itself before importing the module.
 */
function startThread(): Worker {
  const url = new URL("./renderThread.ts", import.meta.url);
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { resourceLimits });
  const tsx = tsxApiUrl();
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: withoutLoaders(process.execArgv), resourceLimits });
}

/**
 * A thread keeps about 50 MB alive (fonts, shaping and layout caches); left to itself V8 let each
 * one's heap grow to 250 MB over a 10,000-certificate batch. A bound makes it collect sooner, at
 * no measurable cost, with room to spare for the live set.
 */
const resourceLimits = { maxOldGenerationSizeMb: 192 };

/**
 * tsx's ES module API. Where tsx compiled this module to CommonJS (mocha loads the tests so) there
 * is no import.meta.resolve, and require resolves tsx's CommonJS build, which a thread cannot
 * import: the ES module entry is read from tsx's export map.
 */
function tsxApiUrl(): string {
  if (typeof import.meta.resolve === "function") return import.meta.resolve("tsx/esm/api");
  const require = createRequire(import.meta.url);
  const manifest = require("tsx/package.json") as { exports: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports["./esm/api"]?.import?.default;
  if (!entry) throw new Error("tsx/esm/api is not in tsx's export map");
  return pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), entry)).href;
}

/** The parent's Node options (--cpu-prof, memory limits…) without its module loaders. */
function withoutLoaders(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const arg = execArgv[index] ?? "";
    if (/^--(import|require|loader|experimental-loader)$/.test(arg)) index++;
    else if (!/^--(import|require|loader|experimental-loader)=/.test(arg) && arg !== "-r") kept.push(arg);
  }
  return kept;
}

interface Task {
  request: RenderRequest;
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
}

/** Requests a thread may hold at once: the next one waits in its queue, not on a message. */
const IN_FLIGHT_PER_THREAD = 2;

class RenderPool implements CertificateRenderer {
  private readonly workers: Array<{ worker: Worker; tasks: Map<number, Task> }> = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private failure: Error | null = null;
  renderMs = 0;

  constructor(readonly threads: number) {
    for (let index = 0; index < threads; index++) {
      const worker = startThread();
      const slot = { worker, tasks: new Map<number, Task>() };
      worker.on("message", (reply: RenderReply) => {
        const task = slot.tasks.get(reply.id);
        if (!task) return;
        slot.tasks.delete(reply.id);
        if ("error" in reply) task.reject(new Error(`certificate render thread: ${reply.error}`));
        else {
          this.renderMs += reply.ms;
          task.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
        }
        this.dispatch();
      });
      // A thread that dies takes the pool down: its batch fails and is retried, by this worker or another.
      const fail = (error: Error) => {
        this.failure ??= error;
        for (const { tasks } of this.workers) {
          for (const task of tasks.values()) task.reject(error);
          tasks.clear();
        }
        for (const task of this.queue.splice(0)) task.reject(error);
      };
      worker.on("error", fail);
      worker.on("exit", (code) => fail(new Error(`certificate render thread exited (${code})`)));
      this.workers.push(slot);
    }
  }

  render(data: CertificatePdfData): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, data }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.workers.reduce((least, candidate) =>
        candidate.tasks.size < least.tasks.size ? candidate : least,
      );
      if (slot.tasks.size >= IN_FLIGHT_PER_THREAD) return;
      const task = this.queue.shift();
      if (!task) return;
      slot.tasks.set(task.request.id, task);
      slot.worker.postMessage(task.request);
    }
  }

  async close(): Promise<void> {
    this.failure ??= new Error("the certificate render pool is closed");
    await Promise.all(
      this.workers.map(({ worker }) => {
        worker.removeAllListeners("exit");
        return worker.terminate();
      }),
    );
  }
}

/** A pool of render threads, one per core the process may use unless told otherwise. */
export function startRenderPool(threads = os.availableParallelism()): CertificateRenderer {
  return new RenderPool(Math.max(1, threads));
}
