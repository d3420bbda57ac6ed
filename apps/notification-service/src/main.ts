import './tracing';
import { loadConfigOrExit } from '@microshop/config';
import { bootstrapService, mongoConnected } from '@microshop/runtime';
import { AppModule } from './app.module';
import { notificationServiceEnv } from './config';

async function main() {
  const config = loadConfigOrExit(notificationServiceEnv, process.env);
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    kafka: config.kafka,
    storeReady: mongoConnected,
    api: { title: 'MicroShop notification-service', description: 'Emails sent on domain events' },
  });
}

void main();
