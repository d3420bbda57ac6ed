/**
 * `npm run bench`: MicroShop against its raw floor, side by side, in one run on the local
 * infrastructure. Builds and starts the apps of this checkout (scripts/platform.ts), measures the
 * baselines and the apps under the same load, stops everything and writes
 * bench/results/<date>.{json,md,svg}. Run it inside the e2e lock: it uses the app ports.
 *
 * Environment: BENCH_SATURATION_S (8), BENCH_OPEN_S (6), BENCH_CONCURRENCY (32),
 * BENCH_FRACTIONS (0.25,0.5,0.75), BENCH_BACKLOG_S (8, orders placed while Kafka is stopped),
 * BENCH_SKIP_BUILD=1, BENCH_CPU_PROF=1 (profile the apps during the saturation phases),
 * BENCH_PHASES (products,orders,kafka,relay,store-writes: the phases to run), BENCH_STORE_ORDERS (50
 * orders per line count), BENCH_STORE_IDLE_S (20), BENCH_STORE_TRAIL_S (25), BENCH_REPLICAS (1:
 * replicas of every app; the load goes to the first, the consumers of a group share the work),
 * MONGODB_URI, MYSQL_URL, KAFKA_BROKERS.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPool } from 'mysql2/promise';
import {
  APP_NAMES,
  APPS,
  AppName,
  appPid,
  baseUrl,
  buildApps,
  infra,
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
import { hwmMb, ProcUsage, ProcWatch } from './lib/proc';
import { ProfileSummary, summarizeProfile } from './lib/cpuprofile';
import { mongoWrites, mysqlWrites, netPer, ratePer, WriteCounts } from './lib/store-ops';
import { writeReport } from './report';

const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
const PHASES = ['products', 'orders', 'kafka', 'relay', 'store-writes'];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const CFG = {
  saturationS: num(process.env.BENCH_SATURATION_S, 8),
  openS: num(process.env.BENCH_OPEN_S, 6),
  concurrency: num(process.env.BENCH_CONCURRENCY, 32),
  fractions: (process.env.BENCH_FRACTIONS ?? '0.25,0.5,0.75').split(',').map(Number),
  backlogS: num(process.env.BENCH_BACKLOG_S, 8),
  settleS: num(process.env.BENCH_SETTLE_S, 120),
  mongoUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/microshop_products',
  mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306/microshop_orders',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  rawPort: num(process.env.BENCH_RAW_PRODUCTS_PORT, 8100),
  cpuProf: process.env.BENCH_CPU_PROF === '1',
  storeOrders: num(process.env.BENCH_STORE_ORDERS, 50),
  storeIdleS: num(process.env.BENCH_STORE_IDLE_S, 20),
  storeTrailS: num(process.env.BENCH_STORE_TRAIL_S, 25),
  phases: new Set((process.env.BENCH_PHASES ?? PHASES.join(',')).split(',')),
  /** Replicas of every app; load goes to replica 0's HTTP port, the saga's consumers share the work. */
  replicas: num(process.env.BENCH_REPLICAS, 1),
};

/** The replicas beyond the first of every app, as [app, replica]. */
const extraReplicas = () =>
  APP_NAMES.flatMap((app) =>
    [...Array(CFG.replicas).keys()].slice(1).map((replica) => [app, replica] as const),
  );

const PROF_DIR = join(ROOT, '.infra', 'bench-prof');
const log = (...a: unknown[]) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

