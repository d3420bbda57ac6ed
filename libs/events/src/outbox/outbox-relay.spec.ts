import { Counter, Gauge } from 'prom-client';
import { createEnvelope } from '../envelope';
import { EventPublisher, OutgoingEvent } from '../kafka/event-publisher';
import { TOPICS } from '../topics';
import { OutboxRelay, PUBLISH_DEADLINE_MS } from './outbox-relay';
import { signalRecorded } from './outbox-signal';
import { ClaimScope, OutboxBatch, OutboxClaim, OutboxSource } from './outbox-source';

const event = (userId: string): OutgoingEvent => ({
  key: userId,
  envelope: createEnvelope(
    TOPICS.USER_REGISTERED,
    {
      userId,
      email: `${userId}@example.com`,
      name: userId,
      registeredAt: new Date().toISOString(),
    },
    { producer: 'test' },
  ),
});

/** An outbox holding one claim's worth of batches, recording what the relay does with it. */
class FakeSource implements OutboxSource {
  name = 'fake';
  readonly log: string[] = [];
  private claims: OutgoingEvent[][][];

  constructor(...claims: OutgoingEvent[][][]) {
    this.claims = claims;
  }

  named(name: string): this {
    this.name = name;
    return this;
  }

  readonly scopes: ClaimScope[] = [];
  readonly recordedIds: unknown[] = [];

  recorded(id?: unknown): void {
    this.recordedIds.push(id);
  }

  claim(_limit: number, scope: ClaimScope): Promise<OutboxClaim> {
    this.scopes.push(scope);
    const groups = this.claims.shift() ?? [];
    const batches: OutboxBatch[] = groups.map((events) => ({
      events,
      acknowledge: () => {
        this.log.push(`ack ${events[0].key}`);
        return Promise.resolve();
      },
    }));
    this.log.push(`claim ${batches.length}`);
    return Promise.resolve({
      batches,
      release: () => {
        this.log.push('release');
        return Promise.resolve();
      },
    });
  }

  backlog() {
    return Promise.resolve({ pendingEvents: 0, oldestAgeSeconds: 0 });
  }
}

const metrics = () =>
  [
    new Counter({ name: 'p', help: 'p', labelNames: ['outbox'], registers: [] }),
    new Counter({ name: 'f', help: 'f', labelNames: ['outbox'], registers: [] }),
    new Gauge({ name: 'g', help: 'g', labelNames: ['outbox'], registers: [] }),
    new Gauge({ name: 'o', help: 'o', labelNames: ['outbox'], registers: [] }),
  ] as const;

