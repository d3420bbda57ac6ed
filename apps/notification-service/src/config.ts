import {
  commonEnv,
  httpSettingsFrom,
  kafkaSettingsFrom,
  mongoUriDefault,
  optionalBoolVar,
  stringVar,
  tracingSettings,
  urlVar,
} from '@microshop/config';
import { z } from 'zod';
// The auth lib's Nest-free modules, not its index: the config loads before tracing starts (main.ts).
import { authEnv, toAuthSettings } from '@microshop/auth/auth-env';

export const SERVICE_NAME = 'notification-service';

export const notificationServiceEnv = z
  .object({
    ...commonEnv(5000),
    ...authEnv(),
    MONGODB_URI: urlVar(['mongodb', 'mongodb+srv'], mongoUriDefault('microshop_notifications')),
    SMTP_URL: urlVar(['smtp', 'smtps'], 'smtp://127.0.0.1:1025'),
    MAIL_FROM: stringVar('MicroShop <no-reply@microshop.local>'),
    SMTP_REQUIRE_TLS: optionalBoolVar(),
  })
  .transform((env) => ({
    port: env.PORT,
    http: httpSettingsFrom(env),
    logLevel: env.LOG_LEVEL,
    tracing: tracingSettings(env, SERVICE_NAME),
    auth: toAuthSettings(env),
    mongoUri: env.MONGODB_URI,
    smtpUrl: env.SMTP_URL,
    // Port 587 is mail submission, where STARTTLS is expected: never send in clear there.
    smtpRequireTls: env.SMTP_REQUIRE_TLS ?? new URL(env.SMTP_URL).port === '587',
    mailFrom: env.MAIL_FROM,
    kafka: kafkaSettingsFrom(env, SERVICE_NAME),
  }));

export type NotificationServiceConfig = z.output<typeof notificationServiceEnv>;
