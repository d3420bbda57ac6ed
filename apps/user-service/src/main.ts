import './tracing';
import { loadConfigOrExit } from '@microshop/config';
import { bootstrapService } from '@microshop/runtime';
import { AppModule } from './app.module';
import { userServiceEnv } from './config';

async function main() {
  const config = loadConfigOrExit(userServiceEnv, process.env);
  await bootstrapService({
    module: AppModule.forRoot(config),
    port: config.port,
    kafka: config.kafka,
    consumesEvents: false,
    api: { title: 'MicroShop user-service', description: 'Accounts, sign-in, tokens and roles' },
  });
}

void main();