describe('OutboxRelay', () => {
  it('publishes a whole claim at once, then acknowledges every batch, and releases every claim', async () => {
    const published: string[][] = [];
    const publisher = {
      publish: (events: OutgoingEvent[]) => {
        published.push(events.map((e) => e.key));
        return Promise.resolve();
      },
    } as unknown as EventPublisher;
    const source = new FakeSource([[event('a'), event('a')], [event('b')]]);
    const relay = new OutboxRelay(publisher, ...metrics());
    relay.register(source);

    await expect(relay.drain()).resolves.toBe(3);
    expect(published).toEqual([['a', 'a', 'b']]);
    expect(source.log).toEqual(['claim 2', 'ack a', 'ack b', 'release', 'claim 0', 'release']);
  });

  it('leaves out an outbox whose store is not connected yet, and publishes it once it is', async () => {
    const published: string[] = [];
    const publisher = {
      publish: (events: OutgoingEvent[]) => {
        published.push(...events.map((e) => e.key));
        return Promise.resolve();
      },
    } as unknown as EventPublisher;
    let connected = false;
    const source = Object.assign(new FakeSource([[event('a')]]), { connected: () => connected });
    const relay = new OutboxRelay(publisher, ...metrics());
    relay.register(source);

    await expect(relay.drain()).resolves.toBe(0);
    expect(source.log).toEqual([]);
    connected = true;
    await expect(relay.drain()).resolves.toBe(1);
    expect(published).toEqual(['a']);
  });

  it('acknowledges nothing of a claim whose publish failed, and still releases it', async () => {
    const publisher = {
      publish: () => Promise.reject(new Error('broker away')),
    } as unknown as EventPublisher;
    const source = new FakeSource([[event('a')], [event('b')], [event('c')]]);
    const relay = new OutboxRelay(publisher, ...metrics());
    relay.register(source);

    await expect(relay.drain()).rejects.toThrow('broker away');
    expect(source.log).toEqual(['claim 3', 'release']);
  });

  it('gives up a publish that never finishes: drops the producer and releases the claim unacknowledged', async () => {
    jest.useFakeTimers();
    try {
      const resets: number[] = [];
      const publisher = {
        publish: () => new Promise<void>(() => undefined),
        reset: () => (resets.push(Date.now()), Promise.resolve()),
      } as unknown as EventPublisher;
      const source = new FakeSource([[event('a')]]);
      const relay = new OutboxRelay(publisher, ...metrics());
      relay.register(source);
      const drained = relay.drain();
      const outcome = expect(drained).rejects.toThrow(/unfinished after/);
      await jest.advanceTimersByTimeAsync(PUBLISH_DEADLINE_MS - 1);
      expect(source.log).toEqual(['claim 1']);
      await jest.advanceTimersByTimeAsync(1);
      await outcome;
      expect(resets).toHaveLength(1);
      expect(source.log).toEqual(['claim 1', 'release']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes turns between outboxes, so a busy one does not starve the others', async () => {
    const published: string[] = [];
    const publisher = {
      publish: (events: OutgoingEvent[]) => {
        published.push(...events.map((e) => e.key));
        return Promise.resolve();
      },
    } as unknown as EventPublisher;
    const busy = new FakeSource([[event('s1')]], [[event('s2')]], [[event('s3')]]).named('busy');
    const quiet = new FakeSource([[event('p1')]]).named('quiet');
    const relay = new OutboxRelay(publisher, ...metrics());
    relay.register(busy);
    relay.register(quiet);

    await expect(relay.drain()).resolves.toBe(4);
    expect(published).toEqual(['s1', 'p1', 's2', 's3']);
  });

  it('polls every 5 s while idle, and at once when a write signals new events', async () => {
    jest.useFakeTimers();
    try {
      const source = new FakeSource();
      const relay = new OutboxRelay({} as EventPublisher, ...metrics());
      relay.register(source);
      const claims = () => source.log.filter((l) => l.startsWith('claim')).length;
      relay.start();
      await jest.advanceTimersByTimeAsync(10_000);
      // At start, then at 5 s and 10 s.
      expect(claims()).toBe(3);
      const before = claims();
      signalRecorded('fake');
      await jest.advanceTimersByTimeAsync(10);
      expect(claims()).toBe(before + 1);
      await relay.onApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('claims only the outbox a write signalled, and every outbox when a poll comes due', async () => {
    jest.useFakeTimers();
    try {
      const stock = new FakeSource().named('stock');
      const products = new FakeSource().named('products');
      const relay = new OutboxRelay({} as EventPublisher, ...metrics());
      relay.register(products);
      relay.register(stock);
      relay.start();
      await jest.advanceTimersByTimeAsync(1);
      const claimsOf = (source: FakeSource) =>
        source.log.filter((l) => l.startsWith('claim')).length;
      const [stock0, products0] = [claimsOf(stock), claimsOf(products)];

      signalRecorded('stock');
      await jest.advanceTimersByTimeAsync(1);
      expect(claimsOf(stock)).toBe(stock0 + 1);
      expect(claimsOf(products)).toBe(products0);

      await jest.advanceTimersByTimeAsync(5_000);
      expect(claimsOf(products)).toBe(products0 + 1);

      // Signalled without a pause, it still polls every outbox every 5 s.
      const products1 = claimsOf(products);
      for (let t = 0; t < 6_000; t += 100) {
        signalRecorded('stock');
        await jest.advanceTimersByTimeAsync(100);
      }
      expect(claimsOf(products)).toBe(products1 + 1);
      await relay.onApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('hands a signalled document to its outbox and claims what this process recorded, not a search', async () => {
    jest.useFakeTimers();
    try {
      const source = new FakeSource().named('users');
      const relay = new OutboxRelay({} as EventPublisher, ...metrics());
      relay.register(source);
      relay.start();
      await jest.advanceTimersByTimeAsync(1);
      expect(source.scopes).toEqual(['all']); // the first round searches

      signalRecorded('users', 'doc-1');
      signalRecorded('orders', 'not-registered-here');
      await jest.advanceTimersByTimeAsync(1);
      expect(source.recordedIds).toEqual(['doc-1']);
      expect(source.scopes.slice(1)).toEqual(['recorded']);
      await relay.onApplicationShutdown();

      signalRecorded('users', 'after-shutdown');
      expect(source.recordedIds).toEqual(['doc-1']);
    } finally {
      jest.useRealTimers();
    }
  });
});
