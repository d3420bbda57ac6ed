import { DynamicModule, INestApplication } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { MongooseHealthIndicator } from '@nestjs/terminus';

/**
 * The app's MongoDB connection. It is lazy so the app boots (and answers liveness) while the store
 * is down; the driver keeps reconnecting, and readiness reports `mongodb` down until it is back.
 * Operations issued meanwhile fail after the driver's buffering timeout instead of hanging.
 */
export const mongoStore = (uri: string): DynamicModule =>
  MongooseModule.forRoot(uri, {
    lazyConnection: true,
    serverSelectionTimeoutMS: 5_000,
  });

/** Readiness checks for ServiceCoreModule's `storeChecks`. */
export const mongoReadiness = {
  inject: [MongooseHealthIndicator],
  useFactory: (mongo: MongooseHealthIndicator) => [
    () => mongo.pingCheck('mongodb', { timeout: 2_000 }),
  ],
};

/**
 * Settles once the app's MongoDB answers a ping (retrying meanwhile): for bootstrapService's
 * `storeReady`, so the Kafka consumer does not start while the store is still away at boot.
 */
export async function mongoConnected(app: INestApplication): Promise<void> {
  const connection = app.get<Connection>(getConnectionToken());
  for (let attempt = 1; ; attempt++) {
    try {
      const db = connection.db;
      if (!db) throw new Error('not connected yet');
      await db.admin().ping();
      return;
    } catch {
      const delay = Math.min(5_000, 250 * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }
}
