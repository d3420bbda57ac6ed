import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { EventEnvelope } from '../envelope';
import { ConsumerMetrics } from '../consumer/consumer-metrics';
import { Topic } from '../topics';
import { KAFKA_PRODUCER_CLIENT } from './kafka-settings';

/** A message ready for Kafka: keyed by its aggregate id so one aggregate's events stay in order. */
export interface OutgoingEvent<T extends Topic = Topic> {
  key: string;
  envelope: EventEnvelope<T>;
  headers?: Record<string, string>;
}

/**
 * Sends envelopes through Nest's `ClientKafka`, resolving only once the broker acknowledged them.
 * Callers are the outbox relays (state changes) and dead-lettering; nothing publishes directly
 * from a request.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_PRODUCER_CLIENT) private readonly client: ClientKafka,
    private readonly metrics: ConsumerMetrics,
  ) {}

  async publish(events: OutgoingEvent[]): Promise<void> {
    for (const run of consecutiveRunsByTopic(events)) {
      await this.send(run[0].envelope.type, run);
    }
  }

  /** Sends raw values (dead-lettering keeps the original bytes, which may not be an envelope). */
  async sendRaw(
    topic: string,
    messages: {
      key: string | Buffer | null;
      value: string | Buffer | null;
      headers: Record<string, string>;
    }[],
  ): Promise<void> {
    await this.emit(topic, messages);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  private async send(topic: string, events: OutgoingEvent[]): Promise<void> {
    await this.emit(
      topic,
      events.map((e) => ({
        key: e.key,
        value: JSON.stringify(e.envelope),
        headers: { ...e.headers, 'event-id': e.envelope.eventId },
      })),
    );
  }

  private async emit(topic: string, messages: object[]): Promise<void> {
    try {
      await lastValueFrom(this.client.emitBatch(topic, { messages }), { defaultValue: undefined });
      this.metrics.produced(topic, messages.length);
    } catch (err) {
      // ClientKafka caches a failed connection (nestjs/nest#10449); closing it makes the next
      // publish reconnect instead of failing forever.
      await this.client.close().catch(() => undefined);
      throw err;
    }
  }
}

/** Splits the list into runs of the same topic, keeping the overall order. */
function consecutiveRunsByTopic(events: OutgoingEvent[]): OutgoingEvent[][] {
  const runs: OutgoingEvent[][] = [];
  for (const event of events) {
    const last = runs[runs.length - 1];
    if (last && last[0].envelope.type === event.envelope.type) last.push(event);
    else runs.push([event]);
  }
  return runs;
}
