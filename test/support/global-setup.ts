import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_NAMES,
  buildApps,
  isHealthy,
  RUN_DIR,
  startApp,
  startInfrastructure,
  stopApp,
  waitHealthy,
} from '../../scripts/platform';

/** Present while the apps running were started by this harness (and so are its to stop). */
export const STARTED_BY_HARNESS = join(RUN_DIR, 'e2e-started-apps');

export default async function globalSetup(): Promise<void> {
  startInfrastructure();
  mkdirSync(RUN_DIR, { recursive: true });
  const running = await Promise.all(APP_NAMES.map((app) => isHealthy(app)));
  if (running.every(Boolean) && !existsSync(STARTED_BY_HARNESS)) {
    console.log('\ne2e: using the platform that is already running');
    return;
  }
  // Leftovers of an earlier, interrupted run of this harness are ours to replace.
  await Promise.all(APP_NAMES.map((app) => stopApp(app)));
  const busy = [];
  for (const app of APP_NAMES) if (await isHealthy(app)) busy.push(app);
  if (busy.length) {
    throw new Error(`Already running outside this harness: ${busy.join(', ')}. Stop them first.`);
  }
  buildApps();
  writeFileSync(STARTED_BY_HARNESS, '');
  APP_NAMES.forEach((app) => startApp(app));
  await Promise.all(APP_NAMES.map((app) => waitHealthy(app, 120_000)));
}
