/**
 * Load models. `openLoad` sends at a fixed arrival rate whatever the server does (open model) and
 * measures each latency from the request's scheduled send time, so a stalled server shows up as
 * latency instead of as fewer requests (no coordinated omission). `closedLoad` keeps a fixed
 * number of requests in flight to find the saturation throughput.
 */
import * as hdr from 'hdr-histogram-js';

export interface LoadResult {
  /** Requests completed successfully per second of the phase. */
  throughput: number;
  ok: number;
  errors: number;
  /** Latencies in milliseconds (microsecond resolution). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  durationS: number;
  /** Offered rate (open model) or concurrency (closed model). */
  offered: number;
  model: 'open' | 'closed';
  firstError?: string;
}

/** Sends one request; `scheduled` is its intended send time (performance.now() clock). */
export type Fire = (scheduled: number) => Promise<unknown>;

const newHistogram = () =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });

function summarize(
  h: hdr.Histogram,
  ok: number,
  errors: number,
  durationS: number,
  offered: number,
  model: 'open' | 'closed',
  firstError?: string,
): LoadResult {
  const ms = (us: number) => Math.round(us) / 1000;
  const result: LoadResult = {
    throughput: Math.round((ok / durationS) * 10) / 10,
    ok,
    errors,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
    durationS: Math.round(durationS * 100) / 100,
    offered,
    model,
    firstError,
  };
  h.destroy();
  return result;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 200);

/** Fixed arrival rate for `durationS`; waits for the stragglers (up to `drainS`). */
export async function openLoad(
  rate: number,
  durationS: number,
  fire: Fire,
  drainS = 15,
): Promise<LoadResult> {
  const h = newHistogram();
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const pending = new Set<Promise<void>>();
  const intervalMs = 1000 / rate;
  const total = Math.max(1, Math.round(rate * durationS));
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + sent * intervalMs <= now) {
      const scheduled = start + sent * intervalMs;
      sent++;
      const p: Promise<void> = fire(scheduled).then(
        () => {
          ok++;
          h.recordValue(Math.max(1, Math.round((performance.now() - scheduled) * 1000)));
        },
        (e: unknown) => {
          errors++;
          firstError ??= errorText(e);
        },
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    const next = start + sent * intervalMs - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(next, 5))));
  }
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, drainS * 1000))]);
  const elapsed = (performance.now() - start) / 1000;
  // Requests still open after the drain count as errors: they never completed.
  errors += pending.size;
  return summarize(h, ok, errors, Math.max(durationS, elapsed), rate, 'open', firstError);
}

/** `concurrency` workers back to back for `durationS`: the saturation throughput. */
export async function closedLoad(
  concurrency: number,
  durationS: number,
  fire: Fire,
): Promise<LoadResult> {
  const h = newHistogram();
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + durationS * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await fire(t0);
        ok++;
        h.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      } catch (e) {
        errors++;
        firstError ??= errorText(e);
        if (errors > 50 && ok === 0) return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  return summarize(h, ok, errors, elapsed, concurrency, 'closed', firstError);
}

/** Percentiles of a list of millisecond samples. */
export function percentiles(samplesMs: number[]): {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
} {
  const h = newHistogram();
  for (const s of samplesMs) h.recordValue(Math.max(1, Math.round(s * 1000)));
  const r = {
    p50: h.getValueAtPercentile(50) / 1000,
    p90: h.getValueAtPercentile(90) / 1000,
    p99: h.getValueAtPercentile(99) / 1000,
    max: h.maxValue / 1000,
    count: samplesMs.length,
  };
  h.destroy();
  return r;
}
