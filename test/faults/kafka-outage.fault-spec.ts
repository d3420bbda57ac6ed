import { TOPICS } from '@microshop/events';
import {
  endOffsets,
  groupLag,
  mailsTo,
  Offsets,
  purgeProducts,
  readMessages,
  ReceivedMessage,
  request,
  waitFor,
} from '@microshop/testing';
import { infra } from '../../scripts/platform';
import {
  adminToken,
  cancelOrder,
  createProduct,
  getOrder,
  newCustomer,
  ORDER_SPECS_CATEGORY,
  placeOrder,
  products,
  stockOf,
  waitForReplica,
} from '../support/shop';
import { countBy, payloadsOf, register, registeredUserIds } from './support';

const OUTAGE_MS = 30_000;
/** Steady load through the outage: a tick every 500 ms (registrations stay under the per-client throttle). */
const WRITE_INTERVAL_MS = 500;
const STOCK = 1_000;

/** Reads `topic` from `since` until every id in `ids` (per `idOf`) was seen. */
const readAll = (
  topic: string,
  since: Offsets,
  ids: Set<string>,
  idOf: (m: ReceivedMessage) => string,
) =>
  readMessages(topic, {
    since,
    until: (read) => new Set(read.map(idOf).filter((id) => ids.has(id))).size >= ids.size,
    timeoutMs: 120_000,
  });

const orderIdOf = (m: ReceivedMessage) => payloadsOf<{ orderId: string }>([m])[0].orderId;

