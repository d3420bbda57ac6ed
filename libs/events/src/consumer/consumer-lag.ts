import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { Gauge } from 'prom-client';
import { KafkaAdmin } from '../kafka/kafka-admin';
import { KAFKA_SETTINGS, KafkaSettings } from '../kafka/kafka-settings';

const LAG = 'microshop_kafka_consumer_lag_messages';

export const consumerLagMetricProviders = [
  makeGaugeProvider({
    name: LAG,
    help: "Messages not yet consumed by this service's group: partition end offset minus committed offset",
    labelNames: ['topic', 'partition'],
  }),
];

const MEASURE_INTERVAL_MS = 15_000;

/**
 * Measures the consumer group's lag per topic and partition from the broker's offsets (two admin
 * requests per round, no consumer involved), every 15 s, so /metrics stays instant. While Kafka
 * is away the last values stay; readiness reports the outage.
 */
@Injectable()
export class ConsumerLag implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerLag.name);
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly admin: KafkaAdmin,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    @InjectMetric(LAG) private readonly lag: Gauge<'topic' | 'partition'>,
  ) {}

  start(topics: string[]): void {
    if (this.timer || topics.length === 0) return;
    const tick = () => void this.measure(topics);
    this.timer = setInterval(tick, MEASURE_INTERVAL_MS).unref();
    tick();
  }

  async measure(topics: string[]): Promise<void> {
    try {
      const lags = await this.admin.consumerLag(this.settings.serviceName, topics);
      for (const { topic, partition, lag } of lags) {
        this.lag.set({ topic, partition: String(partition) }, lag);
      }
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn(`Consumer lag not measured: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
