/**
 * `npm start`: the local infrastructure, a build, and all four apps, each waited for until
 * healthy, then the demo catalog (idempotent: a second start adds nothing). Ctrl-C (or SIGTERM)
 * stops the apps gracefully; the infrastructure keeps running (`npm run infra:down` stops it).
 */
import { ChildProcess } from 'node:child_process';
import {
  APP_NAMES,
  baseUrl,
  buildApps,
  isHealthy,
  LOG_DIR,
  seedDemoCatalog,
  startApp,
  startInfrastructure,
  stopProcess,
  waitHealthy,
} from './platform';

async function main() {
  startInfrastructure();
  console.log('Building the apps...');
  buildApps();
  const busy = [];
  for (const app of APP_NAMES) if (await isHealthy(app)) busy.push(app);
  if (busy.length) throw new Error(`Already running: ${busy.join(', ')}. Stop them first.`);

  const children: ChildProcess[] = APP_NAMES.map((app) => startApp(app));
  // startApp lets go of the apps (detached, unref'd); holding them keeps `npm start` in the
  // foreground until Ctrl-C, which stops them.
  for (const child of children) child.ref();
  const stopAll = async () => {
    console.log('\nStopping the apps...');
    await Promise.all(children.map((child) => stopProcess(child)));
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  for (const [i, child] of children.entries()) {
    child.on('exit', (code, signal) =>
      console.error(
        `${APP_NAMES[i]} exited (${signal ?? code}); see ${LOG_DIR}/${APP_NAMES[i]}.log`,
      ),
    );
  }

  await Promise.all(APP_NAMES.map((app) => waitHealthy(app)));
  try {
    seedDemoCatalog();
  } catch {
    console.error('Loading the demo catalog failed (see above); the apps keep running.');
  }
  console.log('\nMicroShop is up:');
  for (const app of APP_NAMES) {
    console.log(`  ${app.padEnd(22)} ${baseUrl(app)}  (docs ${baseUrl(app)}/api-docs)`);
  }
  console.log(`  SMTP sink inbox         http://127.0.0.1:1080/api/messages`);
  console.log(`Logs in ${LOG_DIR}. Ctrl-C stops the apps.`);
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
