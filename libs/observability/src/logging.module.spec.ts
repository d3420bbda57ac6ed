import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { contextMixin, REDACTED_PATHS, redactUrl } from './logging.module';

function capture(correlationId?: () => string | undefined) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino(
    {
      base: { service: 'spec-service' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: contextMixin(correlationId),
    },
    stream,
  );
  return { logger, lines };
}

describe('log lines', () => {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const provider = new BasicTracerProvider();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });

  it('redact passwords, tokens and authorization wherever they are nested', () => {
    const { logger, lines } = capture();
    logger.info({
      password: 'p0',
      body: { currentPassword: 'p1', refreshToken: 't1' },
      err: { config: { data: { accessToken: 't2', password: 'p2' } } },
      req: { headers: { authorization: 'Bearer t3', cookie: 'c' } },
      keep: 'visible',
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['p0', 'p1', 'p2', 't1', 't2', 't3', '"c"']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0].keep).toBe('visible');
  });

  it('redact secret query parameters in URLs', () => {
    expect(redactUrl('/a?token=abc&x=1&access_token=def&password=ghi')).toBe(
      '/a?token=[redacted]&x=1&access_token=[redacted]&password=[redacted]',
    );
    expect(redactUrl('/plain?x=1')).toBe('/plain?x=1');
  });

  it('carry the active span ids and the correlation id, with the service name', () => {
    const { logger, lines } = capture(() => 'corr-1');
    logger.info('outside');
    const span = provider.getTracer('spec').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    span.end();
    expect(lines[0]).toMatchObject({ service: 'spec-service', correlationId: 'corr-1' });
    expect(lines[0]).not.toHaveProperty('traceId');
    expect(lines[1]).toMatchObject({
      service: 'spec-service',
      correlationId: 'corr-1',
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
    });
  });

  it("do not repeat ids a request's logger already carries as bindings", () => {
    const { logger, lines } = capture(() => 'from-context');
    const span = provider.getTracer('spec').startSpan('child');
    const requestLogger = logger.child({ correlationId: 'req-1', traceId: 'a'.repeat(32) });
    context.with(trace.setSpan(context.active(), span), () => requestLogger.info('bound'));
    span.end();
    const raw = JSON.stringify(lines[0]);
    expect(raw.match(/"correlationId"/g)).toHaveLength(1);
    expect(raw.match(/"traceId"/g)).toHaveLength(1);
    expect(lines[0]).toMatchObject({ correlationId: 'req-1', traceId: 'a'.repeat(32) });
  });
});
