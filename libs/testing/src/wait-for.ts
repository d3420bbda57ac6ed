import { OUTBOX_POLL_MS } from '@microshop/events';

/**
 * Polls until `probe` returns a value `accept` agrees with, instead of sleeping a guessed time.
 * Fails with the last value seen, so a timeout says what was there.
 */
export async function waitFor<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`,
  );
}

/**
 * How long "nothing more arrives" must be watched: longer than the outbox relay's poll, which
 * would publish a duplicate that a write's own nudge did not.
 */
export const QUIET_WINDOW_MS = OUTBOX_POLL_MS + 2_000;

/**
 * Keeps checking for `windowMs` that `probe` still satisfies `accept` (e.g. "still exactly one
 * mail"): proof that nothing more arrives within the window.
 */
export async function holdsFor<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { windowMs = QUIET_WINDOW_MS, intervalMs = 250, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + windowMs;
  let last = await probe();
  while (Date.now() < deadline) {
    if (!accept(last)) throw new Error(`${what} stopped holding: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  if (!accept(last)) throw new Error(`${what} stopped holding: ${JSON.stringify(last)}`);
  return last;
}
