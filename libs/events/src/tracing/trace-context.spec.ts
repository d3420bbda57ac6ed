import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ClientKafka } from '@nestjs/microservices';
import { KafkaMessageMetrics } from '../kafka/message-metrics';
import { createEnvelope } from '../envelope';
import { EventPublisher, OutgoingEvent } from '../kafka/event-publisher';
import { insertWithEvents } from '../outbox/mongo-outbox';
import { TOPICS } from '../topics';
import { outgoingTraceHeaders } from './trace-context';

const event = (headers?: Record<string, string>, userId = 'u1'): OutgoingEvent => ({
  key: userId,
  envelope: createEnvelope(
    TOPICS.USER_REGISTERED,
    { userId, email: 'a@example.com', name: 'A', registeredAt: new Date().toISOString() },
    { producer: 'spec' },
  ),
  headers,
});

describe('trace context through the outbox', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('spec');
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  it('outgoingTraceHeaders is the active span as traceparent, and empty outside a trace', () => {
    expect(outgoingTraceHeaders()).toEqual({});
    const span = tracer.startSpan('request');
    const headers = context.with(trace.setSpan(context.active(), span), () =>
      outgoingTraceHeaders(),
    );
    const { traceId, spanId } = span.spanContext();
    expect(headers).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('MongoDB outbox entries record the trace context of the write', () => {
    const span = tracer.startSpan('request');
    const fields = context.with(trace.setSpan(context.active(), span), () =>
      insertWithEvents({}, [event({ 'x-extra': '1' })]),
    );
    expect(fields.outbox[0].headers).toEqual({
      traceparent: expect.stringContaining(span.spanContext().traceId),
      'x-extra': '1',
    });
  });

  it('the publisher sends each trace in its own request, under an outbox relay span in that trace', async () => {
    const sent: { events: string[]; span?: string }[] = [];
    const producer = {
      sendBatch: (batch: {
        topicMessages: { messages: { headers: Record<string, string> }[] }[];
      }) => {
        sent.push({
          events: batch.topicMessages.flatMap((t) => t.messages.map((m) => m.headers['event-id'])),
          span: trace.getActiveSpan()?.spanContext().spanId,
        });
        return Promise.resolve([]);
      },
    };
    const client = { connect: () => Promise.resolve(producer) } as unknown as ClientKafka;
    const metrics = { produced: jest.fn() } as unknown as KafkaMessageMetrics;
    const publisher = new EventPublisher(client, metrics);

    const a = tracer.startSpan('request a');
    const b = tracer.startSpan('request b');
    const headersOf = (span: typeof a) =>
      context.with(trace.setSpan(context.active(), span), () => outgoingTraceHeaders());
    const events = [
      event(headersOf(a), 'u1'),
      event(headersOf(b), 'u2'),
      event(headersOf(a), 'u3'),
      event(undefined, 'u4'),
    ];

    await publisher.publish(events);

    const relays = exporter.getFinishedSpans();
    expect(relays.map((s) => s.name)).toEqual([
      'outbox relay user.registered',
      'outbox relay user.registered',
      'outbox relay user.registered',
    ]);
    const [ofA, ofB, untraced] = sent;
    const spanOf = (send: (typeof sent)[number]) =>
      relays.find((s) => s.spanContext().spanId === send.span);
    expect(ofA.events).toEqual([events[0].envelope.eventId, events[2].envelope.eventId]);
    expect(spanOf(ofA)?.parentSpanContext?.spanId).toBe(a.spanContext().spanId);
    expect(ofB.events).toEqual([events[1].envelope.eventId]);
    expect(spanOf(ofB)?.parentSpanContext?.spanId).toBe(b.spanContext().spanId);
    expect(untraced.events).toEqual([events[3].envelope.eventId]);
    expect(spanOf(untraced)?.parentSpanContext).toBeUndefined();
  });
});
