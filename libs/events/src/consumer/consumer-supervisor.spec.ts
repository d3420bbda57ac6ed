import { EventEmitter } from 'node:events';
import { Consumer, Kafka } from 'kafkajs';
import { ConsumerSupervisor, restartBudget, STALL_MS } from './consumer-supervisor';
import type { KafkaSettings } from '../kafka/kafka-settings';

describe('restartBudget', () => {
  it('allows the configured number of restarts per window, then refuses', () => {
    let t = 0;
    const allow = restartBudget(2, () => t);
    expect(allow()).toBe(true);
    expect(allow()).toBe(true);
    expect(allow()).toBe(false);
    t += 11 * 60_000;
    expect(allow()).toBe(true);
  });

  it('with a budget of zero never restarts', () => {
    expect(restartBudget(0)()).toBe(false);
  });
});

const EVENTS = new Kafka({ brokers: ['127.0.0.1:1'] }).consumer({ groupId: 'g' }).events;

/** Just enough of a kafkajs consumer: its instrumentation events and disconnect. */
function fakeConsumer(disconnect: () => Promise<void> = () => Promise.resolve()) {
  const emitter = new EventEmitter();
  const consumer = {
    events: EVENTS,
    on: (name: string, listener: (event: unknown) => void) => emitter.on(name, listener),
    disconnect: jest.fn(disconnect),
  } as unknown as Consumer & { disconnect: jest.Mock };
  return {
    consumer,
    crash: (message: string) =>
      emitter.emit(EVENTS.CRASH, { payload: { error: new Error(message), restart: false } }),
    join: () => emitter.emit(EVENTS.GROUP_JOIN, {}),
    fetch: () => emitter.emit(EVENTS.FETCH_START, {}),
  };
}

const settings = (consumerMaxRestarts: number) => ({ consumerMaxRestarts }) as KafkaSettings;

describe('ConsumerSupervisor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts a consumer that kafkajs would leave dead, after a backoff', async () => {
    const { consumer, crash } = fakeConsumer();
    const restart = jest.fn().mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(5));
    supervisor.watch(consumer, restart);

    crash('Failed to find group coordinator');
    await jest.advanceTimersByTimeAsync(999);
    expect(restart).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(restart).toHaveBeenCalledTimes(1);
    expect(supervisor.failure).toBeNull();
  });

  it('keeps trying with growing delays while the restart itself fails', async () => {
    const { consumer, crash } = fakeConsumer();
    const restart = jest
      .fn()
      .mockRejectedValueOnce(new Error('Connection error'))
      .mockRejectedValueOnce(new Error('Connection error'))
      .mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(1));
    supervisor.watch(consumer, restart);

    crash('Failed to find group coordinator');
    await jest.advanceTimersByTimeAsync(1_000 + 2_000);
    expect(restart).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(4_000);
    expect(restart).toHaveBeenCalledTimes(3);
    expect(supervisor.failure).toBeNull();
  });

  it('reports liveness failure once the restart budget is spent, and recovers on a join', async () => {
    const { consumer, crash, join } = fakeConsumer();
    const restart = jest.fn().mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(1));
    supervisor.watch(consumer, restart);

    crash('first');
    await jest.advanceTimersByTimeAsync(1_000);
    crash('second');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(restart).toHaveBeenCalledTimes(1);
    expect(supervisor.failure).toBe('Kafka consumer crashed and is out of restarts: second');
    join();
    expect(supervisor.failure).toBeNull();
  });

  it('does not restart once the app shuts down', async () => {
    const { consumer, crash } = fakeConsumer();
    const restart = jest.fn().mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(5));
    supervisor.watch(consumer, restart);

    crash('Failed to find group coordinator');
    supervisor.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(restart).not.toHaveBeenCalled();
  });

  it('counts a crash during a restart as a failed restart, and tries again', async () => {
    const { consumer, crash } = fakeConsumer();
    const restart = jest
      .fn()
      .mockImplementationOnce(() => Promise.resolve(crash('Failed to find group coordinator')))
      .mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(1));
    supervisor.watch(consumer, restart);

    crash('Connection error');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(restart).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(restart).toHaveBeenCalledTimes(2);
    expect(supervisor.failure).toBeNull();
  });

  it('stops and restarts a joined consumer that goes silent without crashing', async () => {
    const { consumer, join, fetch } = fakeConsumer();
    const restart = jest.fn().mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(5));
    supervisor.watch(consumer, restart);
    join();

    for (let t = 0; t < 3 * STALL_MS; t += 10_000) {
      fetch();
      await jest.advanceTimersByTimeAsync(10_000);
    }
    expect(restart).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(STALL_MS + 5_000 + 1_000);
    expect(consumer.disconnect).toHaveBeenCalledTimes(1);
    expect(restart).toHaveBeenCalledTimes(1);
    expect(supervisor.failure).toBeNull();
  });

  it('reports liveness failure when a silent consumer does not stop', async () => {
    const { consumer, join } = fakeConsumer(() => new Promise(() => undefined));
    const restart = jest.fn().mockResolvedValue(undefined);
    const supervisor = new ConsumerSupervisor(settings(5));
    supervisor.watch(consumer, restart);
    join();

    await jest.advanceTimersByTimeAsync(STALL_MS + 5_000 + 1_000 + 30_000);
    expect(restart).not.toHaveBeenCalled();
    expect(supervisor.failure).toBe('Kafka consumer stalled and did not stop within 30000 ms');
    await jest.advanceTimersByTimeAsync(10 * STALL_MS);
    expect(consumer.disconnect).toHaveBeenCalledTimes(1);
  });
});
