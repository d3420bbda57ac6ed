import { context, SpanKind, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OtlpReceiver, SPAN_KIND } from './otlp-receiver';

describe('OtlpReceiver', () => {
  const receiver = new OtlpReceiver();
  let url: string;

  beforeAll(async () => {
    url = await receiver.start(0);
  });
  afterAll(() => receiver.stop());

  it('decodes what the OTLP protobuf exporter sends: ids, parent, kind, service, attributes', async () => {
    const exported = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'spec-service' }),
      spanProcessors: [new SimpleSpanProcessor(exported)],
    });
    const tracer = provider.getTracer('spec');
    const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER });
    const child = tracer.startSpan(
      'child',
      { kind: SpanKind.PRODUCER, attributes: { 'messaging.destination.name': 't', n: 3 } },
      trace.setSpan(context.active(), parent),
    );
    child.end();
    parent.end();
    // The request body the OTLP/HTTP protobuf exporter sends (its own serializer).
    const body = ProtobufTraceSerializer.serializeRequest(exported.getFinishedSpans());
    const posted = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: body as Uint8Array<ArrayBuffer>,
    });
    expect(posted.status).toBe(200);

    const { traceId, spanId } = parent.spanContext();
    const spans = await (await fetch(`${url}/spans?traceId=${traceId}`)).json();
    expect(spans).toHaveLength(2);
    expect(spans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'parent',
          service: 'spec-service',
          traceId,
          spanId,
          parentSpanId: null,
          kind: SPAN_KIND.SERVER,
        }),
        expect.objectContaining({
          name: 'child',
          traceId,
          parentSpanId: spanId,
          kind: SPAN_KIND.PRODUCER,
          attributes: { 'messaging.destination.name': 't', n: 3 },
        }),
      ]),
    );
  });

  it('refuses what is not OTLP protobuf', async () => {
    const res = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(415);
  });
});
