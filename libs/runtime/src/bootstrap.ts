import {
  DynamicModule,
  INestApplication,
  INestMicroservice,
  Logger as NestLogger,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import {
  ConsumerLag,
  ConsumerSupervisor,
  KafkaAdmin,
  kafkaServer,
  KafkaSettings,
  OutboxRelay,
  checkSubscriptions,
  subscribedTopics,
} from '@microshop/events';
import { registerHttpMetrics, registerHttpTracing, requestIdOf } from '@microshop/observability';
import type { HttpSettings } from '@microshop/config';
import { Logger } from 'nestjs-pino';
import { ApiExceptionFilter } from './api-exception.filter';
import { HttpEventContextInterceptor } from './http-event-context.interceptor';
import { registerMethodNotAllowed } from './method-not-allowed';
import { registerSecurityHeaders } from './security-headers';
import { createOpenApiDocument } from './openapi';
import { closeGracefullyOnSignals } from './graceful-shutdown';
import { createValidationPipe } from './validation';

export interface ServiceDefinition {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: Type<any> | DynamicModule;
  port: number;
  http: HttpSettings;
  kafka: KafkaSettings;
  api: { title: string; description: string };
  /**
   * Which proxies' `X-Forwarded-For` to believe when telling the client's address (Fastify's
   * `trustProxy`: true, a hop count, or addresses/CIDRs/`loopback`...). Default: none.
   */
  trustProxy?: boolean | number | string[];
  /**
   * Settles once the app's store is connected; the Kafka consumer starts only then, so events are
   * not retried into the dead-letter topic while the store is still away at boot.
   */
  storeReady?: (app: INestApplication) => Promise<void>;
}

const KAFKA_RETRY_MS = 3_000;

/**
 * Boots a MicroShop service the same way everywhere: Fastify, security headers, the contract's
 * validation and error shape, OpenAPI at /api-docs (unless turned off), the Kafka consumer and outbox relay, and
 * graceful shutdown on SIGTERM (graceful-shutdown.ts). HTTP comes up even while Kafka is down; the consumer keeps trying
 * in the background and readiness reports Kafka until it connects.
 */
export async function bootstrapService(def: ServiceDefinition): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    def.module,
    new FastifyAdapter({
      trustProxy: def.trustProxy ?? false,
      bodyLimit: 1024 * 1024,
      // Ids in paths are looked up, not matched by regular expressions: a long one is a 404 with
      // the contract's body, not Fastify's own 414 (its default of 100 characters guards regexes).
      maxParamLength: 8192,
      genReqId: requestIdOf,
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  registerSecurityHeaders(app.getHttpAdapter().getInstance());
  registerMethodNotAllowed(app.getHttpAdapter().getInstance());
  registerHttpMetrics(app.getHttpAdapter().getInstance());
  registerHttpTracing(app.getHttpAdapter().getInstance());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalInterceptors(new HttpEventContextInterceptor());
  if (def.http.apiDocs) setUpOpenApi(app, def);
  // A consumer only for apps with `@OnEvent` handlers (registered as their classes loaded).
  checkSubscriptions(def.kafka.serviceName, subscribedTopics());
  const consumerServer =
    subscribedTopics().length > 0 ? kafkaServer(def.kafka, app.get(ConsumerSupervisor)) : null;
  const microservice = consumerServer
    ? app.connectMicroservice({ strategy: consumerServer }, { inheritAppConfig: true })
    : null;

  await app.listen(def.port, '0.0.0.0');
  const logger = new NestLogger('Bootstrap');
  logger.log(
    `${def.kafka.serviceName} listening on http://127.0.0.1:${def.port}${def.http.apiDocs ? ' (docs: /api-docs)' : ''}`,
  );

  app.get(OutboxRelay).start();
  closeGracefullyOnSignals(app, consumerServer, def.http.shutdownDrainMs);
  void connectKafka(app, microservice, logger, def.storeReady);
  return app;
}

function setUpOpenApi(app: INestApplication, def: ServiceDefinition): void {
  const document = createOpenApiDocument(app, def.api);
  SwaggerModule.setup('api-docs', app, document, { jsonDocumentUrl: 'api-docs-json' });
}

/** Creates topics and connects the consumer, retrying until Kafka is there. */
async function connectKafka(
  app: INestApplication,
  microservice: INestMicroservice | null,
  logger: NestLogger,
  storeReady?: (app: INestApplication) => Promise<void>,
): Promise<void> {
  const admin = app.get(KafkaAdmin);
  await retryForever(() => admin.ensureTopics(), 'Kafka topics not ensured', logger);
  if (!microservice) return;
  await storeReady?.(app);
  await retryForever(
    async () => {
      try {
        await microservice.listen();
      } catch (err) {
        await microservice.close().catch(() => undefined);
        throw err;
      }
    },
    'Kafka consumer not started',
    logger,
  );
  app.get(ConsumerLag).start(subscribedTopics());
  logger.log('Kafka consumer connected');
}

async function retryForever(fn: () => Promise<void>, what: string, logger: NestLogger) {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      logger.warn(`${what} (${(err as Error).message}); retrying in ${KAFKA_RETRY_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, KAFKA_RETRY_MS));
    }
  }
}
