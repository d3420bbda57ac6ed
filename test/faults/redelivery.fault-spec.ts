import { TOPICS } from '@microshop/events';
import { endOffsets, groupLag, holdsFor, rewindGroup, waitFor } from '@microshop/testing';
import { restartApp, stopApp } from '../../scripts/platform';
import { mailCounts, register } from './support';

describe('every event delivered twice (consumer offsets rewound)', () => {
  afterAll(() => restartApp('notification-service'));

  it('sends no duplicate mail', async () => {
    const since = await endOffsets(TOPICS.USER_REGISTERED);
    const registered = [];
    for (let i = 0; i < 10; i++) registered.push(await register());
    const emails = registered.map((u) => u.email);
    await waitFor(
      () => mailCounts(emails),
      (c) => c.every((n) => n === 1),
      {
        what: 'one welcome mail each',
      },
    );

    await stopApp('notification-service');
    await rewindGroup('notification-service', TOPICS.USER_REGISTERED, since);
    expect(await groupLag('notification-service', TOPICS.USER_REGISTERED)).toBeGreaterThanOrEqual(
      10,
    );
    await restartApp('notification-service');
    await waitFor(
      () => groupLag('notification-service', TOPICS.USER_REGISTERED),
      (lag) => lag === 0,
      {
        what: 'the rewound events to be consumed again',
        timeoutMs: 60_000,
      },
    );

    const counts = await holdsFor(
      () => mailCounts(emails),
      (c) => c.every((n) => n === 1),
      {
        what: 'one mail per user after redelivery',
      },
    );
    console.log(`redelivered ${registered.length} events; mails per user: ${counts.join(',')}`);
  });
});
