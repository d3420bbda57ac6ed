import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { APP_NAMES, ROOT } from '../scripts/platform';

const boot = (app: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', app, 'main.js')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe.each(APP_NAMES)('%s refuses a bad configuration at boot', (app) => {
  it.each([
    ['PORT', 'abc', /PORT: must be an integer from 1 to 65535 \(got "abc"\)/],
    ['KAFKA_BROKERS', '', /KAFKA_BROKERS: must be a comma-separated list of host:port/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of/],
  ])('%s=%j', (variable, value, message) => {
    const result = boot(app, { [variable]: value });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
