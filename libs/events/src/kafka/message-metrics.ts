import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { KAFKA_SETTINGS, KafkaSettings } from './kafka-settings';
import { topicsProducedBy } from '../topics';
import { subscribedTopics } from '../consumer/subscriptions';

const COUNTERS = {
  consumed: 'microshop_kafka_messages_consumed_total',
  failed: 'microshop_kafka_messages_failed_total',
  retried: 'microshop_kafka_messages_retried_total',
  deadLettered: 'microshop_kafka_messages_dead_lettered_total',
  produced: 'microshop_kafka_messages_produced_total',
} as const;

export const messageMetricProviders = [
  makeCounterProvider({
    name: COUNTERS.consumed,
    help: 'Kafka messages handled successfully',
    labelNames: ['topic'],
  }),
  makeCounterProvider({
    name: COUNTERS.failed,
    help: 'Kafka messages whose handling finally failed',
    labelNames: ['topic'],
  }),
  makeCounterProvider({
    name: COUNTERS.retried,
    help: 'Handler retries after a transient failure',
    labelNames: ['topic'],
  }),
  makeCounterProvider({
    name: COUNTERS.deadLettered,
    help: 'Kafka messages parked on a dead-letter topic',
    labelNames: ['topic'],
  }),
  makeCounterProvider({
    name: COUNTERS.produced,
    help: 'Kafka messages acknowledged by the broker',
    labelNames: ['topic'],
  }),
];

/**
 * Kafka message counters by topic. Every topic the app consumes or produces is exposed from the
 * start with 0, so rates and alerts see the series before the first message.
 */
@Injectable()
export class KafkaMessageMetrics implements OnModuleInit {
  constructor(
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    @InjectMetric(COUNTERS.consumed) private readonly consumedTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.failed) private readonly failedTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.retried) private readonly retriedTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.deadLettered) private readonly deadLetteredTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.produced) private readonly producedTotal: Counter<'topic'>,
  ) {}

  onModuleInit(): void {
    for (const topic of subscribedTopics()) {
      for (const counter of [
        this.consumedTotal,
        this.failedTotal,
        this.retriedTotal,
        this.deadLetteredTotal,
      ]) {
        counter.inc({ topic }, 0);
      }
    }
    for (const topic of topicsProducedBy(this.settings.serviceName)) {
      this.producedTotal.inc({ topic }, 0);
    }
  }

  consumed(topic: string): void {
    this.consumedTotal.inc({ topic });
  }
  failed(topic: string): void {
    this.failedTotal.inc({ topic });
  }
  retried(topic: string): void {
    this.retriedTotal.inc({ topic });
  }
  deadLettered(topic: string): void {
    this.deadLetteredTotal.inc({ topic });
  }
  produced(topic: string, count: number): void {
    this.producedTotal.inc({ topic }, count);
  }
}
