import { randomUUID } from 'node:crypto';
import {
  insertWithEvents,
  MongoOutboxSource,
  OUTBOX_OWNER,
  outboxPlugin,
  updateWithEvents,
} from '@microshop/events';
import { onRecorded } from '@microshop/events/outbox/outbox-signal';
import type { Collection, Document } from 'mongodb';
import mongoose, { Connection, Model, Schema } from 'mongoose';
import { namesOf, numberedEvent } from './support/outbox-events';

/** The MongoDB outbox against the local MongoDB-protocol store, in a scratch database. */
interface Account {
  _id: string;
  name: string;
}

const AccountSchema = new Schema<Account>({ _id: String, name: String }, { versionKey: false });
AccountSchema.plugin(outboxPlugin);
/** Runs once right after the relay's next search read its documents (set by a test). */
let afterNextSearch: (() => Promise<void>) | undefined;
AccountSchema.post('find', async function () {
  const run = afterNextSearch;
  afterNextSearch = undefined;
  await run?.();
});

describe('MongoOutboxSource', () => {
  let connection: Connection;
  let accounts: Model<Account>;
  let source: MongoOutboxSource<Account>;
  let signals: [string, unknown][];
  let stopListening: () => void;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection('mongodb://127.0.0.1:27017/microshop_mongo_outbox_spec')
      .asPromise();
    await connection.dropDatabase();
    accounts = connection.model('Account', AccountSchema, 'accounts');
    // What a relay does with the signals: hand each recorded document to its outbox.
    stopListening = onRecorded((outbox, id) => {
      signals.push([outbox, id]);
      if (outbox === source?.name) source.recorded(id);
    });
  });

  afterAll(async () => {
    stopListening?.();
    await connection?.dropDatabase();
    await connection?.close();
  });

  beforeEach(async () => {
    await accounts.deleteMany({});
    signals = [];
    source = new MongoOutboxSource(accounts);
  });

  /** A document whose events another process wrote, with that process's lease on it or none. */
  const writtenElsewhere = (id: string, lease?: { owner: string; until: Date }) => {
    const doc: Document = insertWithEvents({ _id: id, name: id }, [numberedEvent(id, 1)]);
    delete doc.outboxLease; // the writer's own
    return raw().insertOne({ ...doc, _id: id, ...(lease && { outboxLease: lease }) });
  };
  const raw = () => accounts.collection as unknown as Collection<Document & { _id: string }>;

  it('signals the relay with the document each write recorded events in', async () => {
    await accounts.create(insertWithEvents({ _id: 'a', name: 'a' }, [numberedEvent('a', 1)]));
    await accounts.updateOne(
      { _id: 'a' },
      updateWithEvents({ $set: { name: 'A' } }, [numberedEvent('a', 2)]),
    );
    await accounts.updateOne({ _id: 'a' }, { $set: { name: 'no event' } });
    await accounts.updateMany(
      { _id: { $in: ['a'] } },
      updateWithEvents({ $set: { name: 'many' } }, [numberedEvent('a', 3)]),
    );
    expect(signals).toEqual([
      ['accounts', 'a'],
      ['accounts', 'a'],
      ['accounts', undefined], // not one document: the next claim searches
    ]);
  });

  it('claims the documents this process recorded events in, without those of others', async () => {
    await writtenElsewhere('orphan');
    await accounts.create(
      insertWithEvents({ _id: 'mine', name: 'mine' }, [numberedEvent('mine', 1)]),
    );
    const recorded = await source.claim(10, 'recorded');
    expect(namesOf(recorded)).toEqual([['mine:event 1']]);
    await recorded.batches[0].acknowledge();
    await recorded.release();

    // The periodic search finds what a writer that died left behind.
    const all = await source.claim(10, 'all');
    expect(namesOf(all)).toEqual([['orphan:event 1']]);
    await all.release();
  });

  it('publishes one document`s events in the order recorded, and acknowledges them in one write', async () => {
    await accounts.create(insertWithEvents({ _id: 'a', name: 'a' }, [numberedEvent('a', 1)]));
    await accounts.updateOne(
      { _id: 'a' },
      updateWithEvents({}, [numberedEvent('a', 2), numberedEvent('a', 3)]),
    );
    const claim = await source.claim(10, 'recorded');
    expect(namesOf(claim)).toEqual([['a:event 1', 'a:event 2', 'a:event 3']]);
    await claim.batches[0].acknowledge();
    await claim.release();
    const doc = await accounts.collection.findOne({ _id: 'a' } as never);
    expect(doc).toMatchObject({ outbox: [] });
    expect(doc).not.toHaveProperty('outboxLease');
    expect(doc).not.toHaveProperty('outboxPendingSince');
    expect(await source.backlog()).toEqual({ pendingEvents: 0, oldestAgeSeconds: 0 });
  });

  it('keeps events appended while the claim was being published, and claims them next', async () => {
    await accounts.create(insertWithEvents({ _id: 'a', name: 'a' }, [numberedEvent('a', 1)]));
    const claim = await source.claim(10, 'recorded');
    await accounts.updateOne({ _id: 'a' }, updateWithEvents({}, [numberedEvent('a', 2)]));
    await claim.batches[0].acknowledge();
    await claim.release();
    const next = await source.claim(10, 'recorded');
    expect(namesOf(next)).toEqual([['a:event 2']]);
    await next.batches[0].acknowledge();
    await next.release();
    expect((await source.backlog()).pendingEvents).toBe(0);
  });

  it('leaves a document to the live relay that holds its lease, and takes over a lease that ran out', async () => {
    const later = new Date(Date.now() + 60_000);
    const earlier = new Date(Date.now() - 1_000);
    await writtenElsewhere('held', { owner: 'replica-2', until: later });
    await writtenElsewhere('abandoned', { owner: 'replica-3', until: earlier });
    const claim = await source.claim(10, 'all');
    expect(namesOf(claim)).toEqual([['abandoned:event 1']]);
    const abandoned = await accounts.collection.findOne({ _id: 'abandoned' } as never);
    expect(abandoned?.outboxLease).toMatchObject({ owner: OUTBOX_OWNER });
    await claim.release();
  });

  it('publishes only what is pending under its lease, not what it read before another relay published it', async () => {
    await writtenElsewhere('raced');
    // Between this relay's search and its taking the lease, another relay publishes and
    // acknowledges event 1 (its lease ends with that), and a write appends event 2.
    afterNextSearch = async () => {
      await raw().updateOne(
        { _id: 'raced' },
        { $set: { outbox: [] }, $unset: { outboxPendingSince: '', outboxLease: '' } },
      );
      await accounts.updateOne({ _id: 'raced' }, updateWithEvents({}, [numberedEvent('raced', 2)]));
    };
    const claim = await source.claim(10, 'all');
    expect(namesOf(claim)).toEqual([['raced:event 2']]);
    await claim.batches[0].acknowledge();
    await claim.release();
    expect(await source.backlog()).toEqual({ pendingEvents: 0, oldestAgeSeconds: 0 });
  });

  it('takes its own lease again once it ran out, and leaves the document to a relay that took it meanwhile', async () => {
    const ranOut = { owner: OUTBOX_OWNER, until: new Date(Date.now() - 1_000) };
    await writtenElsewhere('slow', ranOut); // written here, not published before its lease ran out
    await writtenElsewhere('late', ranOut);
    // Between this relay's search and its claim, replica-2 takes the lease of 'slow' and publishes.
    afterNextSearch = async () => {
      await raw().updateOne(
        { _id: 'slow' },
        { $set: { outboxLease: { owner: 'replica-2', until: new Date(Date.now() + 60_000) } } },
      );
    };
    const claim = await source.claim(10, 'all');
    expect(namesOf(claim)).toEqual([['late:event 1']]);
    const late = await raw().findOne({ _id: 'late' });
    expect((late?.outboxLease as { until: Date }).until.getTime()).toBeGreaterThan(Date.now());
    await claim.release();
  });

  it('holds at most 50 documents per claim, well within their leases, and leaves the rest free', async () => {
    for (let i = 0; i < 60; i++) await writtenElsewhere(`doc-${i}`);
    const first = await source.claim(500, 'all');
    expect(first.batches).toHaveLength(50);
    const free = await raw().countDocuments({ outboxLease: { $exists: false } });
    expect(free).toBe(10);
    for (const batch of first.batches) await batch.acknowledge();
    await first.release();
    const rest = await source.claim(500, 'all');
    expect(rest.batches).toHaveLength(10);
    await rest.release();
  });

  it('leaves the lease of a relay publishing the document alone when a write appends events', async () => {
    const theirs = { owner: 'replica-2', until: new Date(Date.now() + 60_000) };
    await writtenElsewhere('busy', theirs);
    // Another replica's write to the same document, while replica-2 publishes its first event.
    await accounts.updateOne({ _id: 'busy' }, updateWithEvents({}, [numberedEvent('busy', 2)]));
    const doc = await accounts.collection.findOne({ _id: 'busy' } as never);
    expect(doc?.outboxLease).toEqual(theirs);
    // So only replica-2 publishes them, event 1 then event 2: this relay takes nothing.
    const claim = await source.claim(10, 'recorded');
    expect(namesOf(claim)).toEqual([]);
    await claim.release();
  });

  it('acknowledges nothing once another relay took the lease over, which then publishes again', async () => {
    await accounts.create(insertWithEvents({ _id: 'a', name: 'a' }, [numberedEvent('a', 1)]));
    const claim = await source.claim(10, 'recorded');
    await accounts.collection.updateOne({ _id: 'a' } as never, {
      $set: { outboxLease: { owner: 'replica-2', until: new Date(Date.now() + 60_000) } },
    });
    await claim.batches[0].acknowledge();
    await claim.release();
    expect((await source.backlog()).pendingEvents).toBe(1);
    expect((await accounts.collection.findOne({ _id: 'a' } as never))?.outboxLease).toMatchObject({
      owner: 'replica-2',
    });
  });

  it('frees the lease of what a failed publish left, and offers it again', async () => {
    await accounts.create(insertWithEvents({ _id: 'a', name: 'a' }, [numberedEvent('a', 1)]));
    const failed = await source.claim(10, 'recorded');
    await failed.release(); // the broker was away: nothing acknowledged
    expect(await accounts.collection.findOne({ _id: 'a' } as never)).not.toHaveProperty(
      'outboxLease',
    );
    const again = await source.claim(10, 'recorded');
    expect(namesOf(again)).toEqual([['a:event 1']]);
    await again.release();
  });

  it('measures the pending events and the age of the oldest', async () => {
    await raw().insertOne({
      ...insertWithEvents({ _id: randomUUID(), name: 'old' }, [
        numberedEvent('o', 1),
        numberedEvent('o', 2),
      ]),
      outboxPendingSince: new Date(Date.now() - 90_000),
    });
    const backlog = await source.backlog();
    expect(backlog.pendingEvents).toBe(2);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(backlog.oldestAgeSeconds).toBeLessThan(120);
  });
});
