/**
 * One autocannon run, in its own process so the load generator never shares an event loop with
 * the servers it measures. Started by bench/stats.ts and bench/app.ts:
 *
 *   node --import tsx bench/load.ts '{"url":"http://127.0.0.1:1234/…","connections":10,…}'
 *
 * Prints one JSON line: requests per second, and latency percentiles computed from every
 * response's own time (autocannon's histogram has p90 and p97.5 but no p95), next to
 * autocannon's p97.5 and p99 for reference.
 */
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** GET when absent. */
  method?: "GET" | "POST";
  body?: string;
  /** Paths (with their query) taken in turn, one per request, instead of the url's own path. */
  paths?: string[];
  /** Cookie headers taken in turn, one per request: many users' sessions rather than one. */
  cookies?: string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  url: string;
  /** Requests answered during the warm-up (not in the figures below). */
  warmupRequests: number;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
  latencyMs: {
    mean: number;
    p50: number;
    p90: number;
    p95: number;
    p99: number;
    max: number;
    /** autocannon's own histogram (integer milliseconds), for comparison. */
    autocannonP50: number;
    autocannonP97_5: number;
    autocannonP99: number;
  };
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest rank: the smallest value with at least `fraction` of the samples at or below it.
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

const round = (value: number) => Math.round(value * 100) / 100;

function run(options: LoadOptions, seconds: number, onResponse?: (ms: number) => void): Promise<autocannon.Result> {
  const paths = options.paths ?? [];
  const cookies = options.cookies ?? [];
  let next = 0;
  const requests: autocannon.Request[] | undefined =
    paths.length > 0 || cookies.length > 0
      ? [
          {
            setupRequest: (request) => {
              const turn = next;
              next += 1;
              const path = paths.length > 0 ? (paths[turn % paths.length] ?? "/") : request.path;
              const cookie = cookies[turn % Math.max(1, cookies.length)];
              return cookie === undefined
                ? { ...request, path }
                : { ...request, path, headers: { ...request.headers, cookie } };
            },
          },
        ]
      : undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        headers: options.headers ?? {},
        method: options.method ?? "GET",
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(requests ? { requests } : {}),
        connections: options.connections,
        duration: seconds,
        timeout: 30,
      },
      (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)),
    );
    if (onResponse) instance.on("response", (_client, _status, _bytes, responseTime) => onResponse(responseTime));
  });
}

export async function measure(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupSeconds > 0 ? await run(options, options.warmupSeconds) : null;
  const samples: number[] = [];
  const result = await run(options, options.durationSeconds, (ms) => samples.push(ms));
  const sorted = Float64Array.from(samples).sort();
  const mean = samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length);
  return {
    url: options.url,
    warmupRequests: warmup?.requests.total ?? 0,
    connections: options.connections,
    durationSeconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / result.duration),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    latencyMs: {
      mean: round(mean),
      p50: round(percentile(sorted, 0.5)),
      p90: round(percentile(sorted, 0.9)),
      p95: round(percentile(sorted, 0.95)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted[sorted.length - 1] ?? Number.NaN),
      autocannonP50: result.latency.p50,
      autocannonP97_5: result.latency.p97_5,
      autocannonP99: result.latency.p99,
    },
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
  if (!options.url) throw new Error("usage: load.ts '<json options>'");
  process.stdout.write(`${JSON.stringify(await measure(options))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
