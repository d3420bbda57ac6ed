import { EventEmitter } from 'node:events';
import { Kafka } from 'kafkajs';
import { ConsumerSupervisor } from '../consumer/consumer-supervisor';
import type { KafkaSettings } from './kafka-settings';
import { kafkaServer } from './kafka-options';

const settings: KafkaSettings = {
  serviceName: 'test-service',
  brokers: ['127.0.0.1:1'],
  retries: 1,
  partitions: 1,
  consumerMaxRestarts: 5,
  ssl: false,
};

/** A kafkajs consumer whose first run fails to join: kafkajs reports that as a CRASH, not a throw. */
function consumerCrashingInItsFirstRun() {
  const emitter = new EventEmitter();
  let runs = 0;
  const events = new Kafka({ brokers: settings.brokers }).consumer({ groupId: 'g' }).events;
  return {
    events,
    on: (name: string, listener: (event: unknown) => void) => emitter.on(name, listener),
    connect: jest.fn().mockResolvedValue(undefined),
    subscribe: jest.fn().mockResolvedValue(undefined),
    run: jest.fn(() => {
      if (runs++ === 0) {
        emitter.emit(events.CRASH, { payload: { error: new Error('coordinator not available') } });
      } else emitter.emit(events.GROUP_JOIN, {});
      return Promise.resolve();
    }),
    disconnect: jest.fn().mockResolvedValue(undefined),
  };
}

describe('kafkaServer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('puts its consumer under the supervisor before it first runs, so a crash then is restarted', async () => {
    const consumer = consumerCrashingInItsFirstRun();
    const producer = { on: jest.fn(), events: {}, connect: jest.fn().mockResolvedValue(undefined) };
    const server = kafkaServer(settings, new ConsumerSupervisor(settings));
    const client = { consumer: () => consumer, producer: () => producer };
    jest
      .spyOn(server as unknown as { createClient: () => unknown }, 'createClient')
      .mockReturnValue(client);

    const listening = new Promise<unknown>((resolve) => {
      void server.listen(resolve);
    });
    expect(await listening).toBeUndefined();
    expect(consumer.run).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumer.connect).toHaveBeenCalledTimes(2);
    expect(consumer.run).toHaveBeenCalledTimes(2);
  });
});
