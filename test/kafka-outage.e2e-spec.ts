import { mailsTo, newUser, request, waitFor } from '@microshop/testing';
import { APP_NAMES, baseUrl, infra } from '../scripts/platform';
import { userApi } from './support/api';

describe('a Kafka outage', () => {
  afterAll(() => infra('start', 'kafka'));

  it('turns readiness to 503 naming Kafka while liveness stays 200, and recovers without restarts', async () => {
    infra('stop', 'kafka');
    for (const app of APP_NAMES) {
      const url = baseUrl(app);
      const ready = await waitFor(
        () => request(url, 'GET', '/health/ready'),
        (r) => r.status === 503,
        {
          what: `${app} readiness to fail`,
          timeoutMs: 20_000,
        },
      );
      expect(ready.body.error.kafka.status).toBe('down');
      expect((await request(url, 'GET', '/health/live')).status).toBe(200);
    }

    infra('start', 'kafka');
    for (const app of APP_NAMES) {
      await waitFor(
        () => request(baseUrl(app), 'GET', '/health/ready'),
        (r) => r.status === 200,
        {
          what: `${app} readiness to recover`,
          timeoutMs: 60_000,
        },
      );
    }

    // Recovered means events flow again, which takes longer than readiness: the producers
    // reconnect once the restarted broker's coordinators have loaded, and the consumer groups
    // rejoin. The specs after this one can then count on a working platform.
    const user = newUser();
    const registered = await userApi.POST('/auth/register', { body: user });
    expect(registered.response.status).toBe(201);
    await waitFor(
      () => mailsTo(user.email),
      (m) => m.length === 1,
      { what: 'the welcome mail of a registration after the outage', timeoutMs: 120_000 },
    );
  }, 300_000);
});
