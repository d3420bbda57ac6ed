import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  createEnvelope,
  currentEventContext,
  EventEnvelope,
  insertWithEvents,
  TOPICS,
  updateWithEvents,
} from '@microshop/events';
import { Model } from 'mongoose';
import { isMongoDuplicateKey } from '@microshop/runtime';
import { SERVICE_NAME } from '../config';
import { StockLevels } from './stock-levels';
import { StockLineDoc, UnavailableLineDoc } from './schemas/stock-line.schema';
import { StockReservation } from './schemas/stock-reservation.schema';

const origin = () => ({ producer: SERVICE_NAME, ...currentEventContext() });

type Decision = Pick<StockReservation, '_id' | 'outcome' | 'items' | 'releasedAt'>;

interface Shortfall {
  reason: string;
  unavailable: UnavailableLineDoc[];
}

/**
 * product-service's side of the order saga.
 *
 * `order.created`: take every line's stock (holds on its stock level), then record the decision —
 * RESERVED if all lines were taken, else REJECTED — with its event in one insert, then give back
 * what a rejected (or meanwhile cancelled) order holds. A crash anywhere is finished by the
 * redelivery: holds say which lines are already taken, and a recorded decision is never redone.
 *
 * `order.cancelled`: if nothing was decided yet, record CANCELLED so no reservation follows and
 * give back every hold of the order; for a RESERVED order return its lines and record the release
 * with `stock.released` on the decision (once: a second delivery finds the release recorded). An
 * order's events all live in its decision document, so they are published in the order they
 * happened: a release never overtakes its reservation.
 */
@Injectable()
export class StockService {
  private readonly logger = new Logger(StockService.name);

  constructor(
    @InjectModel(StockReservation.name) private readonly reservations: Model<StockReservation>,
    private readonly levels: StockLevels,
  ) {}

  async reserve(event: EventEnvelope<typeof TOPICS.ORDER_CREATED>): Promise<void> {
    const orderId = event.payload.orderId;
    const lines: StockLineDoc[] = event.payload.items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
    }));
    const earlier = await this.findDecision(orderId);
    if (earlier) return this.afterDecision(earlier, lines);

    const shortfall = await this.takeAll(orderId, lines);
    const decision = await this.decide(event, lines, shortfall);
    await this.afterDecision(decision, lines);
  }

  async cancel(event: EventEnvelope<typeof TOPICS.ORDER_CANCELLED>): Promise<void> {
    const orderId = event.payload.orderId;
    const lines: StockLineDoc[] = event.payload.items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
    }));
    const decision = await this.insertDecision({
      _id: orderId,
      outcome: 'CANCELLED',
      items: lines,
      causeEventId: event.eventId,
      decidedAt: new Date(),
    });
    if (decision.outcome !== 'RESERVED') return this.giveBack(orderId, lines);
    await this.returnReserved(decision, event.eventId);
  }

  /**
   * Returns a reserved order's stock and records the release with `stock.released`. Each line is
   * returned under its own mark (a crash half-way is finished by the redelivery without returning
   * a line twice); once the release is recorded, later deliveries return nothing and the sweep
   * drops the marks (StockMarksSweep).
   */
  private async returnReserved(decision: Decision, causeEventId: string): Promise<void> {
    const orderId = decision._id;
    if (decision.releasedAt) {
      this.logger.log(`Stock of order ${orderId} was already released`);
      return;
    }
    for (const line of decision.items) {
      await this.levels.returnOnce(line.productId, orderId, line.quantity);
    }
    await this.recordRelease(decision, causeEventId);
  }

  private async recordRelease(decision: Decision, causeEventId: string): Promise<void> {
    const orderId = decision._id;
    const released = createEnvelope(
      TOPICS.STOCK_RELEASED,
      { orderId, items: decision.items },
      origin(),
    );
    await this.reservations.updateOne(
      { _id: orderId, releasedAt: { $exists: false } },
      updateWithEvents({ $set: { releasedAt: new Date(), releaseCauseEventId: causeEventId } }, [
        { key: orderId, envelope: released },
      ]),
    );
  }

  /** Takes the lines in order, stopping at the first that falls short. */
  private async takeAll(orderId: string, lines: StockLineDoc[]): Promise<Shortfall | null> {
    for (const [index, line] of lines.entries()) {
      const result = await this.levels.hold(line.productId, orderId, line.quantity);
      if (result.status === 'held') continue;
      const unavailable: UnavailableLineDoc[] = [
        {
          productId: line.productId,
          requested: line.quantity,
          available: result.status === 'insufficient' ? result.available : 0,
        },
      ];
      // The customer hears about every line that falls short, not only the first.
      for (const rest of lines.slice(index + 1)) {
        const available = await this.levels.available(rest.productId);
        if (available < rest.quantity) {
          unavailable.push({ productId: rest.productId, requested: rest.quantity, available });
        }
      }
      const reason =
        result.status === 'unknown' ? 'a product is no longer available' : 'insufficient stock';
      return { reason, unavailable };
    }
    return null;
  }

  private async decide(
    event: EventEnvelope<typeof TOPICS.ORDER_CREATED>,
    lines: StockLineDoc[],
    shortfall: Shortfall | null,
  ): Promise<Decision> {
    const orderId = event.payload.orderId;
    const decision = {
      _id: orderId,
      items: lines,
      causeEventId: event.eventId,
      decidedAt: new Date(),
    };
    if (!shortfall) {
      const reserved = createEnvelope(TOPICS.STOCK_RESERVED, { orderId, items: lines }, origin());
      return this.insertDecision({ ...decision, outcome: 'RESERVED' }, reserved);
    }
    const rejected = createEnvelope(TOPICS.STOCK_REJECTED, { orderId, ...shortfall }, origin());
    return this.insertDecision({ ...decision, outcome: 'REJECTED', ...shortfall }, rejected);
  }

  /** Inserts the decision unless one exists; returns the one that counts. */
  private async insertDecision(
    decision: Omit<StockReservation, 'outbox'>,
    event?: EventEnvelope,
  ): Promise<Decision> {
    try {
      await this.reservations.create(
        event ? insertWithEvents(decision, [{ key: decision._id, envelope: event }]) : decision,
      );
    } catch (err) {
      if (!isMongoDuplicateKey(err)) throw err;
      const existing = await this.findDecision(decision._id);
      if (!existing) throw err;
      return existing;
    }
    return decision;
  }

  /**
   * After a decision: a reserved order keeps its stock (its marks are swept later, StockMarksSweep);
   * a rejected or cancelled order keeps nothing.
   */
  private async afterDecision(decision: Decision, lines: StockLineDoc[]): Promise<void> {
    if (decision.outcome !== 'RESERVED') await this.giveBack(decision._id, lines);
  }

  private async giveBack(orderId: string, lines: StockLineDoc[]): Promise<void> {
    for (const line of lines) {
      await this.levels.giveBack(line.productId, orderId, line.quantity);
    }
  }

  private findDecision(orderId: string): Promise<Decision | null> {
    return this.reservations
      .findById(orderId, { outcome: 1, items: 1, releasedAt: 1 })
      .lean<Decision>()
      .exec();
  }
}
