import { createEnvelope, deadLetterTopic, DLT_HEADERS, TOPICS } from '@microshop/events';
import { endOffsets, produce, purgeProducts, readMessages } from '@microshop/testing';
import {
  adminToken,
  createProduct,
  getOrder,
  newCustomer,
  ORDER_SPECS_CATEGORY,
  placeOrder,
  waitForReplica,
  waitForStatus,
} from './support/shop';

/** Publishes `envelope` as its topic's own message would be, and returns it as dead-lettered. */
async function deadLettered(topic: string, key: string, envelope: object) {
  const dlt = deadLetterTopic(topic);
  const since = await endOffsets(dlt);
  await produce(topic, [{ key, value: JSON.stringify(envelope) }]);
  const parked = await readMessages(dlt, {
    since,
    until: (messages) => messages.some((m) => m.key === key),
  });
  return parked.find((m) => m.key === key)!;
}

describe('consumers distrust what they read', () => {
  afterAll(() => purgeProducts([ORDER_SPECS_CATEGORY]));

  it('parks a stock.reserved that does not reserve the order’s own lines, and the order is unchanged', async () => {
    const admin = await adminToken();
    const product = await createProduct(admin, { stock: 5 });
    const customer = await newCustomer();
    await waitForReplica(admin, product.id, () => true);
    // Too many for the stock: product-service rejects it.
    const placed = await placeOrder(customer.token, [{ productId: product.id, quantity: 6 }]);
    expect(placed.status).toBe(201);
    await waitForStatus(customer.token, placed.body.id, 'REJECTED');

    const forged = createEnvelope(
      TOPICS.STOCK_RESERVED,
      { orderId: placed.body.id, items: [{ productId: product.id, quantity: 1 }] },
      { producer: 'product-service' },
    );
    const parked = await deadLettered(TOPICS.STOCK_RESERVED, placed.body.id, forged);
    expect(parked.headers[DLT_HEADERS.error]).toMatch(/does not reserve the order's lines/);
    expect((await getOrder(customer.token, placed.body.id)).body.status).toBe('REJECTED');
  });

  it('parks a product.updated that another service claims to have published, and the replica keeps its price', async () => {
    const admin = await adminToken();
    const product = await createProduct(admin, { priceCents: 2500 });
    await waitForReplica(admin, product.id, () => true);
    const forged = createEnvelope(
      TOPICS.PRODUCT_UPDATED,
      {
        productId: product.id,
        sku: product.sku,
        name: product.name,
        description: product.description,
        category: product.category,
        priceCents: 1,
        currency: product.currency,
        version: product.version + 1,
        updatedAt: new Date().toISOString(),
      },
      { producer: 'order-service' },
    );
    const parked = await deadLettered(TOPICS.PRODUCT_UPDATED, product.id, forged);
    expect(parked.headers[DLT_HEADERS.error]).toMatch(
      /producer "order-service" does not publish product.updated/,
    );
    const replica = await waitForReplica(admin, product.id, () => true);
    expect(replica.body.priceCents).toBe(2500);
  });
});
