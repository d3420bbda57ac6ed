/**
 * Runs the four apps as local processes: used by `npm start` and by the e2e suites. Each app runs
 * from its webpack bundle in dist/, logs to .infra/logs/<app>.log, and counts as up once
 * `GET /health` answers 200.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const LOG_DIR = join(ROOT, '.infra', 'logs');

export const APPS = {
  'user-service': 4000,
  'product-service': 8000,
  'order-service': 3000,
  'notification-service': 5000,
} as const;

export type AppName = keyof typeof APPS;
export const APP_NAMES = Object.keys(APPS) as AppName[];

export const baseUrl = (app: AppName) => `http://127.0.0.1:${APPS[app]}`;

export function startInfrastructure(): void {
  execFileSync('bash', [join(ROOT, 'infra', 'up.sh')], { stdio: 'inherit', cwd: ROOT });
}

export function buildApps(apps: readonly AppName[] = APP_NAMES): void {
  for (const app of apps) {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'nest'), ['build', app], {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: ROOT,
    });
  }
}

/** Starts an app detached from the terminal's signals; its output goes to its log file. */
export function startApp(app: AppName, env: NodeJS.ProcessEnv = {}): ChildProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(join(LOG_DIR, `${app}.log`), 'a');
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  child.unref();
  return child;
}

export async function isHealthy(app: AppName, path = '/health'): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl(app)}${path}`, { signal: AbortSignal.timeout(3_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

export async function waitUntil(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 90_000,
  intervalMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const waitHealthy = (app: AppName, timeoutMs?: number) =>
  waitUntil(() => isHealthy(app), `${app} to answer 200 on /health`, timeoutMs);

/** Sends a signal and waits for the process to exit. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}
