/** How often and how patiently a failing handler is retried before its message is dead-lettered. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// Kept well under the consumer session timeout (30 s): the partition is blocked while retrying.
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

/** Exponential backoff with full jitter, so replicas retrying together do not stampede. */
export function backoffDelay(retry: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * An error that retrying cannot fix (the message itself is wrong for this consumer). Handlers throw
 * it to send the message straight to the dead-letter topic.
 */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}
