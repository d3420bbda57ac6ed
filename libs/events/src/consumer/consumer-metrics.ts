import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';

const COUNTERS = {
  consumed: 'microshop_kafka_messages_consumed_total',
  failed: 'microshop_kafka_messages_failed_total',
  retried: 'microshop_kafka_messages_retried_total',
  deadLettered: 'microshop_kafka_messages_dead_lettered_total',
  produced: 'microshop_kafka_messages_produced_total',
} as const;

export const consumerMetricProviders = [
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

@Injectable()
export class ConsumerMetrics {
  constructor(
    @InjectMetric(COUNTERS.consumed) private readonly consumedTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.failed) private readonly failedTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.retried) private readonly retriedTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.deadLettered) private readonly deadLetteredTotal: Counter<'topic'>,
    @InjectMetric(COUNTERS.produced) private readonly producedTotal: Counter<'topic'>,
  ) {}

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
