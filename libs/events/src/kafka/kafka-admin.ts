import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { topicsWrittenBy } from '../topics';
import { KAFKA_SETTINGS, kafkaConnection, KafkaSettings } from './kafka-settings';

const PING_TIMEOUT_MS = 2_000;
const LAG_TIMEOUT_MS = 5_000;

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type CommittedOffsets = Awaited<ReturnType<Admin['fetchOffsets']>>;
type EndOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/**
 * Lag per partition: end offset minus the group's committed offset; a partition without a commit
 * counts from its earliest offset (consumers start from the beginning).
 */
export function lagOf(
  topics: string[],
  committed: CommittedOffsets,
  ends: EndOffsets[],
): PartitionLag[] {
  return topics.flatMap((topic, i) => {
    const commits = committed.find((c) => c.topic === topic)?.partitions ?? [];
    return ends[i].map(({ partition, high, low }) => {
      const commit = Number(commits.find((c) => c.partition === partition)?.offset ?? -1);
      const from = commit >= 0 ? commit : Number(low);
      return { topic, partition, lag: Math.max(0, Number(high) - from) };
    });
  });
}

/**
 * Topic creation and broker pings. The broker does not auto-create topics, so every app makes
 * sure the topics it writes exist with the configured partition count (the bus lets it create
 * those only; `npm run kafka:topics` creates them all).
 */
@Injectable()
export class KafkaAdmin implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaAdmin.name);
  private admin: Admin | null = null;

  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  /** The topics this app writes (its own, and the dead-letter topics of those it consumes). */
  async ensureTopics(): Promise<void> {
    const topics = topicsWrittenBy(this.settings.serviceName);
    if (topics.length === 0) return;
    const created = await this.withAdmin((admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((topic) => ({
          topic,
          numPartitions: this.settings.partitions,
          replicationFactor: -1,
        })),
      }),
    );
    if (created) this.logger.log(`Created Kafka topics (${this.settings.partitions} partitions)`);
  }

  /** Resolves when a broker answers within the timeout. */
  async ping(): Promise<void> {
    await withTimeout(
      this.withAdmin((admin) => admin.describeCluster()),
      PING_TIMEOUT_MS,
      'Kafka ping',
    );
  }

  /** Per partition of each topic: how many messages the consumer group has not committed yet. */
  async consumerLag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    return withTimeout(
      this.withAdmin(async (admin) => {
        const [committed, ...ends] = await Promise.all([
          admin.fetchOffsets({ groupId, topics }),
          ...topics.map((topic) => admin.fetchTopicOffsets(topic)),
        ]);
        return lagOf(topics, committed, ends);
      }),
      LAG_TIMEOUT_MS,
      'Kafka consumer lag',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reset();
  }

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      if (!this.admin) {
        const kafka = new Kafka({
          clientId: `${this.settings.serviceName}-admin`,
          ...kafkaConnection(this.settings),
          connectionTimeout: PING_TIMEOUT_MS,
          retry: { retries: 0 },
          logLevel: logLevel.NOTHING,
        });
        this.admin = kafka.admin();
        await this.admin.connect();
      }
      return await fn(this.admin);
    } catch (err) {
      // A broken connection is dropped so the next call reconnects from scratch.
      await this.reset();
      throw err;
    }
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
