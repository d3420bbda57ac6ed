import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, AuthSettings } from '@microshop/auth';
import {
  currentEventContext,
  EventsModule,
  KafkaHealthIndicator,
  KafkaSettings,
} from '@microshop/events';
import {
  HealthModule,
  HealthModuleOptions,
  LoggingModule,
  MetricsModule,
  TracingShutdown,
} from '@microshop/observability';
import { HealthIndicatorFunction } from '@nestjs/terminus';

export interface ServiceCoreOptions {
  kafka: KafkaSettings;
  auth: AuthSettings;
  logLevel: string;
  /** Serve `/metrics` on this port of its own instead of the API port. */
  metricsPort?: number;
  /** The app's own store checks for readiness; Kafka's checks are added here. */
  storeChecks: Omit<HealthModuleOptions, 'useFactory'> & {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    useFactory: (...deps: any[]) => HealthIndicatorFunction[];
  };
}

/**
 * What every MicroShop app has: JSON logs, /metrics, traces flushed at shutdown, Kafka (events,
 * outbox), /health and access-token verification on every route not marked `@Public()`.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    const { storeChecks } = options;
    return {
      module: ServiceCoreModule,
      imports: [
        LoggingModule.forRoot({
          serviceName: options.kafka.serviceName,
          level: options.logLevel,
          correlationId: () => currentEventContext()?.correlationId,
        }),
        MetricsModule.forRoot(options.kafka.serviceName, options.metricsPort),
        EventsModule.forRoot(options.kafka),
        AuthModule.forRoot(options.auth),
        HealthModule.forRoot({
          inject: [KafkaHealthIndicator, ...storeChecks.inject],
          useFactory: (kafka: KafkaHealthIndicator, ...deps: unknown[]) => ({
            readiness: [...storeChecks.useFactory(...deps), () => kafka.isBrokerReachable()],
            liveness: [() => kafka.isConsumerAlive()],
          }),
        }),
      ],
      // Exports the spans still buffered when the app stops.
      providers: [TracingShutdown],
    };
  }
}
