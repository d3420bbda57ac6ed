import { Model, Schema } from 'mongoose';
import { EventEnvelope } from '../envelope';
import { OutgoingEvent } from '../kafka/event-publisher';
import { outgoingTraceHeaders } from '../tracing/trace-context';
import { OutboxBacklog, OutboxClaim, OutboxSource } from './outbox-source';

/**
 * The MongoDB outbox: pending events live inside the document whose change they record, so the
 * state and its events are one single-document write — atomic without multi-document
 * transactions, which the local FerretDB store lacks. `outboxPendingSince` is set while the
 * document has pending events; it is indexed, so the relay finds work without scanning.
 */
export interface OutboxEntry {
  eventId: string;
  key: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

export interface WithOutbox {
  outbox: OutboxEntry[];
  outboxPendingSince?: Date;
}

export const OutboxEntrySchema = new Schema<OutboxEntry>(
  {
    eventId: { type: String, required: true },
    key: { type: String, required: true },
    envelope: { type: Schema.Types.Mixed, required: true },
    headers: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false },
);

/** Adds the outbox fields and index to a document schema. */
export function addOutbox(schema: Schema): void {
  schema.add({ outbox: { type: [OutboxEntrySchema], default: [] }, outboxPendingSince: Date });
  schema.index({ outboxPendingSince: 1 });
}

/** The trace context of the write travels with the event, so its relay span joins that trace. */
const toEntry = (event: OutgoingEvent): OutboxEntry => ({
  eventId: event.envelope.eventId,
  key: event.key,
  envelope: event.envelope,
  headers: { ...outgoingTraceHeaders(), ...event.headers },
});

/** Fields for a new document that is born with events. */
export function outboxFieldsForInsert(events: OutgoingEvent[]): WithOutbox {
  return { outbox: events.map(toEntry), outboxPendingSince: new Date() };
}

/** Update operators that append events to an existing document in the same write. */
export function outboxUpdate(events: OutgoingEvent[]) {
  return {
    $push: { outbox: { $each: events.map(toEntry) } },
    // $min keeps the time of the oldest pending event when the field is already set.
    $min: { outboxPendingSince: new Date() },
  };
}

export class MongoOutboxSource implements OutboxSource {
  constructor(
    readonly name: string,
    private readonly model: Model<WithOutbox>,
  ) {}

  /** Nothing is locked: acknowledging pulls exactly the published events off each document. */
  async claim(limit: number): Promise<OutboxClaim> {
    for (;;) {
      const docs = await this.model
        .find({ outboxPendingSince: { $exists: true } }, { outbox: 1 })
        .sort({ outboxPendingSince: 1 })
        .limit(limit)
        .lean<{ _id: unknown; outbox: OutboxEntry[] }[]>();
      const drained = docs.filter((doc) => doc.outbox.length === 0).map((doc) => doc._id);
      if (drained.length) await this.clearFlags(drained);
      const pending = docs.filter((doc) => doc.outbox.length > 0);
      if (pending.length || docs.length === 0) {
        const batches = pending.map((doc) => ({
          events: doc.outbox.map((e) => ({ key: e.key, envelope: e.envelope, headers: e.headers })),
          acknowledge: () => this.acknowledge(doc._id, doc.outbox),
        }));
        return { batches, release: () => Promise.resolve() };
      }
    }
  }

  async backlog(): Promise<OutboxBacklog> {
    const docs = await this.model
      .find({ outboxPendingSince: { $exists: true } }, { outbox: 1, outboxPendingSince: 1 })
      .sort({ outboxPendingSince: 1 })
      .lean<{ outbox: OutboxEntry[]; outboxPendingSince: Date }[]>();
    const pendingEvents = docs.reduce((sum, d) => sum + d.outbox.length, 0);
    const oldest = docs[0]?.outboxPendingSince;
    return {
      pendingEvents,
      oldestAgeSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
    };
  }

  /**
   * Removes exactly the published entries (matched whole, as read), by `_id` alone: events appended
   * meanwhile stay, a concurrent relay cannot make us drop more, and the filter stays an `_id`
   * lookup, the one FerretDB serves without scanning. The pending flag is cleared in bulk by the next
   * claim. The driver's collection is used so the entries are compared exactly as stored.
   */
  private async acknowledge(id: unknown, entries: OutboxEntry[]): Promise<void> {
    for (const entry of entries) {
      await this.model.collection.updateOne(
        { _id: id } as object,
        { $pull: { outbox: entry } } as object,
      );
    }
  }

  /** Clears the pending flag of documents whose outbox is empty now (an append meanwhile keeps it). */
  private async clearFlags(ids: unknown[]): Promise<void> {
    await this.model.updateMany(
      { _id: { $in: ids }, outbox: { $size: 0 } },
      { $unset: { outboxPendingSince: 1 } },
    );
  }
}
