import type { Logger } from "./logger.js";

type CleanupStep = { name: string; run: () => Promise<void> };

/**
 * Shutdown in reverse order of start-up, whatever stage start-up had reached when the signal
 * came: a Ctrl-C during migrations still stops the embedded PostgreSQL.
 */
export class Lifecycle {
  private readonly steps: CleanupStep[] = [];
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly forceAfterMs = 30_000,
  ) {}

  onStop(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  installSignalHandlers(): void {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        this.logger.info({ signal }, "shutting down");
        void this.stop().then(() => process.exit(0));
      });
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.runSteps();
    return this.stopping;
  }

  private async runSteps(): Promise<void> {
    const force = setTimeout(() => {
      this.logger.error("shutdown took too long; forcing exit");
      process.exit(1);
    }, this.forceAfterMs);
    force.unref();
    for (const step of [...this.steps].reverse()) {
      try {
        await step.run();
      } catch (error) {
        this.logger.error({ err: error, step: step.name }, "shutdown step failed");
      }
    }
    clearTimeout(force);
    this.logger.info("stopped");
  }
}
