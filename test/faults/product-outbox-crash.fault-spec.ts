import { TOPICS } from '@microshop/events';
import {
  createProduct,
  loginAsAdmin,
  purgeProducts,
  testCategory,
  waitFor,
  waitForGroupStable,
} from '@microshop/testing';
import { appPid, infra, isHealthy, startApp, stopApp, waitHealthy } from '../../scripts/platform';
import {
  deleteProduct,
  patchProduct,
  pendingProductOutboxEvents,
  productEvents,
  ProductTopic,
  productTopicOffsets,
  statePayload,
} from '../support/product-events';

const category = testCategory('outbox-crash');

describe('product-service SIGKILLed with its writes committed and not yet published', () => {
  let admin: string;
  beforeAll(async () => {
    admin = (await loginAsAdmin()).accessToken;
  });
  afterAll(async () => {
    infra('start', 'kafka');
    // A failure between the kill and the restart must not leave the next specs without it.
    if (appPid('product-service') === null || !(await isHealthy('product-service'))) {
      await stopApp('product-service');
      startApp('product-service');
      await waitHealthy('product-service', 60_000);
    }
    await purgeProducts([category]);
  });

  it('publishes every create, update and delete exactly once after each restart', async () => {
    const since = await productTopicOffsets();
    /** Runs `writes` with Kafka away, so their events can only wait in the outbox, then kills. */
    const killedAfter = async <T>(writes: () => Promise<T>, events: number): Promise<T> => {
      infra('stop', 'kafka');
      const result = await writes();
      await stopApp('product-service', 'SIGKILL');
      expect(await pendingProductOutboxEvents(category)).toBe(events);
      infra('start', 'kafka');
      startApp('product-service');
      await waitHealthy('product-service', 60_000);
      // Published before the next phase takes Kafka away again.
      await waitFor(
        () => pendingProductOutboxEvents(category),
        (n) => n === 0,
        { what: 'the products outbox to drain after the restart' },
      );
      return result;
    };

    const created = await killedAfter(
      () =>
        Promise.all(
          Array.from({ length: 5 }, (_, i) => createProduct(admin, { category, stock: i })),
        ),
      5,
    );
    const updated = await killedAfter(
      () =>
        Promise.all(
          created.map((p) =>
            patchProduct(admin, p.id, { priceCents: p.priceCents + 100 }, { 'if-match': '"1"' }),
          ),
        ),
      5,
    );
    expect(updated.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const gone = created.slice(0, 2);
    const deleted = await killedAfter(
      () => Promise.all(gone.map((p) => deleteProduct(admin, p.id))),
      // A deleted product's event waits in the outbox of its (soft-deleted) document.
      2,
    );
    expect(deleted.map((r) => r.status)).toEqual([204, 204]);
    await waitForGroupStable('product-service');

    const events = await productEvents(
      since,
      created.map((p) => p.id),
      {
        [TOPICS.PRODUCT_CREATED]: 5,
        [TOPICS.PRODUCT_UPDATED]: 5,
        [TOPICS.PRODUCT_DELETED]: 2,
      },
    );
    const copies = (topic: ProductTopic) =>
      events.filter((e) => e.topic === topic).map((e) => e.envelope.payload);
    expect(copies(TOPICS.PRODUCT_CREATED)).toHaveLength(5);
    expect(copies(TOPICS.PRODUCT_CREATED)).toEqual(
      expect.arrayContaining(created.map(statePayload)),
    );
    expect(copies(TOPICS.PRODUCT_UPDATED)).toHaveLength(5);
    expect(copies(TOPICS.PRODUCT_UPDATED)).toEqual(
      expect.arrayContaining(updated.map((r) => statePayload(r.body))),
    );
    expect(copies(TOPICS.PRODUCT_DELETED)).toHaveLength(2);
    expect(copies(TOPICS.PRODUCT_DELETED)).toEqual(
      expect.arrayContaining(
        gone.map((p) => ({
          productId: p.id,
          sku: p.sku,
          version: 3,
          deletedAt: expect.any(String),
        })),
      ),
    );
    expect(new Set(events.map((e) => e.envelope.eventId)).size).toBe(12);
  });
});
