import { isSpanContextValid, trace } from '@opentelemetry/api';

export interface TraceIds {
  traceId: string;
  spanId: string;
}

/** Ids of the span active here, for log lines; undefined without one (or with tracing off). */
export function activeTraceIds(): TraceIds | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return undefined;
  return { traceId: context.traceId, spanId: context.spanId };
}
