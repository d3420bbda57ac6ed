import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { MetricsController } from './metrics.controller';

/** `/metrics` in Prometheus text format, with Node's default process metrics. */
@Module({})
export class MetricsModule {
  static forRoot(serviceName: string): DynamicModule {
    return {
      module: MetricsModule,
      imports: [
        PrometheusModule.register({
          path: '/metrics',
          controller: MetricsController,
          defaultMetrics: { enabled: true },
          defaultLabels: { service: serviceName },
        }),
      ],
      exports: [PrometheusModule],
    };
  }
}
