import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parse, Type } from 'protobufjs';

/**
 * The part of the OTLP trace protocol (opentelemetry-proto, collector/trace/v1) a test reads;
 * field numbers as upstream, so real exporters' requests decode (unknown fields are skipped).
 */
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; repeated Link links = 13; Status status = 15;
}
message Link { bytes trace_id = 1; bytes span_id = 2; }
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
`;

const REQUEST: Type = parse(OTLP_TRACE_PROTO).root.lookupType(
  'opentelemetry.proto.ExportTraceServiceRequest',
);

/** OTLP SpanKind values. */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
  status: { code: number; message?: string };
}

// The shape of REQUEST.toObject(..., { longs: String, bytes: String }): bytes as base64.
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface DecodedSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  attributes?: KeyValue[];
  links?: { traceId?: string; spanId?: string }[];
  status?: { code?: number; message?: string };
}
interface DecodedRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: DecodedSpan[] }[];
  }[];
}

const hex = (base64: string | undefined) =>
  base64 ? Buffer.from(base64, 'base64').toString('hex') : '';

const valueOf = (v: AnyValue | undefined): unknown => {
  if (!v) return undefined;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.stringValue ?? v.boolValue ?? v.doubleValue ?? v.bytesValue;
};

const attributesOf = (list: KeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));

/** Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest into flat spans. */
export function decodeTraceRequest(body: Uint8Array): ReceivedSpan[] {
  const request = REQUEST.toObject(REQUEST.decode(body), {
    longs: String,
    bytes: String,
    defaults: false,
  }) as DecodedRequest;
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span): ReceivedSpan => ({
        service: typeof resource['service.name'] === 'string' ? resource['service.name'] : '',
        scope: ss.scope?.name ?? '',
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId) || null,
        name: span.name ?? '',
        kind: span.kind ?? 0,
        startTimeUnixNano: span.startTimeUnixNano ?? '0',
        attributes: attributesOf(span.attributes),
        links: (span.links ?? []).map((l) => ({
          traceId: hex(l.traceId),
          spanId: hex(l.spanId),
        })),
        status: { code: span.status?.code ?? 0, message: span.status?.message },
      })),
    );
  });
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
};

/**
 * A real OTLP/HTTP trace receiver on loopback: accepts `POST /v1/traces` (protobuf) as a collector
 * does, keeps the spans in memory, and serves them to tests as JSON on `GET /spans?traceId=`.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server: Server | null = null;

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
    try {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'POST' && url.pathname === '/v1/traces') {
        const type = req.headers['content-type'] ?? '';
        if (!type.startsWith('application/x-protobuf')) {
          res.writeHead(415).end();
          return;
        }
        this.spans.push(...decodeTraceRequest(await readBody(req)));
        // An empty ExportTraceServiceResponse: everything accepted.
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        return;
      }
      if (req.method === 'GET' && url.pathname === '/spans') {
        const traceId = url.searchParams.get('traceId');
        const spans = traceId ? this.spans.filter((s) => s.traceId === traceId) : this.spans;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(spans));
        return;
      }
      res.writeHead(404).end();
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end((err as Error).message);
    }
  }
}

/** Where the e2e harness runs its receiver; the apps it starts export their spans there. */
export const OTLP_RECEIVER_URL = 'http://127.0.0.1:14318';

/** Spans the harness's receiver got so far for one trace. */
export const spansOfTrace = (traceId: string) =>
  receivedSpans(`?traceId=${encodeURIComponent(traceId)}`);

/** Every span the harness's receiver got so far, of any trace. */
export const allReceivedSpans = () => receivedSpans('');

async function receivedSpans(query: string): Promise<ReceivedSpan[]> {
  const res = await fetch(`${OTLP_RECEIVER_URL}/spans${query}`);
  if (!res.ok) throw new Error(`OTLP receiver answered ${res.status}`);
  return (await res.json()) as ReceivedSpan[];
}
