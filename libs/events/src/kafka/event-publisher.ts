import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { lastValueFrom } from 'rxjs';
import { EventEnvelope } from '../envelope';
import { ConsumerMetrics } from '../consumer/consumer-metrics';
import { Topic } from '../topics';
import { eventsTracer, traceContextOf } from '../tracing/trace-context';
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

  /**
   * Publishes outbox events, each run in the trace it was recorded in (its `traceparent`
   * header): an `outbox relay <topic>` span there, and the Kafka producer spans under it.
   */
  async publish(events: OutgoingEvent[]): Promise<void> {
    for (const run of consecutiveRuns(events)) {
      const topic = run[0].envelope.type;
      await eventsTracer().startActiveSpan(
        `outbox relay ${topic}`,
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.destination.name': topic,
            'messaging.batch.message_count': run.length,
            'messaging.message.id': run[0].envelope.eventId,
          },
        },
        traceContextOf(run[0].headers),
        async (span) => {
          try {
            await this.send(topic, run);
          } catch (err) {
            span.recordException(err as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            throw err;
          } finally {
            span.end();
          }
        },
      );
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

const sameRun = (a: OutgoingEvent, b: OutgoingEvent) =>
  a.envelope.type === b.envelope.type && a.headers?.traceparent === b.headers?.traceparent;

/** Splits the list into runs of the same topic and trace, keeping the overall order. */
export function consecutiveRuns(events: OutgoingEvent[]): OutgoingEvent[][] {
  const runs: OutgoingEvent[][] = [];
  for (const event of events) {
    const last = runs[runs.length - 1];
    if (last && sameRun(last[0], event)) last.push(event);
    else runs.push([event]);
  }
  return runs;
}