export interface Measured {
  load: LoadResult;
  procs: Record<string, ProcUsage>;
}
export interface E2eStep {
  fraction: number;
  rate: number;
  placed: LoadResult;
  confirmed: ReturnType<typeof percentiles>;
  /** Order placed (scheduled send time) → its mail accepted by the SMTP server. */
  mailed: ReturnType<typeof percentiles>;
  rejected: number;
  unresolved: number;
  procs: Record<string, ProcUsage>;
  /** Each step of the saga, from the events' arrival at the bench's Kafka consumer. */
  hops: Record<string, ReturnType<typeof percentiles>>;
}
export interface FlowSaturation {
  placed: number;
  settled: number;
  /** Orders settled (CONFIRMED or REJECTED) per second, from the start of the saturation load. */
  rate: number;
  lastSettledAfterLoadMs: number;
  procs: Record<string, ProcUsage>;
}
export interface RelayBacklog {
  /** order.created events waiting when Kafka came back. */
  backlog: number;
  placedWhileDown: LoadResult;
  /** Kafka back (its start returned) → the relay's first publish. */
  resumeMs: number;
  /** First publish → the last order.created of the backlog gone from the outbox. */
  drainMs: number;
  /** order.created events published per second of the drain (after the first round). */
  orderCreatedRate: number;
  /** Every event the orders relay published per second over the drain (incl. order.confirmed). */
  allEventsRate: number;
  allEvents: number;
  procs: Record<string, ProcUsage>;
}
export interface StoreWrites {
  /** Orders measured per line count. */
  orders: number;
  idleSeconds: number;
  /** Background writes per second with no orders (relay polls, sweeps), subtracted below. */
  idle: { mongo: WriteCounts; mysql: WriteCounts };
  /** Writes per order: FerretDB commands (product-service) and MariaDB statements (order-service). */
  byLines: { lines: number; seconds: number; mongo: WriteCounts; mysql: WriteCounts }[];
}
export interface PhaseProfile extends ProfileSummary {
  app: string;
  phase: string;
  /** Requests (or orders) completed during the profiled phase. */
  operations: number;
}
export interface Results {
  date: string;
  config: typeof CFG;
  commit: string;
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
    relay?: RelayBacklog;
    flow?: FlowSaturation;
    e2e: E2eStep[];
  };
  storeWrites?: StoreWrites;
  kafka?: {
    publish: { rate: number; bytes: number };
    hop: Awaited<ReturnType<typeof rawHopLatency>>;
  };
  peakRssMb: Record<string, number>;
  profiles: PhaseProfile[];
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

/**
 * With BENCH_CPU_PROF=1, samples `apps` with the preloaded profiler (SIGWINCH starts and stops it)
 * for the duration of `run`, and adds one summary per app to the results.
 */
async function profiled<T>(
  r: Results,
  apps: AppName[],
  phase: string,
  operations: (result: T) => number,
  run: () => Promise<T>,
): Promise<T> {
  if (!CFG.cpuProf) return run();
  const label = phase.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const targets = apps.map((app) => ({ app, pid: appPid(app), dir: join(PROF_DIR, app) }));
  for (const t of targets) {
    if (!t.pid) continue;
    writeFileSync(join(t.dir, 'label'), label);
    process.kill(t.pid, 'SIGWINCH');
  }
  const result = await run();
  for (const t of targets) if (t.pid) process.kill(t.pid, 'SIGWINCH');
  for (const t of targets) {
    if (!t.pid) continue;
    const file = join(t.dir, `${label}.cpuprofile`);
    try {
      await waitUntil(() => Promise.resolve(existsSync(file)), `${file}`, 20_000, 100);
      r.profiles.push({
        app: t.app,
        phase,
        operations: operations(result),
        ...summarizeProfile(file, 15),
      });
    } catch (e) {
      r.notes.push(`No CPU profile of ${t.app} during ${phase}: ${(e as Error).message}`);
    }
  }
  return result;
}

interface Customer {
  email: string;
  token: string;
}

/** Real sign-ins through user-service: registration and /auth/login, as a shopper does. */
class Auth {
  async admin(): Promise<string> {
    return this.login('admin@microshop.local', 'microshop-admin-dev');
  }

  async customer(): Promise<Customer> {
    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'bench-password-1';
    await call(`${baseUrl('user-service')}/auth/register`, {
      method: 'POST',
      body: { email, password, name: 'Bench Shopper' },
      expect: [201],
    });
    return { email, token: await this.login(email, password) };
  }

  private async login(email: string, password: string) {
    const res = await call<{ accessToken: string }>(`${baseUrl('user-service')}/auth/login`, {
      method: 'POST',
      body: { email, password },
    });
    return res.body.accessToken;
  }
}

