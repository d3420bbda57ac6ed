import { holdsFor, request, waitFor } from '@microshop/testing';
import { mongo } from 'mongoose';
import { baseUrl, infra } from '../../scripts/platform';
import { mailCounts, register } from './support';

const OUTAGE_MS = 60_000;

/** The notification records of these recipients, straight from notification-service's store. */
async function notificationStatuses(emails: string[]): Promise<string[]> {
  const client = await mongo.MongoClient.connect('mongodb://127.0.0.1:27017');
  try {
    const records = await client
      .db('microshop_notifications')
      .collection('notifications')
      .find({ recipient: { $in: emails } }, { projection: { status: 1 } })
      .toArray();
    return records.map((r) => String(r.status));
  } finally {
    await client.close();
  }
}

describe('the SMTP server down for 60 seconds', () => {
  afterAll(() => infra('start', 'smtp'));

  it('sends every mail exactly once after it returns', async () => {
    infra('stop', 'smtp');
    const outageEnds = Date.now() + OUTAGE_MS;
    const registered = [];
    for (let i = 0; i < 10; i++) registered.push(await register());
    const emails = registered.map((u) => u.email);

    // Every mail is recorded and waits; throughout the minute-long outage none is given up on.
    await waitFor(
      () => notificationStatuses(emails),
      (s) => s.length === emails.length,
      {
        what: 'a notification record per mail',
      },
    );
    await holdsFor(
      () => notificationStatuses(emails),
      (s) => s.every((status) => status === 'PENDING'),
      {
        what: 'mails pending while the SMTP server is down',
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
    expect(await notificationStatuses(emails)).toEqual(emails.map(() => 'SENT'));
    console.log(`mails after a ${OUTAGE_MS / 1000}s SMTP outage: ${counts.join(',')}`);
  });
});
