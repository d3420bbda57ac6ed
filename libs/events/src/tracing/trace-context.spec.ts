import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ClientKafka } from '@nestjs/microservices';
import { of } from 'rxjs';
import { ConsumerMetrics } from '../consumer/consumer-metrics';
import { createEnvelope } from '../envelope';
import { consecutiveRuns, EventPublisher, OutgoingEvent } from '../kafka/event-publisher';
import { outboxFieldsForInsert } from '../outbox/mongo-outbox';
import { TOPICS } from '../topics';
import { outgoingTraceHeaders } from './trace-context';

const event = (headers?: Record<string, string>): OutgoingEvent => ({
  key: 'u1',
  envelope: createEnvelope(
    TOPICS.USER_REGISTERED,
    { userId: 'u1', email: 'a@example.com', name: 'A', registeredAt: new Date().toISOString() },
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
      outboxFieldsForInsert([event({ 'x-extra': '1' })]),
    );
    expect(fields.outbox[0].headers).toEqual({
      traceparent: expect.stringContaining(span.spanContext().traceId),
      'x-extra': '1',
    });
  });

  it('the publisher sends each trace in its own run, under an outbox relay span in that trace', async () => {
    const sent: {
      topic: string;
      messages: { headers: Record<string, string> }[];
      span?: string;
    }[] = [];
    const client = {
      emitBatch: (topic: string, batch: { messages: { headers: Record<string, string> }[] }) => {
        sent.push({ topic, ...batch, span: trace.getActiveSpan()?.spanContext().spanId });
        return of(undefined);
      },
    } as unknown as ClientKafka;
    const metrics = { produced: jest.fn() } as unknown as ConsumerMetrics;
    const publisher = new EventPublisher(client, metrics);

    const a = tracer.startSpan('request a');
    const b = tracer.startSpan('request b');
    const headersOf = (span: typeof a) =>
      context.with(trace.setSpan(context.active(), span), () => outgoingTraceHeaders());
    const events = [event(headersOf(a)), event(headersOf(a)), event(headersOf(b)), event()];
    expect(consecutiveRuns(events).map((r) => r.length)).toEqual([2, 1, 1]);

    await publisher.publish(events);

    const relays = exporter.getFinishedSpans();
    expect(relays.map((s) => s.name)).toEqual([
      'outbox relay user.registered',
      'outbox relay user.registered',
      'outbox relay user.registered',
    ]);
    expect(relays[0].spanContext().traceId).toBe(a.spanContext().traceId);
    expect(relays[0].parentSpanContext?.spanId).toBe(a.spanContext().spanId);
    expect(relays[1].spanContext().traceId).toBe(b.spanContext().traceId);
    expect(relays[2].parentSpanContext).toBeUndefined();
    expect(sent.map((s) => s.span)).toEqual(relays.map((s) => s.spanContext().spanId));
    expect(sent[0].messages.map((m) => m.headers['event-id'])).toEqual([
      events[0].envelope.eventId,
      events[1].envelope.eventId,
    ]);
  });
});
