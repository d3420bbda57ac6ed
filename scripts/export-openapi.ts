/**
 * `npm run openapi:export`: writes openapi/<app>.json for every app, then `npm run clients`
 * regenerates clients/. Each app module is created in-process without listening (no ports, no
 * Kafka consumer; order-service's TypeORM does connect to MySQL at init), and its document built
 * exactly as bootstrapService serves it at /api-docs-json. test/openapi-drift.e2e-spec.ts checks
 * the committed documents against the running apps.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@microshop/config';
import { createOpenApiDocument } from '@microshop/runtime';
import { register } from 'prom-client';
import { AppModule as NotificationModule } from '../apps/notification-service/src/app.module';
import { notificationServiceEnv } from '../apps/notification-service/src/config';
import { AppModule as OrderModule } from '../apps/order-service/src/app.module';
import { orderServiceEnv } from '../apps/order-service/src/config';
import { AppModule as ProductModule } from '../apps/product-service/src/app.module';
import { productServiceEnv } from '../apps/product-service/src/config';
import { AppModule as UserModule } from '../apps/user-service/src/app.module';
import { userServiceEnv } from '../apps/user-service/src/config';
import { loadSigningKeys } from '../apps/user-service/src/keys/signing-keys';
import { AppName, ROOT } from './platform';

// The titles and descriptions each main.ts passes to bootstrapService (the drift check compares).
const USER_API = {
  title: 'MicroShop user-service',
  description: 'Accounts, sign-in, tokens and roles',
};
const PRODUCT_API = {
  title: 'MicroShop product-service',
  description: 'Catalog, search and stock',
};
const ORDER_API = { title: 'MicroShop order-service', description: 'Orders and the order saga' };
const NOTIFICATION_API = {
  title: 'MicroShop notification-service',
  description: 'Emails sent on domain events',
};

/** A throwaway signing key: the document does not depend on it, and no key file is written. */
const throwawayKeys = () =>
  loadSigningKeys({
    privateKeyPem: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    devKeyPath: '/nonexistent',
  });

type Definition = { module: DynamicModule; api: typeof USER_API };

const APPS: Record<AppName, () => Definition | Promise<Definition>> = {
  'user-service': async () => ({
    module: UserModule.forRoot(
      loadConfigOrExit(userServiceEnv, process.env),
      await throwawayKeys(),
    ),
    api: USER_API,
  }),
  'product-service': () => ({
    module: ProductModule.forRoot(loadConfigOrExit(productServiceEnv, process.env)),
    api: PRODUCT_API,
  }),
  'order-service': () => ({
    module: OrderModule.forRoot(loadConfigOrExit(orderServiceEnv, process.env)),
    api: ORDER_API,
  }),
  'notification-service': () => ({
    module: NotificationModule.forRoot(loadConfigOrExit(notificationServiceEnv, process.env)),
    api: NOTIFICATION_API,
  }),
};

async function main() {
  const dir = join(ROOT, 'openapi');
  mkdirSync(dir, { recursive: true });
  for (const [name, definition] of Object.entries(APPS)) {
    const { module, api } = await definition();
    const app = await NestFactory.create(module, new FastifyAdapter(), { logger: ['error'] });
    const document = createOpenApiDocument(app, api);
    await app.close();
    register.clear(); // every app registers the same metrics in prom-client's global registry
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
    console.log(`openapi/${name}.json`);
  }
  process.exit(0);
}

main().catch((err: Error) => {
  console.error(`openapi:export failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
