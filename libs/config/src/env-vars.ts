import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * Reusable environment variable parsers. An empty string is a bad value, not "unset": a deployment
 * that sets `KAFKA_BROKERS=` has a mistake in it and must not silently fall back to a default.
 */

const nonEmpty = (what: string) => z.string().trim().min(1, `must not be empty (${what})`);

const port = <T extends z.ZodType<string, string | undefined>>(text: T) =>
  text
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
      message: 'must be an integer from 1 to 65535',
    })
    .transform(Number);

export const portVar = (defaultPort: number) => port(z.string().default(String(defaultPort)));

export const optionalPortVar = () => port(z.string()).optional();

export const intVar = (defaultValue: number, min: number, max: number) =>
  z
    .string()
    .default(String(defaultValue))
    .refine((v) => /^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `must be an integer from ${min} to ${max}`,
    })
    .transform(Number);

/** `true` or `false`, nothing else (a typo must not read as either). */
const bool = () => z.enum(['true', 'false'], { error: 'must be true or false' });

export const boolVar = (defaultValue: boolean) =>
  bool()
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true');

export const optionalBoolVar = () =>
  bool()
    .transform((v) => v === 'true')
    .optional();

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const brokersVar = (defaultBrokers = '127.0.0.1:9092') =>
  z
    .string()
    .default(defaultBrokers)
    .transform((v) => v.split(',').map((b) => b.trim()))
    .refine((list) => list.length > 0 && list.every((b) => HOST_PORT.test(b)), {
      message: 'must be a comma-separated list of host:port',
    });

export const urlVar = (protocols: string[], defaultUrl?: string) => {
  const base = defaultUrl === undefined ? nonEmpty('a URL') : z.string().default(defaultUrl);
  return base.refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${protocols.join(' or ')}` },
  );
};

export const optionalUrlVar = (protocols: string[]) => urlVar(protocols).optional();

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logLevelVar = () =>
  z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info');

export const stringVar = (defaultValue?: string) =>
  defaultValue === undefined ? nonEmpty('a value') : nonEmpty('a value').default(defaultValue);

export const optionalStringVar = () => nonEmpty('a value').optional();

export const emailVar = (defaultValue: string) =>
  z
    .string()
    .default(defaultValue)
    .pipe(z.email({ error: 'must be an email address' }));

/**
 * A path whose file content is the value: Docker and Kubernetes mount secrets as files
 * (`JWT_PRIVATE_KEY_FILE=/run/secrets/...`). Pipe the result into the value's own schema.
 */
export const fileVar = () =>
  nonEmpty('a file path').transform((path, ctx) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      ctx.addIssue({ code: 'custom', message: `cannot read the file (${reason})` });
      return z.NEVER;
    }
  });

/**
 * `NAME` or the content of `NAME_FILE`. Both set is a mistake (which one is meant?), reported like
 * any other bad value.
 */
export function valueOrFile<T>(name: string, value: T | undefined, fromFile: T | undefined) {
  if (value !== undefined && fromFile !== undefined) {
    throw new ConfigError(
      `Invalid configuration: ${name}: set either ${name} or ${name}_FILE, not both`,
    );
  }
  return value ?? fromFile;
}
