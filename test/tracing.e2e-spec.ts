import { mailsTo, newUser, SPAN_KIND, spansOfTrace, waitFor } from '@microshop/testing';
import { userApi } from './support/api';
import {
  ancestors,
  expectHop,
  hopSpans,
  newTraceparent,
  onlySpan,
  spansArrived,
  traceIdsOfCorrelation,
} from './support/traces';

describe('tracing: one registration is one trace, from user-service to the welcome mail', () => {
  it('exports HTTP, database, outbox relay, Kafka producer/consumer, handler and SMTP spans of one trace id over OTLP', async () => {
    const client = newTraceparent();
    const user = newUser();
    const res = await userApi.POST('/auth/register', {
      body: user,
      headers: { traceparent: client.header },
    });
    expect(res.response.status).toBe(201);
    await waitFor(
      () => mailsTo(user.email),
      (m) => m.length === 1,
      { what: 'the welcome mail' },
    );

    const hop = { from: 'user-service', topic: 'user.registered', to: 'notification-service' };
    const spans = await waitFor(
      () => spansOfTrace(client.traceId),
      (s) =>
        spansArrived(s, [
          ['user-service', 'POST /auth/register'],
          ...hopSpans(hop),
          ['notification-service', 'smtp send'],
        ]),
      { what: `the spans of trace ${client.traceId} up to the SMTP send` },
    );

    // user-service: the request, its database write, then the relay publishing the outbox event
    const server = onlySpan(spans, {
      service: 'user-service',
      kind: SPAN_KIND.SERVER,
      name: 'POST /auth/register',
    });
    expect(server.parentSpanId).toBe(client.spanId);
    expect(server.attributes['http.route']).toBe('/auth/register');
    const userDb = spans.filter(
      (s) =>
        s.service === 'user-service' && s.scope.includes('mongodb') && s.kind === SPAN_KIND.CLIENT,
    );
    expect(userDb.length).toBeGreaterThan(0);
    expect(ancestors(userDb[0], spans)).toContain(server);

    // user-service's relay publishes it; notification-service's consumer continues the context
    const handle = expectHop(spans, hop, server);
    expect(handle.attributes['microshop.attempt']).toBe(1);
    const smtp = onlySpan(spans, { service: 'notification-service', name: 'smtp send' });
    expect(ancestors(smtp, spans)).toContain(handle);
    expect(
      spans.some((s) => s.service === 'notification-service' && s.scope.includes('mongodb')),
    ).toBe(true);

    // Nothing the request caused escaped into another trace id, and no span is an error.
    expect(await traceIdsOfCorrelation(handle)).toEqual(new Set([client.traceId]));
    expect(spans.filter((s) => s.status.code === 2)).toEqual([]);
  });
});