/** The shared local servers (their pid files live in the main checkout's .infra/run). */
function infraPids(): Record<string, number> {
  const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd: ROOT,
  })
    .toString()
    .trim();
  const out: Record<string, number> = {};
  for (const [name, file] of [
    ['ferretdb', 'ferretdb.pid'],
    ['mariadb', 'mariadbd.pid'],
    ['kafka', 'kafka.pid'],
  ]) {
    try {
      const pid = Number(readFileSync(join(common, '..', '.infra', 'run', file), 'utf8').trim());
      if (isAlive(pid)) out[name] = pid;
    } catch {
      /* not there */
    }
  }
  return out;
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
    const listApp = await profiled(
      r,
      ['product-service'],
      'GET /products saturation',
      (m) => m.load.ok,
      () => measure(pids, () => closedLoad(CFG.concurrency, CFG.saturationS, list(app))),
    );
    const byIdRaw = await measure(pids, () =>
      closedLoad(CFG.concurrency, CFG.saturationS, byId(rawUrl)),
    );
    const byIdApp = await profiled(
      r,
      ['product-service'],
      'GET /products/:id saturation',
      (m) => m.load.ok,
      () => measure(pids, () => closedLoad(CFG.concurrency, CFG.saturationS, byId(app))),
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

interface SinkMail {
  id: string;
  subject: string;
}

/** When the SMTP sink received each order's first mail (epoch ms, from its arrival-ordered id). */
async function mailTimes(emails: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const email of emails) {
    const res = await call<SinkMail[]>(`${SMTP_SINK}/api/messages?to=${encodeURIComponent(email)}`);
    for (const m of res.body) {
      const id = /order ([0-9a-f-]{36})/.exec(m.subject)?.[1];
      if (id && !out.has(id)) out.set(id, Number(m.id.split('-')[0]));
    }
  }
  return out;
}

const SMTP_SINK = 'http://127.0.0.1:1080';

/** order-service's `microshop_outbox_published_total{outbox="orders"}`. */
async function relayPublished(): Promise<number> {
  const res = await fetch(`${baseUrl('order-service')}/metrics`);
  const m = /^microshop_outbox_published_total\{[^}]*outbox="orders"[^}]*\} (\S+)$/m.exec(
    await res.text(),
  );
  return m ? Number(m[1]) : NaN;
}

/** `count` products with ample stock, created as admin, once order-service's replica knows them all. */
async function orderableProducts(auth: Auth, count: number, label: string): Promise<string[]> {
  const products = baseUrl('product-service');
  const orders = baseUrl('order-service');
  const admin = await auth.admin();
  const run = randomUUID().slice(0, 6).toUpperCase();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await call<{ id: string }>(`${products}/products`, {
      method: 'POST',
      token: admin,
      expect: [201],
      body: {
        sku: `BENCH-${label}${run}-${i}`,
        name: `Bench order product ${i}`,
        category: 'bench',
        priceCents: 500 + i,
        stock: 1_000_000,
      },
    });
    ids.push(res.body.id);
  }
  const known = async (id: string) =>
    (await call(`${orders}/catalog-products/${id}`, { token: admin, expect: [200, 404] }))
      .status === 200;
  await waitUntil(
    async () => (await Promise.all(ids.map(known))).every(Boolean),
    'order-service to learn the bench products',
    60_000,
  );
  return ids;
}

