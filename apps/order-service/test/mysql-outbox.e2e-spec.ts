import { randomUUID } from 'node:crypto';
import {
  MySqlOutboxSource,
  OutboxCommitSignal,
  OutgoingEvent,
  recordEvents,
} from '@microshop/events';
import { onRecorded } from '@microshop/events/outbox/outbox-signal';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/migrations';
import { namesOf, numberedEvent } from '../../../test/support/outbox-events';

/** The MySQL outbox against the real MariaDB, in a scratch database with the service's schema. */
const DATABASE = 'microshop_outbox_spec';
const SERVER = 'mysql://root:@127.0.0.1:3306';

describe('MySqlOutboxSource', () => {
  let db: DataSource;
  let other: DataSource;

  const record = (...events: OutgoingEvent[]) =>
    db.transaction((manager) => recordEvents(manager, events));

  beforeAll(async () => {
    const server = await new DataSource({ type: 'mysql', url: SERVER }).initialize();
    await server.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await server.query(`CREATE DATABASE ${DATABASE}`);
    await server.destroy();
    const options = { type: 'mysql' as const, url: `${SERVER}/${DATABASE}`, timezone: 'Z' };
    db = await new DataSource({ ...options, migrations: MIGRATIONS }).initialize();
    await db.runMigrations();
    other = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await other?.destroy();
    await db?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await db?.destroy();
  });

  beforeEach(() => db.query('DELETE FROM outbox'));

  it('refuses to record events outside a transaction', async () => {
    await expect(recordEvents(db.manager, [numberedEvent('x', 1)])).rejects.toThrow(/transaction/);
  });

  it('wakes the relay when the transaction that recorded events commits, and not on rollback', async () => {
    const signals: string[] = [];
    const stop = onRecorded((outbox) => signals.push(outbox));
    db.subscribers.push(new OutboxCommitSignal('orders'));
    try {
      await db.transaction(async (manager) => {
        await recordEvents(manager, [numberedEvent('a', 1)]);
        expect(signals).toEqual([]); // not before the commit: the relay could not see the row yet
      });
      expect(signals).toEqual(['orders']);
      await expect(
        db.transaction(async (manager) => {
          await recordEvents(manager, [numberedEvent('b', 1)]);
          throw new Error('the state write failed');
        }),
      ).rejects.toThrow('state write failed');
      await db.transaction((manager) => manager.query('SELECT 1'));
      expect(signals).toEqual(['orders']);
    } finally {
      stop();
      db.subscribers.pop();
    }
  });

  it('wakes the relay also when its DataSource is initialized after the source was made', async () => {
    // As mysqlStore does it: the DataSource connects once the app has booted, and initializing
    // replaces the subscribers it had.
    const late = new DataSource({
      type: 'mysql',
      url: `${SERVER}/${DATABASE}`,
      timezone: 'Z',
    });
    const source = new MySqlOutboxSource('late-orders', late);
    await late.initialize();
    const signals: string[] = [];
    const stop = onRecorded((outbox) => signals.push(outbox));
    try {
      await (await source.claim(10)).release();
      await late.transaction((manager) => recordEvents(manager, [numberedEvent('late', 1)]));
      expect(signals).toEqual(['late-orders']);
    } finally {
      stop();
      await late.destroy();
    }
  });

  it('hands out one batch per aggregate, oldest aggregate first, events in recorded order', async () => {
    await record(numberedEvent('a', 1), numberedEvent('a', 2));
    await record(numberedEvent('b', 1));
    await record(numberedEvent('a', 3));
    const claim = await new MySqlOutboxSource('spec', db).claim(10);
    expect(namesOf(claim)).toEqual([['a:event 1', 'a:event 2', 'a:event 3'], ['b:event 1']]);
    await claim.release();
  });

  it('lets a second replica skip what the first holds, including later events of the same aggregate', async () => {
    await record(numberedEvent('a', 1));
    await record(numberedEvent('b', 1));
    const first = await new MySqlOutboxSource('replica-1', db).claim(1);
    expect(namesOf(first)).toEqual([['a:event 1']]);

    // Recorded while replica 1 is publishing a's first event: it must not overtake it.
    await record(numberedEvent('a', 2));
    const second = await new MySqlOutboxSource('replica-2', other).claim(10);
    expect(namesOf(second)).toEqual([['b:event 1']]);
    await second.release();

    await first.batches[0].acknowledge();
    await first.release();

    const next = await new MySqlOutboxSource('replica-2', other).claim(10);
    expect(namesOf(next)).toEqual([['b:event 1'], ['a:event 2']]);
    await next.release();
  });

  it('lets two replicas publish side by side while events are recorded, each once, in order', async () => {
    const aggregates = [...Array(20).keys()].map((i) => `agg-${i}`);
    const recorded: string[] = [];
    let writing = true;
    // The app keeps recording events of the same aggregates while both relays publish.
    const writer = (async () => {
      for (let n = 1; writing; n++) {
        await Promise.all(
          aggregates.map(async (id) => {
            await record(numberedEvent(id, n));
            recorded.push(`${id}:event ${n}`);
          }),
        );
      }
    })();
    const replicas = [
      new MySqlOutboxSource('replica-1', db),
      new MySqlOutboxSource('replica-2', other),
    ];
    const published: string[] = [];
    const relay = async (replica: MySqlOutboxSource) => {
      for (;;) {
        const claim = await replica.claim(3);
        if (claim.batches.length === 0 && !writing) return;
        published.push(...namesOf(claim).flat());
        for (const batch of claim.batches) await batch.acknowledge();
        await claim.release();
      }
    };
    const relays = replicas.map(relay);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    writing = false;
    await writer;
    await Promise.all(relays);
    expect(published.length).toBe(recorded.length);
    expect(new Set(published).size).toBe(published.length);
    for (const id of aggregates) {
      const mine = published.filter((name) => name.startsWith(`${id}:`));
      expect(mine).toEqual(recorded.filter((name) => name.startsWith(`${id}:`)));
    }
  });

  it('releases two replicas` claims at once without a deadlock: each deletes only its own rows', async () => {
    for (let i = 0; i < 10; i++) await record(numberedEvent(`agg-${i}`, 1));
    const deadlocks = async () => {
      const [row] = await db.query<{ Value: string }[]>(
        `SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'`,
      );
      return Number(row.Value);
    };
    const before = await deadlocks();
    const first = await new MySqlOutboxSource('replica-1', db).claim(5);
    const second = await new MySqlOutboxSource('replica-2', other).claim(10);
    expect([first.batches.length, second.batches.length]).toEqual([5, 5]);
    for (const batch of [...first.batches, ...second.batches]) await batch.acknowledge();
    // A DELETE of 5 ids in a 10-row table is planned as a scan, which waits on the other's rows.
    await Promise.all([first.release(), second.release()]);
    expect(await deadlocks()).toBe(before);
    expect((await new MySqlOutboxSource('spec', db).backlog()).pendingEvents).toBe(0);
  });

  it('deletes acknowledged events at release and offers the rest again', async () => {
    await record(numberedEvent('a', 1));
    await record(numberedEvent('b', 1));
    const source = new MySqlOutboxSource('spec', db);
    const claim = await source.claim(10);
    await claim.batches[0].acknowledge();
    await claim.release(); // b was not published, e.g. the broker failed

    expect((await source.backlog()).pendingEvents).toBe(1);
    const again = await source.claim(10);
    expect(namesOf(again)).toEqual([['b:event 1']]);
    await again.batches[0].acknowledge();
    await again.release();
    expect(await source.backlog()).toEqual({ pendingEvents: 0, oldestAgeSeconds: 0 });
  });

  it('measures the age of the oldest pending event', async () => {
    await db.query(
      `INSERT INTO outbox (aggregate_id, event_id, topic, envelope, headers, created_at)
       VALUES ('old', ?, 'user.registered', '{}', '{}', NOW(3) - INTERVAL 90 SECOND)`,
      [randomUUID()],
    );
    const backlog = await new MySqlOutboxSource('spec', db).backlog();
    expect(backlog.pendingEvents).toBe(1);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(backlog.oldestAgeSeconds).toBeLessThan(120);
  });
});
