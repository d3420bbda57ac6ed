// Statically, only the tracing entry and the configuration: everything else is imported inside
// main, once tracing has started, so http, mongodb and kafkajs load with its hooks in place.
import { runWithTracing } from '@microshop/observability/tracing';
import { notificationServiceEnv } from './config';

void runWithTracing(notificationServiceEnv, async (config) => {
  const { bootstrapService, mongoConnected } = await import('@microshop/runtime');
  const { AppModule } = await import('./app.module');
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    http: config.http,
    kafka: config.kafka,
    storeReady: mongoConnected,
    api: { title: 'MicroShop notification-service', description: 'Emails sent on domain events' },
  });
});
