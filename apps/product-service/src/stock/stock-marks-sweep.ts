import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { StockLevel } from './schemas/stock-level.schema';
import { StockReservation } from './schemas/stock-reservation.schema';

/** How often the marks of settled orders are cleared; they do no harm meanwhile. */
export const STOCK_SWEEP_MS = 10_000;

type Marks = Pick<StockLevel, '_id' | 'holds' | 'returns'>;
type Settled = Pick<StockReservation, 'outcome' | 'releasedAt'>;

/**
 * Clears the marks that made taking and returning stock idempotent once they are no longer needed:
 * a hold of an order whose reservation is recorded (RESERVED: the decision now says the line is
 * taken), a return of an order whose release is recorded. Done here, in one write per product for
 * all its settled orders, rather than in the reservation: a reservation of N lines then costs N
 * updates and the decision's insert. Holds of rejected or cancelled orders are not touched: giving
 * their stock back removes them.
 */
@Injectable()
export class StockMarksSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StockMarksSweep.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    @InjectModel(StockLevel.name) private readonly levels: Model<StockLevel>,
    @InjectModel(StockReservation.name) private readonly reservations: Model<StockReservation>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn(`Stock marks not swept: ${err.message}`))
        .finally(() => (this.sweeping = null));
    }, STOCK_SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One pass over the levels that carry marks; returns how many marks it cleared. */
  async sweep(): Promise<number> {
    const marked = await this.levels
      .find({ $or: [{ 'holds.0': { $exists: true } }, { 'returns.0': { $exists: true } }] })
      .select({ holds: 1, returns: 1 })
      .lean<Marks[]>();
    const settled = new Map<string, Settled | null>();
    let cleared = 0;
    for (const level of marked) {
      const holds: string[] = [];
      const returns: string[] = [];
      for (const orderId of level.holds) {
        if ((await this.settlement(orderId, settled))?.outcome === 'RESERVED') holds.push(orderId);
      }
      for (const orderId of level.returns) {
        if ((await this.settlement(orderId, settled))?.releasedAt) returns.push(orderId);
      }
      if (holds.length + returns.length === 0) continue;
      await this.levels.updateOne({ _id: level._id }, { $pullAll: { holds, returns } });
      cleared += holds.length + returns.length;
    }
    return cleared;
  }

  private async settlement(
    orderId: string,
    known: Map<string, Settled | null>,
  ): Promise<Settled | null> {
    if (!known.has(orderId)) {
      const decision = await this.reservations
        .findById(orderId, { outcome: 1, releasedAt: 1 })
        .lean<Settled>();
      known.set(orderId, decision);
    }
    return known.get(orderId) ?? null;
  }
}