async function benchOrders(
  r: Results,
  auth: Auth,
): Promise<{ pids: Record<string, number>; place: () => Promise<unknown> } | undefined> {
  const products = baseUrl('product-service');
  const orders = baseUrl('order-service');
  const probe = await call<{ items: { id: string }[] }>(`${products}/products?limit=100`, {
    expect: [200, 404],
  });
  const rawPool = await openRawOrders(CFG.mysqlUrl);
  const pids = { ...appPids(), ...infraPids() };
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
  const ids = await orderableProducts(auth, 10, 'O');
  const customers: Customer[] = [];
  for (let i = 0; i < 8; i++) customers.push(await auth.customer());
  let n = 0;
  const place = () => {
    const customer = customers[n % customers.length];
    return call<{ id: string }>(`${orders}/orders`, {
      method: 'POST',
      token: customer.token,
      expect: [201],
      body: { items: [{ productId: ids[n++ % ids.length], quantity: 1 }] },
    });
  };

  log('orders: POST /orders saturation');
  const tap = await orderEventTap([
    'order.created',
    'stock.reserved',
    'order.confirmed',
    'order.rejected',
  ]);
  const e2e: E2eStep[] = [];
  let app: Measured;
  let flow: FlowSaturation;
  try {
    const placedIds: string[] = [];
    const t0 = performance.now();
    app = await profiled(
      r,
      ['order-service', 'product-service', 'notification-service'],
      'POST /orders saturation',
      (m) => m.load.ok,
      () =>
        measure(pids, () =>
          closedLoad(CFG.concurrency, CFG.saturationS, async () =>
            placedIds.push((await place()).body.id),
          ),
        ),
    );
    // The whole flow's saturation: how fast the saga settles what was placed at full speed.
    log(`orders: waiting for the saga to settle ${placedIds.length} orders`);
    const settled = (id: string) =>
      tap.seen.get('order.confirmed')!.get(id) ?? tap.seen.get('order.rejected')!.get(id);
    const watch = new ProcWatch(pids);
    await waitUntil(
      () => Promise.resolve(placedIds.every((id) => settled(id) !== undefined)),
      'the saturation orders to settle',
      CFG.settleS * 1000,
      100,
    ).catch(() => undefined);
    const times = placedIds.map(settled).filter((t): t is number => t !== undefined);
    flow = {
      placed: placedIds.length,
      settled: times.length,
      rate: Math.round((times.length / ((Math.max(...times) - t0) / 1000)) * 10) / 10,
      lastSettledAfterLoadMs: Math.round(Math.max(...times) - t0 - app.load.durationS * 1000),
      procs: watch.stop(),
    };
    log(`orders: flow saturation ${flow.rate}/s (${flow.settled}/${flow.placed} settled)`);

    log('orders: placed -> CONFIRMED -> mail sent (open model)');
    for (const f of CFG.fractions) {
      const rate = Math.max(1, Math.round(flow.rate * f));
      const placedAt = new Map<string, number>();
      const watch = new ProcWatch(pids);
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
      const procs = watch.stop();
      const confirmedIds = [...placedAt.keys()].filter((id) => confirmed.has(id));
      let mailed = new Map<string, number>();
      await waitUntil(
        async () => {
          mailed = await mailTimes(customers.map((c) => c.email));
          return confirmedIds.every((id) => mailed.has(id));
        },
        'the confirmation mails',
        30_000,
        500,
      ).catch(() => undefined);
      const epoch = (t: number) => performance.timeOrigin + t;
      const hop = (from: Map<string, number>, to: Map<string, number>) =>
        percentiles(
          confirmedIds
            .filter((id) => from.has(id) && to.has(id))
            .map((id) => to.get(id)! - from.get(id)!),
        );
      const created = tap.seen.get('order.created')!;
      const reserved = tap.seen.get('stock.reserved')!;
      const mailedAt = new Map(
        [...mailed].map(([id, t]) => [id, t - performance.timeOrigin] as [string, number]),
      );
      e2e.push({
        hops: {
          'placed → order.created (order-service relay)': hop(placedAt, created),
          'order.created → stock.reserved (product-service)': hop(created, reserved),
          'stock.reserved → order.confirmed (order-service)': hop(reserved, confirmed),
          'order.confirmed → mail received (notification-service)': hop(confirmed, mailedAt),
        },
        fraction: f,
        rate,
        placed,
        confirmed: percentiles(confirmedIds.map((id) => confirmed.get(id)! - placedAt.get(id)!)),
        mailed: percentiles(
          confirmedIds
            .filter((id) => mailed.has(id))
            .map((id) => mailed.get(id)! - epoch(placedAt.get(id)!)),
        ),
        rejected: [...placedAt.keys()].filter((id) => rejected.has(id)).length,
        unresolved: [...placedAt.keys()].filter((id) => !done(id)).length,
        procs,
      });
    }
  } finally {
    await tap.stop();
  }
  r.orders = { raw: rawOrders, app, flow, e2e };
  return { pids, place };
}

async function outboxCount(topic: string): Promise<number> {
  const [rows] = await ordersDb().query('SELECT COUNT(*) AS n FROM outbox WHERE topic = ?', [
    topic,
  ]);
  return Number((rows as { n: number }[])[0].n);
}

let ordersPool: ReturnType<typeof createPool> | undefined;
const ordersDb = () => (ordersPool ??= createPool({ uri: CFG.mysqlUrl, connectionLimit: 2 }));

/**
 * Store writes per order, by the stores' own counters: orders of 1 and of 3 lines placed one at a
 * time (each settled before the next, so no write serves two orders), less the background writes
 * measured idle beforehand. notification-service is stopped meanwhile: its mail records would
 * count on the same FerretDB as product-service's writes.
 */
