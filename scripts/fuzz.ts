/**
 * `npm run test:fuzz`: schemathesis against all four services (scripts/schemathesis.sh), on a
 * platform this script brings up itself like the e2e harness does: the local infrastructure, a
 * build, and the four apps, stopped again afterwards. When all four apps already answer (e.g. from
 * `npm start`), they are fuzzed as they are and left running.
 *   MAX_EXAMPLES bounds each operation's generated cases (see scripts/schemathesis.sh).
 *   `--no-build` starts the bundles already in dist/.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  APP_NAMES,
  buildApps,
  isHealthy,
  ROOT,
  startApp,
  startInfrastructure,
  stopApp,
  waitHealthy,
} from './platform';

async function main(): Promise<number> {
  startInfrastructure();
  const running = await Promise.all(APP_NAMES.map((app) => isHealthy(app)));
  const reuse = running.every(Boolean);
  if (reuse) {
    console.log('fuzz: using the platform that is already running');
  } else {
    const busy = APP_NAMES.filter((_, i) => running[i]);
    if (busy.length) throw new Error(`Already running: ${busy.join(', ')}. Stop them first.`);
    if (!process.argv.includes('--no-build')) {
      console.log('fuzz: building the apps...');
      buildApps();
    }
    APP_NAMES.forEach((app) => startApp(app));
    // The apps run detached: an interrupted run stops them too.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        void Promise.all(APP_NAMES.map((app) => stopApp(app))).finally(() => process.exit(130));
      });
    }
  }
  try {
    await Promise.all(APP_NAMES.map((app) => waitHealthy(app, 120_000)));
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'schemathesis.sh')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    return result.status ?? 1;
  } finally {
    if (!reuse) await Promise.all(APP_NAMES.map((app) => stopApp(app)));
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`test:fuzz failed: ${err.message}`);
    process.exit(1);
  },
);
