import { z } from 'zod';
import { ConfigError } from './config-error';
import {
  boolVar,
  brokersVar,
  fileVar,
  intVar,
  logLevelVar,
  optionalPortVar,
  optionalStringVar,
  optionalUrlVar,
  portVar,
  stringVar,
  valueOrFile,
} from './env-vars';

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'none'] as const;

/**
 * The password the local infrastructure gives `principal` on its bus (infra/kafka.sh creates the
 * same): public, so refused with NODE_ENV=production.
 */
export const devKafkaPassword = (principal: string) => `microshop-dev-${principal}`;

/** How a client reaches the bus and who it is there (also read by the tools and tests). */
export const kafkaAccessEnv = () => ({
  KAFKA_BROKERS: brokersVar(),
  KAFKA_SASL_MECHANISM: z
    .enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
    .default('scram-sha-512'),
  KAFKA_SASL_USERNAME: optionalStringVar(),
  KAFKA_SASL_PASSWORD: optionalStringVar(),
  KAFKA_SASL_PASSWORD_FILE: fileVar().optional(),
  KAFKA_SSL: boolVar(false),
  KAFKA_SSL_CA_FILE: fileVar().optional(),
  /** `production` in the image: development credentials are refused there. */
  NODE_ENV: stringVar('development'),
});

type KafkaAccessEnv = z.output<z.ZodObject<ReturnType<typeof kafkaAccessEnv>>>;

/** Brokers, TLS and the SASL identity (`principal` unless KAFKA_SASL_USERNAME says otherwise). */
export function kafkaAccessFrom(env: KafkaAccessEnv, principal: string) {
  return {
    brokers: env.KAFKA_BROKERS,
    sasl: kafkaSaslFrom(env, principal),
    ssl: env.KAFKA_SSL_CA_FILE ? { ca: [env.KAFKA_SSL_CA_FILE] } : env.KAFKA_SSL,
  };
}

/** The operator's access for tools and tests: principal `admin` (a super user) by default. */
export const operatorKafkaEnv = z
  .object(kafkaAccessEnv())
  .transform((env) => kafkaAccessFrom(env, 'admin'));

/** Variables every app reads (docs/contract.md, "Configuration"). */
export const commonEnv = (defaultPort: number) => ({
  PORT: portVar(defaultPort),
  KAFKA_TOPIC_PARTITIONS: intVar(3, 1, 100),
  KAFKA_CONSUMER_MAX_RESTARTS: intVar(5, 0, 1000),
  KAFKA_RETRIES: intVar(8, 0, 100),
  ...kafkaAccessEnv(),
  LOG_LEVEL: logLevelVar(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrlVar(['http', 'https']),
  OTEL_SERVICE_NAME: optionalStringVar(),
  API_DOCS_ENABLED: boolVar(true),
  METRICS_PORT: optionalPortVar(),
  SHUTDOWN_DRAIN_MS: intVar(2_000, 0, 120_000),
});

/**
 * What the HTTP port shows besides the API: the OpenAPI documents (`/api-docs`), and `/metrics`
 * unless METRICS_PORT moves it to a port of its own (one no ingress or gateway routes to); and how
 * long a stopping app stays out of rotation (readiness 503) before it stops taking requests.
 */
export const httpSettingsFrom = (env: {
  PORT: number;
  API_DOCS_ENABLED: boolean;
  METRICS_PORT?: number;
  SHUTDOWN_DRAIN_MS: number;
}): HttpSettings => {
  if (env.METRICS_PORT === env.PORT) {
    throw new ConfigError(
      `Invalid configuration: METRICS_PORT: must differ from PORT (${env.PORT}); leave it unset to serve /metrics on PORT`,
    );
  }
  return {
    apiDocs: env.API_DOCS_ENABLED,
    metricsPort: env.METRICS_PORT,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
  };
};

export interface HttpSettings {
  apiDocs: boolean;
  /** Unset: `/metrics` is served on the API port. */
  metricsPort?: number;
  shutdownDrainMs: number;
}

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
  env: KafkaAccessEnv & {
    KAFKA_TOPIC_PARTITIONS: number;
    KAFKA_CONSUMER_MAX_RESTARTS: number;
    KAFKA_RETRIES: number;
  },
  serviceName: string,
) => ({
  serviceName,
  ...kafkaAccessFrom(env, serviceName),
  partitions: env.KAFKA_TOPIC_PARTITIONS,
  consumerMaxRestarts: env.KAFKA_CONSUMER_MAX_RESTARTS,
  retries: env.KAFKA_RETRIES,
});

/** The identity on the bus: unset with KAFKA_SASL_MECHANISM=none. */
function kafkaSaslFrom(env: KafkaAccessEnv, principal: string) {
  if (env.KAFKA_SASL_MECHANISM === 'none') return undefined;
  const username = env.KAFKA_SASL_USERNAME ?? principal;
  const password =
    valueOrFile('KAFKA_SASL_PASSWORD', env.KAFKA_SASL_PASSWORD, env.KAFKA_SASL_PASSWORD_FILE) ??
    devKafkaPassword(username);
  if (env.NODE_ENV === 'production' && password === devKafkaPassword(username)) {
    throw new ConfigError(
      'Invalid configuration: KAFKA_SASL_PASSWORD: must be set (or KAFKA_SASL_PASSWORD_FILE) in production (NODE_ENV=production): the development password is public',
    );
  }
  return { mechanism: env.KAFKA_SASL_MECHANISM, username, password };
}
