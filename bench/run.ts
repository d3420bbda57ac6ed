/**
 * `npm run bench`: MicroShop against its raw floor, side by side, in one run on the local
 * infrastructure. Builds and starts the apps of this checkout (scripts/platform.ts), measures the
 * baselines and the apps under the same load, stops everything and writes
 * bench/results/<date>.{json,md,svg}. Run it inside the e2e lock: it uses the app ports.
 *
 * Environment: BENCH_SATURATION_S (8), BENCH_OPEN_S (6), BENCH_CONCURRENCY (32),
 * BENCH_FRACTIONS (0.25,0.5,0.75), BENCH_SKIP_BUILD=1, BENCH_CPU_PROF=1 (profile the apps with the inspector),
 * MONGODB_URI, MYSQL_URL, KAFKA_BROKERS.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, KeyLike, SignJWT } from 'jose';
import {
  APP_NAMES,
  APPS,
  AppName,
  appPid,
  baseUrl,
  buildApps,
  isAlive,
  isHealthy,
  ROOT,
  startApp,
  stopApp,
  waitHealthy,
  waitUntil,
} from '../scripts/platform';
import { kafkaClient, rawHopLatency, rawPublishRate } from './baselines/raw-kafka';
import { openRawOrders, placeRawOrder } from './baselines/raw-orders';
import { call, closePools } from './lib/http';
import { closedLoad, LoadResult, openLoad, percentiles } from './lib/load';
import { ProcUsage, ProcWatch } from './lib/proc';
import { topSelfTime } from './lib/cpuprofile';
import { writeReport } from './report';

const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
export const CFG = {
  saturationS: num(process.env.BENCH_SATURATION_S, 8),
  openS: num(process.env.BENCH_OPEN_S, 6),
  concurrency: num(process.env.BENCH_CONCURRENCY, 32),
  fractions: (process.env.BENCH_FRACTIONS ?? '0.25,0.5,0.75').split(',').map(Number),
  mongoUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/microshop_products',
  mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306/microshop_orders',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  rawPort: num(process.env.BENCH_RAW_PRODUCTS_PORT, 8100),
  cpuProf: process.env.BENCH_CPU_PROF === '1',
};

const PROF_DIR = join(ROOT, '.infra', 'bench-prof');
const log = (...a: unknown[]) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

export interface Measured {
  load: LoadResult;
  procs: Record<string, ProcUsage>;
}
export interface Results {
  date: string;
  config: typeof CFG;
  authMode: 'user-service' | 'minted';
  notes: string[];
  products?: {
    listRaw: Measured;
    listApp: Measured;
    byIdRaw: Measured;
    byIdApp: Measured;
    curves: { target: string; fraction: number; rate: number; raw: LoadResult; app: LoadResult }[];
    catalogSize: number;
  };
  orders?: {
    raw: Measured;
    app?: Measured;
    relay?: { events: number; rate: number; backlogDrainMs: number };
    e2e: {
      fraction: number;
      rate: number;
      placed: LoadResult;
      confirmed: ReturnType<typeof percentiles>;
      rejected: number;
      unresolved: number;
    }[];
  };
  kafka?: {
    publish: { rate: number; bytes: number };
    hop: Awaited<ReturnType<typeof rawHopLatency>>;
  };
  peakRssMb: Record<string, number>;
  profiles: Record<string, ReturnType<typeof topSelfTime>>;
  skipped: string[];
}

async function measure(
  pids: Record<string, number>,
  run: () => Promise<LoadResult>,
): Promise<Measured> {
  const watch = new ProcWatch(pids);
  const load = await run();
  return { load, procs: watch.stop() };
}

/** Tokens: from user-service when it serves /auth/login, else minted with a key the apps trust. */
class Auth {
  mode: 'user-service' | 'minted' = 'minted';
  private key?: KeyLike;
  publicPem?: string;

  async prepareMinting() {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    this.key = privateKey;
    this.publicPem = await exportSPKI(publicKey);
  }

  async mint(sub: string, email: string, roles: string[]) {
    return new SignJWT({ email, roles })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(sub)
      .setIssuer('microshop-user-service')
      .setAudience('microshop')
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime('1h')
      .sign(this.key!);
  }

  async admin(): Promise<string> {
    if (this.mode === 'minted') return this.mint('bench-admin', 'admin@microshop.local', ['admin']);
    return this.login('admin@microshop.local', 'microshop-admin-dev');
  }

