import { randomUUID } from 'node:crypto';
import { loadConfig, operatorKafkaEnv } from '@microshop/config';
import { kafkaConnection } from '@microshop/events';
import { Kafka, logLevel, Message } from 'kafkajs';
import { waitFor } from './wait-for';

/** Kafka access for tests: what is on a topic since a point in time, and producing raw messages. */
export const testKafka = new Kafka({
  clientId: `e2e-${randomUUID().slice(0, 8)}`,
  // The operator's principal (admin): tests read and write every topic.
  ...kafkaConnection(loadConfig(operatorKafkaEnv, process.env)),
  logLevel: logLevel.NOTHING,
});

export type Offsets = Record<number, string>;

export interface ReceivedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** The message's timestamp (ms since the epoch; set by the producer). */
  timestamp: number;
}

/** The next offset of every partition: "now", to read only what comes after. */
export async function endOffsets(topic: string): Promise<Offsets> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map((o) => [o.partition, o.offset]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads `topic` from `since` (default: the beginning) until `until` accepts what was read, then
 * keeps reading for `settleMs` more so a test can also see that nothing extra arrived.
 */
export async function readMessages(
  topic: string,
  options: {
    since?: Offsets;
    until: (messages: ReceivedMessage[]) => boolean;
    timeoutMs?: number;
    settleMs?: number;
  },
): Promise<ReceivedMessage[]> {
  const { since, until, timeoutMs = 30_000, settleMs = 0 } = options;
  const consumer = testKafka.consumer({
    groupId: `e2e-reader-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  const messages: ReceivedMessage[] = [];
  const seen = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    if (since) {
      // Start at `since` rather than reading the whole topic (which grows with every run).
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const [partition, offset] of Object.entries(since)) {
          consumer.seek({ topic, partition: Number(partition), offset });
        }
      });
    }
    let done: () => void = () => undefined;
    const satisfied = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const start = since?.[partition];
        if (start !== undefined && BigInt(message.offset) < BigInt(start)) return;
        // A seek may hand out a message again; each offset counts once.
        if (seen.has(`${partition}:${message.offset}`)) return;
        seen.add(`${partition}:${message.offset}`);
        messages.push(toReceived(partition, message));
        if (until(messages)) done();
        return Promise.resolve();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Timed out reading ${topic}; got ${messages.length} message(s)`)),
        timeoutMs,
      );
    });
    await Promise.race([satisfied, timeout]).finally(() => clearTimeout(timer));
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

export async function produce(
  topic: string,
  messages: { key?: string; value: string | null; headers?: Record<string, string> }[],
): Promise<void> {
  const producer = testKafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

function toReceived(
  partition: number,
  message: { offset: string; timestamp: string } & Message,
): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return {
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    value: message.value ? message.value.toString() : null,
    headers,
    timestamp: Number(message.timestamp),
  };
}

/** Messages on `topic` that consumer group `groupId` has not committed yet, over all partitions. */
export async function groupLag(groupId: string, topic: string): Promise<number> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    return ends.reduce((lag, { partition, high }) => {
      const at = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return lag + Number(BigInt(high) - (at === '-1' ? 0n : BigInt(at)));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** Moves a consumer group (which must have no running members) back to `offsets` on `topic`. */
export async function rewindGroup(groupId: string, topic: string, offsets: Offsets): Promise<void> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId,
      topic,
      partitions: Object.entries(offsets).map(([partition, offset]) => ({
        partition: Number(partition),
        offset,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** A consumer group's state (`Stable`, `PreparingRebalance`, ...) and how many members it has. */
export async function groupState(groupId: string): Promise<{ state: string; members: number }> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const {
      groups: [group],
    } = await admin.describeGroups([groupId]);
    return { state: group.state, members: group.members.length };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until `groupId` consumes again with exactly `members` members. An app killed with SIGKILL
 * stays a member until its session times out (30 s), and until then the group cannot rebalance
 * onto the restarted app: its events wait. Specs that kill a consumer call this before moving on.
 */
export async function waitForGroupStable(groupId: string, members = 1): Promise<void> {
  await waitFor(
    () => groupState(groupId),
    (g) => g.state === 'Stable' && g.members === members,
    { what: `consumer group ${groupId} to be Stable with ${members} member(s)`, timeoutMs: 90_000 },
  );
}
