import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { SpanKind } from '@opentelemetry/api';
import { endSpanAfter } from '@microshop/observability';
import type { Message } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { EventEnvelope } from '../envelope';
import { KafkaMessageMetrics } from './message-metrics';
import { Topic } from '../topics';
import { eventsTracer, traceContextOf } from '../tracing/trace-context';
import { KAFKA_PRODUCER_CLIENT } from './kafka-settings';

/** Carries the envelope's eventId, so a message can be told apart without parsing its value. */
export const EVENT_ID_HEADER = 'event-id';

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
    private readonly metrics: KafkaMessageMetrics,
  ) {}

  /**
   * Publishes outbox events of any number of aggregates, keeping each aggregate's order: an
   * aggregate's events go out in waves (see `publishWaves`), each wave one produce request per
   * trace. Each trace's share runs in the trace it was recorded in (its `traceparent` header):
   * an `outbox relay <topic>` span there, and the Kafka producer spans under it. Untraced events
   * (tracing off) share one request per wave.
   */
  async publish(events: OutgoingEvent[]): Promise<void> {
    for (const wave of publishWaves(events)) {
      // One request at a time: the idempotent producer serializes them per broker anyway, and a
      // failure then stops the claim at once instead of leaving sibling sends on a closed client.
      for (const group of sameTraceGroups(wave)) await this.sendInTrace(group);
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

  private sendInTrace(events: OutgoingEvent[]): Promise<void> {
    const topic = events[0].envelope.type;
    return eventsTracer().startActiveSpan(
      `outbox relay ${topic}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.batch.message_count': events.length,
          'messaging.message.id': events[0].envelope.eventId,
        },
      },
      traceContextOf(events[0].headers),
      (span) => endSpanAfter(span, () => this.sendBatch(events)),
    );
  }

  /** One produce request for events of any topics; kafkajs keeps their order per partition. */
  private async sendBatch(events: OutgoingEvent[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const e of events) {
      const messages = byTopic.get(e.envelope.type) ?? [];
      messages.push({
        key: e.key,
        value: JSON.stringify(e.envelope),
        headers: { ...e.headers, [EVENT_ID_HEADER]: e.envelope.eventId },
      });
      byTopic.set(e.envelope.type, messages);
    }
    try {
      const producer = await this.client.connect();
      await producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      await this.reconnectLater();
      throw err;
    }
    for (const [topic, messages] of byTopic) this.metrics.produced(topic, messages.length);
  }

  /** Drops the producer: the next publish connects a new one (after a publish that hung). */
  reset(): Promise<void> {
    return this.reconnectLater();
  }

  /**
   * ClientKafka caches a failed connection (nestjs/nest#10449); closing it makes the next
   * publish reconnect instead of failing forever.
   */
  private async reconnectLater(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }

  private async emit(topic: string, messages: object[]): Promise<void> {
    try {
      await lastValueFrom(this.client.emitBatch(topic, { messages }), { defaultValue: undefined });
      this.metrics.produced(topic, messages.length);
    } catch (err) {
      await this.reconnectLater();
      throw err;
    }
  }
}

/** Events that may share one produce request: same topic, recorded in the same trace. */
const sameRun = (a: OutgoingEvent, b: OutgoingEvent) =>
  a.envelope.type === b.envelope.type && a.headers?.traceparent === b.headers?.traceparent;

/**
 * Splits events (in recording order) into waves that may each be sent at once: an aggregate's
 * consecutive events on one topic and of one trace share a wave (one partition keeps their
 * order); its next event waits for the next wave, i.e. for the broker to have acknowledged the
 * earlier ones, since Kafka orders nothing across topics and each trace is a request of its own.
 * So within a wave an aggregate's events are in one request.
 */
export function publishWaves(events: OutgoingEvent[]): OutgoingEvent[][] {
  const waves: OutgoingEvent[][] = [];
  const last = new Map<string, { wave: number; event: OutgoingEvent }>();
  for (const event of events) {
    const previous = last.get(event.key);
    const wave = !previous ? 0 : sameRun(previous.event, event) ? previous.wave : previous.wave + 1;
    last.set(event.key, { wave, event });
    (waves[wave] ??= []).push(event);
  }
  return waves;
}

/**
 * Groups a wave's events by the trace they were recorded in, keeping their order: the groups go
 * out one after another, in any order, since a wave holds one run per aggregate.
 */
export function sameTraceGroups(events: OutgoingEvent[]): OutgoingEvent[][] {
  const groups = new Map<string | undefined, OutgoingEvent[]>();
  for (const event of events) {
    const trace = event.headers?.traceparent;
    const group = groups.get(trace) ?? [];
    group.push(event);
    groups.set(trace, group);
  }
  return [...groups.values()];
}
