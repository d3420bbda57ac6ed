import { randomUUID } from 'node:crypto';
import { createEnvelope, EventEnvelope, TOPICS } from '@microshop/events';
import { Model, mongo } from 'mongoose';
import { StockReservation } from './schemas/stock-reservation.schema';
import { HoldResult, StockLevels } from './stock-levels';
import { StockService } from './stock.service';

/** Stock levels in memory with the semantics of the conditional updates; counts the writes. */
class FakeLevels {
  readonly stock = new Map<string, number>();
  readonly holders = new Map<string, Set<string>>();
  readonly returners = new Map<string, Set<string>>();
  failNextHoldOf: string | null = null;
  failNextReturnOf: string | null = null;

  constructor(stock: Record<string, number>) {
    for (const [id, n] of Object.entries(stock)) {
      this.stock.set(id, n);
      this.holders.set(id, new Set());
      this.returners.set(id, new Set());
    }
  }

  writes = 0;

  hold(productId: string, orderId: string, quantity: number): Promise<HoldResult> {
    this.writes += 1;
    if (this.failNextHoldOf === productId) {
      this.failNextHoldOf = null;
      return Promise.reject(new Error('process crashed'));
    }
    const stock = this.stock.get(productId);
    if (stock === undefined) return Promise.resolve({ status: 'unknown' });
    const holders = this.holders.get(productId)!;
    if (holders.has(orderId)) return Promise.resolve({ status: 'held' });
    if (stock < quantity) return Promise.resolve({ status: 'insufficient', available: stock });
    this.stock.set(productId, stock - quantity);
    holders.add(orderId);
    return Promise.resolve({ status: 'held' });
  }

  giveBack(productId: string, orderId: string, quantity: number): Promise<boolean> {
    this.writes += 1;
    const holders = this.holders.get(productId);
    if (!holders?.delete(orderId)) return Promise.resolve(false);
    this.stock.set(productId, this.stock.get(productId)! + quantity);
    return Promise.resolve(true);
  }

  returnOnce(productId: string, orderId: string, quantity: number): Promise<void> {
    this.writes += 1;
    if (this.failNextReturnOf === productId) {
      this.failNextReturnOf = null;
      return Promise.reject(new Error('process crashed'));
    }
    const returners = this.returners.get(productId);
    if (!returners || returners.has(orderId)) return Promise.resolve();
    returners.add(orderId);
    this.stock.set(productId, this.stock.get(productId)! + quantity);
    return Promise.resolve();
  }

  available(productId: string): Promise<number> {
    return Promise.resolve(this.stock.get(productId) ?? 0);
  }
}

/** A collection keyed by _id whose insert fails on an existing id, like a unique index. */
class FakeCollection<T extends { _id: string }> {
  readonly docs = new Map<string, T>();
  writes = 0;

  create(doc: T): Promise<T> {
    this.writes += 1;
    if (this.docs.has(doc._id)) {
      return Promise.reject(new mongo.MongoServerError({ message: 'E11000', code: 11000 }));
    }
    this.docs.set(doc._id, doc);
    return Promise.resolve(doc);
  }

  findById(id: string) {
    const doc = this.docs.get(id) ?? null;
    return { lean: () => ({ exec: () => Promise.resolve(doc) }) };
  }

  /** `{ _id, <field>: { $exists: false } }` filters, and the updates of `updateWithEvents`. */
  updateOne(
    filter: { _id: string } & Record<string, { $exists: false }>,
    update: { $set: Partial<T>; $push: { outbox: { $each: unknown[] } } },
  ): Promise<{ matchedCount: number }> {
    this.writes += 1;
    const doc = this.docs.get(filter._id) as Record<string, unknown> | undefined;
    const unset = Object.keys(filter).filter((k) => k !== '_id');
    if (!doc || unset.some((k) => doc[k] !== undefined))
      return Promise.resolve({ matchedCount: 0 });
    Object.assign(doc, update.$set);
    doc.outbox = [...((doc.outbox as unknown[]) ?? []), ...update.$push.outbox.$each];
    return Promise.resolve({ matchedCount: 1 });
  }
}

const P1 = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const P2 = 'bbbbbbbbbbbbbbbbbbbbbbbb';

function orderCreated(items: [string, number][]): EventEnvelope<typeof TOPICS.ORDER_CREATED> {
  return createEnvelope(
    TOPICS.ORDER_CREATED,
    {
      orderId: randomUUID(),
      userId: 'u1',
      customerEmail: 'ada@example.com',
      items: items.map(([productId, quantity]) => ({
        productId,
        sku: `SKU-${productId.slice(0, 3)}`,
        name: 'Thing',
        unitPriceCents: 100,
        quantity,
        lineTotalCents: 100 * quantity,
      })),
      totalCents: items.reduce((sum, [, q]) => sum + 100 * q, 0),
      currency: 'USD',
      createdAt: new Date().toISOString(),
    },
    { producer: 'order-service' },
  );
}

function cancelled(
  created: EventEnvelope<typeof TOPICS.ORDER_CREATED>,
): EventEnvelope<typeof TOPICS.ORDER_CANCELLED> {
  const { orderId, userId, customerEmail, items, totalCents, currency } = created.payload;
  return createEnvelope(
    TOPICS.ORDER_CANCELLED,
    {
      ...{ orderId, userId, customerEmail, items, totalCents, currency },
      previousStatus: 'CONFIRMED',
      cancelledAt: new Date().toISOString(),
    },
    { producer: 'order-service' },
  );
}

