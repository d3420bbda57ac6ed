// Statically, only the tracing entry and the configuration: everything else is imported inside
// main, once tracing has started, so http, mysql2 and kafkajs load with its hooks in place.
import { runWithTracing } from '@microshop/observability/tracing';
import { orderServiceEnv } from './config';

void runWithTracing(orderServiceEnv, async (config) => {
  const { bootstrapService, MySqlConnection } = await import('@microshop/runtime');
  const { AppModule } = await import('./app.module');
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    http: config.http,
    kafka: config.kafka,
    storeReady: (app) => app.get(MySqlConnection).ready,
    api: { title: 'MicroShop order-service', description: 'Orders and the order saga' },
  });
});
