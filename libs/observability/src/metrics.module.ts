import { Controller, DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics-listener';

/** No route: `/metrics` is on the metrics port instead. */
@Controller()
class NoMetricsOnApiPort {}

/**
 * `/metrics` in Prometheus text format, with Node's default process metrics: on the API port, or
 * on `metricsPort` alone when given.
 */
@Module({})
export class MetricsModule {
  static forRoot(serviceName: string, metricsPort?: number): DynamicModule {
    return {
      module: MetricsModule,
      imports: [
        PrometheusModule.register({
          path: '/metrics',
          controller: metricsPort ? NoMetricsOnApiPort : MetricsController,
          defaultMetrics: { enabled: true },
          defaultLabels: { service: serviceName },
        }),
      ],
      providers: metricsPort
        ? [{ provide: MetricsListener, useFactory: () => new MetricsListener(metricsPort) }]
        : [],
      exports: [PrometheusModule],
    };
  }
}
