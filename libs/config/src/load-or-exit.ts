import { z } from 'zod';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

/** For main.ts: a bad value stops the process with one line naming the variable. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
