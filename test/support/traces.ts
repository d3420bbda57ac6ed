import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allReceivedSpans, ReceivedSpan, SPAN_KIND } from '@microshop/testing';
import { AppName, LOG_DIR } from '../../scripts/platform';

/** A fresh W3C trace context, as a client that starts the trace would send it. */
export function newTraceparent() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

/** The chain of parents of a span within the received spans, nearest first. */
export function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  for (let p = byId.get(span.parentSpanId ?? ''); p && !chain.includes(p);) {
    chain.push(p);
    p = byId.get(p.parentSpanId ?? '');
  }
  return chain;
}

/** Finds exactly one span matching, with a readable failure listing what was there. */
export function onlySpan(
  spans: ReceivedSpan[],
  match: Partial<Pick<ReceivedSpan, 'service' | 'name' | 'kind'>>,
): ReceivedSpan {
  const found = spans.filter((s) =>
    Object.entries(match).every(([k, v]) => s[k as keyof ReceivedSpan] === v),
  );
  if (found.length !== 1) {
    const seen = spans.map((s) => `${s.service}: ${s.name} (kind ${s.kind})`).join('\n  ');
    throw new Error(
      `expected one span ${JSON.stringify(match)}, found ${found.length}; spans:\n  ${seen}`,
    );
  }
  return found[0];
}

export interface EventHop {
  from: string;
  topic: string;
  to: string;
}

/**
 * Whether the spans `expected` names (service and span name) have all arrived: each service exports
 * its spans in batches on its own schedule, so the last span to end is not the last to arrive.
 */
export const spansArrived = (spans: ReceivedSpan[], expected: [service: string, name: string][]) =>
  expected.every(([service, name]) => spans.some((s) => s.service === service && s.name === name));

/** The spans one hop makes, for `spansArrived`. */
export const hopSpans = (hop: EventHop): [string, string][] => [
  [hop.from, `outbox relay ${hop.topic}`],
  [hop.from, `send ${hop.topic}`],
  [hop.to, `process ${hop.topic}`],
  [hop.to, `handle ${hop.topic}`],
];

/**
 * Checks one hop of an event through the outbox and Kafka: the relay publishing it descends from
 * `cause` (the work that wrote the event), the producer span is the relay's child, the consumer
 * span on the other side continues the producer's context from the headers, and the handler runs
 * in it. Returns the handler span, the cause of whatever that handler writes.
 */
export function expectHop(spans: ReceivedSpan[], hop: EventHop, cause: ReceivedSpan): ReceivedSpan {
  const relay = onlySpan(spans, { service: hop.from, name: `outbox relay ${hop.topic}` });
  expect(ancestors(relay, spans)).toContain(cause);
  const send = onlySpan(spans, {
    service: hop.from,
    kind: SPAN_KIND.PRODUCER,
    name: `send ${hop.topic}`,
  });
  expect(send.parentSpanId).toBe(relay.spanId);
  const consume = onlySpan(spans, {
    service: hop.to,
    kind: SPAN_KIND.CONSUMER,
    name: `process ${hop.topic}`,
  });
  expect(consume.parentSpanId).toBe(send.spanId);
  const handle = onlySpan(spans, { service: hop.to, name: `handle ${hop.topic}` });
  expect(handle.parentSpanId).toBe(consume.spanId);
  return handle;
}

export type LogLine = Record<string, unknown> & {
  msg?: string;
  service?: string;
  traceId?: string;
  spanId?: string;
  correlationId?: string;
  req?: { id?: string; method?: string; url?: string };
};

export const logFileOf = (app: AppName) => join(LOG_DIR, `${app}.log`);

/** The JSON lines of an app's log file (other output, e.g. a crash trace, is skipped). */
export function logLines(app: AppName): LogLine[] {
  return readFileSync(logFileOf(app), 'utf8')
    .split('\n')
    .flatMap((line): LogLine[] => {
      try {
        const parsed = JSON.parse(line) as LogLine | null;
        return parsed && typeof parsed === 'object' ? [parsed] : [];
      } catch {
        return [];
      }
    });
}

/**
 * The trace ids of every handler span, received from any app in any trace, that handled an event
 * caused by the same request as `handle` (same correlation id): a handler that lost the context
 * would show up here with a trace id of its own.
 */
export async function traceIdsOfCorrelation(handle: ReceivedSpan): Promise<Set<string>> {
  const correlationId = handle.attributes['microshop.correlation_id'];
  expect(correlationId).toEqual(expect.any(String));
  const related = (await allReceivedSpans()).filter(
    (s) => s.attributes['microshop.correlation_id'] === correlationId,
  );
  return new Set(related.map((s) => s.traceId));
}
