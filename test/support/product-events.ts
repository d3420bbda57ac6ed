import { EventEnvelope, ProductStatePayload, TOPICS } from '@microshop/events';
import {
  endOffsets,
  Offsets,
  Product,
  PRODUCT_SERVICE_URL as url,
  PRODUCTS_MONGODB_URI,
  QUIET_WINDOW_MS,
  readMessages,
  request,
} from '@microshop/testing';
import { mongo } from 'mongoose';

export const PRODUCT_TOPICS = [
  TOPICS.PRODUCT_CREATED,
  TOPICS.PRODUCT_UPDATED,
  TOPICS.PRODUCT_DELETED,
] as const;
export type ProductTopic = (typeof PRODUCT_TOPICS)[number];

export interface Published {
  topic: ProductTopic;
  key: string | null;
  envelope: EventEnvelope;
}

export const patchProduct = (
  token: string,
  id: string,
  body: unknown,
  headers: Record<string, string> = {},
) => request<Product>(url, 'PATCH', `/products/${id}`, { body, token, headers });

export const deleteProduct = (token: string, id: string) =>
  request(url, 'DELETE', `/products/${id}`, { token });

export const productTopicOffsets = async () =>
  Object.fromEntries(
    await Promise.all(PRODUCT_TOPICS.map(async (t) => [t, await endOffsets(t)] as const)),
  ) as Record<ProductTopic, Offsets>;

/**
 * The events about `ids` on the product topics since `since`, once each topic holds at least the
 * expected number, read on for a while more so that extra messages would show.
 */
export async function productEvents(
  since: Record<ProductTopic, Offsets>,
  ids: string[],
  expected: Partial<Record<ProductTopic, number>>,
): Promise<Published[]> {
  const ours = (key: string | null) => key !== null && ids.includes(key);
  const perTopic = await Promise.all(
    PRODUCT_TOPICS.filter((topic) => (expected[topic] ?? 0) > 0).map(async (topic) => {
      const messages = await readMessages(topic, {
        since: since[topic],
        until: (read) => read.filter((m) => ours(m.key)).length >= expected[topic]!,
        timeoutMs: 60_000,
        settleMs: QUIET_WINDOW_MS,
      });
      return messages
        .filter((m) => ours(m.key))
        .map((m) => ({ topic, key: m.key, envelope: JSON.parse(m.value!) as EventEnvelope }));
    }),
  );
  return perTopic.flat();
}

/** Events written with products of the category that the relay has not published yet. */
export async function pendingProductOutboxEvents(ofCategory: string): Promise<number> {
  const client = await mongo.MongoClient.connect(PRODUCTS_MONGODB_URI);
  try {
    const docs = await client
      .db()
      .collection<{ outbox: unknown[] }>('products')
      .find({ category: ofCategory }, { projection: { outbox: 1 } })
      .toArray();
    return docs.reduce((sum, doc) => sum + doc.outbox.length, 0);
  } finally {
    await client.close();
  }
}

/** The state a product event carries for `p`. */
export const statePayload = (p: Product): ProductStatePayload => ({
  productId: p.id,
  sku: p.sku,
  name: p.name,
  description: p.description,
  category: p.category,
  priceCents: p.priceCents,
  currency: p.currency,
  version: p.version,
  updatedAt: p.updatedAt,
});
