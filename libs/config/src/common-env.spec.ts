import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { commonEnv, httpSettingsFrom, kafkaSettingsFrom } from './common-env';
import { loadConfig } from './load-config';

const settings = (env: Record<string, string>) =>
  loadConfig(
    z.object(commonEnv(3000)).transform((e) => kafkaSettingsFrom(e, 'order-service')),
    env,
  );

describe('the Kafka identity of an app', () => {
  it('is its own SCRAM principal with the local password by default', () => {
    expect(settings({}).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'order-service',
      password: 'microshop-dev-order-service',
    });
  });

  it('takes its password from KAFKA_SASL_PASSWORD_FILE, and none with KAFKA_SASL_MECHANISM=none', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafka-')), 'password');
    writeFileSync(file, 'from the secret');
    expect(settings({ KAFKA_SASL_PASSWORD_FILE: file }).sasl?.password).toBe('from the secret');
    expect(settings({ KAFKA_SASL_MECHANISM: 'none' }).sasl).toBeUndefined();
  });

  it('refuses the public development password in production, naming the variable', () => {
    expect(() => settings({ NODE_ENV: 'production' })).toThrow(
      /KAFKA_SASL_PASSWORD: must be set .* in production/,
    );
    expect(settings({ NODE_ENV: 'production', KAFKA_SASL_PASSWORD: 's3cret' }).sasl?.password).toBe(
      's3cret',
    );
  });

  it('refuses an unknown mechanism, naming the variable', () => {
    expect(() => settings({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
      /KAFKA_SASL_MECHANISM: must be one of/,
    );
  });
});

describe('what the HTTP port of an app exposes', () => {
  const exposure = (env: Record<string, string>) =>
    loadConfig(z.object(commonEnv(3000)).transform(httpSettingsFrom), env);

  it('is the API docs and /metrics by default', () => {
    expect(exposure({})).toEqual({ apiDocs: true, metricsPort: undefined, shutdownDrainMs: 2000 });
  });

  it('leaves the docs out with API_DOCS_ENABLED=false and moves /metrics to METRICS_PORT', () => {
    expect(exposure({ API_DOCS_ENABLED: 'false', METRICS_PORT: '9464' })).toEqual({
      apiDocs: false,
      metricsPort: 9464,
      shutdownDrainMs: 2000,
    });
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => exposure({ API_DOCS_ENABLED: 'no' })).toThrow(
      /API_DOCS_ENABLED: must be true or false/,
    );
    expect(() => exposure({ METRICS_PORT: '70000' })).toThrow(
      /METRICS_PORT: must be an integer from 1 to 65535/,
    );
    expect(() => exposure({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/);
  });
});
