import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OutgoingEvent, recordEvents } from '@microshop/events';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { OrderLine } from './entities/order-line.entity';
import { OrderStatus } from './entities/order-status';
import { OrderStatusHistory } from './entities/order-status-history.entity';
import { Order } from './entities/order.entity';
import { OrderCursor } from './order-cursor';
import {
  LINE_COLUMNS,
  ORDER_COLUMNS,
  ORDER_WITH_LINES_SELECT,
  orderFromRows,
  OrderWithLinesRow,
  lineValues,
  orderValues,
} from './order-rows';
import { OrderWithLines } from './order-view';

export interface OrderFilter {
  userId?: string;
  status?: OrderStatus;
  after?: OrderCursor;
  limit: number;
}

/** Persistence of orders: every write takes the caller's transaction, reads take none. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A new order, its first history entry and its events. */
  async insert(
    manager: EntityManager,
    { order, lines }: OrderWithLines,
    reason: string,
    events: OutgoingEvent[],
  ): Promise<void> {
    await manager.query(`INSERT INTO orders (${ORDER_COLUMNS}) VALUES (?)`, [orderValues(order)]);
    await manager.query(`INSERT INTO order_lines (${LINE_COLUMNS}) VALUES ?`, [
      lines.map(lineValues),
    ]);
    await this.addHistory(manager, order.id, order.status, reason, null, order.updatedAt);
    await recordEvents(manager, events);
  }

  /** Moves the order (locked by the caller) to `status`, with why and the events it causes. */
  async move(
    manager: EntityManager,
    order: Order,
    status: OrderStatus,
    reason: string,
    causeEventId: string | null,
    events: (moved: Order) => OutgoingEvent[],
  ): Promise<Order> {
    const now = new Date();
    await manager.query('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?', [
      status,
      now,
      order.id,
    ]);
    const moved = { ...order, status, updatedAt: now };
    await this.addHistory(manager, order.id, status, reason, causeEventId, now);
    await recordEvents(manager, events(moved));
    return moved;
  }

  /** The order with a write lock held until the transaction ends, or null. */
  async lock(manager: EntityManager, id: string): Promise<OrderWithLines | null> {
    return orderFromRows(
      await manager.query<OrderWithLinesRow[]>(`${ORDER_WITH_LINES_SELECT} FOR UPDATE`, [id]),
    );
  }

  async find(id: string): Promise<OrderWithLines | null> {
    return orderFromRows(
      await this.dataSource.query<OrderWithLinesRow[]>(ORDER_WITH_LINES_SELECT, [id]),
    );
  }

  /** Newest first, ties broken by id; `limit + 1` rows tell whether another page follows. */
  async page(filter: OrderFilter): Promise<OrderWithLines[]> {
    const query = this.dataSource
      .getRepository(Order)
      .createQueryBuilder('o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(filter.limit);
    if (filter.userId) query.andWhere('o.user_id = :userId', { userId: filter.userId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    const after = filter.after;
    if (after) {
      query.andWhere(
        new Brackets((q) =>
          q
            .where('o.created_at < :at', { at: after.createdAt })
            .orWhere('(o.created_at = :at AND o.id < :id)', { at: after.createdAt, id: after.id }),
        ),
      );
    }
    const orders = await query.getMany();
    if (orders.length === 0) return [];
    const lines = await this.dataSource
      .getRepository(OrderLine)
      .findBy({ orderId: In(orders.map((o) => o.id)) });
    return orders.map((order) => ({
      order,
      lines: lines.filter((l) => l.orderId === order.id),
    }));
  }

  /** The customer's PENDING orders, and the orders they placed since `since` (the oldest's time). */
  async customerActivity(
    userId: string,
    since: Date,
  ): Promise<{ pending: number; placed: number; oldestPlacedAt: Date | null }> {
    const [row] = await this.dataSource.query<
      { pending: string | null; placed: string; oldest: Date | null }[]
    >(
      `SELECT SUM(status = 'PENDING') AS pending, SUM(created_at >= ?) AS placed,
              MIN(CASE WHEN created_at >= ? THEN created_at END) AS oldest
         FROM orders WHERE user_id = ?`,
      [since, since, userId],
    );
    return {
      pending: Number(row?.pending ?? 0),
      placed: Number(row?.placed ?? 0),
      oldestPlacedAt: row?.oldest ?? null,
    };
  }

  history(orderId: string): Promise<OrderStatusHistory[]> {
    return this.dataSource
      .getRepository(OrderStatusHistory)
      .find({ where: { orderId }, order: { id: 'ASC' } });
  }

  private async addHistory(
    manager: EntityManager,
    orderId: string,
    status: OrderStatus,
    reason: string,
    eventId: string | null,
    at: Date,
  ): Promise<void> {
    await manager.query(
      'INSERT INTO order_status_history (order_id, status, reason, event_id, at) VALUES (?)',
      [[orderId, status, reason.slice(0, 500), eventId, at]],
    );
  }
}
