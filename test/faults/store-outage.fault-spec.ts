import { holdsFor, newProduct, purgeProducts, request, waitFor } from '@microshop/testing';
import {
  AppName,
  appPid,
  baseUrl,
  infra,
  isHealthy,
  startApp,
  stopApp,
  waitHealthy,
  waitUntil,
} from '../../scripts/platform';
import {
  adminToken,
  createProduct,
  newCustomer,
  ORDER_SPECS_CATEGORY,
  placeOrder,
  waitForStatus,
} from '../support/shop';

/** Each app and the readiness check of its store. */
const STORES: Record<AppName, 'mongodb' | 'mysql'> = {
  'user-service': 'mongodb',
  'product-service': 'mongodb',
  'notification-service': 'mongodb',
  'order-service': 'mysql',
};
const APPS = Object.keys(STORES) as AppName[];

describe('apps started while their stores (FerretDB, MariaDB) are down', () => {
  afterAll(async () => {
    infra('start', 'ferretdb');
    infra('start', 'mariadb');
    for (const app of APPS) {
      if (appPid(app) === null || !(await isHealthy(app))) {
        await stopApp(app);
        startApp(app);
      }
    }
    await Promise.all(APPS.map((app) => waitHealthy(app)));
    await purgeProducts([ORDER_SPECS_CATEGORY]);
  });

  it('boot with liveness 200 and readiness 503 naming the store, then recover by themselves', async () => {
    const admin = await adminToken();
    const product = await createProduct(admin, { stock: 5 });
    const customer = await newCustomer();

    await Promise.all(APPS.map((app) => stopApp(app)));
    infra('stop', 'ferretdb');
    infra('stop', 'mariadb');
    APPS.forEach((app) => startApp(app));
    await Promise.all(
      APPS.map((app) =>
        waitUntil(
          async () =>
            (await request(baseUrl(app), 'GET', '/health/live').catch(() => null))?.status === 200,
          `${app} liveness`,
        ),
      ),
    );

    // Long enough for every first connection attempt to time out: the apps stay up regardless.
    const probe = () =>
      Promise.all(
        APPS.map(async (app) => ({
          live: (await request(baseUrl(app), 'GET', '/health/live')).status,
          ready: await request(baseUrl(app), 'GET', '/health/ready'),
        })),
      );
    const [health, create] = await Promise.all([
      holdsFor(
        probe,
        (h) =>
          h.every(
            ({ live, ready }, i) =>
              live === 200 &&
              ready.status === 503 &&
              ready.body.error?.[STORES[APPS[i]]]?.status === 'down',
          ),
        { what: 'liveness 200 and readiness 503 while the stores are down', windowMs: 15_000 },
      ),
      request(baseUrl('product-service'), 'POST', '/products', {
        token: admin,
        body: newProduct({ category: ORDER_SPECS_CATEGORY }),
      }),
    ]);
    console.log(
      `stores down at boot, for 15 s: ${APPS.map((app, i) => `${app} live ${health[i].live}, ready ${health[i].ready.status} (${STORES[app]} down)`).join('; ')}; ` +
        `creating a product meanwhile answered ${create.status}`,
    );
    expect(create.status).toBe(503);

    infra('start', 'ferretdb');
    infra('start', 'mariadb');
    const started = Date.now();
    await Promise.all(
      APPS.map((app) =>
        waitFor(
          () => request(baseUrl(app), 'GET', '/health/ready'),
          (r) => r.status === 200,
          { what: `${app} readiness after the stores return`, timeoutMs: 60_000 },
        ),
      ),
    );
    // The order saga works again end to end: order-service's consumer started once MySQL was there.
    const placed = await placeOrder(customer.token, [{ productId: product.id, quantity: 1 }]);
    expect(placed.status).toBe(201);
    await waitForStatus(customer.token, placed.body.id, 'CONFIRMED');
    console.log(
      `all four ready ${Date.now() - started} ms after the stores returned; an order placed then was CONFIRMED`,
    );
  });
});
