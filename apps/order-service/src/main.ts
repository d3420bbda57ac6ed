import './tracing';
import { loadConfigOrExit } from '@microshop/config';
import { bootstrapService } from '@microshop/runtime';
import { AppModule } from './app.module';
import { orderServiceEnv } from './config';

async function main() {
  const config = loadConfigOrExit(orderServiceEnv, process.env);
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    kafka: config.kafka,
    consumesEvents: true,
    api: { title: 'MicroShop order-service', description: 'Orders and the order saga' },
  });
}

void main();