  async customer(): Promise<string> {
    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    if (this.mode === 'minted')
      return this.mint(randomUUID().replace(/-/g, '').slice(0, 24), email, ['customer']);
    const password = 'bench-password-1';
    await call(`${baseUrl('user-service')}/auth/register`, {
      method: 'POST',
      body: { email, password, name: 'Bench Shopper' },
      expect: [201],
    });
    return this.login(email, password);
  }

  private async login(email: string, password: string) {
    const res = await call<{ accessToken: string }>(`${baseUrl('user-service')}/auth/login`, {
      method: 'POST',
      body: { email, password },
    });
    return res.body.accessToken;
  }
}

function appPids(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const app of APP_NAMES) {
    const pid = appPid(app);
    if (pid) out[app] = pid;
  }
  return out;
}

async function startRawProducts(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'baselines', 'raw-products-server.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MONGODB_URI: CFG.mongoUri,
        BENCH_RAW_PRODUCTS_PORT: String(CFG.rawPort),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await waitUntil(
    async () => {
      try {
        await call(`http://127.0.0.1:${CFG.rawPort}/health`);
        return true;
      } catch {
        return false;
      }
    },
    'the raw products server',
    30_000,
  );
  return child;
}

async function benchProducts(r: Results, auth: Auth) {
  const app = baseUrl('product-service');
  const probe = await call<{ items: { id: string }[] }>(`${app}/products?limit=100`, {
    expect: [200, 404],
  });
  if (probe.status !== 200) {
    r.skipped.push(
      `GET /products: product-service answers ${probe.status} (catalog not on this commit)`,
    );
    return;
  }
  if (probe.body.items.length < 50) {
    const admin = await auth.admin();
    const run = randomUUID().slice(0, 6).toUpperCase();
    for (let i = 0; i < 50 - probe.body.items.length; i++) {
      await call(`${app}/products`, {
        method: 'POST',
        token: admin,
        expect: [201],
        body: {
          sku: `BENCH-${run}-${i}`,
          name: `Bench product ${i}`,
          description: 'Load test product',
          category: 'bench',
          priceCents: 1000 + i,
          stock: 1_000_000,
        },
      });
    }
  }
  const ids = (await call<{ items: { id: string }[] }>(`${app}/products?limit=100`)).body.items.map(
    (p) => p.id,
  );
  const raw = await startRawProducts();
  try {
    const pids = { ...appPids(), 'raw-fastify-mongodb': raw.pid! };
    const rawUrl = `http://127.0.0.1:${CFG.rawPort}`;
    const list = (base: string) => () => call(`${base}/products?limit=20`);
    let i = 0;
    const byId = (base: string) => () => call(`${base}/products/${ids[i++ % ids.length]}`);
    log('products: saturation (closed model)');
    const listRaw = await measure(pids, () =>
      closedLoad(CFG.concurrency, CFG.saturationS, list(rawUrl)),
    );
    const listApp = await measure(pids, () =>
      closedLoad(CFG.concurrency, CFG.saturationS, list(app)),
    );
    const byIdRaw = await measure(pids, () =>
      closedLoad(CFG.concurrency, CFG.saturationS, byId(rawUrl)),
    );
    const byIdApp = await measure(pids, () =>
      closedLoad(CFG.concurrency, CFG.saturationS, byId(app)),
    );
    log('products: latency vs load (open model)');
    const curves: NonNullable<Results['products']>['curves'] = [];
    for (const [target, sat, make] of [
      ['GET /products', listApp.load.throughput, list],
      ['GET /products/:id', byIdApp.load.throughput, byId],
    ] as const) {
      for (const f of CFG.fractions) {
        const rate = Math.max(1, Math.round(sat * f));
        const rawRun = await openLoad(rate, CFG.openS, make(rawUrl));
        const appRun = await openLoad(rate, CFG.openS, make(app));
        curves.push({ target, fraction: f, rate, raw: rawRun, app: appRun });
      }
    }
    r.products = { listRaw, listApp, byIdRaw, byIdApp, curves, catalogSize: ids.length };
  } finally {
    raw.kill('SIGTERM');
    await waitUntil(
      () => Promise.resolve(raw.exitCode !== null || raw.signalCode !== null),
      'raw server exit',
      10_000,
      50,
    );
  }
}

