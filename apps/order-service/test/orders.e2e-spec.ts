import { randomUUID } from 'node:crypto';
import { purgeProducts, request } from '@microshop/testing';
import {
  adminToken,
  ORDER_SPECS_CATEGORY,
  cancelOrder,
  createProduct,
  Customer,
  ErrorBody,
  getOrder,
  historyOf,
  newCustomer,
  Order,
  orders,
  placeOrder,
  Product,
  products,
  waitForReplica,
  waitForStatus,
} from '../../../test/support/shop';

const fieldsOf = (body: { details?: { field: string }[] }) =>
  (body.details ?? []).map((d) => d.field);

describe('order-service /orders', () => {
  let admin: string;
  let product: Product;
  let alice: Customer;
  let bob: Customer;

  afterAll(() => purgeProducts([ORDER_SPECS_CATEGORY]));

  beforeAll(async () => {
    admin = await adminToken();
    product = await createProduct(admin, { stock: 1000, priceCents: 250 });
    [alice, bob] = await Promise.all([newCustomer(), newCustomer()]);
  });

  const line = (quantity = 1) => ({ productId: product.id, quantity });

  describe('POST /orders', () => {
    it('needs a signed-in caller', async () => {
      const res = await request(orders, 'POST', '/orders', { body: { items: [line()] } });
      expect(res.status).toBe(401);
    });

    it('creates a PENDING order priced by the server from its product replica', async () => {
      const res = await placeOrder(alice.token, [line(4)]);
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/orders/${res.body.id}`);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: alice.id,
        status: 'PENDING',
        items: [
          {
            productId: product.id,
            sku: product.sku,
            name: product.name,
            unitPriceCents: 250,
            quantity: 4,
            lineTotalCents: 1000,
          },
        ],
        totalCents: 1000,
        currency: 'USD',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it.each([
      ['no lines', { items: [] }, 'items'],
      ['no items at all', {}, 'items'],
      [
        '51 lines',
        { items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) },
        'items',
      ],
      ['quantity 0', { items: [{ productId: 'p', quantity: 0 }] }, 'items[0].quantity'],
      ['quantity 101', { items: [{ productId: 'p', quantity: 101 }] }, 'items[0].quantity'],
      [
        'a fractional quantity',
        { items: [{ productId: 'p', quantity: 1.5 }] },
        'items[0].quantity',
      ],
      [
        'a repeated product',
        {
          items: [
            { productId: 'p', quantity: 1 },
            { productId: 'p', quantity: 2 },
          ],
        },
        'items',
      ],
      [
        'a client-supplied price',
        { items: [{ productId: 'p', quantity: 1, unitPriceCents: 1 }] },
        'items[0].unitPriceCents',
      ],
      [
        'a client-supplied status',
        { items: [{ productId: 'p', quantity: 1 }], status: 'CONFIRMED' },
        'status',
      ],
    ])('answers 400 for %s', async (_, body, field) => {
      const res = await request<ErrorBody>(orders, 'POST', '/orders', { token: alice.token, body });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toContain(field);
    });

    it('accepts 50 lines of quantity 100 as far as validation goes (422: the products are unknown)', async () => {
      const items = Array.from({ length: 50 }, (_, i) => ({
        productId: `unknown-${i}`,
        quantity: 100,
      }));
      const res = await request(orders, 'POST', '/orders', { token: alice.token, body: { items } });
      expect(res.status).toBe(422);
    });

    it('answers 422 for a product it does not know, naming it', async () => {
      const res = await placeOrder(alice.token, [
        line(),
        { productId: 'ffffffffffffffffffffffff', quantity: 1 },
      ]);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
      expect(res.body.message).toContain('ffffffffffffffffffffffff');
    });

    it('answers 422 for a deleted product', async () => {
      const doomed = await createProduct(admin, { stock: 5 });
      expect(
        (await request(products, 'DELETE', `/products/${doomed.id}`, { token: admin })).status,
      ).toBe(204);
      await waitForReplica(admin, doomed.id, (p) => p.deleted);
      const res = await placeOrder(alice.token, [{ productId: doomed.id, quantity: 1 }]);
      expect(res.status).toBe(422);
    });

    it('prices new orders from the newest product version', async () => {
      const repriced = await createProduct(admin, { stock: 5, priceCents: 100 });
      const patched = await request(products, 'PATCH', `/products/${repriced.id}`, {
        token: admin,
        body: { priceCents: 175 },
      });
      expect(patched.status).toBe(200);
      await waitForReplica(admin, repriced.id, (p) => p.priceCents === 175);
      const res = await placeOrder(alice.token, [{ productId: repriced.id, quantity: 2 }]);
      expect(res.body.totalCents).toBe(350);
    });

    it("refuses a customer's 61st order within the hour with 429 and Retry-After, and nobody else's", async () => {
      const hoarder = await newCustomer();
      // Ten at a time, each ten settled before the next: the cap on pending orders (10) is not
      // what stops them.
      for (let round = 0; round < 6; round++) {
        const placed = await Promise.all(
          Array.from({ length: 10 }, () => placeOrder(hoarder.token, [line()])),
        );
        expect(placed.map((res) => res.status)).toEqual(Array(10).fill(201));
        for (const res of placed) await waitForStatus(hoarder.token, res.body.id, 'CONFIRMED');
      }
      const refused = await placeOrder(hoarder.token, [line()]);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'You have placed 60 orders in the last 3600 s (at most 60)',
      });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect((await placeOrder(bob.token, [line()])).status).toBe(201);
    });
  });

  describe('Idempotency-Key', () => {
    const ordersOf = async (customer: Customer) =>
      (
        await request<{ items: Order[] }>(orders, 'GET', '/orders?limit=100', {
          token: customer.token,
        })
      ).body.items;

    it('sent twice with the same body creates one order and answers with it both times', async () => {
      const customer = await newCustomer();
      const key = randomUUID();
      const first = await placeOrder(customer.token, [line(2)], key);
      const second = await placeOrder(customer.token, [line(2)], key);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body.id).toBe(first.body.id);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect((await ordersOf(customer)).map((o) => o.id)).toEqual([first.body.id]);
    });

    it('sent concurrently still creates one order', async () => {
      const customer = await newCustomer();
      const key = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => placeOrder(customer.token, [line()], key)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill(201));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await ordersOf(customer)).toHaveLength(1);
    });

    it('reused with another body answers 409 and creates nothing', async () => {
      const customer = await newCustomer();
      const key = randomUUID();
      expect((await placeOrder(customer.token, [line(1)], key)).status).toBe(201);
      const other = await placeOrder(customer.token, [line(2)], key);
      expect(other.status).toBe(409);
      expect(await ordersOf(customer)).toHaveLength(1);
    });

    it("is per customer: another customer's identical key is a new order", async () => {
      const [one, two] = await Promise.all([newCustomer(), newCustomer()]);
      const key = randomUUID();
      const a = await placeOrder(one.token, [line()], key);
      const b = await placeOrder(two.token, [line()], key);
      expect(b.status).toBe(201);
      expect(b.body.id).not.toBe(a.body.id);
      expect(b.body.userId).toBe(two.id);
    });

    it('must be 1–255 visible characters', async () => {
      const res = await placeOrder(alice.token, [line()], 'x'.repeat(256));
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['Idempotency-Key']);
    });
  });

  describe("someone else's order", () => {
    let bobsOrder: Order;

    beforeAll(async () => {
      bobsOrder = (await placeOrder(bob.token, [line()])).body;
    });

    it.each([
      ['reading', () => getOrder(alice.token, bobsOrder.id)],
      ['reading the history of', () => historyOf(alice.token, bobsOrder.id)],
      ['cancelling', () => cancelOrder(alice.token, bobsOrder.id)],
    ])('is 404 to another customer %s it, as if it did not exist', async (_, call) => {
      const res = await call();
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'No such order' });
      const missing = await getOrder(alice.token, randomUUID());
      expect(missing.body).toEqual(res.body);
    });

    it('stays untouched by the refused cancellation', async () => {
      const before = (await getOrder(bob.token, bobsOrder.id)).body;
      expect((await cancelOrder(alice.token, bobsOrder.id)).status).toBe(404);
      const after = (await getOrder(bob.token, bobsOrder.id)).body;
      expect(after.status).not.toBe('CANCELLED');
      expect((await historyOf(bob.token, bobsOrder.id)).body).not.toContainEqual(
        expect.objectContaining({ status: 'CANCELLED' }),
      );
      expect(after.createdAt).toBe(before.createdAt);
    });

    it('is visible to an admin, who may read its history', async () => {
      expect((await getOrder(admin, bobsOrder.id)).body.userId).toBe(bob.id);
      expect((await historyOf(admin, bobsOrder.id)).status).toBe(200);
    });

    it('answers 404 for a malformed id', async () => {
      expect((await getOrder(bob.token, 'not-a-uuid')).status).toBe(404);
    });
  });

  describe('GET /orders', () => {
    let customer: Customer;
    let placed: Order[];

    beforeAll(async () => {
      customer = await newCustomer();
      placed = [];
      for (let i = 0; i < 3; i++)
        placed.push((await placeOrder(customer.token, [line(i + 1)])).body);
      // Cancelled once the saga has settled it, so the cancellation never races the confirmation.
      await waitForStatus(customer.token, placed[0].id, 'CONFIRMED');
      expect((await cancelOrder(customer.token, placed[0].id)).status).toBe(200);
    });

    const list = (token: string, query: string) =>
      request<{ items: Order[]; nextCursor: string | null } & Partial<ErrorBody>>(
        orders,
        'GET',
        `/orders${query}`,
        {
          token,
        },
      );

    it('pages through own orders, newest first, with a cursor', async () => {
      const first = await list(customer.token, '?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items.map((o) => o.id)).toEqual([placed[2].id, placed[1].id]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await list(customer.token, `?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((o) => o.id)).toEqual([placed[0].id]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('filters by status', async () => {
      const res = await list(customer.token, '?status=CANCELLED');
      expect(res.body.items.map((o) => o.id)).toEqual([placed[0].id]);
    });

    it('shows a customer only their own orders', async () => {
      const res = await list(customer.token, '?limit=100');
      expect(res.body.items).toHaveLength(placed.length);
      expect(res.body.items.every((o) => o.userId === customer.id)).toBe(true);
    });

    it("lets an admin see everyone's orders and filter by customer", async () => {
      const res = await list(admin, `?userId=${customer.id}`);
      expect(res.body.items.map((o) => o.id)).toEqual(placed.map((o) => o.id).reverse());
      const all = await list(admin, '?limit=100');
      expect(new Set(all.body.items.map((o) => o.userId)).size).toBeGreaterThan(1);
    });

    it("refuses a customer's userId filter for someone else with 403", async () => {
      expect((await list(alice.token, `?userId=${bob.id}`)).status).toBe(403);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['status=SHIPPED', 'status'],
      ['cursor=bogus', 'cursor'],
    ])('answers 400 for %s', async (query, field) => {
      const res = await list(customer.token, `?${query}`);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toContain(field);
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('cancels a PENDING or CONFIRMED order once; again is 409', async () => {
      const order = (await placeOrder(alice.token, [line()])).body;
      const first = await cancelOrder(alice.token, order.id);
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('CANCELLED');
      const again = await cancelOrder(alice.token, order.id);
      expect(again.status).toBe(409);
    });

    it('refuses to cancel a REJECTED order with 409', async () => {
      const scarce = await createProduct(admin, { stock: 0 });
      const order = (await placeOrder(alice.token, [{ productId: scarce.id, quantity: 1 }])).body;
      await waitForStatus(alice.token, order.id, 'REJECTED');
      expect((await cancelOrder(alice.token, order.id)).status).toBe(409);
    });

    it('lets an admin cancel a customer order', async () => {
      const order = (await placeOrder(bob.token, [line()])).body;
      const res = await cancelOrder(admin, order.id);
      expect(res.status).toBe(200);
      const history = (await historyOf(bob.token, order.id)).body;
      expect(history[history.length - 1]).toMatchObject({
        status: 'CANCELLED',
        reason: 'cancelled by an admin',
      });
    });
  });
});
