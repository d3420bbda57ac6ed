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
}

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');
export const KAFKA_PRODUCER_CLIENT = Symbol('KAFKA_PRODUCER_CLIENT');
