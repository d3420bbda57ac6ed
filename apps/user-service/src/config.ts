import { commonEnv, mongoUriDefault, urlVar } from '@microshop/config';
import { z } from 'zod';

export const SERVICE_NAME = 'user-service';

export const userServiceEnv = z
  .object({
    ...commonEnv(4000),
    MONGODB_URI: urlVar(['mongodb', 'mongodb+srv'], mongoUriDefault('microshop_users')),
  })
  .transform((env) => ({
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    mongoUri: env.MONGODB_URI,
    kafka: {
      serviceName: SERVICE_NAME,
      brokers: env.KAFKA_BROKERS,
      partitions: env.KAFKA_TOPIC_PARTITIONS,
    },
  }));

export type UserServiceConfig = z.output<typeof userServiceEnv>;
