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

/** A topic's contract; the compiler checks that `key` names a field of the payload. */
const contract = <P extends object>(
  version: number,
  payload: new () => P,
  key: keyof P & string,
) => ({
  version,
  payload,
  key,
});

/**
 * One contract per topic: the envelope version, bumped only for a breaking payload change; the
 * payload class (validated on publish and on consume); and the payload field whose value is the
 * message key: the aggregate id, so that one aggregate's events share a partition, in order.
 */
export const EVENT_CONTRACTS = {
  [TOPICS.USER_REGISTERED]: contract(1, UserRegisteredPayload, 'userId'),
  [TOPICS.USER_DELETED]: contract(1, UserDeletedPayload, 'userId'),
  [TOPICS.PRODUCT_CREATED]: contract(1, ProductStatePayload, 'productId'),
  [TOPICS.PRODUCT_UPDATED]: contract(1, ProductStatePayload, 'productId'),
  [TOPICS.PRODUCT_DELETED]: contract(1, ProductDeletedPayload, 'productId'),
  [TOPICS.ORDER_CREATED]: contract(1, OrderCreatedPayload, 'orderId'),
  [TOPICS.ORDER_CANCELLED]: contract(1, OrderCancelledPayload, 'orderId'),
  [TOPICS.ORDER_CONFIRMED]: contract(1, OrderConfirmedPayload, 'orderId'),
  [TOPICS.ORDER_REJECTED]: contract(1, OrderRejectedPayload, 'orderId'),
  [TOPICS.STOCK_RESERVED]: contract(1, StockReservedPayload, 'orderId'),
  [TOPICS.STOCK_REJECTED]: contract(1, StockRejectedPayload, 'orderId'),
  [TOPICS.STOCK_RELEASED]: contract(1, StockReleasedPayload, 'orderId'),
} satisfies Record<Topic, { version: number; payload: new () => object; key: string }>;

export type EventMap = {
  [T in Topic]: InstanceType<(typeof EVENT_CONTRACTS)[T]['payload']>;
};
