import { Backoff } from '../backoff';

/** How often and how patiently a failing handler is retried before its message is dead-lettered. */
export interface RetryPolicy extends Backoff {
  /** Retries after the first attempt. */
  maxRetries: number;
}

// Kept well under the consumer session timeout (30 s): the partition is blocked while retrying.
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  firstDelayMs: 200,
  maxDelayMs: 5_000,
  jitter: true,
};

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
