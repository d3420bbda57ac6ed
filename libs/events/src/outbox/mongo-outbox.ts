import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Collection, Filter, ObjectId } from 'mongodb';
import { Model, Query, Schema } from 'mongoose';
import { EventEnvelope } from '../envelope';
import { OutgoingEvent } from '../kafka/event-publisher';
import { outgoingTraceHeaders } from '../tracing/trace-context';
import { signalRecorded } from './outbox-signal';
import { ClaimScope, OutboxBacklog, OutboxClaim, OutboxSource } from './outbox-source';

/**
 * The MongoDB outbox: pending events live inside the document whose change they record, so the
 * state and its events are one single-document write, atomic without multi-document transactions
 * (docs/decisions/0001-outbox-per-store.md). An aggregate's events are therefore in one document,
 * in the order they were recorded, and are published in that order.
 *
 * Relays in several replicas share the work through a lease on each document (`outboxLease`: owner
 * and expiry), taken with a conditional single-document update when nobody holds it or when it
 * ran out (its owner died). A new document is born with its writer's lease; an update that appends
 * events leaves the lease alone, so the relay publishing the document's earlier events goes on to
 * publish these too, in order.
 */
export interface OutboxEntry {
  eventId: string;
  key: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

interface OutboxLease {
  owner: string;
  until: Date;
}

export interface WithOutbox {
  outbox: OutboxEntry[];
  /** Set while the document has pending events; the relay's search for orphaned events uses it. */
  outboxPendingSince?: Date;
  outboxLease?: OutboxLease;
}

type DocumentId = ObjectId | string;
type OutboxDocument = WithOutbox & { _id: DocumentId };

/** This process, as the owner of the leases its relay holds. */
export const OUTBOX_OWNER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
/** How long a lease keeps other replicas off; renewed while its events are being published. */
export const OUTBOX_LEASE_MS = 15_000;
const LEASE_RENEW_MS = OUTBOX_LEASE_MS / 3;
/**
 * Documents per claim: each is written one at a time to take, renew and acknowledge its lease, so a
 * claim of this many stays well within the lease on a loaded store.
 */
const CLAIM_DOCUMENTS = 50;

const OutboxEntrySchema = new Schema<OutboxEntry>(
  {
    eventId: { type: String, required: true },
    key: { type: String, required: true },
    envelope: { type: Schema.Types.Mixed, required: true },
    headers: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false },
);

const lease = (): OutboxLease => ({
  owner: OUTBOX_OWNER,
  until: new Date(Date.now() + OUTBOX_LEASE_MS),
});

/** The trace context of the write travels with the event, so its relay span joins that trace. */
const toEntry = (event: OutgoingEvent): OutboxEntry => ({
  eventId: event.envelope.eventId,
  key: event.key,
  envelope: event.envelope,
  headers: { ...outgoingTraceHeaders(), ...event.headers },
});

/** A new document, born with its events. */
export function insertWithEvents<T extends object>(
  doc: T,
  events: OutgoingEvent[],
): T & WithOutbox {
  return {
    ...doc,
    outbox: events.map(toEntry),
    outboxPendingSince: new Date(),
    outboxLease: lease(),
  };
}

/** An update of an existing document that appends its events in the same write. */
export function updateWithEvents(
  update: Record<string, unknown>,
  events: OutgoingEvent[],
): Record<string, unknown> {
  const operator = (name: string) => (update[name] ?? {}) as Record<string, unknown>;
  // The lease is left as it is: another replica's relay may be publishing this document's earlier
  // events, and taking its lease would have both publish them (twice, and out of order).
  return {
    ...update,
    $push: { ...operator('$push'), outbox: { $each: events.map(toEntry) } },
    // $min keeps the time of the oldest pending event when the field is already set.
    $min: { ...operator('$min'), outboxPendingSince: new Date() },
  };
}

/**
 * The schema plugin of a document type that records events: adds the outbox fields and index, and
 * signals this process's relay after every write that recorded events (Model.create / save /
 * insertMany, updateOne / findOneAndUpdate / updateMany). Writes through the driver's collection
 * are not seen; the relay's periodic search still finds their events.
 */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [OutboxEntrySchema], default: [] },
    outboxPendingSince: Date,
    outboxLease: new Schema<OutboxLease>({ owner: String, until: Date }, { _id: false }),
  });
  schema.index({ outboxPendingSince: 1 });

  const signalDocument = (doc: { _id: unknown; collection: Collection } & Partial<WithOutbox>) => {
    if (doc.outbox?.length && doc.outboxLease?.owner === OUTBOX_OWNER) {
      signalRecorded(doc.collection.collectionName, doc._id);
    }
  };
  schema.post('save', signalDocument);
  schema.post('insertMany', (docs: Parameters<typeof signalDocument>[0][]) =>
    docs.forEach(signalDocument),
  );
  schema.post(
    ['updateOne', 'updateMany', 'findOneAndUpdate'],
    function (this: Query<unknown, unknown>) {
      const update = this.getUpdate() as { $push?: { outbox?: unknown } } | null;
      if (!update?.$push?.outbox) return;
      const id = (this.getFilter() as { _id?: unknown })._id;
      const exactlyOne =
        id !== undefined && id !== null && (typeof id !== 'object' || !isOperator(id));
      signalRecorded(this.model.collection.collectionName, exactlyOne ? id : undefined);
    },
  );
}

