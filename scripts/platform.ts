/**
 * Runs the four apps as local processes: used by `npm start` and by the e2e suites. Each app runs
 * from its webpack bundle in dist/, logs to .infra/logs/<app>.log, and counts as up once
 * `GET /health` answers 200.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const LOG_DIR = join(ROOT, '.infra', 'logs');
export const RUN_DIR = join(ROOT, '.infra', 'run');

export const APPS = {
  'user-service': 4000,
  'product-service': 8000,
  'order-service': 3000,
  'notification-service': 5000,
} as const;

export type AppName = keyof typeof APPS;
export const APP_NAMES = Object.keys(APPS) as AppName[];

/**
 * Replicas of an app run on consecutive ports: replica 0 on the app's port, replica 1 on the next
 * one, and so on (`npm start -- --replicas 2`).
 */
export const appPort = (app: AppName, replica = 0) => APPS[app] + replica;

export const baseUrl = (app: AppName, replica = 0) => `http://127.0.0.1:${appPort(app, replica)}`;

/** Replica 0 keeps the app's own name (its log is <app>.log); the others are <app>-<n>. */
export const replicaName = (app: AppName, replica = 0) => (replica ? `${app}-${replica}` : app);

export function startInfrastructure(): void {
  execFileSync('bash', [join(ROOT, 'infra', 'up.sh')], { stdio: 'inherit', cwd: ROOT });
}

export type InfraServer = 'kafka' | 'ferretdb' | 'mariadb' | 'smtp';

/** Starts, stops (SIGTERM) or kills (SIGKILL) one infrastructure server (infra/ctl.sh). */
export function infra(action: 'start' | 'stop' | 'kill', server: InfraServer): void {
  execFileSync('bash', [join(ROOT, 'infra', 'ctl.sh'), action, server], {
    stdio: 'inherit',
    cwd: ROOT,
  });
}

export function buildApps(apps: readonly AppName[] = APP_NAMES): void {
  for (const app of apps) {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'nest'), ['build', app], {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: ROOT,
    });
  }
}

const pidFile = (app: AppName, replica = 0) =>
  join(RUN_DIR, `app-${replicaName(app, replica)}.pid`);

/**
 * The old generation is capped so that V8 collects before an app passes 200 MB
 * (docs/decisions/0004-hot-path-costs.md). The image's CMD (Dockerfile) starts the apps the same
 * way.
 */
export const APP_NODE_FLAGS = ['--max-old-space-size=112'];

/**
 * Starts a replica of an app detached from the terminal's signals; its output goes to its log file
 * and its pid to .infra/run/app-<name>.pid, so tests can kill and restart it (fault injection).
 */
export function startApp(app: AppName, env: NodeJS.ProcessEnv = {}, replica = 0): ChildProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  mkdirSync(RUN_DIR, { recursive: true });
  const log = openSync(join(LOG_DIR, `${replicaName(app, replica)}.log`), 'a');
  const child = spawn(
    process.execPath,
    [...APP_NODE_FLAGS, join(ROOT, 'dist', 'apps', app, 'main.js')],
    {
      cwd: ROOT,
      // The harness stands for a proxy on loopback: tests and the load journey give each simulated
      // shopper an address of its own in X-Forwarded-For.
      env: { TRUST_PROXY: 'loopback', ...process.env, ...env, PORT: String(appPort(app, replica)) },
      stdio: ['ignore', log, log],
      detached: true,
    },
  );
  child.unref();
  if (child.pid) writeFileSync(pidFile(app, replica), String(child.pid));
  return child;
}

/**
 * The pid of the app started by startApp, if that process is still alive and still the app: a
 * pid file left behind (a reboot, a killed harness) may name a pid the system has given since to
 * another process, which must not be signalled.
 */
export function appPid(app: AppName, replica = 0): number | null {
  if (!existsSync(pidFile(app, replica))) return null;
  const pid = Number(readFileSync(pidFile(app, replica), 'utf8'));
  return isAlive(pid) && runsApp(pid, app) ? pid : null;
}

function runsApp(pid: number, app: AppName): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((arg) => arg.endsWith(join('dist', 'apps', app, 'main.js')));
  } catch {
    return false;
  }
}

/** Alive and not a zombie (a killed child stays in the process table until reaped). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Signals a replica (SIGTERM: graceful shutdown; SIGKILL: crash) and waits until it is gone. */
export async function stopApp(
  app: AppName,
  signal: NodeJS.Signals = 'SIGTERM',
  replica = 0,
): Promise<void> {
  const pid = appPid(app, replica);
  if (pid === null) return;
  process.kill(pid, signal);
  const what = `${replicaName(app, replica)} (pid ${pid}) to exit`;
  await waitUntil(() => Promise.resolve(!isAlive(pid)), what, 30_000, 50);
  rmSync(pidFile(app, replica), { force: true });
}

/** Restarts a replica (optionally with extra environment) and waits until it is healthy. */
export async function restartApp(
  app: AppName,
  env: NodeJS.ProcessEnv = {},
  replica = 0,
): Promise<void> {
  await stopApp(app, 'SIGTERM', replica);
  startApp(app, env, replica);
  await waitHealthy(app, undefined, replica);
}

/**
 * Loads the demo catalog with product-service's `seed` command from the built bundle: idempotent
 * (only skus the catalog never had are added), one summary line on stdout.
 */
export function seedDemoCatalog(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'dist', 'apps', 'product-service', 'main.js'), 'seed'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
}

/**
 * Environment for apps that export their spans to an OTLP/HTTP endpoint, batched every 200 ms
 * (the SDK's default of 5 s would make a test wait for its spans).
 */
export const tracingEnv = (otlpEndpoint: string): NodeJS.ProcessEnv => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
  OTEL_BSP_SCHEDULE_DELAY: '200',
});

export async function isHealthy(app: AppName, path = '/health', replica = 0): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl(app, replica)}${path}`, {
      signal: AbortSignal.timeout(3_000),
    });
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

export const waitHealthy = (app: AppName, timeoutMs?: number, replica = 0) =>
  waitUntil(
    () => isHealthy(app, '/health', replica),
    `${replicaName(app, replica)} to answer 200 on /health`,
    timeoutMs,
  );

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
