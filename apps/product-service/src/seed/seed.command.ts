import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { SeedModule } from './seed.module';
import { ProductServiceConfig } from '../config';
import { DemoCatalogSeeder } from './demo-catalog.seeder';

/**
 * `main.js seed`: loads the demo catalog into the configured store and exits. Needs MongoDB only;
 * the events wait in the outbox until a running product-service publishes them (SeedModule).
 */
export async function runSeedCommand(config: ProductServiceConfig): Promise<void> {
  const app = await NestFactory.createApplicationContext(SeedModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  try {
    const result = await app.get(DemoCatalogSeeder).seed();
    console.log(
      `Demo catalog: ${result.created} products created, ${result.alreadyKnown} already there`,
    );
  } finally {
    await app.close();
  }
}
