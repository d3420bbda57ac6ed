import { ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, waitFor } from '@microshop/testing';
import { LOG_DIR, ROOT } from '../../../scripts/platform';

export const replicaLog = (port: number) => join(LOG_DIR, `user-service-replica-${port}.log`);

/** Another user-service process on the same store: what a second replica is. */
export function startReplica(port: number, env: Record<string, string>): ChildProcess {
  const log = openSync(replicaLog(port), 'a');
  return spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'user-service', 'main.js')], {
    cwd: ROOT,
    env: { TRUST_PROXY: 'loopback', ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', log, log],
  });
}

export const waitForReplica = (port: number) =>
  waitFor(
    () => request(`http://127.0.0.1:${port}`, 'GET', '/health/live').catch(() => ({ status: 0 })),
    (res) => res.status === 200,
    { what: `the user-service replica on ${port}`, timeoutMs: 60_000, intervalMs: 250 },
  );

/** Whether the replica on `port` logged `text` after byte `offset` of its log. */
export const replicaLogged = (port: number, offset: number, text: string) =>
  readFileSync(replicaLog(port)).subarray(offset).toString('utf8').includes(text);
