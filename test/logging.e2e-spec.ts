import { randomUUID } from 'node:crypto';
import { mailsTo, newUser, request, SPAN_KIND, spansOfTrace, waitFor } from '@microshop/testing';
import { APP_NAMES, baseUrl } from '../scripts/platform';
import { readFileSync } from 'node:fs';
import { userApi } from './support/api';
import { LogLine, logFileOf, logLines } from './support/traces';

const users = baseUrl('user-service');

describe('logs', () => {
  it("show a request's trace id, span id, correlation id and service, the same ids as its spans", async () => {
    const requestId = randomUUID();
    const res = await userApi.POST('/auth/register', {
      body: newUser(),
      headers: { 'x-request-id': requestId },
    });
    expect(res.response.status).toBe(201);

    const completed = await waitFor(
      () =>
        Promise.resolve(
          logLines('user-service').filter(
            (l) => l.req?.id === requestId && l.msg === 'request completed',
          ),
        ),
      (lines) => lines.length === 1,
      { what: `the request log line of ${requestId}` },
    );
    const line: LogLine = completed[0];
    expect(line).toMatchObject({
      service: 'user-service',
      correlationId: requestId,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });

    const spans = await waitFor(
      () => spansOfTrace(line.traceId!),
      (s) => s.some((span) => span.kind === SPAN_KIND.SERVER),
      { what: `the spans of trace ${line.traceId}` },
    );
    const server = spans.find((s) => s.kind === SPAN_KIND.SERVER)!;
    expect(server).toMatchObject({
      service: 'user-service',
      name: 'POST /auth/register',
      spanId: line.spanId,
    });

    // Probes and scrapes are not logged.
    const probeId = randomUUID();
    await request(users, 'GET', '/health', { headers: { 'x-request-id': probeId } });
    await request(users, 'GET', '/metrics', { headers: { 'x-request-id': probeId } });
    // A request after them: once its line is written, theirs would have been (one stream, in order).
    const markerId = randomUUID();
    await request(users, 'GET', '/no-such-route', { headers: { 'x-request-id': markerId } });
    await waitFor(
      () => Promise.resolve(logLines('user-service').filter((l) => l.req?.id === markerId)),
      (lines) => lines.length > 0,
      { what: 'the log line of the request after the probes' },
    );
    expect(logLines('user-service').filter((l) => l.req?.id === probeId)).toEqual([]);

    // Every line of the request carries the same ids.
    for (const l of logLines('user-service').filter((l) => l.correlationId === requestId)) {
      expect(l).toMatchObject({ service: 'user-service', traceId: line.traceId });
    }
  });

  it('never contain a password, a token or an authorization header', async () => {
    const user = newUser();
    const queryToken = `query-token-${randomUUID()}`;
    const bearer = `bearer-token-${randomUUID()}`;
    const requestId = randomUUID();
    // Query parameters the route does not document, as a careless client might send them.
    const registered = await request(
      users,
      'POST',
      `/auth/register?token=${queryToken}&access_token=${queryToken}`,
      { body: user, headers: { 'x-request-id': requestId } },
    );
    expect(registered.status).toBe(201);
    const other = await request(users, 'GET', '/no-such-route', { token: bearer });
    expect(other.status).toBe(404);
    // The welcome mail means the event went through every service that logs about it.
    await waitFor(
      () => mailsTo(user.email),
      (m) => m.length === 1,
      { what: 'the welcome mail' },
    );
    const requestLines = await waitFor(
      () =>
        Promise.resolve(
          logLines('user-service').filter(
            (l) => l.req?.id === requestId && l.msg === 'request completed',
          ),
        ),
      (lines) => lines.length === 1,
      { what: 'the log line of the registration' },
    );
    expect(requestLines[0].req?.url).toBe(
      '/auth/register?token=[redacted]&access_token=[redacted]',
    );

    for (const app of APP_NAMES) {
      const log = readFileSync(logFileOf(app), 'utf8');
      for (const secret of [user.password, queryToken, bearer]) {
        expect({ app, leaked: log.includes(secret) }).toEqual({ app, leaked: false });
      }
    }
  });
});
