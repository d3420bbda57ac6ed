import { Inject, Injectable } from '@nestjs/common';
import { TooManyRequestsException } from '@microshop/runtime';
import { OrdersRepository } from './orders.repository';

export interface CustomerLimitSettings {
  /** Orders of one customer still PENDING (holding or about to hold stock). */
  maxPending: number;
  /** Orders one customer may place within `windowSeconds`. */
  maxPlaced: number;
  windowSeconds: number;
}

export const CUSTOMER_LIMITS = Symbol('CUSTOMER_LIMITS');

/**
 * Keeps one customer from holding the shop's stock: a cap on their PENDING orders and on the orders
 * they place per window, both counted from the orders table, so every replica sees the same
 * counts. Requests racing each other may pass the check together: at most one per request in
 * flight beyond the cap.
 */
@Injectable()
export class CustomerOrderLimits {
  constructor(
    private readonly orders: OrdersRepository,
    @Inject(CUSTOMER_LIMITS) private readonly limits: CustomerLimitSettings,
  ) {}

  /** Fails with 429 (and when to retry) if the customer may place no order now. */
  async check(userId: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    const now = Date.now();
    const { pending, placed, oldestPlacedAt } = await this.orders.customerActivity(
      userId,
      new Date(now - windowMs),
    );
    if (pending >= this.limits.maxPending) {
      throw new TooManyRequestsException(
        `You have ${pending} orders awaiting confirmation (at most ${this.limits.maxPending}); place more once they are settled`,
        5,
      );
    }
    if (placed >= this.limits.maxPlaced && oldestPlacedAt) {
      throw new TooManyRequestsException(
        `You have placed ${placed} orders in the last ${this.limits.windowSeconds} s (at most ${this.limits.maxPlaced})`,
        (oldestPlacedAt.getTime() + windowMs - now) / 1000,
      );
    }
  }
}
