import { Injectable, Logger } from '@nestjs/common';
import type { Consumer } from 'kafkajs';

/**
 * Whether the app's Kafka consumer can still do its job. kafkajs restarts a consumer after a
 * retriable crash by itself; a crash it will not restart from leaves the process running but deaf
 * (nestjs/nest#11910), which liveness must report so the orchestrator restarts the pod.
 */
@Injectable()
export class ConsumerLiveness {
  private readonly logger = new Logger(ConsumerLiveness.name);
  private deadReason: string | null = null;

  watch(consumer: Consumer): void {
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      if (restart) {
        this.logger.warn(`Kafka consumer crashed and restarts: ${error.message}`);
        return;
      }
      this.deadReason = `Kafka consumer crashed: ${error.message}`;
      this.logger.error(this.deadReason);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.deadReason = null;
    });
  }

  /** Null while alive, else why not. */
  get failure(): string | null {
    return this.deadReason;
  }

  markDead(reason: string): void {
    this.deadReason = reason;
  }
}