/** Text of a document id, for the set of documents written. */
const keyOf = (id: DocumentId) => (typeof id === 'string' ? id : id.toHexString());

const isOperator = (value: object) => Object.keys(value).some((k) => k.startsWith('$'));

/** Documents not leased to a live relay of another process. */
const claimable = (now: Date): Filter<OutboxDocument> => ({
  $or: [
    { outboxLease: { $exists: false } },
    { 'outboxLease.owner': OUTBOX_OWNER },
    { 'outboxLease.until': { $lt: now } },
  ],
});

/**
 * The relay's side of a collection whose schema has `outboxPlugin`. Every filter of a write here
 * holds an `_id` equality: the local store scans on any other filter
 * (docs/decisions/0003-local-stores.md).
 */
export class MongoOutboxSource<T = unknown> implements OutboxSource {
  readonly name: string;
  private readonly collection: Collection<OutboxDocument>;
  /** Documents this process wrote events into, by their `_id` as text. */
  private readonly written = new Map<string, DocumentId>();
  /** A write signalled events without naming its document: search at the next claim. */
  private searchNext = false;
  private readonly logger = new Logger(MongoOutboxSource.name);

  /** Searches go through the model, which waits for the connection; writes take the collection. */
  constructor(private readonly model: Model<T>) {
    this.collection = model.collection as unknown as Collection<OutboxDocument>;
    this.name = this.collection.collectionName;
  }

  recorded(id?: unknown): void {
    if (id === undefined) this.searchNext = true;
    else this.written.set(keyOf(id as DocumentId), id as DocumentId);
  }

  async claim(limit: number, scope: ClaimScope): Promise<OutboxClaim> {
    const max = Math.min(limit, CLAIM_DOCUMENTS);
    const held: OutboxDocument[] = [];
    // Renewed from the start: taking the leases one by one must not outlast the first of them.
    const renewal = setInterval(() => void this.renew(held), LEASE_RENEW_MS);
    const pending = new Set<OutboxDocument>();
    const release = async () => {
      clearInterval(renewal);
      // Left for the next round, which may be another replica's.
      for (const doc of pending) {
        this.written.set(keyOf(doc._id), doc._id);
        await this.collection.updateOne(
          { _id: doc._id, 'outboxLease.owner': OUTBOX_OWNER },
          { $unset: { outboxLease: '' } },
        );
      }
    };
    try {
      const searching = scope === 'all' || this.searchNext;
      const candidates = searching ? await this.search(max) : this.takeWritten(max);
      for (const candidate of candidates) {
        const doc = await this.hold(candidate);
        if (!doc) continue;
        held.push(doc);
        pending.add(doc);
      }
    } catch (err) {
      await release();
      throw err;
    }
    return {
      batches: held.map((doc) => ({
        events: doc.outbox.map(toEvent),
        acknowledge: async () => {
          await this.acknowledge(doc);
          pending.delete(doc);
        },
      })),
      release,
    };
  }

  async backlog(): Promise<OutboxBacklog> {
    const docs = await this.model
      .find({ outboxPendingSince: { $exists: true } }, { outbox: 1, outboxPendingSince: 1 })
      .sort({ outboxPendingSince: 1 })
      .lean<Pick<OutboxDocument, 'outbox' | 'outboxPendingSince'>[]>();
    const pendingEvents = docs.reduce((sum, d) => sum + d.outbox.length, 0);
    const oldest = docs[0]?.outboxPendingSince;
    return {
      pendingEvents,
      oldestAgeSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
    };
  }

