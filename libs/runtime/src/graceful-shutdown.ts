import { INestApplication, Logger } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { ConsumerSupervisor, OutboxRelay } from '@microshop/events';
import { ShutdownState } from '@microshop/observability';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * SIGTERM (or SIGINT) stops the app without losing or failing anything, in this order:
 * 1. readiness answers 503 for `drainMs`, while requests are still served: load balancers take
 *    the replica out of rotation;
 * 2. the HTTP server stops taking connections and finishes the requests in flight;
 * 3. the Kafka consumer finishes the message in hand, commits its offset and leaves its group at
 *    once (no wait for the session timeout before its partitions move);
 * 4. the outbox relay finishes its claim, then publishes the events the last requests and
 *    messages recorded;
 * 5. the rest of the app closes (producer, stores, tracing), and the process exits.
 */
export function closeGracefullyOnSignals(
  app: INestApplication,
  consumer: CustomTransportStrategy | null,
  drainMs: number,
): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    const started = Date.now();
    app.get(ShutdownState).begin();
    logger.log(`${signal}: out of rotation for ${drainMs} ms, then closing`);
    await new Promise((resolve) => setTimeout(resolve, drainMs));
    await app.getHttpAdapter().close();
    app.get(ConsumerSupervisor).stopWatching();
    await consumer?.close();
    await app.get(OutboxRelay).stop();
    await app.close();
    logger.log(`Closed in ${Date.now() - started} ms`);
    process.exit(0);
  };
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      close(signal).catch((err: Error) => {
        logger.error(`Shutdown failed: ${err.message}`);
        process.exit(1);
      });
    });
  }
}
