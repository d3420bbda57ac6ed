import { OutgoingEvent } from '../kafka/event-publisher';

/** Events of one aggregate, in the order they were recorded, and how to mark them published. */
export interface OutboxBatch {
  events: OutgoingEvent[];
  /** Removes (or marks) exactly these events, once the broker has acknowledged them. */
  acknowledge(): Promise<void>;
}

/**
 * What one relay round took from an outbox. A store that locks what it hands out (MySQL's
 * `FOR UPDATE SKIP LOCKED`) keeps its transaction open until `release()`, so other relay replicas
 * skip these events while they are being published.
 */
export interface OutboxClaim {
  /** One batch per aggregate, oldest first. Empty when nothing is pending. */
  batches: OutboxBatch[];
  /**
   * Ends the claim, whether every batch was published or not: acknowledgements made so far
   * become durable, and the events not acknowledged are free for the next round.
   */
  release(): Promise<void>;
}

export interface OutboxBacklog {
  pendingEvents: number;
  oldestAgeSeconds: number;
}

/**
 * Where a service keeps events written atomically with its state: a MySQL table, or pending
 * events embedded in the MongoDB documents they belong to.
 */
export interface OutboxSource {
  /** Label for logs and metrics, e.g. "users". */
  readonly name: string;
  /** Up to `limit` aggregates with pending events, oldest first. */
  claim(limit: number): Promise<OutboxClaim>;
  backlog(): Promise<OutboxBacklog>;
}
