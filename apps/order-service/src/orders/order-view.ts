import { OrderSummary } from '@microshop/events';
import { OrderDto, OrderHistoryEntryDto } from './dto/order.dto';
import { OrderLine } from './entities/order-line.entity';
import { OrderStatusHistory } from './entities/order-status-history.entity';
import { Order } from './entities/order.entity';

/** An order with its lines, in line order. */
export interface OrderWithLines {
  order: Order;
  lines: OrderLine[];
}

const items = (lines: OrderLine[]) =>
  [...lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((l) => ({
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      unitPriceCents: l.unitPriceCents,
      quantity: l.quantity,
      lineTotalCents: l.lineTotalCents,
    }));

export const toOrderDto = ({ order, lines }: OrderWithLines): OrderDto => ({
  id: order.id,
  userId: order.userId,
  status: order.status,
  items: items(lines),
  totalCents: order.totalCents,
  currency: order.currency,
  createdAt: order.createdAt.toISOString(),
  updatedAt: order.updatedAt.toISOString(),
});

/** What every order event carries: enough for consumers to act without calling back. */
export const toOrderSummary = ({ order, lines }: OrderWithLines): OrderSummary => ({
  orderId: order.id,
  userId: order.userId,
  customerEmail: order.customerEmail,
  items: items(lines),
  totalCents: order.totalCents,
  currency: order.currency,
});

export const toHistoryEntryDto = (entry: OrderStatusHistory): OrderHistoryEntryDto => ({
  status: entry.status,
  at: entry.at.toISOString(),
  reason: entry.reason,
});
