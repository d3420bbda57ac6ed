import { z } from 'zod';
import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/**
 * Parses the environment with an app's schema. The first bad variable becomes one readable line,
 * e.g. `PORT: must be an integer from 1 to 65535 (got "abc")`, so boot fails fast and says why.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue.path.join('.') || 'environment';
  const raw = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
  const got = raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
  throw new ConfigError(`Invalid configuration: ${variable}: ${issue.message}${got}`);
}
