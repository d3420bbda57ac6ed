import { TOPICS } from '@microshop/events';
import { endOffsets, mailsTo, readMessages, waitFor } from '@microshop/testing';
import { infra } from '../../scripts/platform';
import { countBy, register, registeredUserIds } from './support';

const OUTAGE_MS = 30_000;
/** Steady load through the outage: a registration every 500 ms (under the per-client registration throttle). */
const WRITE_INTERVAL_MS = 500;

describe('Kafka stopped for 30 seconds while writes keep coming', () => {
  afterAll(() => infra('start', 'kafka'));

  it('answers every write with 2xx and delivers every event once Kafka is back', async () => {
    const since = await endOffsets(TOPICS.USER_REGISTERED);
    infra('stop', 'kafka');
    const outageEnds = Date.now() + OUTAGE_MS;
    const registered: { id: string; email: string }[] = [];
    let failures = 0;
    for (let next = Date.now(); next < outageEnds; next += WRITE_INTERVAL_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      await register().then(
        (user) => registered.push(user),
        () => (failures += 1),
      );
    }
    infra('start', 'kafka');
    console.log(`writes during the outage: ${registered.length} answered 2xx, ${failures} failed`);
    expect(failures).toBe(0);
    expect(registered.length).toBeGreaterThan(10);

    const ids = new Set(registered.map((u) => u.id));
    const messages = await readMessages(TOPICS.USER_REGISTERED, {
      since,
      until: (read) => registeredUserIds(read).filter((id) => ids.has(id)).length >= ids.size,
      timeoutMs: 120_000,
    });
    const counts = countBy(registeredUserIds(messages).filter((id) => ids.has(id)));
    console.log(`events delivered after the outage: ${counts.size} of ${ids.size}`);
    expect(counts.size).toBe(ids.size);

    // The consumers downstream catch up too: every new user gets the welcome mail.
    const last = registered[registered.length - 1];
    await waitFor(
      () => mailsTo(last.email),
      (m) => m.length === 1,
      {
        what: 'the last welcome mail',
        timeoutMs: 120_000,
      },
    );
  });
});
