import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_NAMES,
  buildApps,
  isHealthy,
  ROOT,
  startApp,
  startInfrastructure,
  waitHealthy,
} from '../../scripts/platform';

export const STARTED_PIDS_FILE = join(ROOT, '.infra', 'run', 'e2e-apps.json');

export default async function globalSetup(): Promise<void> {
  startInfrastructure();
  const running = await Promise.all(APP_NAMES.map((app) => isHealthy(app)));
  if (running.every(Boolean)) {
    console.log('\ne2e: using the platform that is already running');
    writeFileSync(STARTED_PIDS_FILE, '[]');
    return;
  }
  if (running.some(Boolean)) {
    throw new Error(
      'Some apps are running and some are not: stop them (or start all) before the e2e run',
    );
  }
  buildApps();
  const pids = APP_NAMES.map((app) => startApp(app).pid);
  writeFileSync(STARTED_PIDS_FILE, JSON.stringify(pids));
  await Promise.all(APP_NAMES.map((app) => waitHealthy(app, 120_000)));
}
