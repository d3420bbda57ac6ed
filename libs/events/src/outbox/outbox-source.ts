import { OutgoingEvent } from '../kafka/event-publisher';

/** Events of one aggregate, in the order they were recorded, and how to mark them published. */
export interface OutboxBatch {
  events: OutgoingEvent[];
  /** Removes (or marks) exactly these events, once the broker has acknowledged them. */
  acknowledge(): Promise<void>;
}

/**
 * What one relay round took from an outbox, held against other relay replicas until `release()`:
 * MySQL keeps its `FOR UPDATE SKIP LOCKED` transaction open, MongoDB holds a lease on each document.
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
 * Which events a claim looks for: `recorded`, those this process has just written (the signal named
 * them); `all`, every pending event, whoever wrote it (a writer that died before publishing).
 */
export type ClaimScope = 'recorded' | 'all';

/**
 * Where a service keeps events written atomically with its state: a MySQL table, or pending
 * events embedded in the MongoDB documents they belong to.
 */
export interface OutboxSource {
  /** Label for logs and metrics, e.g. "users"; the name writes signal (outbox-signal.ts). */
  readonly name: string;
  /** Up to `limit` aggregates with pending events, oldest first. */
  claim(limit: number, scope: ClaimScope): Promise<OutboxClaim>;
  /** A write signalled new events in document `id` (none: somewhere in this outbox). */
  recorded?(id?: unknown): void;
  backlog(): Promise<OutboxBacklog>;
  /** False until the store is first connected: the relay leaves it out (the connection retries). */
  connected?(): boolean;
}
