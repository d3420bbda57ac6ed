/** Exponential backoff: the first wait, doubled after each further failure, up to a ceiling. */
export interface Backoff {
  firstDelayMs: number;
  maxDelayMs: number;
  /**
   * A random wait in the upper half of the step ("equal jitter"), so that replicas failing
   * together do not retry together.
   */
  jitter?: boolean;
}

/** The wait before retry `n` (counted from 1). */
export function backoffDelay(
  n: number,
  { firstDelayMs, maxDelayMs, jitter = false }: Backoff,
  random = Math.random,
): number {
  const step = Math.min(maxDelayMs, firstDelayMs * 2 ** (n - 1));
  return jitter ? Math.round(step / 2 + (random() * step) / 2) : step;
}