function setUp(stock: Record<string, number>) {
  const levels = new FakeLevels(stock);
  const reservations = new FakeCollection<
    StockReservation & { outbox: { envelope: EventEnvelope }[] }
  >();
  const service = new StockService(
    reservations as unknown as Model<StockReservation>,
    levels as unknown as StockLevels,
  );
  // The outbox keeps them, in order, where the relay would find them.
  const eventsOf = (orderId: string) =>
    (reservations.docs.get(orderId)?.outbox ?? []).map((e) => e.envelope);
  const writes = () => levels.writes + reservations.writes;
  return { service, levels, reservations, eventsOf, writes };
}

describe('StockService', () => {
  it('reserves every line and records stock.reserved with the decision', async () => {
    const { service, levels, eventsOf, writes } = setUp({ [P1]: 5, [P2]: 5 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    await service.reserve(order);
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([3, 2]);
    expect(writes()).toBe(3); // a line each, and the decision with its event
    expect(eventsOf(order.payload.orderId)).toEqual([
      expect.objectContaining({
        type: 'stock.reserved',
        payload: {
          orderId: order.payload.orderId,
          items: [
            { productId: P1, quantity: 2 },
            { productId: P2, quantity: 3 },
          ],
        },
      }),
    ]);
  });

  it('reserves nothing when one line falls short, naming every short line', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5, [P2]: 1 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    await service.reserve(order);
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([5, 1]);
    expect(eventsOf(order.payload.orderId)).toEqual([
      expect.objectContaining({
        type: 'stock.rejected',
        payload: {
          orderId: order.payload.orderId,
          reason: 'insufficient stock',
          unavailable: [{ productId: P2, requested: 3, available: 1 }],
        },
      }),
    ]);
  });

  it('does nothing more on a redelivered order.created', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5 });
    const order = orderCreated([[P1, 2]]);
    await service.reserve(order);
    await service.reserve(order);
    expect(levels.stock.get(P1)).toBe(3);
    expect(eventsOf(order.payload.orderId)).toHaveLength(1);
  });

  it('finishes correctly after a crash half-way through the lines', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5, [P2]: 5 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    levels.failNextHoldOf = P2;
    await expect(service.reserve(order)).rejects.toThrow('process crashed');
    expect(levels.stock.get(P1)).toBe(3); // line 1 taken, nothing decided yet

    await service.reserve(order); // the redelivery
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([3, 2]);
    expect(eventsOf(order.payload.orderId).map((e) => e.type)).toEqual(['stock.reserved']);
  });

  it('gives back what a crashed attempt took when the retry has to reject', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5, [P2]: 5 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    levels.failNextHoldOf = P2;
    await expect(service.reserve(order)).rejects.toThrow();
    levels.stock.set(P2, 1); // sold meanwhile
    await service.reserve(order);
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([5, 1]);
    expect(eventsOf(order.payload.orderId).map((e) => e.type)).toEqual(['stock.rejected']);
  });

  it('releases a reserved order exactly once, however often order.cancelled arrives', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5, [P2]: 5 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    await service.reserve(order);
    const cancel = cancelled(order);
    await service.cancel(cancel);
    await service.cancel(cancel);
    await service.cancel(cancelled(order)); // even a second, distinct cancellation event
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([5, 5]);
    expect(eventsOf(order.payload.orderId).map((e) => e.type)).toEqual([
      'stock.reserved',
      'stock.released',
    ]);
  });

  it('reserves nothing for an order whose cancellation overtook its creation', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5 });
    const order = orderCreated([[P1, 2]]);
    await service.cancel(cancelled(order));
    await service.reserve(order);
    expect(levels.stock.get(P1)).toBe(5);
    expect(eventsOf(order.payload.orderId)).toEqual([]);
  });

  it('gives the stock back when the cancellation lands while lines are being taken', async () => {
    const { service, levels, reservations } = setUp({ [P1]: 5, [P2]: 5 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    // The cancellation is handled right after the first line was taken.
    const hold = levels.hold.bind(levels);
    jest.spyOn(levels, 'hold').mockImplementation(async (productId, orderId, quantity) => {
      const result = await hold(productId, orderId, quantity);
      if (productId === P1) await service.cancel(cancelled(order));
      return result;
    });
    await service.reserve(order);
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([5, 5]);
    expect(reservations.docs.get(order.payload.orderId)?.outcome).toBe('CANCELLED');
  });

  it('returns each line once when releasing crashed half-way and order.cancelled comes again', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5, [P2]: 5 });
    const order = orderCreated([
      [P1, 2],
      [P2, 3],
    ]);
    await service.reserve(order);
    levels.failNextReturnOf = P2;
    await expect(service.cancel(cancelled(order))).rejects.toThrow('process crashed');
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([5, 2]); // line 1 returned

    await service.cancel(cancelled(order)); // the redelivery
    expect([levels.stock.get(P1), levels.stock.get(P2)]).toEqual([5, 5]);
    expect(eventsOf(order.payload.orderId).map((e) => e.type)).toEqual([
      'stock.reserved',
      'stock.released',
    ]);
  });

  it('keeps the stock of a reservation whose marks were cleared when order.created comes again', async () => {
    const { service, levels, eventsOf } = setUp({ [P1]: 5 });
    const order = orderCreated([[P1, 2]]);
    await service.reserve(order);
    levels.holders.get(P1)!.clear(); // as StockMarksSweep does once the reservation is recorded
    await service.reserve(order);
    expect(levels.stock.get(P1)).toBe(3);
    expect(eventsOf(order.payload.orderId)).toHaveLength(1);
  });
});
