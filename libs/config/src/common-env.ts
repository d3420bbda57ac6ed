import { brokersVar, intVar, logLevelVar, optionalUrlVar, portVar } from './env-vars';

/** Variables every app reads (CONTRACT.md, "Configuration"). */
export const commonEnv = (defaultPort: number) => ({
  PORT: portVar(defaultPort),
  KAFKA_BROKERS: brokersVar(),
  KAFKA_TOPIC_PARTITIONS: intVar(3, 1, 100),
  LOG_LEVEL: logLevelVar(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrlVar(['http', 'https']),
});

export const mongoUriDefault = (database: string) => `mongodb://127.0.0.1:27017/${database}`;
