import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';

export interface LoggingOptions {
  serviceName: string;
  level: string;
}

/** Never logged: credentials in headers and bodies, whatever the route. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

const QUIET_ROUTES = /^\/(health|metrics)/;

const requestIdOf = (req: IncomingMessage): string => {
  const header = req.headers['x-request-id'] ?? req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,100}$/.test(value) ? value : randomUUID();
};

/** JSON logs, one line per event, with the service name and request id on every line. */
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
            genReqId: (req) => requestIdOf(req),
            customProps: (req) => ({ correlationId: (req as IncomingMessage & { id: string }).id }),
            autoLogging: { ignore: (req) => QUIET_ROUTES.test(req.url ?? '') },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
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
