import './tracing';
import { loadConfigOrExit } from '@microshop/config';
import { bootstrapService, MySqlConnection } from '@microshop/runtime';
import { AppModule } from './app.module';
import { orderServiceEnv } from './config';

async function main() {
  const config = loadConfigOrExit(orderServiceEnv, process.env);
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    kafka: config.kafka,
    storeReady: (app) => app.get(MySqlConnection).ready,
    api: { title: 'MicroShop order-service', description: 'Orders and the order saga' },
  });
}

void main();
