import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// Loaded by Jest outside the test environment, where the @microshop/* path mapping does not apply.
import { OTLP_RECEIVER_URL, OtlpReceiver } from '../../libs/testing/src/otlp-receiver';
import {
  APP_NAMES,
  buildApps,
  isHealthy,
  RUN_DIR,
  startApp,
  startInfrastructure,
  stopApp,
  tracingEnv,
  waitHealthy,
} from '../../scripts/platform';

/** Present while the apps running were started by this harness (and so are its to stop). */
export const STARTED_BY_HARNESS = join(RUN_DIR, 'e2e-started-apps');

const RECEIVER_KEY = Symbol.for('microshop.e2e.otlpReceiver');
type WithReceiver = typeof globalThis & { [RECEIVER_KEY]?: OtlpReceiver };

/**
 * Starts the infrastructure, an OTLP receiver the specs read spans from, and the four apps with
 * their traces exported to it. The tracing variables go into this process's environment, which
 * the specs inherit, so an app a spec restarts (startApp/restartApp) keeps exporting there. Apps
 * already up are reused; their spans reach the receiver when they were started with
 * `OTEL_EXPORTER_OTLP_ENDPOINT=${OTLP_RECEIVER_URL}`.
 */
export default async function globalSetup(): Promise<void> {
  startInfrastructure();
  mkdirSync(RUN_DIR, { recursive: true });
  const receiver = new OtlpReceiver();
  await receiver.start(Number(new URL(OTLP_RECEIVER_URL).port));
  (globalThis as WithReceiver)[RECEIVER_KEY] = receiver;
  Object.assign(process.env, tracingEnv(OTLP_RECEIVER_URL));

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

export async function stopReceiver(): Promise<void> {
  const holder = globalThis as WithReceiver;
  await holder[RECEIVER_KEY]?.stop();
  delete holder[RECEIVER_KEY];
}
