import './tracing';
import { loadConfigOrExit } from '@microshop/config';
import { bootstrapService, mongoConnected } from '@microshop/runtime';
import { AppModule } from './app.module';
import { productServiceEnv } from './config';
import { runSeedCommand } from './seed/seed.command';

async function main() {
  const config = loadConfigOrExit(productServiceEnv, process.env);
  if (process.argv[2] === 'seed') {
    await runSeedCommand(config);
    return;
  }
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    kafka: config.kafka,
    storeReady: mongoConnected,
    api: { title: 'MicroShop product-service', description: 'Catalog, search and stock' },
  });
}

void main();
