import { KafkaOptions, Transport } from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { KafkaSettings } from './kafka-settings';

const clientConfig = (settings: KafkaSettings, role: string) => ({
  clientId: `${settings.serviceName}-${role}`,
  brokers: settings.brokers,
  // The app must survive broker outages: keep retrying connections instead of crashing.
  retry: { initialRetryTime: 300, retries: settings.retries, maxRetryTime: 5_000 },
  connectionTimeout: 3_000,
  logLevel: logLevel.WARN,
});

/** Options for `connectMicroservice`: the consumer side of the app. */
export function kafkaServerOptions(settings: KafkaSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
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
          restartOnFailure: restartBudget(settings.consumerMaxRestarts),
        },
      },
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: settings.partitions },
    },
  };
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

const RESTART_WINDOW_MS = 10 * 60_000;

/**
 * kafkajs restarts a crashed consumer after retriable errors forever by default; a consumer stuck
 * in a crash loop looks alive. Allow a few restarts per window, then let it die for good so the
 * liveness probe fails (see ConsumerLiveness).
 */
export function restartBudget(maxRestarts: number, now = Date.now) {
  const restarts: number[] = [];
  return (): Promise<boolean> => {
    const t = now();
    while (restarts.length && t - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= maxRestarts) return Promise.resolve(false);
    restarts.push(t);
    return Promise.resolve(true);
  };
}
