import { Span, SpanStatusCode } from '@opentelemetry/api';

/** Runs `work` for `span`: records what it throws on the span as an error, and ends the span. */
export async function endSpanAfter<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
