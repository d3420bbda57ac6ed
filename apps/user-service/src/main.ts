import './tracing';
import { ConfigError, loadConfigOrExit } from '@microshop/config';
import { bootstrapService } from '@microshop/runtime';
import { AppModule } from './app.module';
import { userServiceEnv } from './config';
import { loadSigningKeys } from './keys/signing-keys';

async function main() {
  const config = loadConfigOrExit(userServiceEnv, process.env);
  const keys = await loadSigningKeys(config.jwt).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
  await bootstrapService({
    module: AppModule.forRoot(config, keys),
    port: config.port,
    kafka: config.kafka,
    trustProxy: config.trustProxy,
    api: { title: 'MicroShop user-service', description: 'Accounts, sign-in, tokens and roles' },
  });
}

void main();
