import { OutgoingEvent } from '../kafka/event-publisher';

/** Events of one aggregate, in the order they were recorded, and how to mark them published. */
export interface OutboxBatch {
  events: OutgoingEvent[];
  /** Removes (or marks) exactly these events, once the broker has acknowledged them. */
  acknowledge(): Promise<void>;
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
  claim(limit: number): Promise<OutboxBatch[]>;
  backlog(): Promise<OutboxBacklog>;
}
