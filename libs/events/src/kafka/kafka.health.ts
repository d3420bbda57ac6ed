import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerSupervisor } from '../consumer/consumer-supervisor';
import { KafkaAdmin } from './kafka-admin';

/** Terminus indicators for Kafka: the broker for readiness, the consumer for liveness. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly admin: KafkaAdmin,
    private readonly consumer: ConsumerSupervisor,
  ) {}

  async isBrokerReachable(key = 'kafka'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await this.admin.ping();
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }

  isConsumerAlive(key = 'kafkaConsumer'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const failure = this.consumer.failure;
    return failure ? indicator.down({ message: failure }) : indicator.up();
  }
}
