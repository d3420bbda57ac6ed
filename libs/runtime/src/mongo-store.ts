import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { MongooseHealthIndicator } from '@nestjs/terminus';
import { backoffDelay } from '@microshop/events';
import { retryUntilDone } from './retry-until-done';

const SERVER_SELECTION_TIMEOUT_MS = 5_000;
const MAX_RETRY_MS = 5_000;

/**
 * The app's MongoDB connection. It is lazy so the app boots (and answers liveness) while the store
 * is down, and readiness reports `mongodb` down until it is back. Mongoose gives up after a failed
 * first connection (and nobody awaits it, so its rejection would crash the process): the
 * connection is opened again with backoff until it succeeds; once connected, the driver itself
 * reconnects after later outages. Operations issued meanwhile fail after the buffering timeout.
 */
export const mongoStore = (uri: string): DynamicModule => {
  // No stack trace per query: it costs CPU on every read (docs/decisions/0004-hot-path-costs.md).
  mongoose.set('skipOriginalStackTraces', true);
  return MongooseModule.forRoot(uri, {
    lazyConnection: true,
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    connectionFactory: (connection: Connection) => {
      void keepConnecting(connection, uri);
      return connection;
    },
  });
};

async function keepConnecting(connection: Connection, uri: string): Promise<void> {
  const logger = new Logger('MongoStore');
  let closed = false;
  connection.once('close', () => (closed = true));
  const connected = await retryUntilDone(
    (attempt) =>
      attempt === 1
        ? connection.asPromise()
        : connection.openUri(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS }),
    { what: 'MongoDB not connected', logger, maxDelayMs: MAX_RETRY_MS, stopped: () => closed },
  );
  if (connected) logger.log('MongoDB connected');
}

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
      const delay = backoffDelay(attempt, { firstDelayMs: 250, maxDelayMs: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }
}
