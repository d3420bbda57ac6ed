import {
  endOffsets,
  holdsFor,
  mailsTo,
  produce,
  purgeProducts,
  readMessages,
  waitFor,
} from '@microshop/testing';
import { TOPICS } from '@microshop/events';
import {
  adminToken,
  ORDER_SPECS_CATEGORY,
  cancelOrder,
  createProduct,
  Customer,
  getOrder,
  historyOf,
  metric,
  newCustomer,
  notifications,
  orders,
  placeOrder,
  products,
  stockOf,
  waitForStatus,
} from './support/shop';

/** Mails about one order (its id is in every order mail's subject). */
const orderMails = async (customer: Customer, orderId: string) =>
  (await mailsTo(customer.email)).filter((m) => m.subject.includes(orderId));

describe('the order saga: order-service ⇄ product-service over Kafka, mails by notification-service', () => {
  let admin: string;

  afterAll(() => purgeProducts([ORDER_SPECS_CATEGORY]));

  beforeAll(async () => {
    admin = await adminToken();
  });

  it('confirms an order for available stock: stock down by exactly its quantities, PENDING → CONFIRMED, one mail', async () => {
    const lamp = await createProduct(admin, { stock: 10, priceCents: 1250, name: 'Desk lamp' });
    const bulb = await createProduct(admin, { stock: 5, priceCents: 399, name: 'LED bulb' });
    const customer = await newCustomer();
    const confirmedBefore = await metric(orders, 'microshop_orders_total', {
      outcome: 'confirmed',
    });

    const placed = await placeOrder(customer.token, [
      { productId: lamp.id, quantity: 3 },
      { productId: bulb.id, quantity: 2 },
    ]);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      userId: customer.id,
      status: 'PENDING',
      totalCents: 3 * 1250 + 2 * 399,
      currency: 'USD',
      items: [
        {
          productId: lamp.id,
          name: 'Desk lamp',
          unitPriceCents: 1250,
          quantity: 3,
          lineTotalCents: 3750,
        },
        {
          productId: bulb.id,
          name: 'LED bulb',
          unitPriceCents: 399,
          quantity: 2,
          lineTotalCents: 798,
        },
      ],
    });
    const orderId = placed.body.id;

    await waitForStatus(customer.token, orderId, 'CONFIRMED');
    expect(await stockOf(lamp.id)).toBe(7);
    expect(await stockOf(bulb.id)).toBe(3);
    const history = (await historyOf(customer.token, orderId)).body;
    expect(history.map((h) => h.status)).toEqual(['PENDING', 'CONFIRMED']);
    expect(history[1].reason).toBe('stock reserved');

    const [mail] = await waitFor(
      () => orderMails(customer, orderId),
      (m) => m.length > 0,
      { what: `the confirmation mail of order ${orderId}` },
    );
    expect(mail.subject).toContain('confirmed');
    expect(mail.text).toContain('3 x Desk lamp');
    expect(mail.text).toContain('2 x LED bulb');
    expect(mail.text).toContain('Total: $45.48');
    await holdsFor(
      () => orderMails(customer, orderId),
      (m) => m.length === 1,
      { what: 'exactly one mail for the order' },
    );
    expect(await stockOf(lamp.id)).toBe(7);
    expect(
      await metric(orders, 'microshop_orders_total', { outcome: 'confirmed' }),
    ).toBeGreaterThan(confirmedBefore);
  });

  it('rejects an order exceeding stock: stock unchanged, PENDING → REJECTED, one rejection mail', async () => {
    const plenty = await createProduct(admin, { stock: 50 });
    const scarce = await createProduct(admin, { stock: 2 });
    const customer = await newCustomer();

    const placed = await placeOrder(customer.token, [
      { productId: plenty.id, quantity: 5 },
      { productId: scarce.id, quantity: 3 },
    ]);
    expect(placed.status).toBe(201);
    const orderId = placed.body.id;

    await waitForStatus(customer.token, orderId, 'REJECTED');
    const history = (await historyOf(customer.token, orderId)).body;
    expect(history.map((h) => h.status)).toEqual(['PENDING', 'REJECTED']);
    expect(history[1].reason).toContain('insufficient stock');
    expect(history[1].reason).toContain(`${scarce.id}: 3 requested, 2 available`);

    const [mail] = await waitFor(
      () => orderMails(customer, orderId),
      (m) => m.length > 0,
      { what: `the rejection mail of order ${orderId}` },
    );
    expect(mail.subject).toContain('could not be accepted');
    expect(mail.text).toContain('insufficient stock');
    await holdsFor(
      () => Promise.all([orderMails(customer, orderId), stockOf(plenty.id), stockOf(scarce.id)]),
      ([mails, a, b]) => mails.length === 1 && a === 50 && b === 2,
      { what: 'one mail, stock unchanged' },
    );
  });

  it('restores the stock of a cancelled confirmed order exactly once, even when order.cancelled is delivered twice', async () => {
    const product = await createProduct(admin, { stock: 8 });
    const customer = await newCustomer();
    const placed = await placeOrder(customer.token, [{ productId: product.id, quantity: 3 }]);
    const orderId = placed.body.id;
    await waitForStatus(customer.token, orderId, 'CONFIRMED');
    expect(await stockOf(product.id)).toBe(5);

    const since = await endOffsets(TOPICS.ORDER_CANCELLED);
    const cancelled = await cancelOrder(customer.token, orderId);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    await waitFor(
      () => stockOf(product.id),
      (stock) => stock === 8,
      { what: 'the stock to be given back' },
    );
    // order.confirmed and order.cancelled travel on different topics: either mail may come first.
    await waitFor(
      () => orderMails(customer, orderId),
      (m) =>
        m.some((mail) => mail.subject.includes('cancelled')) &&
        m.some((mail) => mail.subject.includes('confirmed')),
      { what: 'the confirmation and cancellation mails' },
    );

    // The same message again, as Kafka may deliver it: same key, same envelope, same eventId.
    const [original] = (
      await readMessages(TOPICS.ORDER_CANCELLED, {
        since,
        until: (messages) => messages.some((m) => m.key === orderId),
      })
    ).filter((m) => m.key === orderId);
    const consumed = () =>
      Promise.all(
        [products, notifications].map((url) =>
          metric(url, 'microshop_kafka_messages_consumed_total', { topic: TOPICS.ORDER_CANCELLED }),
        ),
      );
    const [productsBefore, notificationsBefore] = await consumed();
    await produce(TOPICS.ORDER_CANCELLED, [
      { key: original.key ?? orderId, value: original.value, headers: original.headers },
    ]);
    await waitFor(consumed, ([p, n]) => p > productsBefore && n > notificationsBefore, {
      what: 'both consumers to handle the duplicate',
    });

    await holdsFor(
      () => Promise.all([stockOf(product.id), orderMails(customer, orderId)]),
      ([stock, mails]) => stock === 8 && mails.length === 2,
      { what: 'stock restored once, one confirmation and one cancellation mail' },
    );
    const history = (await historyOf(customer.token, orderId)).body;
    expect(history.map((h) => h.status)).toEqual(['PENDING', 'CONFIRMED', 'CANCELLED']);
    expect(history[2].reason).toBe('cancelled by the customer');
  });

  it('ends with the stock restored when a cancellation races the reservation', async () => {
    const product = await createProduct(admin, { stock: 6 });
    const customer = await newCustomer();
    const placed = await placeOrder(customer.token, [{ productId: product.id, quantity: 4 }]);
    const cancelled = await cancelOrder(customer.token, placed.body.id);
    expect(cancelled.status).toBe(200);

    await waitFor(
      () => orderMails(customer, placed.body.id),
      (m) => m.some((mail) => mail.subject.includes('cancelled')),
      { what: 'the cancellation mail' },
    );
    await waitFor(
      () => stockOf(product.id),
      (stock) => stock === 6,
      { what: 'the stock to be back at 6' },
    );
    await holdsFor(
      () => Promise.all([stockOf(product.id), historyOf(customer.token, placed.body.id)]),
      ([stock, history]) =>
        stock === 6 && history.body.map((h) => h.status).join() === 'PENDING,CANCELLED',
      { what: 'stock 6 and the order CANCELLED' },
    );
  });

  it('100 concurrent orders of 1 unit against 10 in stock: exactly 10 CONFIRMED, 90 REJECTED, stock 0, never negative', async () => {
    const product = await createProduct(admin, { stock: 10 });
    // Ten customers with ten orders each: realistic contention without tripping login throttling.
    const customers = await Promise.all(Array.from({ length: 10 }, () => newCustomer()));
    const placed = await Promise.all(
      customers.flatMap((customer) =>
        Array.from({ length: 10 }, () =>
          placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]).then((res) => ({
            customer,
            res,
          })),
        ),
      ),
    );
    expect(placed.map((p) => p.res.status)).toEqual(Array(100).fill(201));

    const stockSeen: number[] = [];
    const statuses = await waitFor(
      async () => {
        stockSeen.push(await stockOf(product.id));
        const all = await Promise.all(
          placed.map(({ customer, res }) => getOrder(customer.token, res.body.id)),
        );
        return all.map((r) => r.body.status);
      },
      (s) => !s.includes('PENDING'),
      { what: 'every order to leave PENDING', timeoutMs: 90_000, intervalMs: 500 },
    );
    const count = (status: string) => statuses.filter((s) => s === status).length;
    expect({ confirmed: count('CONFIRMED'), rejected: count('REJECTED') }).toEqual({
      confirmed: 10,
      rejected: 90,
    });
    expect(await stockOf(product.id)).toBe(0);
    expect(Math.min(...stockSeen)).toBeGreaterThanOrEqual(0);
  });
});
