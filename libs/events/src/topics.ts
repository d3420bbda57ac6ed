/** Every Kafka topic MicroShop uses. Topic strings are never typed inline elsewhere. */
export const TOPICS = {
  USER_REGISTERED: 'user.registered',
  USER_DELETED: 'user.deleted',
  PRODUCT_CREATED: 'product.created',
  PRODUCT_UPDATED: 'product.updated',
  PRODUCT_DELETED: 'product.deleted',
  ORDER_CREATED: 'order.created',
  ORDER_CANCELLED: 'order.cancelled',
  ORDER_CONFIRMED: 'order.confirmed',
  ORDER_REJECTED: 'order.rejected',
  STOCK_RESERVED: 'stock.reserved',
  STOCK_REJECTED: 'stock.rejected',
  STOCK_RELEASED: 'stock.released',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly Topic[] = Object.values(TOPICS);

/** Where a message that cannot be processed is parked, with the error in its headers. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlt`;

export const isTopic = (value: string): value is Topic =>
  (ALL_TOPICS as readonly string[]).includes(value);

/** Which service publishes each topic (docs/contract.md, "Events"). */
export const TOPIC_PRODUCERS: Record<Topic, string> = {
  [TOPICS.USER_REGISTERED]: 'user-service',
  [TOPICS.USER_DELETED]: 'user-service',
  [TOPICS.PRODUCT_CREATED]: 'product-service',
  [TOPICS.PRODUCT_UPDATED]: 'product-service',
  [TOPICS.PRODUCT_DELETED]: 'product-service',
  [TOPICS.ORDER_CREATED]: 'order-service',
  [TOPICS.ORDER_CANCELLED]: 'order-service',
  [TOPICS.ORDER_CONFIRMED]: 'order-service',
  [TOPICS.ORDER_REJECTED]: 'order-service',
  [TOPICS.STOCK_RESERVED]: 'product-service',
  [TOPICS.STOCK_REJECTED]: 'product-service',
  [TOPICS.STOCK_RELEASED]: 'product-service',
};

export const topicsProducedBy = (service: string): Topic[] =>
  ALL_TOPICS.filter((topic) => TOPIC_PRODUCERS[topic] === service);

/**
 * Which services consume each topic, as their `@OnEvent` handlers do (an app refuses to boot
 * subscribed to a topic not listed for it). The bus grants reading a topic, and writing its
 * dead-letter topic, to these services only.
 */
export const TOPIC_CONSUMERS: Record<Topic, readonly string[]> = {
  [TOPICS.USER_REGISTERED]: ['notification-service'],
  [TOPICS.USER_DELETED]: [],
  [TOPICS.PRODUCT_CREATED]: ['order-service'],
  [TOPICS.PRODUCT_UPDATED]: ['order-service'],
  [TOPICS.PRODUCT_DELETED]: ['order-service'],
  [TOPICS.ORDER_CREATED]: ['product-service'],
  [TOPICS.ORDER_CANCELLED]: ['product-service', 'notification-service'],
  [TOPICS.ORDER_CONFIRMED]: ['notification-service'],
  [TOPICS.ORDER_REJECTED]: ['notification-service'],
  [TOPICS.STOCK_RESERVED]: ['order-service'],
  [TOPICS.STOCK_REJECTED]: ['order-service'],
  [TOPICS.STOCK_RELEASED]: [],
};

export const topicsConsumedBy = (service: string): Topic[] =>
  ALL_TOPICS.filter((topic) => TOPIC_CONSUMERS[topic].includes(service));

/** The topics `service` writes: its own, and the dead-letter topics of those it consumes. */
export const topicsWrittenBy = (service: string): string[] => [
  ...topicsProducedBy(service),
  ...topicsConsumedBy(service).map(deadLetterTopic),
];

/** Fails unless every topic `service` subscribes to lists it as a consumer (TOPIC_CONSUMERS). */
export function checkSubscriptions(service: string, subscribed: readonly Topic[]): void {
  const unlisted = subscribed.filter((topic) => !TOPIC_CONSUMERS[topic].includes(service));
  if (unlisted.length) {
    throw new Error(
      `${service} handles ${unlisted.join(', ')} but TOPIC_CONSUMERS (libs/events/src/topics.ts) does not list it there: the bus would not let it read`,
    );
  }
}
