import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { commonEnv } from './common-env';
import { fileVar, urlVar, valueOrFile } from './env-vars';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const schema = z.object(commonEnv(4000));

describe('loadConfig', () => {
  it('applies the defaults when nothing is set', () => {
    expect(loadConfig(schema, {})).toMatchObject({
      PORT: 4000,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PARTITIONS: 3,
      LOG_LEVEL: 'info',
    });
  });

  it('splits a broker list', () => {
    expect(loadConfig(schema, { KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual([
      'a:9092',
      'b:9093',
    ]);
  });

  it.each([
    [
      { PORT: 'abc' },
      'Invalid configuration: PORT: must be an integer from 1 to 65535 (got "abc")',
    ],
    [
      { PORT: '70000' },
      'Invalid configuration: PORT: must be an integer from 1 to 65535 (got "70000")',
    ],
    [
      { KAFKA_BROKERS: '' },
      'Invalid configuration: KAFKA_BROKERS: must be a comma-separated list of host:port (got "")',
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'nope' },
      'Invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL with scheme http or https (got "nope")',
    ],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(schema, env)).toThrow(new ConfigError(message));
  });
});

describe('loadConfig with secrets and files', () => {
  const secrets = z.object({
    ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters'),
    MONGODB_URI: urlVar(['mongodb']),
  });

  it('never repeats a secret value in the error line', () => {
    expect(() =>
      loadConfig(secrets, { ADMIN_PASSWORD: 'short', MONGODB_URI: 'mongodb://h/db' }),
    ).toThrow(
      new ConfigError('Invalid configuration: ADMIN_PASSWORD: must be at least 8 characters'),
    );
  });

  it('hides the credentials of a URL it repeats', () => {
    expect(() =>
      loadConfig(secrets, { ADMIN_PASSWORD: 'long enough', MONGODB_URI: 'http://u:pw@h/db' }),
    ).toThrow('(got "http://***@h/db")');
  });

  it('reads a _FILE variable and names it when the file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'secret'), 'from a file');
    const schema = z.object({ SECRET_FILE: fileVar().optional() });
    expect(loadConfig(schema, { SECRET_FILE: join(dir, 'secret') }).SECRET_FILE).toBe(
      'from a file',
    );
    expect(() => loadConfig(schema, { SECRET_FILE: join(dir, 'nope') })).toThrow(
      /^Invalid configuration: SECRET_FILE: cannot read the file \(ENOENT\)/,
    );
  });

  it('refuses a variable set both directly and as a file', () => {
    expect(() => valueOrFile('SECRET', 'a', 'b')).toThrow(
      'Invalid configuration: SECRET: set either SECRET or SECRET_FILE, not both',
    );
    expect(valueOrFile('SECRET', undefined, 'b')).toBe('b');
  });
});
