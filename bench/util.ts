import { performance } from 'node:perf_hooks';

/** Milliseconds on a monotonic clock: wall-clock jumps (NTP) must not bend a latency. */
export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const started = now();
/** Progress line with the time since the bench started, so a slow phase shows where it stalls. */
export function say(line: string): void {
  console.log(`[bench ${((now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles: with few samples p99 is the worst but one, not an interpolation. */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

export const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
export const mib = (bytes: number): number => round(bytes / 1048576, 1);
