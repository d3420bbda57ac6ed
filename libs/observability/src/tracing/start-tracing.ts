import type { IncomingMessage } from 'node:http';
import type { NodeSDK } from '@opentelemetry/sdk-node';

export interface TracingSettings {
  /** `service.name` of every span (OTEL_SERVICE_NAME, default the app's name). */
  serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); unset = no tracing at all. */
  otlpEndpoint?: string;
}

/** Probes and scrapes are not worth a trace each. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

let sdk: NodeSDK | null = null;

/**
 * Starts the OpenTelemetry SDK: HTTP (server and client), MongoDB, mysql2 and kafkajs
 * instrumentation, W3C trace context, spans batched to `<endpoint>/v1/traces` as OTLP/HTTP
 * protobuf. Call it before anything loads those modules (`runWithTracing` does, in main.ts): the
 * instrumentations hook `require`. Without an endpoint it does nothing, and not even the SDK is
 * loaded.
 */
export function startTracing(settings: TracingSettings): boolean {
  if (!settings.otlpEndpoint || sdk) return false;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } =
    require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { MongoDBInstrumentation } =
    require('@opentelemetry/instrumentation-mongodb') as typeof import('@opentelemetry/instrumentation-mongodb');
  const { MySQL2Instrumentation } =
    require('@opentelemetry/instrumentation-mysql2') as typeof import('@opentelemetry/instrumentation-mysql2');
  const { KafkaJsInstrumentation } =
    require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  /* eslint-enable @typescript-eslint/no-require-imports */

  sdk = new NodeSDK({
    serviceName: settings.serviceName,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl(settings.otlpEndpoint) }),
    // Traces only: metrics are scraped from /metrics and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.test(req.url ?? ''),
        // Outgoing calls are traced only as part of a trace (no root spans for background polls).
        requireParentforOutgoingSpans: true,
      }),
      // Statements are recorded with their values masked: no personal data in traces.
      new MongoDBInstrumentation({ enhancedDatabaseReporting: false }),
      new MySQL2Instrumentation({ maskStatement: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return true;
}

/** Flushes and stops the SDK (spans still buffered are exported); a no-op when tracing is off. */
export async function shutdownTracing(): Promise<void> {
  const running = sdk;
  sdk = null;
  await running?.shutdown();
}

export const tracesUrl = (endpoint: string) => `${endpoint.replace(/\/+$/, '')}/v1/traces`;
