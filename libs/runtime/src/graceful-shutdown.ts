import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { ConsumerSupervisor, OutboxRelay } from '@microshop/events';
import { ShutdownState } from '@microshop/observability';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/**
 * Bounds on the steps that can hang: a slow request, a consumer caught in a rebalance (it waits
 * for the group's join to end before it can leave), a relay round on a slow store (what it has not
 * acknowledged is published by another replica once its lease runs out), and closing the app,
 * which closes that consumer again. Drain, these and the relay's claim stay within the pod's 25 s after its preStop
 * sleep (helm values).
 */
const HTTP_CLOSE_MS = 5_000;
const CONSUMER_CLOSE_MS = 6_000;
const RELAY_STOP_MS = 5_000;
const IDLE_SWEEP_MS = 100;
const APP_CLOSE_MS = 5_000;

/** How long each step of a shutdown took, and which were cut short at their bound. */
class StepTimer {
  private readonly started = Date.now();
  private last = this.started;
  private readonly took: string[] = [];
  readonly late: string[] = [];

  done(step: string): void {
    const now = Date.now();
    this.took.push(`${step} ${now - this.last} ms`);
    this.last = now;
  }

  /** Waits for `work`, at most `ms`; a step cut short is named in `late` (never rejects on it). */
  async within(step: string, work: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    const outcome = await Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
    if (outcome === 'timeout') this.late.push(step);
    this.done(step);
  }

  total = () => Date.now() - this.started;
  summary = () => this.took.join(', ');
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
    const steps = new StepTimer();
    app.get(ShutdownState).begin();
    logger.log(`${signal}: out of rotation for ${drainMs} ms, then closing`);
    await new Promise((resolve) => setTimeout(resolve, drainMs));
    steps.done('drain');
    // Fastify keeps idle keep-alive connections open for 72 s, and closing the server waits for
    // them: each is closed as soon as it has no request in flight.
    const server = app.getHttpServer() as Server;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    await steps.within('http', app.getHttpAdapter().close() as Promise<void>, HTTP_CLOSE_MS);
    clearInterval(sweep);
    app.get(ConsumerSupervisor).stopWatching();
    await steps.within('consumer', Promise.resolve(consumer?.close()), CONSUMER_CLOSE_MS);
    await steps.within('relay', app.get(OutboxRelay).stop(), RELAY_STOP_MS);
    await steps.within('app', app.close(), APP_CLOSE_MS);
    const late = steps.late.length ? `; cut short: ${steps.late.join(', ')}` : '';
    logger.log(`Closed in ${steps.total()} ms (${steps.summary()})${late}`);
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
