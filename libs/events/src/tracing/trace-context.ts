import { Context, context, propagation, ROOT_CONTEXT, trace, Tracer } from '@opentelemetry/api';

/** The W3C trace context headers carried on Kafka messages (docs/contract.md, "Events"). */
export const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/**
 * `{traceparent, tracestate?}` of the work in progress, to store with an outbox event so that the
 * relay publishes it later as part of the same trace. Every outbox writer calls it when it records
 * an event (the MongoDB outbox helpers do); empty when tracing is off or nothing is traced.
 */
export function outgoingTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const headers: Record<string, string> = {};
  for (const name of TRACE_HEADERS) if (carrier[name]) headers[name] = carrier[name];
  return headers;
}

/** The trace context recorded in message headers (root context when there is none). */
export function traceContextOf(headers: Record<string, string> | undefined): Context {
  return headers?.traceparent ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}

export const eventsTracer = (): Tracer => trace.getTracer('@microshop/events');
