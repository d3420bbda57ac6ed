import { commonEnv, tracingSettings, kafkaSettingsFrom, urlVar } from '@microshop/config';
import { z } from 'zod';
// The auth lib's Nest-free modules, not its index: the config loads before tracing starts (main.ts).
import { authEnv, toAuthSettings } from '@microshop/auth/auth-env';

export const SERVICE_NAME = 'order-service';

export const orderServiceEnv = z
  .object({
    ...commonEnv(3000),
    ...authEnv(),
    MYSQL_URL: urlVar(['mysql'], 'mysql://root:@127.0.0.1:3306/microshop_orders'),
  })
  .transform((env) => ({
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    tracing: tracingSettings(env, SERVICE_NAME),
    auth: toAuthSettings(env),
    mysqlUrl: env.MYSQL_URL,
    kafka: kafkaSettingsFrom(env, SERVICE_NAME),
  }));

export type OrderServiceConfig = z.output<typeof orderServiceEnv>;
