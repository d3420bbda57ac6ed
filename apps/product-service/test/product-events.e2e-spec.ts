import { ProductDeletedPayload, TOPICS } from '@microshop/events';
import { createProduct, loginAsAdmin, purgeProducts, testCategory } from '@microshop/testing';
import {
  deleteProduct,
  patchProduct,
  productEvents,
  ProductTopic,
  productTopicOffsets,
  statePayload,
} from '../../../test/support/product-events';

const category = testCategory('events');
let admin: string;

beforeAll(async () => {
  admin = (await loginAsAdmin()).accessToken;
});
afterAll(() => purgeProducts([category]));

describe('product events', () => {
  it('each catalog write publishes exactly one event with the new state, keyed by the product id', async () => {
    const since = await productTopicOffsets();
    const created = await createProduct(admin, { category, stock: 3 });
    const renamed = await patchProduct(admin, created.id, { name: 'Walnut desk lamp' });
    // Stock is not catalog state: its changes publish no product event.
    const restocked = await patchProduct(admin, created.id, { stockDelta: 7 });
    const repriced = await patchProduct(
      admin,
      created.id,
      { priceCents: 4_200 },
      { 'if-match': '"2"' },
    );
    expect([renamed.status, restocked.status, repriced.status]).toEqual([200, 200, 200]);
    expect(restocked.body).toMatchObject({ stock: 10, version: 2 });
    expect((await deleteProduct(admin, created.id)).status).toBe(204);
    // Refused writes publish nothing.
    expect((await patchProduct(admin, created.id, { stock: 1 })).status).toBe(404);

    const events = await productEvents(since, [created.id], {
      [TOPICS.PRODUCT_CREATED]: 1,
      [TOPICS.PRODUCT_UPDATED]: 2,
      [TOPICS.PRODUCT_DELETED]: 1,
    });
    const byTopic = (topic: ProductTopic) => events.filter((e) => e.topic === topic);
    expect(byTopic(TOPICS.PRODUCT_CREATED).map((e) => e.envelope.payload)).toEqual([
      statePayload(created),
    ]);
    expect(byTopic(TOPICS.PRODUCT_UPDATED).map((e) => e.envelope.payload)).toEqual([
      statePayload(renamed.body),
      statePayload(repriced.body),
    ]);
    const deleted = byTopic(TOPICS.PRODUCT_DELETED).map((e) => e.envelope.payload);
    expect(deleted).toEqual([
      {
        productId: created.id,
        sku: created.sku,
        version: 4,
        deletedAt: expect.any(String),
      } satisfies ProductDeletedPayload,
    ]);
    for (const { topic, key, envelope } of events) {
      expect(key).toBe(created.id);
      expect(envelope).toMatchObject({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: topic,
        version: 1,
        producer: 'product-service',
        correlationId: expect.any(String),
      });
    }
    expect(new Set(events.map((e) => e.envelope.eventId)).size).toBe(4);
  });
});
