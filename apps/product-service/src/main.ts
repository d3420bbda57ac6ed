import './tracing';
import { loadConfigOrExit } from '@microshop/config';
import { bootstrapService } from '@microshop/runtime';
import { AppModule } from './app.module';
import { productServiceEnv } from './config';

async function main() {
  const config = loadConfigOrExit(productServiceEnv, process.env);
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    kafka: config.kafka,
    consumesEvents: false,
    api: { title: 'MicroShop product-service', description: 'Catalog, search and stock' },
  });
}

void main();
