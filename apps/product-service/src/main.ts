// Statically, only the tracing entry and the configuration: everything else is imported inside
// main, once tracing has started, so http, mongodb and kafkajs load with its hooks in place.
import { runWithTracing } from '@microshop/observability/tracing';
import { productServiceEnv } from './config';

void runWithTracing(productServiceEnv, async (config) => {
  if (process.argv[2] === 'seed') {
    const { runSeedCommand } = await import('./seed/seed.command');
    await runSeedCommand(config);
    return;
  }
  const { bootstrapService, mongoConnected } = await import('@microshop/runtime');
  const { AppModule } = await import('./app.module');
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    http: config.http,
    kafka: config.kafka,
    storeReady: mongoConnected,
    api: { title: 'MicroShop product-service', description: 'Catalog, search and stock' },
  });
});
