import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  EventPublisher,
  OutboxBacklog,
  OutboxBatch,
  OutboxClaim,
  OutboxEntry,
  OutboxRelay,
  OutboxSource,
  OutgoingEvent,
} from '@microshop/events';
import { Model } from 'mongoose';
import { StockEventCarrier, StockOutboxPending } from './schemas/stock-outbox-pending.schema';
import { StockRelease } from './schemas/stock-release.schema';
import { StockReservation } from './schemas/stock-reservation.schema';

interface PendingEntry {
  _id: string;
  seq: number;
  carriers?: StockEventCarrier[];
}

interface Carrier {
  _id: string;
  outbox: OutboxEntry[];
}

/**
 * The outbox of the stock documents. Their events are embedded in the document that records the
 * decision or release (written once, with exactly that event, never appended to later), so state
 * and event are one insert, and the relay may clear them by `_id` alone. What makes this source differ from MongoOutboxSource is how the relay
 * finds work: through `stock_outbox_pending`, which holds only the orders with unpublished events,
 * and by `_id` only — the decision documents are kept for good, and a filter on anything but
 * `_id` makes the local FerretDB store scan the whole collection.
 *
 * A decision's event usually skips the relay: its handler publishes it at once (`publishNow`).
 */
@Injectable()
export class StockOutbox implements OutboxSource {
  readonly name = 'stock';
  private readonly logger = new Logger(StockOutbox.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly relay: OutboxRelay,
    @InjectModel(StockOutboxPending.name) private readonly pending: Model<StockOutboxPending>,
    @InjectModel(StockReservation.name) private readonly reservations: Model<StockReservation>,
    @InjectModel(StockRelease.name) private readonly releases: Model<StockRelease>,
  ) {}

  /**
   * Call after inserting a document of this order that carries an event. A crash before this
   * call is made good by the redelivered message, whose handler finds the document already there
   * and calls `announceIfPending`. Announcing bumps `seq`, so a relay that read the entry before
   * cannot delete it.
   */
  async announce(orderId: string, ...carriers: StockEventCarrier[]): Promise<void> {
    await this.pending.updateOne(
      { _id: orderId },
      {
        $inc: { seq: 1 },
        $min: { since: new Date() },
        $addToSet: { carriers: { $each: carriers } },
      },
      { upsert: true },
    );
    this.relay.nudge(this.name);
  }

  /**
   * Publishes the events a stock handler has just recorded with `carrier`, from the handler, and
   * clears them: on the local store the relay's way (announce, find the entry, read the document,
   * delete the entry) costs four operations per order on the saga's slowest hop. The handler
   * still holds its Kafka message meanwhile, so a crash before the clear is made good by the
   * redelivery (`announceIfPending`); a failed publish leaves the events to the relay.
   */
  async publishNow(
    orderId: string,
    carrier: StockEventCarrier,
    events: OutgoingEvent[],
  ): Promise<void> {
    try {
      await this.publisher.publish(events);
    } catch (err) {
      this.logger.warn(
        `Publishing the ${carrier} events of order ${orderId} failed, the relay takes them over: ${(err as Error).message}`,
      );
      await this.announce(orderId, carrier);
      return;
    }
    this.relay.countPublished(this.name, events.length);
    await this.modelOf(carrier).updateOne(
      { _id: orderId },
      { $set: { outbox: [] }, $unset: { outboxPendingSince: 1 } },
    );
  }

  /** Announces each document of the order that still holds an unpublished event. */
  async announceIfPending(orderId: string): Promise<void> {
    for (const [carrier, model] of this.carriers()) {
      const doc = await model
        .findById(orderId, { outboxPendingSince: 1 })
        .lean<{ outboxPendingSince?: Date }>();
      if (doc?.outboxPendingSince) await this.announce(orderId, carrier);
    }
  }

  async claim(limit: number): Promise<OutboxClaim> {
    const entries = await this.pending
      .find({}, { seq: 1, carriers: 1 })
      .sort({ since: 1 })
      .limit(limit)
      .lean<PendingEntry[]>();
    const batches: OutboxBatch[] = [];
    for (const entry of entries) batches.push(await this.batchOf(entry));
    return { batches, release: () => Promise.resolve() };
  }

  async backlog(): Promise<OutboxBacklog> {
    const entries = await this.pending.find({}, { since: 1 }).lean<{ since: Date }[]>();
    const oldest = Math.min(...entries.map((e) => e.since.getTime()));
    return {
      pendingEvents: entries.length,
      oldestAgeSeconds: entries.length ? Math.max(0, (Date.now() - oldest) / 1000) : 0,
    };
  }

  /** The order's events: its decision's first, then its release's (the order they happened in). */
  private async batchOf(entry: PendingEntry): Promise<OutboxBatch> {
    const carriers: [Model<Carrier>, Carrier][] = [];
    for (const [carrier, model] of this.carriers()) {
      // Entries announced before carriers were recorded name none: read both.
      if (entry.carriers?.length && !entry.carriers.includes(carrier)) continue;
      const doc = await model.findById(entry._id, { outbox: 1 }).lean<Carrier>();
      if (doc?.outbox?.length) carriers.push([model, doc]);
    }
    return {
      events: carriers.flatMap(([, doc]) =>
        doc.outbox.map((e) => ({ key: e.key, envelope: e.envelope, headers: e.headers })),
      ),
      acknowledge: async () => {
        for (const [model] of carriers) {
          // By _id alone: these documents never receive an event after their insert.
          await model.updateOne(
            { _id: entry._id },
            { $set: { outbox: [] }, $unset: { outboxPendingSince: 1 } },
          );
        }
        await this.pending.deleteOne({ _id: entry._id, seq: entry.seq });
      },
    };
  }

  private modelOf(carrier: StockEventCarrier): Model<Carrier> {
    return this.carriers().find(([name]) => name === carrier)![1];
  }

  /** In the order their events happen. */
  private carriers(): [StockEventCarrier, Model<Carrier>][] {
    return [
      ['decision', this.reservations as unknown as Model<Carrier>],
      ['release', this.releases as unknown as Model<Carrier>],
    ];
  }
}
