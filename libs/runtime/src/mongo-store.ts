import { DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
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