describe('Kafka stopped for 30 seconds while registrations, orders and product updates keep coming', () => {
  afterAll(async () => {
    infra('start', 'kafka');
    await purgeProducts([ORDER_SPECS_CATEGORY]);
  });

  it('answers every write with 2xx and delivers every event, in order per key, once Kafka is back', async () => {
    const admin = await adminToken();
    const catalog = [];
    for (let i = 0; i < 3; i++) catalog.push(await createProduct(admin, { stock: STOCK }));
    // Shoppers take turns, as in a shop: one customer's orders pending all outage long would
    // meet the per-customer cap on pending orders (ORDER_MAX_PENDING_PER_CUSTOMER).
    const customers = await Promise.all(Array.from({ length: 10 }, () => newCustomer()));
    const topics = [
      TOPICS.USER_REGISTERED,
      TOPICS.ORDER_CREATED,
      TOPICS.ORDER_CANCELLED,
      TOPICS.PRODUCT_UPDATED,
    ] as const;
    const since = Object.fromEntries(
      await Promise.all(topics.map(async (t) => [t, await endOffsets(t)] as const)),
    ) as Record<(typeof topics)[number], Offsets>;

    infra('stop', 'kafka');
    const outageEnds = Date.now() + OUTAGE_MS;
    const registered: { id: string; email: string }[] = [];
    const placed: { id: string; productId: string; token: string }[] = [];
    const cancelled = new Set<string>();
    const prices = new Map<string, number[]>();
    let writes = 0;
    const failures: string[] = [];
    const write = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      writes += 1;
      try {
        return await fn();
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
        return undefined;
      }
    };
    const expect2xx = async (what: string, call: Promise<{ status: number; body: unknown }>) => {
      const res = await call;
      if (res.status < 200 || res.status > 299)
        throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res;
    };
    for (let tick = 0, next = Date.now(); next < outageEnds; tick++, next += WRITE_INTERVAL_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      const user = await write('register', register);
      if (user) registered.push(user);
      const product = catalog[tick % catalog.length];
      const customer = customers[tick % customers.length];
      const order = await write(
        'place order',
        async () =>
          (
            await expect2xx(
              'POST /orders',
              placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]),
            )
          ).body as { id: string },
      );
      if (order) placed.push({ id: order.id, productId: product.id, token: customer.token });
      // Every fourth order is cancelled during the outage too: its events must reach product-service in order.
      if (order && tick % 4 === 3) {
        const ok = await write('cancel order', () =>
          expect2xx('POST /orders/:id/cancel', cancelOrder(customer.token, order.id)),
        );
        if (ok) cancelled.add(order.id);
      }
      if (tick % 2 === 0) {
        const priceCents = 1_000 + tick;
        const ok = await write('update product', () =>
          expect2xx(
            'PATCH /products/:id',
            request(products, 'PATCH', `/products/${product.id}`, {
              token: admin,
              body: { priceCents },
            }),
          ),
        );
        if (ok) prices.set(product.id, [...(prices.get(product.id) ?? []), priceCents]);
      }
    }
    infra('start', 'kafka');
    const updates = [...prices.values()].reduce((n, p) => n + p.length, 0);
    console.log(
      `writes during the outage: ${writes - failures.length} of ${writes} answered 2xx ` +
        `(${registered.length} registrations, ${placed.length} orders, ${cancelled.size} cancellations, ${updates} product updates)`,
    );
    expect(failures).toEqual([]);
    expect(registered.length).toBeGreaterThan(10);
    expect(placed.length).toBeGreaterThan(10);

    const userIds = new Set(registered.map((u) => u.id));
    const orderIds = new Set(placed.map((o) => o.id));
    const productIds = new Set(catalog.map((p) => p.id));
    const [registrations, created, cancellations, productUpdates] = await Promise.all([
      readAll(
        TOPICS.USER_REGISTERED,
        since[TOPICS.USER_REGISTERED],
        userIds,
        (m) => registeredUserIds([m])[0],
      ),
      readAll(TOPICS.ORDER_CREATED, since[TOPICS.ORDER_CREATED], orderIds, orderIdOf),
      readAll(TOPICS.ORDER_CANCELLED, since[TOPICS.ORDER_CANCELLED], cancelled, orderIdOf),
      readMessages(TOPICS.PRODUCT_UPDATED, {
        since: since[TOPICS.PRODUCT_UPDATED],
        until: (read) =>
          payloadsOf<{ productId: string }>(read).filter((p) => productIds.has(p.productId))
            .length >= updates,
        timeoutMs: 120_000,
      }),
    ]);
    const registeredCounts = countBy(
      registeredUserIds(registrations).filter((id) => userIds.has(id)),
    );
    const createdAt = new Map(
      created.filter((m) => orderIds.has(orderIdOf(m))).map((m) => [orderIdOf(m), m.timestamp]),
    );
    const cancelledAt = new Map(
      cancellations
        .filter((m) => cancelled.has(orderIdOf(m)))
        .map((m) => [orderIdOf(m), m.timestamp]),
    );
    // Per order: order.created went out before its order.cancelled.
    const cancelledBeforeCreated = [...cancelled].filter(
      (id) => (cancelledAt.get(id) ?? 0) < (createdAt.get(id) ?? Infinity),
    );
    // Per product: its product.updated events in partition order carry its prices in write order.
    const pricesOnKafka = new Map<string, number[]>();
    for (const p of payloadsOf<{ productId: string; priceCents: number; version: number }>(
      [...productUpdates].sort(
        (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
      ),
    )) {
      if (productIds.has(p.productId))
        pricesOnKafka.set(p.productId, [...(pricesOnKafka.get(p.productId) ?? []), p.priceCents]);
    }
    const productsInOrder = [...prices].filter(
      ([id, written]) => JSON.stringify(pricesOnKafka.get(id)) === JSON.stringify(written),
    ).length;
    console.log(
      `after the outage: user.registered ${registeredCounts.size} of ${userIds.size}; ` +
        `order.created ${createdAt.size} of ${orderIds.size}; order.cancelled ${cancelledAt.size} of ${cancelled.size} ` +
        `(${cancelledBeforeCreated.length} before their order.created); ` +
        `product.updated in write order for ${productsInOrder} of ${prices.size} products`,
    );
    expect(registeredCounts.size).toBe(userIds.size);
    expect(createdAt.size).toBe(orderIds.size);
    expect(cancelledAt.size).toBe(cancelled.size);
    expect(cancelledBeforeCreated).toEqual([]);
    expect(productsInOrder).toBe(prices.size);

    // The consumers downstream catch up: every order settles, stock is exactly what the confirmed
    // orders took, order-service's product replica has every last price, the last user gets mail.
    const statuses = await waitFor(
      () => Promise.all(placed.map(async (o) => (await getOrder(o.token, o.id)).body.status)),
      (s) =>
        s.every((status, i) =>
          cancelled.has(placed[i].id) ? status === 'CANCELLED' : status === 'CONFIRMED',
        ),
      { what: 'every order to be settled', timeoutMs: 120_000 },
    );
    // An order is CANCELLED in order-service at once, its stock comes back only once product-service
    // has handled its order.cancelled: read the stock when product-service has committed every
    // order event (it commits a message after its handler finished).
    await waitFor(
      () =>
        Promise.all(
          [TOPICS.ORDER_CREATED, TOPICS.ORDER_CANCELLED].map((t) => groupLag('product-service', t)),
        ),
      (lags) => lags.every((lag) => lag === 0),
      { what: 'product-service to handle every order event', timeoutMs: 120_000 },
    );
    const kept = placed.filter((o) => !cancelled.has(o.id));
    const stocks = await Promise.all(catalog.map((p) => stockOf(p.id)));
    const expectedStocks = catalog.map(
      (p) => STOCK - kept.filter((o) => o.productId === p.id).length,
    );
    console.log(
      `orders settled: ${countBy(statuses).get('CONFIRMED') ?? 0} CONFIRMED, ${countBy(statuses).get('CANCELLED') ?? 0} CANCELLED; ` +
        `stock ${stocks.join(',')} (expected ${expectedStocks.join(',')})`,
    );
    expect(stocks).toEqual(expectedStocks);
    for (const [id, written] of prices) {
      await waitForReplica(admin, id, (r) => r.priceCents === written[written.length - 1]);
    }
    const last = registered[registered.length - 1];
    await waitFor(
      () => mailsTo(last.email),
      (m) => m.length === 1,
      { what: 'the last welcome mail', timeoutMs: 120_000 },
    );
  });
});
