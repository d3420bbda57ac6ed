import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { request, waitFor } from '@microshop/testing';
import { AppName, LOG_DIR, ROOT } from '../../scripts/platform';

export const replicaLog = (app: AppName, port: number) =>
  join(LOG_DIR, `${app}-replica-${port}.log`);

/**
 * One more process of a built app, on a port of its own with extra environment, sharing the
 * platform's stores and bus: what a second replica is.
 */
export function startReplica(app: AppName, port: number, env: NodeJS.ProcessEnv): ChildProcess {
  const log = openSync(replicaLog(app, port), 'a');
  return spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
}

export const waitForReplica = (app: AppName, port: number) =>
  waitFor(
    () => request(`http://127.0.0.1:${port}`, 'GET', '/health/live').catch(() => ({ status: 0 })),
    (res) => res.status === 200,
    { what: `the ${app} replica on ${port}`, timeoutMs: 60_000, intervalMs: 250 },
  );
