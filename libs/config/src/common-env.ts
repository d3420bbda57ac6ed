import {
  brokersVar,
  intVar,
  logLevelVar,
  optionalStringVar,
  optionalUrlVar,
  portVar,
} from './env-vars';

/** Variables every app reads (docs/contract.md, "Configuration"). */
export const commonEnv = (defaultPort: number) => ({
  PORT: portVar(defaultPort),
  KAFKA_BROKERS: brokersVar(),
  KAFKA_TOPIC_PARTITIONS: intVar(3, 1, 100),
  KAFKA_CONSUMER_MAX_RESTARTS: intVar(5, 0, 1000),
  KAFKA_RETRIES: intVar(8, 0, 100),
  LOG_LEVEL: logLevelVar(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrlVar(['http', 'https']),
  OTEL_SERVICE_NAME: optionalStringVar(),
});

/** Tracing settings from the common variables: off unless an OTLP endpoint is set. */
export const tracingSettings = (
  env: { OTEL_EXPORTER_OTLP_ENDPOINT?: string; OTEL_SERVICE_NAME?: string },
  serviceName: string,
) => ({
  serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
  otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
});

export const mongoUriDefault = (database: string) => `mongodb://127.0.0.1:27017/${database}`;

/** The Kafka part of an app's configuration (the shape libs/events' KafkaSettings expects). */
export const kafkaSettingsFrom = (
  env: {
    KAFKA_BROKERS: string[];
    KAFKA_TOPIC_PARTITIONS: number;
    KAFKA_CONSUMER_MAX_RESTARTS: number;
    KAFKA_RETRIES: number;
  },
  serviceName: string,
) => ({
  serviceName,
  brokers: env.KAFKA_BROKERS,
  partitions: env.KAFKA_TOPIC_PARTITIONS,
  consumerMaxRestarts: env.KAFKA_CONSUMER_MAX_RESTARTS,
  retries: env.KAFKA_RETRIES,
});
