import { request, waitFor } from '@microshop/testing';
import { baseUrl, infra, restartApp, startApp, stopApp, waitUntil } from '../../scripts/platform';

const users = baseUrl('user-service');

describe('an app started while its store is down', () => {
  afterAll(async () => {
    infra('start', 'ferretdb');
    await restartApp('user-service');
  });

  it('boots with liveness 200 and readiness 503 naming the store, then recovers by itself', async () => {
    await stopApp('user-service');
    infra('stop', 'ferretdb');
    startApp('user-service');
    await waitUntil(
      async () => (await request(users, 'GET', '/health/live').catch(() => null))?.status === 200,
      'user-service liveness',
    );

    const ready = await request(users, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.mongodb.status).toBe('down');

    infra('start', 'ferretdb');
    await waitFor(
      () => request(users, 'GET', '/health/ready'),
      (r) => r.status === 200,
      {
        what: 'readiness after the store returns',
        timeoutMs: 60_000,
      },
    );
  });
});