async function benchStoreWrites(r: Results, auth: Auth, env: (app: AppName) => NodeJS.ProcessEnv) {
  const ids = await orderableProducts(auth, 3, 'W');
  const read = async () => ({
    mongo: await mongoWrites(CFG.mongoUri),
    mysql: await mysqlWrites(ordersDb()),
  });
  await stopApp('notification-service');
  const tap = await orderEventTap(['order.confirmed', 'order.rejected']);
  try {
    const idleFrom = await read();
    const idleAt = performance.now();
    await pause(CFG.storeIdleS * 1000);
    const idleSeconds = (performance.now() - idleAt) / 1000;
    const idleTo = await read();
    const idle = {
      mongo: ratePer(idleFrom.mongo, idleTo.mongo, idleSeconds),
      mysql: ratePer(idleFrom.mysql, idleTo.mysql, idleSeconds),
    };
    const settled = (id: string) =>
      tap.seen.get('order.confirmed')!.has(id) || tap.seen.get('order.rejected')!.has(id);
    const byLines: StoreWrites['byLines'] = [];
    for (const lines of [1, 3]) {
      log(`store writes: ${CFG.storeOrders} orders of ${lines} line(s), one at a time`);
      const customer = await auth.customer();
      const before = await read();
      const startedAt = performance.now();
      for (let i = 0; i < CFG.storeOrders; i++) {
        const res = await call<{ id: string }>(`${baseUrl('order-service')}/orders`, {
          method: 'POST',
          token: customer.token,
          expect: [201],
          body: { items: ids.slice(0, lines).map((productId) => ({ productId, quantity: 1 })) },
        });
        await waitUntil(
          () => Promise.resolve(settled(res.body.id)),
          'the order to settle',
          30_000,
          5,
        );
      }
      // What follows a decision (outbox acknowledgements, the 10 s sweep of stock marks) counts too.
      await pause(CFG.storeTrailS * 1000);
      const after = await read();
      const seconds = (performance.now() - startedAt) / 1000;
      byLines.push({
        lines,
        seconds: Math.round(seconds),
        mongo: netPer(
          before.mongo,
          after.mongo,
          { perSecond: idle.mongo, seconds },
          CFG.storeOrders,
        ),
        mysql: netPer(
          before.mysql,
          after.mysql,
          { perSecond: idle.mysql, seconds },
          CFG.storeOrders,
        ),
      });
    }
    r.storeWrites = {
      orders: CFG.storeOrders,
      idleSeconds: Math.round(idleSeconds),
      idle,
      byLines,
    };
  } finally {
    await tap.stop();
    startApp('notification-service', env('notification-service'));
    await waitHealthy('notification-service');
  }
}

/**
 * Stops Kafka, places orders for BENCH_BACKLOG_S (they pile up in order-service's outbox), starts
 * Kafka again and watches the outbox drain: the relay's publish rate with a real backlog.
 */
