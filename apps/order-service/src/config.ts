import {
  commonEnv,
  httpSettingsFrom,
  intVar,
  tracingSettings,
  kafkaSettingsFrom,
  urlVar,
} from '@microshop/config';
import { z } from 'zod';
// The auth lib's Nest-free modules, not its index: the config loads before tracing starts (main.ts).
import { authEnv, toAuthSettings } from '@microshop/auth/auth-env';

export const SERVICE_NAME = 'order-service';

export const orderServiceEnv = z
  .object({
    ...commonEnv(3000),
    ...authEnv(),
    MYSQL_URL: urlVar(['mysql'], 'mysql://root:@127.0.0.1:3306/microshop_orders'),
    ORDER_MAX_PENDING_PER_CUSTOMER: intVar(10, 1, 100_000),
    ORDER_MAX_PER_CUSTOMER: intVar(60, 1, 10_000_000),
    ORDER_MAX_PER_CUSTOMER_WINDOW_SECONDS: intVar(3600, 1, 30 * 24 * 3600),
  })
  .transform((env) => ({
    port: env.PORT,
    http: httpSettingsFrom(env),
    logLevel: env.LOG_LEVEL,
    tracing: tracingSettings(env, SERVICE_NAME),
    auth: toAuthSettings(env),
    mysqlUrl: env.MYSQL_URL,
    kafka: kafkaSettingsFrom(env, SERVICE_NAME),
    customerLimits: {
      maxPending: env.ORDER_MAX_PENDING_PER_CUSTOMER,
      maxPlaced: env.ORDER_MAX_PER_CUSTOMER,
      windowSeconds: env.ORDER_MAX_PER_CUSTOMER_WINDOW_SECONDS,
    },
  }));

export type OrderServiceConfig = z.output<typeof orderServiceEnv>;
