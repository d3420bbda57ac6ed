import { existsSync, rmSync } from 'node:fs';
import { APP_NAMES, stopApp } from '../../scripts/platform';
import { STARTED_BY_HARNESS, stopReceiver } from './global-setup';

/**
 * Stops the apps this run started (SIGTERM: graceful shutdown, which also flushes their spans),
 * then the OTLP receiver; the infrastructure stays up.
 */
export default async function globalTeardown(): Promise<void> {
  if (existsSync(STARTED_BY_HARNESS)) {
    rmSync(STARTED_BY_HARNESS);
    await Promise.all(APP_NAMES.map((app) => stopApp(app)));
  }
  await stopReceiver();
}
