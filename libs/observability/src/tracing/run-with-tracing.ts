import { loadConfigOrExit } from '@microshop/config';
import type { z } from 'zod';
import { startTracing, TracingSettings } from './start-tracing';

/**
 * The entry of every app (its main.ts): parses the configuration once — a bad value stops the
 * process with one line naming the variable — starts tracing with its `tracing` section, and only
 * then runs `main` with that configuration.
 *
 * The instrumentations hook http, mongodb, mysql2 and kafkajs as they are required, so `main`
 * imports the service itself: `await import('@microshop/runtime')`, `await import('./app.module')`.
 * TypeScript emits those as `require` calls inside `main`, which webpack bundles into main.js and
 * runs only when `main` does. main.ts imports statically only this entry and the app's config
 * (whose imports must stay clear of Nest and of the instrumented modules).
 */
export function runWithTracing<S extends z.ZodType<{ tracing: TracingSettings }>>(
  schema: S,
  main: (config: z.output<S>) => Promise<unknown>,
  env: Record<string, string | undefined> = process.env,
): Promise<unknown> {
  const config = loadConfigOrExit(schema, env);
  startTracing(config.tracing);
  return main(config);
}
