import { TOPICS } from '@microshop/events';
import {
  endOffsets,
  purgeProducts,
  QUIET_WINDOW_MS,
  readMessages,
  waitFor,
} from '@microshop/testing';
import { appPid, infra, startApp, stopApp, waitHealthy } from '../../scripts/platform';
import {
  adminToken,
  createProduct,
  getOrder,
  newCustomer,
  ORDER_SPECS_CATEGORY,
  placeOrder,
  stockOf,
} from '../support/shop';
import { countBy, payloadsOf, pendingOrderOutboxRows } from './support';

const ORDERS = 12;
const STOCK = 8;

describe('order-service killed with SIGKILL after committing orders and before publishing them', () => {
  afterAll(async () => {
    infra('start', 'kafka');
    if (appPid('order-service') === null) startApp('order-service');
    await waitHealthy('order-service');
    await purgeProducts([ORDER_SPECS_CATEGORY]);
  });

  it('publishes one order.created per committed order after restart, drains its outbox and settles every order', async () => {
    const product = await createProduct(await adminToken(), { stock: STOCK });
    // Three shoppers: one customer's orders all pending at once would meet the cap on pending
    // orders per customer (ORDER_MAX_PENDING_PER_CUSTOMER, 10).
    const customers = await Promise.all([newCustomer(), newCustomer(), newCustomer()]);
    const since = await endOffsets(TOPICS.ORDER_CREATED);

    // With Kafka away, committed orders can only wait in the outbox.
    infra('stop', 'kafka');
    const placed: { id: string; token: string }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const { token } = customers[i % customers.length];
      const res = await placeOrder(token, [{ productId: product.id, quantity: 1 }]);
      expect(res.status).toBe(201);
      placed.push({ id: res.body.id, token });
    }
    const waiting = await pendingOrderOutboxRows();
    await stopApp('order-service', 'SIGKILL');
    infra('start', 'kafka');
    startApp('order-service');
    await waitHealthy('order-service');

    const ids = new Set(placed.map((o) => o.id));
    const ours = (messages: Parameters<typeof payloadsOf>[0]) =>
      payloadsOf<{ orderId: string }>(messages)
        .map((p) => p.orderId)
        .filter((id) => ids.has(id));
    const messages = await readMessages(TOPICS.ORDER_CREATED, {
      since,
      until: (read) => new Set(ours(read)).size >= ORDERS,
      timeoutMs: 120_000,
      settleMs: QUIET_WINDOW_MS,
    });
    const counts = countBy(ours(messages));
    const copies = [...counts.values()];
    await waitFor(pendingOrderOutboxRows, (n) => n === 0, {
      what: "order-service's outbox to drain",
      timeoutMs: 60_000,
    });
    const statuses = await waitFor(
      () => Promise.all(placed.map(async (o) => (await getOrder(o.token, o.id)).body.status)),
      (s) => s.every((status) => status === 'CONFIRMED' || status === 'REJECTED'),
      { what: 'every order to be settled', timeoutMs: 120_000 },
    );
    const outcomes = countBy(statuses);
    const stock = await stockOf(product.id);
    console.log(
      `committed ${ORDERS} orders (${waiting} events in the outbox at the kill); ` +
        `order.created: ${counts.size} distinct, max copies ${Math.max(...copies)}; outbox now 0; ` +
        `CONFIRMED ${outcomes.get('CONFIRMED') ?? 0}, REJECTED ${outcomes.get('REJECTED') ?? 0}; stock ${stock}`,
    );
    expect(waiting).toBeGreaterThanOrEqual(ORDERS);
    expect(counts.size).toBe(ORDERS);
    expect(copies.every((n) => n === 1)).toBe(true);
    expect(outcomes.get('CONFIRMED')).toBe(STOCK);
    expect(outcomes.get('REJECTED')).toBe(ORDERS - STOCK);
    expect(stock).toBe(0);
  });
});
