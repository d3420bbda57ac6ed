// Statically, only the tracing entry and the configuration: everything else is imported inside
// main, once tracing has started, so http, mongodb and kafkajs load with its hooks in place.
import { ConfigError } from '@microshop/config';
import { runWithTracing } from '@microshop/observability/tracing';
import { userServiceEnv } from './config';

void runWithTracing(userServiceEnv, async (config) => {
  const { bootstrapService } = await import('@microshop/runtime');
  const { AppModule } = await import('./app.module');
  const { loadSigningKeys } = await import('./keys/signing-keys');
  const keys = await loadSigningKeys(config.jwt).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
  await bootstrapService({
    module: AppModule.forRoot(config, keys),
    port: config.port,
    http: config.http,
    kafka: config.kafka,
    trustProxy: config.trustProxy,
    api: { title: 'MicroShop user-service', description: 'Accounts, sign-in, tokens and roles' },
  });
});
