import { existsSync, readFileSync, rmSync } from 'node:fs';
import { STARTED_PIDS_FILE } from './global-setup';

/** Stops the apps this run started (SIGTERM: graceful shutdown); the infrastructure stays up. */
export default async function globalTeardown(): Promise<void> {
  if (!existsSync(STARTED_PIDS_FILE)) return;
  const pids = JSON.parse(readFileSync(STARTED_PIDS_FILE, 'utf8')) as number[];
  rmSync(STARTED_PIDS_FILE);
  await Promise.all(pids.map((pid) => terminate(pid)));
}

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, 'SIGKILL');
}
