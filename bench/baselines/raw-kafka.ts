import { loadConfig, operatorKafkaEnv } from '@microshop/config';
import { kafkaConnection } from '@microshop/events';
/**
 * The floor for the event path: kafkajs alone. Batch publish throughput of event-sized messages
 * (what an outbox relay could reach), and produce→consume latency at a fixed rate (one hop).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { percentiles } from '../lib/load';

export const RAW_TOPIC = 'bench.raw-events';

export function kafkaClient(brokers: string[]): Kafka {
  const access = loadConfig(operatorKafkaEnv, process.env);
  return new Kafka({
    clientId: 'microshop-bench',
    ...kafkaConnection({ ...access, brokers }),
    logLevel: logLevel.NOTHING,
  });
}

/** A message the size of an order.created envelope with one line. */
export function sampleEvent(): string {
  return JSON.stringify({
    eventId: randomUUID(),
    type: 'order.created',
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'order-service',
    correlationId: randomUUID(),
    causationId: null,
    payload: {
      orderId: randomUUID(),
      userId: '6745a1b2c3d4e5f6a7b8c9d0',
      customerEmail: 'shopper@example.com',
      items: [
        {
          productId: '6745a1b2c3d4e5f6a7b8c9d1',
          sku: 'LAMP-ARC-001',
          name: 'Arc floor lamp',
          unitPriceCents: 12999,
          quantity: 1,
        },
      ],
      totalCents: 12999,
      currency: 'USD',
    },
  });
}

async function ensureTopic(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin
    .createTopics({ topics: [{ topic: RAW_TOPIC, numPartitions: 3, replicationFactor: 1 }] })
    .catch(() => false);
  await admin.disconnect();
}

/** Messages per second published with `sendBatch` (batches of `batchSize`, acks=all). */
export async function rawPublishRate(
  kafka: Kafka,
  messages: number,
  batchSize = 100,
): Promise<{ rate: number; bytes: number }> {
  await ensureTopic(kafka);
  const producer = kafka.producer();
  await producer.connect();
  const value = sampleEvent();
  await producer.send({ topic: RAW_TOPIC, messages: [{ value }] });
  const t0 = performance.now();
  for (let sent = 0; sent < messages; sent += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, messages - sent) }, (_, i) => ({
      key: String(sent + i),
      value,
    }));
    await producer.send({ topic: RAW_TOPIC, messages: batch, acks: -1 });
  }
  const rate = messages / ((performance.now() - t0) / 1000);
  await producer.disconnect();
  return { rate: Math.round(rate), bytes: Buffer.byteLength(value) };
}

/** One produce→consume hop at `rate` messages per second for `durationS`. */
export async function rawHopLatency(kafka: Kafka, rate: number, durationS: number) {
  await ensureTopic(kafka);
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);
  const runId = randomUUID();
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.subscribe({ topic: RAW_TOPIC, fromBeginning: false });
  await consumer.run({
    eachMessage: ({ message }) => {
      const key = message.key?.toString() ?? '';
      const t = sentAt.get(key);
      if (t !== undefined) {
        samples.push(performance.now() - t);
        sentAt.delete(key);
      }
      return Promise.resolve();
    },
  });
  await joined;
  await new Promise((r) => setTimeout(r, 1000));
  const total = Math.round(rate * durationS);
  const value = sampleEvent();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const key = `${runId}-${i}`;
    sentAt.set(key, performance.now());
    void producer.send({ topic: RAW_TOPIC, messages: [{ key, value }] });
  }
  const deadline = performance.now() + 10_000;
  while (samples.length < total && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  await producer.disconnect();
  return { rate, ...percentiles(samples), lost: total - samples.length };
}
