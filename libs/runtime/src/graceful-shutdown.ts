import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { ConsumerSupervisor, OutboxRelay } from '@microshop/events';
import { ShutdownState } from '@microshop/observability';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/**
 * Bounds on the steps that can hang: a slow request, a consumer caught in a rebalance (it waits
 * for the group's join to end before it can leave), and closing the app, which closes that
 * consumer again. Drain, these and the relay's claim stay within the pod's 25 s after its preStop
 * sleep (helm values).
 */
const HTTP_CLOSE_MS = 5_000;
const CONSUMER_CLOSE_MS = 8_000;
const IDLE_SWEEP_MS = 100;
const APP_CLOSE_MS = 8_000;

/** Resolves when `work` does, or after `ms` with `onTimeout` called; never rejects on timeout. */
async function within(work: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const outcome = await Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
  if (outcome === 'timeout') onTimeout();
}

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
 * Steps 2, 3 and 5 are bounded: the process exits in any case.
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
    let clean = true;
    // Fastify keeps idle keep-alive connections open for 72 s, and closing the server waits for
    // them: each is closed as soon as it has no request in flight.
    const server = app.getHttpServer() as Server;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const httpClosed = app.getHttpAdapter().close() as Promise<void>;
    await within(httpClosed, HTTP_CLOSE_MS, () => {
      clean = false;
      logger.warn(`Requests still in flight after ${HTTP_CLOSE_MS} ms; closing anyway`);
    });
    clearInterval(sweep);
    app.get(ConsumerSupervisor).stopWatching();
    await within(Promise.resolve(consumer?.close()), CONSUMER_CLOSE_MS, () => {
      clean = false;
      logger.warn(
        `The Kafka consumer did not leave its group within ${CONSUMER_CLOSE_MS} ms (caught in a rebalance): its partitions move when its session times out`,
      );
    });
    await app.get(OutboxRelay).stop();
    await within(app.close(), APP_CLOSE_MS, () => {
      clean = false;
      logger.warn(`The app did not close within ${APP_CLOSE_MS} ms; exiting`);
    });
    logger.log(`Closed in ${Date.now() - started} ms${clean ? '' : ' (not all of it cleanly)'}`);
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
