import { z } from 'zod';
import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/** Variables whose values stay out of error lines (their `_FILE` paths may show). */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|_KEY)$/;

/** The bad value as the error line may show it: never a secret, never a URL's credentials. */
function shown(name: string, raw: string | undefined): string {
  if (raw === undefined || SECRET_NAME.test(name) || raw.includes('PRIVATE KEY')) return '';
  return ` (got ${JSON.stringify(raw.replace(/\/\/[^/@\s]*@/, '//***@'))})`;
}

/**
 * Parses the environment with an app's schema. The first bad variable becomes one readable line,
 * e.g. `PORT: must be an integer from 1 to 65535 (got "abc")`, so boot fails fast and says why.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue.path.join('.') || 'environment';
  const name = typeof issue.path[0] === 'string' ? issue.path[0] : '';
  const raw = name ? env[name] : undefined;
  throw new ConfigError(`Invalid configuration: ${variable}: ${issue.message}${shown(name, raw)}`);
}
