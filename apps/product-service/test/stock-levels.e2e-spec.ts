import mongoose, { Connection, Model, Types } from 'mongoose';
import { StockLevel, StockLevelSchema } from '../src/stock/schemas/stock-level.schema';
import {
  StockReservation,
  StockReservationSchema,
} from '../src/stock/schemas/stock-reservation.schema';
import { StockLevels } from '../src/stock/stock-levels';
import { StockMarksSweep } from '../src/stock/stock-marks-sweep';

/** Stock levels and the sweep of their marks against the local MongoDB-protocol store. */
describe('StockLevels', () => {
  let connection: Connection;
  let models: Model<StockLevel>;
  let reservations: Model<StockReservation>;
  let levels: StockLevels;
  let sweep: StockMarksSweep;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection('mongodb://127.0.0.1:27017/microshop_stock_levels_spec')
      .asPromise();
    await connection.dropDatabase();
    models = connection.model(StockLevel.name, StockLevelSchema);
    reservations = connection.model(StockReservation.name, StockReservationSchema);
    levels = new StockLevels(models);
    sweep = new StockMarksSweep(models, reservations);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const product = async (available: number) => {
    const id = new Types.ObjectId();
    await levels.open(id, available);
    return id;
  };
  const marksOf = (id: Types.ObjectId) =>
    models
      .findById(id, { holds: 1, returns: 1, _id: 0 })
      .lean<Pick<StockLevel, 'holds' | 'returns'>>();
  const decide = (orderId: string, outcome: 'RESERVED' | 'REJECTED', releasedAt?: Date) =>
    reservations.create({
      _id: orderId,
      outcome,
      items: [],
      causeEventId: `cause-${orderId}`,
      decidedAt: new Date(),
      ...(releasedAt && { releasedAt }),
    });

  it('takes an order`s quantity once, however often it is asked', async () => {
    const id = await product(5);
    expect(await levels.hold(id.toHexString(), 'o1', 2)).toEqual({ status: 'held' });
    expect(await levels.hold(id.toHexString(), 'o1', 2)).toEqual({ status: 'held' });
    expect(await levels.available(id)).toBe(3);
    expect(await levels.hold(id.toHexString(), 'o2', 4)).toEqual({
      status: 'insufficient',
      available: 3,
    });
  });

  it('never oversells under concurrent holds', async () => {
    const id = await product(10);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => levels.hold(id.toHexString(), `c${i}`, 1)),
    );
    expect(results.filter((r) => r.status === 'held')).toHaveLength(10);
    expect(await levels.available(id)).toBe(0);
  });

  it('gives back only what an order holds, once', async () => {
    const id = await product(5);
    await levels.hold(id.toHexString(), 'o1', 2);
    expect(await levels.giveBack(id.toHexString(), 'o1', 2)).toBe(true);
    expect(await levels.giveBack(id.toHexString(), 'o1', 2)).toBe(false);
    expect(await levels.giveBack(id.toHexString(), 'never-held', 2)).toBe(false);
    expect(await levels.available(id)).toBe(5);
  });

  it('returns a reserved order`s quantity once', async () => {
    const id = await product(5);
    await levels.returnOnce(id.toHexString(), 'o1', 2);
    await levels.returnOnce(id.toHexString(), 'o1', 2);
    expect(await levels.available(id)).toBe(7);
  });

  it('takes nothing from a retired level, and answers unknown for it', async () => {
    const id = await product(5);
    await levels.retire(id);
    expect(await levels.hold(id.toHexString(), 'o1', 1)).toEqual({ status: 'unknown' });
    expect(await levels.available(id)).toBe(0);
    expect(await levels.adjust(id, 1, 100)).toEqual({ status: 'unknown' });
    expect(await levels.set(id, 3)).toBeNull();
  });

  it('adjusts within 0..max only', async () => {
    const id = await product(5);
    expect(await levels.adjust(id, -5, 10)).toEqual({ status: 'adjusted', available: 0 });
    expect(await levels.adjust(id, -1, 10)).toEqual({ status: 'out-of-range', available: 0 });
    expect(await levels.adjust(id, 11, 10)).toEqual({ status: 'out-of-range', available: 0 });
    expect(await levels.adjust(id, 10, 10)).toEqual({ status: 'adjusted', available: 10 });
  });

  it('sweeps the marks of recorded reservations and releases, and keeps the others', async () => {
    const id = await product(20);
    const p = id.toHexString();
    for (const order of ['reserved', 'rejected', 'undecided', 'released']) {
      await levels.hold(p, order, 1);
    }
    await levels.returnOnce(p, 'released', 1);
    await levels.returnOnce(p, 'returning', 1);
    await decide('reserved', 'RESERVED');
    await decide('rejected', 'REJECTED'); // its stock is still to be given back
    await decide('released', 'RESERVED', new Date());
    await decide('returning', 'RESERVED'); // its release is not recorded yet

    expect(await sweep.sweep()).toBe(3);
    expect(await marksOf(id)).toEqual({
      holds: ['rejected', 'undecided'],
      returns: ['returning'],
    });
    expect(await levels.available(id)).toBe(18);
    expect(await sweep.sweep()).toBe(0);
  });
});
