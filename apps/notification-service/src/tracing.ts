// Imported first by main.ts: tracing hooks http, mongodb, mysql2 and kafkajs as they are loaded,
// so it starts before the app's modules are.
import { loadConfigOrExit } from '@microshop/config';
import { startTracing } from '@microshop/observability/tracing';
import { notificationServiceEnv } from './config';

startTracing(loadConfigOrExit(notificationServiceEnv, process.env).tracing);
