import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { backoffDelay } from '../backoff';
import { KAFKA_SETTINGS, KafkaSettings } from '../kafka/kafka-settings';

const RESTART_WINDOW_MS = 10 * 60_000;
/** 1 s, 2 s, 4 s, ... up to 30 s for the restarts in a row without a successful join. */
const RESTART_BACKOFF = { firstDelayMs: 1_000, maxDelayMs: 30_000 };
/**
 * A running consumer fetches every 100 ms and heartbeats every 3 s, also while it retries a broker
 * that is away; one silent this long is wedged. Longer than a handler's worst case (its retries,
 * an SMTP send's 15 s timeout), since kafkajs emits nothing while one message is handled.
 */
export const STALL_MS = 120_000;
const STALL_CHECK_MS = 5_000;
/** How long a wedged consumer may take to stop before the app gives up on it (liveness fails). */
const STOP_TIMEOUT_MS = 30_000;
/** kafkajs instrumentation events that show the consumer is doing its work. */
const SIGNS_OF_LIFE = [
  'CONNECT',
  'GROUP_JOIN',
  'REBALANCING',
  'FETCH_START',
  'HEARTBEAT',
  'START_BATCH_PROCESS',
  'END_BATCH_PROCESS',
  'COMMIT_OFFSETS',
] as const;

/**
 * Allows `maxRestarts` restarts per 10 minutes: a consumer stuck in a crash loop must not look
 * alive forever, so past the budget it stays down and liveness fails.
 */
export function restartBudget(maxRestarts: number, now = Date.now): () => boolean {
  const restarts: number[] = [];
  return () => {
    const t = now();
    while (restarts.length && t - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= maxRestarts) return false;
    restarts.push(t);
    return true;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps the app's Kafka consumer running. kafkajs restarts a crashed consumer only after errors it
 * deems retriable; after any other (such as "Failed to find group coordinator" while the broker
 * goes away) the process would go on serving HTTP but consume nothing (nestjs/nest#11910). So
 * kafkajs never restarts by itself (see kafkaServer) and every crash comes here: restarted
 * with backoff within the `KAFKA_CONSUMER_MAX_RESTARTS` budget, then reported to liveness.
 * A consumer that goes silent without crashing (STALL_MS) is stopped and restarted the same way.
 */
@Injectable()
export class ConsumerSupervisor implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerSupervisor.name);
  private readonly allowRestart: () => boolean;
  private deadReason: string | null = null;
  private restartsInARow = 0;
  private shuttingDown = false;
  private recovering = false;
  /** A crash reported while a restart was under way: that restart failed. */
  private crashDuringRestart: Error | null = null;
  private lastSignOfLife = Date.now();
  private stallCheck: NodeJS.Timeout | null = null;

  constructor(@Inject(KAFKA_SETTINGS) settings: KafkaSettings) {
    this.allowRestart = restartBudget(settings.consumerMaxRestarts);
  }

  /**
   * Watches `consumer` from before it connects, so no crash goes unseen; `restart` connects it
   * again and runs it with the app's handlers.
   */
  watch(consumer: Consumer, restart: () => Promise<void>): void {
    consumer.on(consumer.events.CRASH, (event) => {
      const error = event.payload.error;
      if (this.recovering) this.crashDuringRestart = error;
      else void this.recover(error, restart);
    });
    for (const name of SIGNS_OF_LIFE) {
      consumer.on(consumer.events[name], () => (this.lastSignOfLife = Date.now()));
    }
    if (this.stallCheck) clearInterval(this.stallCheck);
    this.stallCheck = null;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.deadReason = null;
      this.restartsInARow = 0;
      // Watched for stalls once it has joined: until then the app's boot retries connecting it.
      this.stallCheck ??= setInterval(() => this.checkStalled(consumer, restart), STALL_CHECK_MS);
      this.stallCheck.unref();
    });
  }

  /** Null while alive, else why not. */
  get failure(): string | null {
    return this.deadReason;
  }

  /** No restarts from now on: the consumer is being closed on purpose. */
  stopWatching(): void {
    this.shuttingDown = true;
    if (this.stallCheck) clearInterval(this.stallCheck);
  }

  onApplicationShutdown(): void {
    this.stopWatching();
  }

  private checkStalled(consumer: Consumer, restart: () => Promise<void>): void {
    const silentMs = Date.now() - this.lastSignOfLife;
    if (this.recovering || this.shuttingDown || this.deadReason || silentMs < STALL_MS) return;
    const error = new Error(`stalled: no fetch, heartbeat or batch for ${silentMs} ms`);
    void this.recover(error, async () => {
      await this.stop(consumer);
      await restart();
    });
  }

  /** Disconnects a wedged consumer; one that does not stop in time is left to liveness. */
  private async stop(consumer: Consumer): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
    });
    const outcome = await Promise.race([consumer.disconnect(), timedOut]).finally(() =>
      clearTimeout(timer),
    );
    if (outcome === 'timeout') {
      this.deadReason = `Kafka consumer stalled and did not stop within ${STOP_TIMEOUT_MS} ms`;
      this.logger.error(this.deadReason);
      throw new Error(this.deadReason);
    }
  }

  private async recover(error: Error, restart: () => Promise<void>): Promise<void> {
    if (this.shuttingDown) return;
    if (!this.allowRestart()) {
      this.deadReason = `Kafka consumer crashed and is out of restarts: ${error.message}`;
      this.logger.error(this.deadReason);
      return;
    }
    this.recovering = true;
    try {
      // Until a restart joins the group: a failed one (broker still away) is retried, not counted.
      for (;;) {
        const delay = backoffDelay(++this.restartsInARow, RESTART_BACKOFF);
        this.logger.warn(`Kafka consumer crashed (${error.message}); restarting in ${delay} ms`);
        await sleep(delay);
        if (this.shuttingDown) return;
        this.crashDuringRestart = null;
        try {
          await restart();
        } catch (err) {
          if (this.deadReason) return;
          error = err as Error;
          continue;
        }
        if (this.crashDuringRestart) {
          error = this.crashDuringRestart;
          continue;
        }
        this.lastSignOfLife = Date.now();
        this.logger.log('Kafka consumer restarted');
        return;
      }
    } finally {
      this.recovering = false;
    }
  }
}
