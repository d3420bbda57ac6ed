import {
  commonEnv,
  httpSettingsFrom,
  tracingSettings,
  kafkaSettingsFrom,
  mongoUriDefault,
  urlVar,
} from '@microshop/config';
import { z } from 'zod';
import { authEnv, toAuthSettings } from '@microshop/auth/auth-env';

export const SERVICE_NAME = 'product-service';

export const productServiceEnv = z
  .object({
    ...commonEnv(8000),
    ...authEnv(),
    MONGODB_URI: urlVar(['mongodb', 'mongodb+srv'], mongoUriDefault('microshop_products')),
  })
  .transform((env) => ({
    port: env.PORT,
    http: httpSettingsFrom(env),
    logLevel: env.LOG_LEVEL,
    tracing: tracingSettings(env, SERVICE_NAME),
    auth: toAuthSettings(env),
    mongoUri: env.MONGODB_URI,
    kafka: kafkaSettingsFrom(env, SERVICE_NAME),
  }));

export type ProductServiceConfig = z.output<typeof productServiceEnv>;
