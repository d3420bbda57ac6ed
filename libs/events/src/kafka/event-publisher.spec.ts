import { ClientKafka } from '@nestjs/microservices';
import { KafkaMessageMetrics } from './message-metrics';
import { createEnvelope } from '../envelope';
import { TOPICS } from '../topics';
import { EventPublisher, OutgoingEvent, publishWaves, sameTraceGroups } from './event-publisher';

const registered = (userId: string, traceparent?: string): OutgoingEvent => ({
  key: userId,
  envelope: createEnvelope(
    TOPICS.USER_REGISTERED,
    { userId, email: 'a@example.com', name: 'A', registeredAt: new Date().toISOString() },
    { producer: 'spec' },
  ),
  headers: traceparent ? { traceparent } : {},
});

const deleted = (userId: string): OutgoingEvent => ({
  key: userId,
  envelope: createEnvelope(
    TOPICS.USER_DELETED,
    { userId, email: 'a@example.com', deletedAt: new Date().toISOString() },
    { producer: 'spec' },
  ),
});

const label = (e: OutgoingEvent) => `${e.key}:${e.envelope.type}`;

describe('publishWaves', () => {
  it('sends every aggregate at once while each has events on one topic only', () => {
    const events = [registered('a'), registered('b'), registered('a'), registered('c')];
    expect(publishWaves(events).map((w) => w.map(label))).toEqual([
      ['a:user.registered', 'b:user.registered', 'a:user.registered', 'c:user.registered'],
    ]);
  });

  it("holds an aggregate's event on another topic back until the wave before it is sent", () => {
    const events = [registered('a'), deleted('a'), registered('b'), registered('a')];
    expect(publishWaves(events).map((w) => w.map(label))).toEqual([
      ['a:user.registered', 'b:user.registered'],
      ['a:user.deleted'],
      ['a:user.registered'],
    ]);
  });
});

describe('publishWaves with tracing', () => {
  it("sends an aggregate's events of different traces one after the other", () => {
    const events = [registered('a', 't1'), registered('a', 't2'), registered('b', 't1')];
    expect(
      publishWaves(events).map((w) => w.map((e) => `${e.key}:${e.headers?.traceparent}`)),
    ).toEqual([['a:t1', 'b:t1'], ['a:t2']]);
  });
});

describe('sameTraceGroups', () => {
  it('groups by traceparent, untraced events together, order kept within each group', () => {
    const events = [
      registered('a', 't1'),
      registered('b'),
      registered('c', 't2'),
      registered('d', 't1'),
    ];
    expect(sameTraceGroups(events).map((g) => g.map((e) => e.key))).toEqual([
      ['a', 'd'],
      ['b'],
      ['c'],
    ]);
  });
});

describe('EventPublisher', () => {
  it('sends a wave as one produce request over its topics, and the next wave only after it', async () => {
    const requests: string[][] = [];
    let inFlight = 0;
    const producer = {
      sendBatch: async (batch: {
        topicMessages: { topic: string; messages: { key: string }[] }[];
      }) => {
        expect(inFlight).toBe(0);
        inFlight += 1;
        await new Promise((resolve) => setImmediate(resolve));
        requests.push(
          batch.topicMessages.flatMap((t) => t.messages.map((m) => `${m.key}:${t.topic}`)),
        );
        inFlight -= 1;
        return [];
      },
    };
    const client = { connect: () => Promise.resolve(producer) } as unknown as ClientKafka;
    const produced = jest.fn();
    const publisher = new EventPublisher(client, { produced } as unknown as KafkaMessageMetrics);

    await publisher.publish([registered('a'), registered('b'), deleted('a')]);

    expect(requests).toEqual([['a:user.registered', 'b:user.registered'], ['a:user.deleted']]);
    expect(produced).toHaveBeenCalledWith('user.registered', 2);
    expect(produced).toHaveBeenCalledWith('user.deleted', 1);
  });

  it('closes the client after a failed send, so the next publish connects again', async () => {
    const close = jest.fn(() => Promise.resolve());
    const producer = { sendBatch: () => Promise.reject(new Error('broker away')) };
    const client = {
      connect: () => Promise.resolve(producer),
      close,
    } as unknown as ClientKafka;
    const publisher = new EventPublisher(client, {
      produced: jest.fn(),
    } as unknown as KafkaMessageMetrics);

    await expect(publisher.publish([registered('a')])).rejects.toThrow('broker away');
    expect(close).toHaveBeenCalled();
  });
});