  /** Up to `limit` documents this process wrote events into, by `_id`. */
  private takeWritten(limit: number): { _id: DocumentId }[] {
    const ids = [...this.written.values()].slice(0, limit);
    for (const _id of ids) this.written.delete(keyOf(_id));
    return ids.map((_id) => ({ _id }));
  }

  /** Every document with pending events, oldest first: how events of a dead writer are found. */
  private async search(limit: number): Promise<OutboxDocument[]> {
    this.searchNext = false;
    const docs = await this.model
      .find({ outboxPendingSince: { $exists: true } }, PROJECTION)
      .sort({ outboxPendingSince: 1 })
      .limit(limit)
      .lean<OutboxDocument[]>();
    for (const doc of docs.filter((d) => d.outbox.length === 0)) {
      // Its events were taken off one by one (see acknowledge): nothing is pending any more.
      await this.collection.updateOne(
        { _id: doc._id, outbox: { $size: 0 } },
        { $unset: { outboxPendingSince: '', outboxLease: '' } },
      );
    }
    return docs.filter((d) => d.outbox.length > 0);
  }

  /**
   * Takes the document's lease unless a live relay of another process holds it (as far as a search
   * read), and returns the document as it is under the lease: what was read before may be stale
   * (another relay may have published and acknowledged those events since, ending its lease, or
   * taken over a lease of ours that ran out), and only what is pending once the lease is ours may
   * be published and acknowledged. A lease of ours is taken again too, which renews it.
   */
  private async hold(
    doc: Pick<OutboxDocument, '_id' | 'outboxLease'>,
  ): Promise<OutboxDocument | null> {
    const theirs = doc.outboxLease && doc.outboxLease.owner !== OUTBOX_OWNER;
    if (theirs && doc.outboxLease!.until.getTime() > Date.now()) return null;
    return this.collection.findOneAndUpdate(
      { _id: doc._id, 'outbox.0': { $exists: true }, ...claimable(new Date()) },
      { $set: { outboxLease: lease() } },
      // No projection: the local store's findAndModify has none (docs/decisions/0003-local-stores.md).
      { returnDocument: 'after' },
    );
  }

  /**
   * Removes exactly the published events, while this process still holds the lease. Usually in one
   * write that also ends the lease: nothing was appended meanwhile when the outbox has as many
   * entries as were read. Otherwise each published entry is pulled, matched whole as read (the
   * local store pulls only by whole value: docs/decisions/0003-local-stores.md), and the document
   * is claimed again for the rest. A lease lost meanwhile means that another relay publishes these
   * events again.
   */
  private async acknowledge(doc: OutboxDocument): Promise<void> {
    const mine = { _id: doc._id, 'outboxLease.owner': OUTBOX_OWNER };
    const whole = await this.collection.updateOne(
      { ...mine, outbox: { $size: doc.outbox.length } },
      { $set: { outbox: [] }, $unset: { outboxPendingSince: '', outboxLease: '' } },
    );
    if (whole.matchedCount === 1) return;
    for (const entry of doc.outbox) {
      const pulled = await this.collection.updateOne(mine, { $pull: { outbox: entry } });
      if (pulled.matchedCount === 0) {
        this.logger.warn(
          `Outbox ${this.name}: lease of ${keyOf(doc._id)} lost before its events were acknowledged; another relay publishes them again`,
        );
        return;
      }
    }
    this.written.set(keyOf(doc._id), doc._id);
  }

  private async renew(docs: OutboxDocument[]): Promise<void> {
    for (const doc of docs) {
      await this.collection
        .updateOne(
          { _id: doc._id, 'outboxLease.owner': OUTBOX_OWNER },
          { $set: { 'outboxLease.until': lease().until } },
        )
        .catch(() => undefined); // the lease then runs out, and another replica takes over
    }
  }
}

const PROJECTION = { outbox: 1, outboxLease: 1 } as const;

const toEvent = (e: OutboxEntry): OutgoingEvent => ({
  key: e.key,
  envelope: e.envelope,
  headers: e.headers,
});
