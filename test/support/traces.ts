import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReceivedSpan } from '@microshop/testing';
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
