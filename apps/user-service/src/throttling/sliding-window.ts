/**
 * Sliding-window rate estimate from two fixed-window counters (the approach of Cloudflare's and
 * nginx's limiters): the previous window's count, weighted by how much of it still overlaps the
 * last `ttl`, plus the current window's. Two counters per key instead of one entry per hit, and
 * no 2x burst at window edges as with plain fixed windows.
 */
export interface WindowCounts {
  previous: number;
  current: number;
}

/** Which fixed window `now` falls in, and how far into it (0 ≤ elapsed < 1). */
export const windowAt = (now: number, ttlMs: number) => ({
  index: Math.floor(now / ttlMs),
  elapsed: (now % ttlMs) / ttlMs,
});

export const estimateHits = ({ previous, current }: WindowCounts, elapsed: number) =>
  previous * (1 - elapsed) + current;

/** Whole seconds until one more request would be within `limit` again (at least 1). */
export function secondsUntilAllowed(
  { previous, current }: WindowCounts,
  elapsed: number,
  ttlMs: number,
  limit: number,
): number {
  const room = limit - 1;
  const waitFraction =
    current <= room
      ? // This window has room: wait until the previous window's weight has faded enough.
        Math.max(0, 1 - (room - current) / Math.max(previous, 1) - elapsed)
      : // This window alone is over: wait until it is the previous one and has faded enough.
        1 - elapsed + (1 - room / current);
  return Math.max(1, Math.ceil((waitFraction * ttlMs) / 1000));
}
