import { Logger } from '@nestjs/common';
import { backoffDelay } from '@microshop/events';

export interface RetryOptions {
  /** What has not happened yet, for the log line: `<what> (<error>); retrying in <n> ms`. */
  what: string;
  logger: Logger;
  /** The wait after the first failure; it doubles after each further one, up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Checked around every wait: true ends the retrying (the app is shutting down). */
  stopped?: () => boolean;
}

/**
 * Runs `attempt` (given its number, from 1) until it succeeds, waiting with exponential backoff
 * between failures. For what an app does in the background at boot against a store that may not
 * be up yet, so the app boots anyway and reports the store in readiness meanwhile. Resolves true
 * once an attempt succeeded, false when stopped first; never rejects.
 */
export async function retryUntilDone(
  attempt: (n: number) => Promise<unknown>,
  { what, logger, firstDelayMs = 500, maxDelayMs = 5_000, stopped = () => false }: RetryOptions,
): Promise<boolean> {
  for (let n = 1; !stopped(); n++) {
    try {
      await attempt(n);
      return true;
    } catch (err) {
      if (stopped()) return false;
      const delay = backoffDelay(n, { firstDelayMs, maxDelayMs });
      logger.warn(`${what} (${(err as Error).message}); retrying in ${delay} ms`);
      // Unreferenced: a pending retry does not keep a process that is shutting down alive.
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }
  return false;
}
