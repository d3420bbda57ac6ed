import { randomUUID } from 'node:crypto';
import {
  createEnvelope,
  EventEnvelope,
  EventPublisher,
  OutboxRelay,
  OutgoingEvent,
  outboxFieldsForInsert,
  TOPICS,
} from '@microshop/events';
import mongoose, { Connection, Model } from 'mongoose';
import {
  StockOutboxPending,
  StockOutboxPendingSchema,
} from '../src/stock/schemas/stock-outbox-pending.schema';
import { StockRelease, StockReleaseSchema } from '../src/stock/schemas/stock-release.schema';
import {
  StockReservation,
  StockReservationSchema,
} from '../src/stock/schemas/stock-reservation.schema';
import { StockOutbox } from '../src/stock/stock-outbox';

/** The stock outbox against the local MongoDB-protocol store, in a scratch database. */
describe('StockOutbox', () => {
  let connection: Connection;
  let reservations: Model<StockReservation>;
  let releases: Model<StockRelease>;
  let pending: Model<StockOutboxPending>;
  let outbox: StockOutbox;
  /** What publishNow sent; `failing` makes the next sends fail as with the broker away. */
  const sent: EventEnvelope[] = [];
  let failing = false;
  const publisher = {
    publish: (events: OutgoingEvent[]) => {
      if (failing) return Promise.reject(new Error('broker away'));
      sent.push(...events.map((e) => e.envelope));
      return Promise.resolve();
    },
  } as unknown as EventPublisher;
  const relay = { nudge: jest.fn(), countPublished: jest.fn() } as unknown as OutboxRelay;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection('mongodb://127.0.0.1:27017/microshop_stock_outbox_spec')
      .asPromise();
    await connection.dropDatabase();
    reservations = connection.model(StockReservation.name, StockReservationSchema);
    releases = connection.model(StockRelease.name, StockReleaseSchema);
    pending = connection.model(StockOutboxPending.name, StockOutboxPendingSchema);
    outbox = new StockOutbox(publisher, relay, pending, reservations, releases);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  /** A RESERVED decision carrying its stock.reserved event, as the order.created handler writes it. */
  const decide = async (orderId: string) => {
    const event = createEnvelope(
      TOPICS.STOCK_RESERVED,
      { orderId, items: [{ productId: 'p1', quantity: 1 }] },
      { producer: 'spec' },
    );
    const fields = outboxFieldsForInsert([{ key: orderId, envelope: event }]);
    await reservations.create({
      _id: orderId,
      outcome: 'RESERVED',
      items: [{ productId: 'p1', quantity: 1 }],
      causeEventId: randomUUID(),
      decidedAt: new Date(),
      ...fields,
    });
    return { event, entries: fields.outbox };
  };

  /** A decision left to the relay. */
  const reserve = async (orderId: string) => {
    const { event } = await decide(orderId);
    await outbox.announce(orderId, 'decision');
    return event;
  };

  const release = async (orderId: string) => {
    const event = createEnvelope(
      TOPICS.STOCK_RELEASED,
      { orderId, items: [{ productId: 'p1', quantity: 1 }] },
      { producer: 'spec' },
    );
    await releases.create({
      _id: orderId,
      items: [{ productId: 'p1', quantity: 1 }],
      causeEventId: randomUUID(),
      releasedAt: new Date(),
      ...outboxFieldsForInsert([{ key: orderId, envelope: event }]),
    });
    await outbox.announce(orderId, 'decision', 'release');
    return event;
  };

  const publishAll = async (): Promise<EventEnvelope[]> => {
    const claim = await outbox.claim(100);
    for (const batch of claim.batches) await batch.acknowledge();
    await claim.release();
    return claim.batches.flatMap((b) => b.events.map((e) => e.envelope));
  };

  it("hands out an order's decision and release in that order, then nothing", async () => {
    const orderId = randomUUID();
    const reserved = await reserve(orderId);
    const released = await release(orderId);
    expect((await outbox.backlog()).pendingEvents).toBe(1);
    expect((await publishAll()).map((e) => e.eventId)).toEqual([
      reserved.eventId,
      released.eventId,
    ]);
    expect(await publishAll()).toEqual([]);
    expect(await outbox.backlog()).toEqual({ pendingEvents: 0, oldestAgeSeconds: 0 });
  });

  it('keeps the entry of an order written to while the relay was publishing it', async () => {
    const orderId = randomUUID();
    const reserved = await reserve(orderId);
    const claim = await outbox.claim(100);
    expect(claim.batches[0].events.map((e) => e.envelope.eventId)).toEqual([reserved.eventId]);

    const released = await release(orderId); // the cancellation lands mid-publish
    await claim.batches[0].acknowledge();
    await claim.release();

    expect((await publishAll()).map((e) => e.eventId)).toEqual([released.eventId]);
    expect(await publishAll()).toEqual([]);
  });

  it('finds an event again when its document is announced once more (a redelivered handler)', async () => {
    const orderId = randomUUID();
    await reserve(orderId);
    await pending.deleteOne({ _id: orderId }); // as if the process died before announcing
    expect(await publishAll()).toEqual([]);
    await outbox.announceIfPending(orderId);
    expect(await publishAll()).toHaveLength(1);
    await outbox.announceIfPending(orderId); // published: nothing more to announce
    expect(await publishAll()).toEqual([]);
  });

  describe('publishNow', () => {
    it('publishes the decision and clears it, leaving the relay nothing to do', async () => {
      const orderId = randomUUID();
      const { event, entries } = await decide(orderId);
      await outbox.publishNow(orderId, 'decision', entries);
      expect(sent.map((e) => e.eventId)).toContain(event.eventId);
      expect(await publishAll()).toEqual([]);
      await outbox.announceIfPending(orderId); // a redelivery finds nothing to publish again
      expect(await publishAll()).toEqual([]);
    });

    it('leaves the decision to the relay when the publish fails', async () => {
      const orderId = randomUUID();
      const { event, entries } = await decide(orderId);
      failing = true;
      try {
        await outbox.publishNow(orderId, 'decision', entries);
      } finally {
        failing = false;
      }
      expect((await publishAll()).map((e) => e.eventId)).toEqual([event.eventId]);
    });

    it('a release announced while the decision is still unpublished follows it', async () => {
      const orderId = randomUUID();
      const { event } = await decide(orderId); // its handler has not published it yet
      const released = await release(orderId);
      expect((await publishAll()).map((e) => e.eventId)).toEqual([event.eventId, released.eventId]);
    });
  });
});
