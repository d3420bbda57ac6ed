import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { KAFKA_SETTINGS, KafkaSettings } from '../kafka/kafka-settings';

const RESTART_WINDOW_MS = 10 * 60_000;
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

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

/** 1 s, 2 s, 4 s, ... up to 30 s for the n-th restart in a row without a successful join. */
export const restartDelayMs = (attempt: number) =>
  Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** attempt);

/**
 * Keeps the app's Kafka consumer running. kafkajs restarts a crashed consumer only after errors it
 * deems retriable; after any other (such as "Failed to find group coordinator" while the broker
 * goes away) the process would go on serving HTTP but consume nothing (nestjs/nest#11910). So
 * kafkajs never restarts by itself (see kafkaServer) and every crash comes here: restarted
 * with backoff within the `KAFKA_CONSUMER_MAX_RESTARTS` budget, then reported to liveness.
 */
@Injectable()
export class ConsumerSupervisor implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerSupervisor.name);
  private readonly allowRestart: () => boolean;
  private deadReason: string | null = null;
  private restartsInARow = 0;
  private shuttingDown = false;

  constructor(@Inject(KAFKA_SETTINGS) settings: KafkaSettings) {
    this.allowRestart = restartBudget(settings.consumerMaxRestarts);
  }

  /** Watches `consumer`; `restart` connects it again and runs it with the app's handlers. */
  watch(consumer: Consumer, restart: () => Promise<void>): void {
    consumer.on(consumer.events.CRASH, (event) => {
      void this.recover(event.payload.error, restart);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.deadReason = null;
      this.restartsInARow = 0;
    });
  }

  /** Null while alive, else why not. */
  get failure(): string | null {
    return this.deadReason;
  }

  onApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  private async recover(error: Error, restart: () => Promise<void>): Promise<void> {
    if (this.shuttingDown) return;
    if (!this.allowRestart()) {
      this.deadReason = `Kafka consumer crashed and is out of restarts: ${error.message}`;
      this.logger.error(this.deadReason);
      return;
    }
    for (;;) {
      const delay = restartDelayMs(this.restartsInARow++);
      this.logger.warn(`Kafka consumer crashed (${error.message}); restarting in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.shuttingDown) return;
      try {
        await restart();
        this.logger.log('Kafka consumer restarted');
        return;
      } catch (err) {
        error = err as Error;
      }
    }
  }
}
