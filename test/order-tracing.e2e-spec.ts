import {
  fromClient,
  mailsTo,
  purgeProducts,
  registerAndLogin,
  ReceivedSpan,
  SPAN_KIND,
  spansOfTrace,
  waitFor,
} from '@microshop/testing';
import { answer, bearer, orderApi, userApi } from './support/api';
import {
  ancestors,
  expectHop,
  hopSpans,
  newTraceparent,
  onlySpan,
  spansArrived,
  traceIdsOfCorrelation,
} from './support/traces';
import { adminToken, createProduct, ORDER_SPECS_CATEGORY, waitForStatus } from './support/shop';

/** The saga's hops, in the order they happen: who publishes, the topic, who consumes it. */
const HOPS = [
  { from: 'order-service', topic: 'order.created', to: 'product-service' },
  { from: 'product-service', topic: 'stock.reserved', to: 'order-service' },
  { from: 'order-service', topic: 'order.confirmed', to: 'notification-service' },
] as const;

describe('tracing: one shopper checkout is one trace, across all four services', () => {
  afterAll(() => purgeProducts([ORDER_SPECS_CATEGORY]));

  it('links the sign-in, POST /orders, the outbox relays, the stock reservation, the confirmation and the mail under one trace id', async () => {
    const admin = await adminToken();
    const product = await createProduct(admin, { stock: 5, name: 'Traced teapot' });
    const customer = await registerAndLogin();
    // The client's checkout trace: it signs in, then places the order, sending one trace context.
    const client = newTraceparent();
    const signedIn = await answer(
      userApi.POST('/auth/login', {
        body: { email: customer.email, password: customer.password },
        headers: { ...fromClient(), traceparent: client.header },
      }),
    );
    expect(signedIn.status).toBe(200);

    const placed = await answer(
      orderApi.POST('/orders', {
        body: { items: [{ productId: product.id, quantity: 1 }] },
        headers: { ...bearer(signedIn.body.accessToken), traceparent: client.header },
      }),
    );
    expect(placed.status).toBe(201);
    await waitForStatus(signedIn.body.accessToken, placed.body.id, 'CONFIRMED');
    await waitFor(
      async () => (await mailsTo(customer.email)).filter((m) => m.subject.includes(placed.body.id)),
      (m) => m.length === 1,
      { what: `the confirmation mail of order ${placed.body.id}` },
    );

    const spans = await waitFor(
      () => spansOfTrace(client.traceId),
      (s) =>
        spansArrived(s, [
          ['user-service', 'POST /auth/login'],
          ['order-service', 'POST /orders'],
          ...HOPS.flatMap(hopSpans),
          ['notification-service', 'smtp send'],
        ]),
      { what: `the spans of trace ${client.traceId} up to the confirmation mail` },
    );

    const login = onlySpan(spans, {
      service: 'user-service',
      kind: SPAN_KIND.SERVER,
      name: 'POST /auth/login',
    });
    expect(login.parentSpanId).toBe(client.spanId);
    const server = onlySpan(spans, {
      service: 'order-service',
      kind: SPAN_KIND.SERVER,
      name: 'POST /orders',
    });
    expect(server.parentSpanId).toBe(client.spanId);
    const orderDb = spans.filter(
      (s) =>
        s.service === 'order-service' && s.kind === SPAN_KIND.CLIENT && s.scope.includes('mysql'),
    );
    expect(orderDb.length).toBeGreaterThan(0);

    // Each hop's relay descends from the handler (or request) that wrote its event.
    let cause: ReceivedSpan = server;
    const handles = HOPS.map((hop) => (cause = expectHop(spans, hop, cause)));
    const smtp = onlySpan(spans, { service: 'notification-service', name: 'smtp send' });
    expect(ancestors(smtp, spans)).toContain(cause);

    expect(new Set(spans.map((s) => s.service))).toEqual(
      new Set(['user-service', 'order-service', 'product-service', 'notification-service']),
    );
    // Nothing the order caused, in any service, escaped into another trace id.
    for (const handle of handles) {
      expect(await traceIdsOfCorrelation(handle)).toEqual(new Set([client.traceId]));
    }
    expect(spans.filter((s) => s.status.code === 2)).toEqual([]);
  });
});
