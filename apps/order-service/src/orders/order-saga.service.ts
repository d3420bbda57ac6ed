import { Injectable, Logger } from '@nestjs/common';
import {
  createEnvelope,
  currentEventContext,
  EventEnvelope,
  OutgoingEvent,
  PermanentEventError,
  StockLine,
  StockRejectedPayload,
  TOPICS,
} from '@microshop/events';
import { recordProcessed } from '../processed-events/processed-events';
import { SERVICE_NAME } from '../config';
import { OrderStatus } from './entities/order-status';
import { Order } from './entities/order.entity';
import { OrderWithLines, toOrderSummary } from './order-view';
import { OrderMetrics } from './orders.metrics';
import { OrdersRepository } from './orders.repository';

const CONSUMER = 'order-saga';

type Outcome = 'moved' | 'duplicate' | 'not-pending';

/** Why product-service refused, in words a customer can read. */
export function rejectionReason(payload: StockRejectedPayload): string {
  const lines = payload.unavailable.map(
    (l) => `${l.productId}: ${l.requested} requested, ${l.available} available`,
  );
  return lines.length ? `${payload.reason} (${lines.join('; ')})` : payload.reason;
}

/** Whether a reservation is of exactly the order's lines: each product once, at its quantity. */
export function reservesLinesOf(order: OrderWithLines, reserved: StockLine[]): boolean {
  const key = (lines: { productId: string; quantity: number }[]) =>
    lines
      .map((l) => `${l.productId}\u0000${l.quantity}`)
      .sort()
      .join('\n');
  return key(order.lines) === key(reserved);
}

/**
 * order-service's side of the saga: product-service's answer to `order.created` settles a
 * PENDING order. An answer for an order that is no longer PENDING changes nothing here: if it was
 * cancelled meanwhile, product-service releases what it reserved when it sees `order.cancelled`.
 */
@Injectable()
export class OrderSagaService {
  private readonly logger = new Logger(OrderSagaService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly metrics: OrderMetrics,
  ) {}

  async onStockReserved(event: EventEnvelope<typeof TOPICS.STOCK_RESERVED>): Promise<void> {
    const outcome = await this.settle(
      event,
      'CONFIRMED',
      'stock reserved',
      (current) => [
        {
          key: current.order.id,
          envelope: createEnvelope(
            TOPICS.ORDER_CONFIRMED,
            { ...toOrderSummary(current), confirmedAt: current.order.updatedAt.toISOString() },
            { producer: SERVICE_NAME, ...currentEventContext() },
          ),
        },
      ],
      event.payload.items,
    );
    if (outcome === 'moved') this.metrics.outcome('confirmed');
  }

  async onStockRejected(event: EventEnvelope<typeof TOPICS.STOCK_REJECTED>): Promise<void> {
    const reason = rejectionReason(event.payload);
    const outcome = await this.settle(event, 'REJECTED', reason, (current) => [
      {
        key: current.order.id,
        envelope: createEnvelope(
          TOPICS.ORDER_REJECTED,
          {
            ...toOrderSummary(current),
            reason,
            rejectedAt: current.order.updatedAt.toISOString(),
          },
          { producer: SERVICE_NAME, ...currentEventContext() },
        ),
      },
    ]);
    if (outcome === 'moved') this.metrics.outcome('rejected');
  }

  /** Moves a PENDING order on; a reservation (`reserved`) must be of the order's own lines. */
  private async settle(
    event: EventEnvelope<typeof TOPICS.STOCK_RESERVED | typeof TOPICS.STOCK_REJECTED>,
    to: OrderStatus,
    reason: string,
    events: (moved: OrderWithLines) => OutgoingEvent[],
    reserved?: StockLine[],
  ): Promise<Outcome> {
    const orderId = event.payload.orderId;
    const outcome = await this.orders.transaction(async (manager): Promise<Outcome> => {
      if (!(await recordProcessed(manager, CONSUMER, event))) return 'duplicate';
      const current = await this.orders.lock(manager, orderId);
      // order.created is published only after its order committed: an unknown id is not ours.
      if (!current) throw new PermanentEventError(`${event.type} for unknown order ${orderId}`);
      if (reserved && !reservesLinesOf(current, reserved)) {
        throw new PermanentEventError(
          `${event.type} for order ${orderId} does not reserve the order's lines and quantities`,
        );
      }
      if (current.order.status !== 'PENDING') {
        this.logger.log(
          `${event.type} for order ${orderId} in status ${current.order.status}: nothing to do`,
        );
        return 'not-pending';
      }
      await this.orders.move(manager, current.order, to, reason, event.eventId, (o: Order) =>
        events({ order: o, lines: current.lines }),
      );
      return 'moved';
    });
    return outcome;
  }
}
