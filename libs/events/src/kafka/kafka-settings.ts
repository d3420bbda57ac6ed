import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** What an app tells libs/events about its Kafka connection. */
export interface KafkaSettings {
  /** The app's name: Kafka client id, consumer group and the envelope's `producer`. */
  serviceName: string;
  brokers: string[];
  /** Partitions for topics this app creates; also how many partitions it consumes concurrently. */
  partitions: number;
  /**
   * How often the consumer may restart after crashing before it gives up, which liveness then
   * reports so the orchestrator restarts the process.
   */
  consumerMaxRestarts: number;
  /** Retries of a failed Kafka request (with exponential backoff) before it counts as failed. */
  retries: number;
  /** The app's principal on the bus; unset, it connects unauthenticated. */
  sasl?: { mechanism: 'scram-sha-512' | 'scram-sha-256'; username: string; password: string };
  /** TLS to the brokers: on with the system's CAs, or with the given CA certificates (PEM). */
  ssl: boolean | { ca: string[] };
}

/** How a kafkajs client reaches and authenticates to the brokers of `settings`. */
export const kafkaConnection = (
  settings: Pick<KafkaSettings, 'brokers' | 'sasl' | 'ssl'>,
): Pick<KafkaConfig, 'brokers' | 'sasl' | 'ssl'> => ({
  brokers: settings.brokers,
  sasl: settings.sasl as SASLOptions | undefined,
  ssl: settings.ssl,
});

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');
export const KAFKA_PRODUCER_CLIENT = Symbol('KAFKA_PRODUCER_CLIENT');
