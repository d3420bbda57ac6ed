import { endOffsets, QUIET_WINDOW_MS, readMessages, waitFor } from '@microshop/testing';
import { TOPICS } from '@microshop/events';
import { infra, restartApp, startApp, stopApp, waitHealthy } from '../../scripts/platform';
import { countBy, pendingOutboxDocuments, register, registeredUserIds } from './support';

const WRITES = 20;

describe('an app killed with SIGKILL after its database commit and before publishing', () => {
  afterAll(async () => {
    infra('start', 'kafka');
    await restartApp('user-service');
  });

  it('publishes every committed change exactly once after restart, and its outbox drains to zero', async () => {
    const since = await endOffsets(TOPICS.USER_REGISTERED);
    // With Kafka away, committed registrations can only wait in the outbox.
    infra('stop', 'kafka');
    const registered = [];
    for (let i = 0; i < WRITES; i++) registered.push(await register());
    await stopApp('user-service', 'SIGKILL');

    infra('start', 'kafka');
    startApp('user-service');
    await waitHealthy('user-service');

    const ids = new Set(registered.map((u) => u.id));
    const messages = await readMessages(TOPICS.USER_REGISTERED, {
      since,
      until: (read) => registeredUserIds(read).filter((id) => ids.has(id)).length >= WRITES,
      timeoutMs: 90_000,
      settleMs: QUIET_WINDOW_MS,
    });
    const counts = countBy(registeredUserIds(messages).filter((id) => ids.has(id)));
    console.log(
      `committed ${WRITES}, distinct events ${counts.size}, max copies ${Math.max(...counts.values())}`,
    );
    expect(counts.size).toBe(WRITES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await waitFor(
      () => pendingOutboxDocuments('microshop_users', 'users'),
      (n) => n === 0,
      {
        what: 'the users outbox to drain',
      },
    );
  });
});
