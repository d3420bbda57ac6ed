/**
 * `npm start`: the local infrastructure, a build, and all four apps, each waited for until
 * healthy, then the demo catalog (idempotent: a second start adds nothing). Ctrl-C (or SIGTERM)
 * stops the apps gracefully; the infrastructure keeps running (`npm run infra:down` stops it).
 * `npm start -- --replicas N` (or MICROSHOP_REPLICAS=N) runs N replicas of every app on
 * consecutive ports, in the same consumer groups.
 */
import { ChildProcess } from 'node:child_process';
import {
  APP_NAMES,
  AppName,
  baseUrl,
  buildApps,
  isHealthy,
  LOG_DIR,
  replicaName,
  seedDemoCatalog,
  startApp,
  startInfrastructure,
  stopProcess,
  waitHealthy,
} from './platform';

/** `--replicas N` or MICROSHOP_REPLICAS, 1 by default. */
function replicaCount(): number {
  const flag = process.argv.indexOf('--replicas');
  const text = flag >= 0 ? process.argv[flag + 1] : (process.env.MICROSHOP_REPLICAS ?? '1');
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new Error(
      `--replicas (MICROSHOP_REPLICAS) must be an integer from 1 to 9, not "${text}"`,
    );
  }
  return count;
}

async function main() {
  const replicas = [...Array(replicaCount()).keys()];
  const instances: [AppName, number][] = APP_NAMES.flatMap((app) =>
    replicas.map((replica): [AppName, number] => [app, replica]),
  );
  // One partition at least per replica of a consumer group, or the extra replicas sit idle.
  const partitions = Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 3);
  if (replicas.length > partitions) {
    process.env.KAFKA_TOPIC_PARTITIONS = String(replicas.length);
    console.log(`Topics get ${replicas.length} partitions, one per replica of a consumer group.`);
  }
  startInfrastructure();
  console.log('Building the apps...');
  buildApps();
  const busy = [];
  for (const [app, replica] of instances) {
    if (await isHealthy(app, '/health', replica)) busy.push(replicaName(app, replica));
  }
  if (busy.length) throw new Error(`Already running: ${busy.join(', ')}. Stop them first.`);

  const children: ChildProcess[] = instances.map(([app, replica]) => startApp(app, {}, replica));
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
    const name = replicaName(...instances[i]);
    child.on('exit', (code, signal) =>
      console.error(`${name} exited (${signal ?? code}); see ${LOG_DIR}/${name}.log`),
    );
  }

  await Promise.all(instances.map(([app, replica]) => waitHealthy(app, undefined, replica)));
  try {
    seedDemoCatalog();
  } catch {
    console.error('Loading the demo catalog failed (see above); the apps keep running.');
  }
  console.log('\nMicroShop is up:');
  for (const app of APP_NAMES) {
    const urls = replicas.map((replica) => baseUrl(app, replica)).join(', ');
    console.log(`  ${app.padEnd(22)} ${urls}  (docs ${baseUrl(app)}/api-docs)`);
  }
  console.log(`  SMTP sink inbox         http://127.0.0.1:1080/api/messages`);
  console.log(`Logs in ${LOG_DIR}. Ctrl-C stops the apps.`);
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