async function relayBacklog(
  r: Results,
  pids: Record<string, number>,
  place: () => Promise<unknown>,
): Promise<RelayBacklog | undefined> {
  infra('stop', 'kafka');
  let kafkaDown = true;
  try {
    const placedWhileDown = await closedLoad(CFG.concurrency, CFG.backlogS, () => place());
    const backlog = await outboxCount('order.created');
    const watch = new ProcWatch(pids);
    const published0 = await relayPublished();
    infra('start', 'kafka');
    kafkaDown = false;
    const back = performance.now();
    let first: { at: number; left: number; published: number } | undefined;
    let zeroAt = 0;
    let published1 = NaN;
    const deadline = back + 120_000;
    while (performance.now() < deadline) {
      const left = await outboxCount('order.created');
      const now = performance.now();
      if (!first && left < backlog) first = { at: now, left, published: await relayPublished() };
      if (left === 0) {
        zeroAt = now;
        published1 = await relayPublished();
        break;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    const procs = watch.stop();
    if (!first || !zeroAt) {
      r.notes.push(`The outbox backlog of ${backlog} order.created events did not drain in 120 s.`);
      return undefined;
    }
    const drainS = Math.max(0.001, (zeroAt - first.at) / 1000);
    return {
      backlog,
      placedWhileDown,
      resumeMs: Math.round(first.at - back),
      drainMs: Math.round(zeroAt - first.at),
      orderCreatedRate: Math.round(first.left / drainS),
      allEventsRate: Math.round((published1 - first.published) / drainS),
      allEvents: published1 - published0,
      procs,
    };
  } finally {
    if (kafkaDown) infra('start', 'kafka');
  }
}

async function main() {
  const date = new Date().toISOString().slice(0, 10);
  const r: Results = {
    date,
    config: CFG,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(),
    notes: [],
    peakRssMb: {},
    profiles: [],
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
    // A handful of bench customers place thousands of orders: the per-customer caps off.
    if (app === 'order-service') {
      Object.assign(e, {
        ORDER_MAX_PENDING_PER_CUSTOMER: '100000',
        ORDER_MAX_PER_CUSTOMER: '10000000',
      });
    }
    if (CFG.cpuProf) {
      mkdirSync(join(PROF_DIR, app), { recursive: true });
      e.NODE_OPTIONS = `--require ${join(__dirname, 'lib', 'profile-preload.js')}`;
      e.BENCH_PROF_DIR = join(PROF_DIR, app);
    }
    return e;
  };
  try {
    for (const app of APP_NAMES) {
      if (appPid(app)) throw new Error(`${app} is already running from this checkout`);
      if (await isHealthy(app)) throw new Error(`port ${APPS[app]} is taken by another process`);
    }
    for (const app of APP_NAMES) startApp(app, env(app));
    for (const [app, replica] of extraReplicas()) startApp(app, env(app), replica);
    await Promise.all(APP_NAMES.map((a) => waitHealthy(a)));
    await Promise.all(extraReplicas().map(([a, replica]) => waitHealthy(a, undefined, replica)));
    for (const app of APP_NAMES)
      if (!appPid(app))
        throw new Error(`${app} from this checkout died at start (.infra/logs/${app}.log)`);
    log('apps up', appPids());

    if (CFG.phases.has('products')) await benchProducts(r, auth);
    const ordering = CFG.phases.has('orders') ? await benchOrders(r, auth) : undefined;

    if (CFG.phases.has('kafka')) {
      log('kafka: raw publish rate and hop latency');
      const kafka = kafkaClient(CFG.brokers);
      const publish = await rawPublishRate(kafka, 20_000);
      const hopRate = Math.max(
        20,
        Math.round((r.orders?.e2e.find((e) => e.fraction === 0.5)?.rate ?? 50) * 1),
      );
      const hop = await rawHopLatency(kafka, hopRate, CFG.openS);
      r.kafka = { publish, hop };
    }

    if (CFG.phases.has('relay') && ordering && r.orders) {
      log('orders: outbox relay drain rate (orders placed while Kafka is stopped)');
      r.orders.relay = await relayBacklog(r, ordering.pids, ordering.place);
    }
    if (CFG.phases.has('store-writes')) await benchStoreWrites(r, auth, env);
  } finally {
    const pids = appPids();
    for (const [name, pid] of Object.entries(pids)) {
      try {
        r.peakRssMb[name] = Math.round(hwmMb(pid));
      } catch {
        /* gone */
      }
    }
    await closePools();
    await ordersPool?.end().catch(() => undefined);
    for (const app of APP_NAMES) {
      await stopApp(app).catch(async (e: Error) => {
        log(`stopping ${app}: ${e.message}; killing it`);
        r.notes.push(
          `${app} did not stop within 30 s of SIGTERM at the end of the run; it was killed.`,
        );
        await stopApp(app, 'SIGKILL').catch(() => undefined);
      });
    }
    for (const [app, replica] of extraReplicas()) {
      await stopApp(app, 'SIGTERM', replica).catch(() => stopApp(app, 'SIGKILL', replica));
    }
    for (const pid of Object.values(pids)) if (isAlive(pid)) log(`pid ${pid} still alive`);
  }
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  // <date>.md, or <date>-<hhmm>.md when that day already has a report.
  const stem = existsSync(join(out, `${date}.md`))
    ? `${date}-${new Date().toISOString().slice(11, 16).replace(':', '')}`
    : date;
  writeFileSync(join(out, `${stem}.json`), JSON.stringify(r, null, 2));
  writeReport(r, out, stem);
  log(`report: bench/results/${stem}.md`);
}

main().catch(async (e) => {
  console.error(e);
  for (const app of APP_NAMES) await stopApp(app).catch(() => undefined);
  process.exit(1);
});