/** Collects order events from Kafka: arrival time per orderId and topic. */
async function orderEventTap(topics: string[]) {
  const kafka = kafkaClient(CFG.brokers);
  const consumer = kafka.consumer({ groupId: `bench-tap-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const seen = new Map<string, Map<string, number>>(topics.map((t) => [t, new Map()]));
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.subscribe({ topics, fromBeginning: false });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      const now = performance.now();
      try {
        const env = JSON.parse(message.value?.toString() ?? '{}') as {
          payload?: { orderId?: string };
        };
        if (env.payload?.orderId) seen.get(topic)?.set(env.payload.orderId, now);
      } catch {
        /* not an envelope */
      }
      return Promise.resolve();
    },
  });
  await joined;
  await new Promise((r) => setTimeout(r, 1500));
  return { seen, stop: () => consumer.disconnect() };
}

async function benchOrders(r: Results, auth: Auth) {
  const products = baseUrl('product-service');
  const orders = baseUrl('order-service');
  const probe = await call<{ items: { id: string }[] }>(`${products}/products?limit=100`, {
    expect: [200, 404],
  });
  const rawPool = await openRawOrders(CFG.mysqlUrl);
  const pids = appPids();
  log('orders: raw mysql2 transaction saturation');
  const rawOrders = await measure({ ...pids, 'bench (raw mysql2)': process.pid }, () =>
    closedLoad(CFG.concurrency, CFG.saturationS, () => placeRawOrder(rawPool)),
  );
  await rawPool.query('TRUNCATE TABLE order_lines').catch(() => undefined);
  await rawPool.end();
  if (probe.status !== 200) {
    r.skipped.push(
      `POST /orders: no catalog to order from (product-service GET /products answers ${probe.status})`,
    );
    r.orders = { raw: rawOrders, e2e: [] };
    return;
  }
  // Products with ample stock that order-service's replica knows.
  const admin = await auth.admin();
  const run = randomUUID().slice(0, 6).toUpperCase();
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await call<{ id: string }>(`${products}/products`, {
      method: 'POST',
      token: admin,
      expect: [201],
      body: {
        sku: `BENCH-O${run}-${i}`,
        name: `Bench order product ${i}`,
        category: 'bench',
        priceCents: 500 + i,
        stock: 1_000_000,
      },
    });
    ids.push(res.body.id);
  }
  await waitUntil(
    async () =>
      (
        await call(`${orders}/catalog-products/${ids[ids.length - 1]}`, {
          token: admin,
          expect: [200, 404],
        })
      ).status === 200,
    'order-service to learn the bench products',
    60_000,
  );
  const customers = await Promise.all(Array.from({ length: 8 }, () => auth.customer()));
  let n = 0;
  const place = () =>
    call<{ id: string }>(`${orders}/orders`, {
      method: 'POST',
      token: customers[n % customers.length],
      expect: [201],
      body: { items: [{ productId: ids[n++ % ids.length], quantity: 1 }] },
    });

  log('orders: POST /orders saturation, relay publish rate');
  const tap = await orderEventTap(['order.created', 'order.confirmed', 'order.rejected']);
  try {
    const placedIds: string[] = [];
    const app = await measure(pids, () =>
      closedLoad(CFG.concurrency, CFG.saturationS, async () =>
        placedIds.push((await place()).body.id),
      ),
    );
    const created = tap.seen.get('order.created')!;
    const endOfLoad = performance.now();
    await waitUntil(
      () => Promise.resolve(placedIds.every((id) => created.has(id))),
      'the relay to publish every order.created',
      60_000,
      50,
    ).catch(() => undefined);
    const times = placedIds
      .map((id) => created.get(id))
      .filter((t): t is number => t !== undefined);
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const relay = {
      events: times.length,
      rate: Math.round(times.length / Math.max(span, 0.001)),
      backlogDrainMs: Math.round(Math.max(0, Math.max(...times) - endOfLoad)),
    };

    log('orders: placed -> CONFIRMED latency (open model)');
    const e2e: NonNullable<Results['orders']>['e2e'] = [];
    for (const f of CFG.fractions) {
      const rate = Math.max(1, Math.round(app.load.throughput * f));
      const placedAt = new Map<string, number>();
      const placed = await openLoad(rate, CFG.openS, async (scheduled) =>
        placedAt.set((await place()).body.id, scheduled),
      );
      const confirmed = tap.seen.get('order.confirmed')!;
      const rejected = tap.seen.get('order.rejected')!;
      const done = (id: string) => confirmed.has(id) || rejected.has(id);
      await waitUntil(
        () => Promise.resolve([...placedAt.keys()].every(done)),
        'orders to settle',
        30_000,
        50,
      ).catch(() => undefined);
      const lat = [...placedAt]
        .filter(([id]) => confirmed.has(id))
        .map(([id, t]) => confirmed.get(id)! - t);
      e2e.push({
        fraction: f,
        rate,
        placed,
        confirmed: percentiles(lat),
        rejected: [...placedAt.keys()].filter((id) => rejected.has(id)).length,
        unresolved: [...placedAt.keys()].filter((id) => !done(id)).length,
      });
    }
    r.orders = { raw: rawOrders, app, relay, e2e };
  } finally {
    await tap.stop();
  }
}

async function main() {
  const date = new Date().toISOString().slice(0, 10);
  const r: Results = {
    date,
    config: CFG,
    authMode: 'minted',
    notes: [],
    peakRssMb: {},
    profiles: {},
    skipped: [],
  };
  const auth = new Auth();
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('building the apps');
    buildApps();
  }
  rmSync(PROF_DIR, { recursive: true, force: true });
  const env = (app: AppName): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
    if (CFG.cpuProf) {
      mkdirSync(join(PROF_DIR, app), { recursive: true });
      e.NODE_OPTIONS = `--require ${join(__dirname, 'lib', 'profile-preload.js')}`;
      e.BENCH_PROF_DIR = join(PROF_DIR, app);
    }
    if (auth.publicPem) e.JWT_PUBLIC_KEY = auth.publicPem;
    return e;
  };
  try {
    for (const app of APP_NAMES) {
      if (appPid(app)) throw new Error(`${app} is already running from this checkout`);
      if (await isHealthy(app)) throw new Error(`port ${APPS[app]} is taken by another process`);
    }
    startApp('user-service', env('user-service'));
    await waitHealthy('user-service');
    if (!appPid('user-service')) throw new Error('user-service died at start');
    const login = await call(`${baseUrl('user-service')}/auth/login`, {
      method: 'POST',
      body: {},
      expect: [400, 401, 404],
    });
    if (login.status === 404) {
      // No login on this commit: the apps trust a key the bench signs with.
      await auth.prepareMinting();
      await stopApp('user-service');
      startApp('user-service', env('user-service'));
      r.notes.push(
        'user-service has no /auth/login on this commit: tokens were minted by the bench with a key the apps were started to trust (JWT_PUBLIC_KEY).',
      );
    } else {
      auth.mode = 'user-service';
    }
    r.authMode = auth.mode;
    for (const app of APP_NAMES.filter((a) => a !== 'user-service')) startApp(app, env(app));
    await Promise.all(APP_NAMES.map((a) => waitHealthy(a)));
    for (const app of APP_NAMES)
      if (!appPid(app))
        throw new Error(`${app} from this checkout died at start (.infra/logs/${app}.log)`);
    log('apps up', appPids());

    await benchProducts(r, auth);
    await benchOrders(r, auth);

    log('kafka: raw publish rate and hop latency');
    const kafka = kafkaClient(CFG.brokers);
    const publish = await rawPublishRate(kafka, 20_000);
    const hopRate = Math.max(
      20,
      Math.round((r.orders?.e2e.find((e) => e.fraction === 0.5)?.rate ?? 50) * 1),
    );
    const hop = await rawHopLatency(kafka, hopRate, CFG.openS);
    r.kafka = { publish, hop };
  } finally {
    const pids = appPids();
    for (const [name, pid] of Object.entries(pids)) {
      try {
        const { hwmMb } = await import('./lib/proc');
        r.peakRssMb[name] = Math.round(hwmMb(pid));
      } catch {
        /* gone */
      }
    }
    await closePools();
    for (const app of APP_NAMES) await stopApp(app).catch((e) => log(`stopping ${app}:`, e));
    for (const pid of Object.values(pids)) if (isAlive(pid)) log(`pid ${pid} still alive`);
  }
  if (CFG.cpuProf) {
    for (const app of APP_NAMES) {
      const dir = join(PROF_DIR, app);
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
      if (files.length) r.profiles[app] = topSelfTime(join(dir, files[0]), 12);
    }
  }
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${date}.json`), JSON.stringify(r, null, 2));
  writeReport(r, out);
  log(`report: bench/results/${date}.md`);
}

main().catch(async (e) => {
  console.error(e);
  for (const app of APP_NAMES) await stopApp(app).catch(() => undefined);
  process.exit(1);
});
