import { holdsFor, request, waitFor } from '@microshop/testing';
import { baseUrl, infra } from '../../scripts/platform';
import { mailCounts, register } from './support';

const OUTAGE_MS = 60_000;

describe('the SMTP server down for 60 seconds', () => {
  afterAll(() => infra('start', 'smtp'));

  it('sends every mail exactly once after it returns', async () => {
    infra('stop', 'smtp');
    const outageEnds = Date.now() + OUTAGE_MS;
    const registered = [];
    for (let i = 0; i < 10; i++) registered.push(await register());
    // Throughout the minute-long outage nothing is delivered, and nothing is lost either.
    const emails = registered.map((u) => u.email);
    await holdsFor(
      () => mailCounts(emails),
      (c) => c.every((n) => n === 0),
      {
        what: 'no mail while the SMTP server is down',
        windowMs: outageEnds - Date.now(),
        intervalMs: 1_000,
      },
    );
    const metrics = await request<string>(baseUrl('notification-service'), 'GET', '/metrics');
    expect(metrics.body).toMatch(/microshop_mail_attempt_failures_total\{[^}]*\} [1-9]/);
    infra('start', 'smtp');

    await waitFor(
      () => mailCounts(emails),
      (c) => c.every((n) => n >= 1),
      {
        what: 'every mail after the outage',
        timeoutMs: 120_000,
      },
    );
    const counts = await holdsFor(
      () => mailCounts(emails),
      (c) => c.every((n) => n === 1),
      {
        what: 'exactly one mail each',
      },
    );
    console.log(`mails after a ${OUTAGE_MS / 1000}s SMTP outage: ${counts.join(',')}`);
  });
});
