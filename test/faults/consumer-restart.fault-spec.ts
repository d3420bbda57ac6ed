import { STALL_MS } from '@microshop/events';
import { mailsTo, purgeProducts, request, waitFor, waitForGroupStable } from '@microshop/testing';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppName, baseUrl, infra, LOG_DIR } from '../../scripts/platform';
import {
  adminToken,
  createProduct,
  newCustomer,
  ORDER_SPECS_CATEGORY,
  placeOrder,
  waitForStatus,
} from '../support/shop';
import { register } from './support';

const CONSUMERS: AppName[] = ['product-service', 'order-service', 'notification-service'];
const OUTAGES = 2;
/**
 * kafkajs gives up on the group coordinator after its retries (~30 s with KAFKA_RETRIES 8); a
 * consumer that goes silent instead is restarted by its supervisor after STALL_MS.
 */
const CRASH_TIMEOUT_MS = STALL_MS + 60_000;

const logFile = (app: AppName) => join(LOG_DIR, `${app}.log`);
const logSize = (app: AppName) => statSync(logFile(app)).size;
const logSince = (app: AppName, offset: number) =>
  readFileSync(logFile(app)).subarray(offset).toString('utf8');

/** Waits until `app` logs `text` after byte `offset` of its log; a timeout shows what it logged. */
async function waitForLog(
  app: AppName,
  offset: number,
  text: string,
  what: string,
  timeoutMs: number,
) {
  try {
    await waitFor(
      () => Promise.resolve(logSince(app, offset).includes(text)),
      (logged) => logged,
      { what, timeoutMs },
    );
  } catch (err) {
    const tail = logSince(app, offset).split('\n').slice(-40).join('\n');
    throw new Error(`${(err as Error).message}\n${app} logged meanwhile (last 40 lines):\n${tail}`);
  }
}

describe('Kafka consumers that crash while the broker is away', () => {
  afterAll(async () => {
    infra('start', 'kafka');
    await purgeProducts([ORDER_SPECS_CATEGORY]);
  });

  it('are restarted by their app every time, and deliver what was produced meanwhile', async () => {
    const admin = await adminToken();
    const product = await createProduct(admin, { stock: 10 });
    const customer = await newCustomer();
    const placed: string[] = [];
    const registered: string[] = [];

    for (let outage = 1; outage <= OUTAGES; outage++) {
      const logStart = Object.fromEntries(CONSUMERS.map((app) => [app, logSize(app)]));
      infra('stop', 'kafka');
      // Writes go to the outboxes while Kafka is away; the relays publish them once it is back.
      registered.push((await register()).email);
      const order = await placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
      expect(order.status).toBe(201);
      placed.push((order.body as { id: string }).id);

      // Every consumer loses its group coordinator and crashes (kafkajs would not restart it).
      for (const app of CONSUMERS) {
        const what = `${app}'s consumer to crash in outage ${outage}`;
        await waitForLog(app, logStart[app], 'Kafka consumer crashed', what, CRASH_TIMEOUT_MS);
      }
      infra('start', 'kafka');
      for (const app of CONSUMERS) {
        const what = `${app}'s consumer to restart after outage ${outage}`;
        await waitForLog(app, logStart[app], 'Kafka consumer restarted', what, 120_000);
      }
      // The next outage begins at once, while the groups are still joining and syncing.
    }
    for (const app of CONSUMERS) await waitForGroupStable(app);

    for (const id of placed) await waitForStatus(customer.token, id, 'CONFIRMED');
    for (const email of registered) {
      await waitFor(
        () => mailsTo(email),
        (mails) => mails.length === 1,
        { what: `the welcome mail to ${email}`, timeoutMs: 120_000 },
      );
    }
    for (const id of placed) {
      await waitFor(
        () => mailsTo(customer.email),
        (mails) => mails.some((m) => m.subject.includes(id)),
        { what: `the confirmation mail of order ${id}`, timeoutMs: 120_000 },
      );
    }
    for (const app of CONSUMERS) {
      expect((await request(baseUrl(app), 'GET', '/health/live')).status).toBe(200);
    }
  });
});
