import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { ConsumerSupervisor } from '../consumer/consumer-supervisor';
import { kafkaConnection, KafkaSettings } from './kafka-settings';

const clientConfig = (settings: KafkaSettings, role: string) => ({
  clientId: `${settings.serviceName}-${role}`,
  ...kafkaConnection(settings),
  // The app must survive broker outages: keep retrying connections instead of crashing.
  retry: { initialRetryTime: 300, retries: settings.retries, maxRetryTime: 5_000 },
  connectionTimeout: 3_000,
  logLevel: logLevel.WARN,
});

/** Nest's Kafka server, with its consumer under `supervisor` from its creation, before it connects. */
class SupervisedServerKafka extends ServerKafka {
  constructor(
    options: ConstructorParameters<typeof ServerKafka>[0],
    private readonly supervisor: ConsumerSupervisor,
  ) {
    super(options);
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer;
    if (!consumer) return;
    this.supervisor.watch(consumer, async () => {
      await consumer.connect();
      await this.bindEvents(consumer);
    });
  }
}

/** The app's consumer side: Nest's Kafka server, which runs the `@OnEvent` handlers. */
export function kafkaServer(settings: KafkaSettings, supervisor: ConsumerSupervisor): ServerKafka {
  return new SupervisedServerKafka(
    {
      client: clientConfig(settings, 'consumer'),
      // Group id is the service name exactly; Nest would otherwise append "-server".
      postfixId: '',
      consumer: {
        groupId: settings.serviceName,
        // kafkajs waits up to 5 s for a fetch by default; the saga is latency-sensitive.
        maxWaitTimeInMs: 100,
        allowAutoTopicCreation: false,
        retry: {
          initialRetryTime: 300,
          retries: settings.retries,
          maxRetryTime: 5_000,
          // ConsumerSupervisor restarts every crash, within the budget; kafkajs would only retry some.
          restartOnFailure: () => Promise.resolve(false),
        },
      },
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: settings.partitions },
    },
    supervisor,
  );
}

/** Options for the producer-only `ClientKafka` that publishes events. */
export function kafkaProducerOptions(settings: KafkaSettings): KafkaOptions['options'] {
  return {
    client: clientConfig(settings, 'producer'),
    producerOnlyMode: true,
    // Idempotent producer: no duplicates from producer retries, and in-order per partition.
    producer: { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false },
  };
}
