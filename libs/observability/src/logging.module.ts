import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Logger as PinoLogger, stdTimeFunctions, symbols } from 'pino';
import { activeTraceIds } from './trace-ids';

export interface LoggingOptions {
  serviceName: string;
  level: string;
  /** Correlation id of the work in progress (request or event), for lines outside a request. */
  correlationId?: () => string | undefined;
}

const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'accessToken',
  'refreshToken',
  'token',
  'idToken',
  'authorization',
  'cookie',
  'secret',
  'privateKey',
];

/** Never logged: credentials in headers and bodies, whatever the route and nesting (up to 3 deep). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/** Query parameters whose values are replaced in logged URLs. */
const SECRET_QUERY = new RegExp(`([?&](?:${SECRET_KEYS.join('|')}|access_token)=)[^&#]*`, 'gi');
export const redactUrl = (url: string) => url.replace(SECRET_QUERY, '$1[redacted]');

const QUIET_ROUTES = /^\/(health|metrics)/;

/**
 * The request id: the caller's `x-request-id` (or `x-correlation-id`) when it is a sane token,
 * else a fresh UUID. Fastify assigns it (genReqId), logs and events carry it as correlation id.
 */
export const requestIdOf = (req: Pick<IncomingMessage, 'headers'>): string => {
  const header = req.headers['x-request-id'] ?? req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,100}$/.test(value) ? value : randomUUID();
};

interface RequestBindings {
  correlationId: string;
  traceId?: string;
  spanId?: string;
}
const requestBindings = new WeakMap<IncomingMessage, RequestBindings>();

/**
 * A request's lines are bound to its id and to its HTTP server span, taken when the request
 * starts: pino-http asks again when the response is done, after that span's context is gone.
 */
const bindingsOf = (req: IncomingMessage): RequestBindings => {
  let bindings = requestBindings.get(req);
  if (!bindings) {
    bindings = { correlationId: (req as IncomingMessage & { id: string }).id, ...activeTraceIds() };
    requestBindings.set(req, bindings);
  }
  return bindings;
};

/**
 * `traceId`, `spanId` and `correlationId` for every line, unless the logger already carries them
 * as bindings (a request's logger does): pino does not merge bindings with the mixin.
 */
export const contextMixin =
  (correlationId: () => string | undefined = () => undefined) =>
  (_obj: object, _level: number, logger: PinoLogger): Record<string, string> => {
    const bound = (logger as unknown as Record<symbol, string>)[symbols.chindingsSym] ?? '';
    const fields: Record<string, string> = {};
    const ids = activeTraceIds();
    if (ids && !bound.includes('"traceId"')) Object.assign(fields, ids);
    const correlation = bound.includes('"correlationId"') ? undefined : correlationId();
    if (correlation) fields.correlationId = correlation;
    return fields;
  };

/**
 * JSON logs, one line per event, each with the service name and, where there is one, the
 * correlation id and the trace and span ids; secrets redacted.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { service: options.serviceName },
            timestamp: stdTimeFunctions.isoTime,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            mixin: contextMixin(options.correlationId),
            genReqId: (req) => requestIdOf(req),
            customProps: (req) => ({ ...bindingsOf(req) }),
            // Not autoLogging.ignore: pino-http deletes that option from the object it is given,
            // and nestjs-pino builds the middleware from the same object more than once.
            customLogLevel: (req, res, err) => {
              if (QUIET_ROUTES.test(req.url ?? '')) return 'silent';
              return err || res.statusCode >= 500 ? 'error' : 'info';
            },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: redactUrl(req.url),
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
