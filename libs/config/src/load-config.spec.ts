import { z } from 'zod';
import { commonEnv } from './common-env';
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
