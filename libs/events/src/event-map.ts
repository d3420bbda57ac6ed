import {
  OrderCancelledPayload,
  OrderConfirmedPayload,
  OrderCreatedPayload,
  OrderRejectedPayload,
  ProductDeletedPayload,
  ProductStatePayload,
  StockRejectedPayload,
  StockReleasedPayload,
  StockReservedPayload,
  UserDeletedPayload,
  UserRegisteredPayload,
} from './contracts';
import { TOPICS, Topic } from './topics';

/**
 * One contract per topic: the payload class (validated on publish and on consume) and the
 * envelope version, bumped only for a breaking payload change.
 */
export const EVENT_CONTRACTS = {
  [TOPICS.USER_REGISTERED]: { version: 1, payload: UserRegisteredPayload },
  [TOPICS.USER_DELETED]: { version: 1, payload: UserDeletedPayload },
  [TOPICS.PRODUCT_CREATED]: { version: 1, payload: ProductStatePayload },
  [TOPICS.PRODUCT_UPDATED]: { version: 1, payload: ProductStatePayload },
  [TOPICS.PRODUCT_DELETED]: { version: 1, payload: ProductDeletedPayload },
  [TOPICS.ORDER_CREATED]: { version: 1, payload: OrderCreatedPayload },
  [TOPICS.ORDER_CANCELLED]: { version: 1, payload: OrderCancelledPayload },
  [TOPICS.ORDER_CONFIRMED]: { version: 1, payload: OrderConfirmedPayload },
  [TOPICS.ORDER_REJECTED]: { version: 1, payload: OrderRejectedPayload },
  [TOPICS.STOCK_RESERVED]: { version: 1, payload: StockReservedPayload },
  [TOPICS.STOCK_REJECTED]: { version: 1, payload: StockRejectedPayload },
  [TOPICS.STOCK_RELEASED]: { version: 1, payload: StockReleasedPayload },
} as const satisfies Record<Topic, { version: number; payload: new () => object }>;

export type EventMap = {
  [T in Topic]: InstanceType<(typeof EVENT_CONTRACTS)[T]['payload']>;
};
