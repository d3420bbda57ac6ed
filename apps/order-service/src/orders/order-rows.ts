import { OrderLine } from './entities/order-line.entity';
import { OrderStatus } from './entities/order-status';
import { Order } from './entities/order.entity';
import { OrderWithLines } from './order-view';

/**
 * The hot statements of orders (placing one, settling it, reading one) are plain SQL, for the CPU
 * TypeORM's query building costs (docs/decisions/0004-hot-path-costs.md). These are their columns
 * and the mapping of their rows; the entities stay the types and the migrations the schema.
 */
export const ORDER_COLUMNS =
  'id, user_id, customer_email, status, total_cents, currency, created_at, updated_at';
export const LINE_COLUMNS =
  'order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents';

/** An order joined with its lines, one row per line. */
export const ORDER_WITH_LINES_SELECT = `
  SELECT o.id, o.user_id, o.customer_email, o.status, o.total_cents, o.currency, o.created_at,
         o.updated_at, l.line_no, l.product_id, l.sku, l.name, l.unit_price_cents, l.quantity,
         l.line_total_cents
    FROM orders o JOIN order_lines l ON l.order_id = o.id
   WHERE o.id = ?
   ORDER BY l.line_no`;

export interface OrderWithLinesRow {
  id: string;
  user_id: string;
  customer_email: string;
  status: OrderStatus;
  /** BIGINT arrives as a string (TypeORM turns mysql2's bigNumberStrings on). */
  total_cents: string | number;
  currency: string;
  created_at: Date;
  updated_at: Date;
  line_no: number;
  product_id: string;
  sku: string;
  name: string;
  unit_price_cents: string | number;
  quantity: number;
  line_total_cents: string | number;
}

export const orderValues = (o: Order) => [
  o.id,
  o.userId,
  o.customerEmail,
  o.status,
  o.totalCents,
  o.currency,
  o.createdAt,
  o.updatedAt,
];

export const lineValues = (l: OrderLine) => [
  l.orderId,
  l.lineNo,
  l.productId,
  l.sku,
  l.name,
  l.unitPriceCents,
  l.quantity,
  l.lineTotalCents,
];

/** The order of a joined result, or null for no rows (every order has at least one line). */
export function orderFromRows(rows: OrderWithLinesRow[]): OrderWithLines | null {
  const [first] = rows;
  if (!first) return null;
  return {
    order: {
      id: first.id,
      userId: first.user_id,
      customerEmail: first.customer_email,
      status: first.status,
      totalCents: Number(first.total_cents),
      currency: first.currency,
      createdAt: first.created_at,
      updatedAt: first.updated_at,
    },
    lines: rows.map((r) => ({
      orderId: r.id,
      lineNo: r.line_no,
      productId: r.product_id,
      sku: r.sku,
      name: r.name,
      unitPriceCents: Number(r.unit_price_cents),
      quantity: r.quantity,
      lineTotalCents: Number(r.line_total_cents),
    })),
  };
}
