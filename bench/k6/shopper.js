/**
 * k6 shopper journey against any MicroShop deployment: register, log in, browse, search, order,
 * check the order's status until the saga settles it.
 *
 *   k6 run bench/k6/shopper.js
 *   USER_URL=https://api.example.com PRODUCT_URL=... ORDER_URL=... RATE=5 DURATION=1m k6 run bench/k6/shopper.js
 *
 * Environment: BASE_URL (one gateway for all services) or USER_URL / PRODUCT_URL / ORDER_URL;
 * RATE (journeys started per second, open model; default 2), DURATION (default 30s),
 * MAX_VUS (default 50), SEARCH (search word, default "lamp").
 *
 * Sign-ins are real (POST /auth/register, then /auth/login) and user-service throttles them per
 * client address (AUTH_THROTTLE_PER_IP, 100 a minute by default). Each virtual shopper therefore
 * sends its own address in X-Forwarded-For, from the 198.18.0.0/15 benchmarking range, as real
 * shoppers come from many addresses; user-service believes it only from a trusted proxy
 * (TRUST_PROXY: loopback as the local platform scripts start it, one hop in the chart, so a local
 * run and the in-cluster Job qualify). Set FORWARDED_FOR=0 to send none (then keep RATE under ~0.8 journeys per second or
 * raise AUTH_THROTTLE_PER_IP for the test).
 */
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { Trend, Rate } from 'k6/metrics';

const base = __ENV.BASE_URL;
const USER_URL = __ENV.USER_URL || base || 'http://127.0.0.1:4000';
const PRODUCT_URL = __ENV.PRODUCT_URL || base || 'http://127.0.0.1:8000';
const ORDER_URL = __ENV.ORDER_URL || base || 'http://127.0.0.1:3000';
const SEARCH = __ENV.SEARCH || 'lamp';
const FORWARDED_FOR = __ENV.FORWARDED_FOR !== '0';

const orderSettled = new Trend('order_settled_ms', true);
const orderConfirmed = new Rate('order_confirmed');

export const options = {
  scenarios: {
    shoppers: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 2),
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 10,
      maxVUs: Number(__ENV.MAX_VUS || 50),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:browse}': ['p(99)<500'],
    'http_req_duration{name:product}': ['p(99)<300'],
    'http_req_duration{name:search}': ['p(99)<1000'],
    'http_req_duration{name:order}': ['p(99)<800'],
    'http_req_duration{name:login}': ['p(99)<1500'],
    order_settled_ms: ['p(99)<5000'],
    order_confirmed: ['rate>0.95'],
    checks: ['rate>0.99'],
  },
};

/** This virtual shopper's own client address (198.18.0.0/15 is reserved for benchmarks). */
const shopperAddress = () => `198.18.${(__VU >> 8) & 255}.${__VU & 255}`;

const json = (body, token) => ({
  headers: Object.assign(
    { 'content-type': 'application/json' },
    token ? { authorization: `Bearer ${token}` } : {},
    FORWARDED_FOR ? { 'x-forwarded-for': shopperAddress() } : {},
  ),
});

export default function () {
  const email = `k6-${__VU}-${__ITER}-${Date.now()}@example.com`;
  const password = 'k6-password-123';

  const reg = http.post(
    `${USER_URL}/auth/register`,
    JSON.stringify({ email, password, name: 'K6 Shopper' }),
    Object.assign(json(), { tags: { name: 'register' } }),
  );
  check(reg, { 'registered (201)': (r) => r.status === 201 }) || fail(`register: ${reg.status}`);

  const login = http.post(
    `${USER_URL}/auth/login`,
    JSON.stringify({ email, password }),
    Object.assign(json(), { tags: { name: 'login' } }),
  );
  check(login, { 'logged in (200)': (r) => r.status === 200 }) || fail(`login: ${login.status}`);
  const token = login.json('accessToken');

  const page = http.get(`${PRODUCT_URL}/products?limit=20`, { tags: { name: 'browse' } });
  check(page, { 'browsed (200)': (r) => r.status === 200 });
  const items = page.json('items') || [];
  if (!items.length) fail('the catalog is empty');
  const next = page.json('nextCursor');
  if (next)
    http.get(`${PRODUCT_URL}/products?limit=20&cursor=${encodeURIComponent(next)}`, {
      tags: { name: 'browse' },
    });

  const found = http.get(`${PRODUCT_URL}/products?q=${encodeURIComponent(SEARCH)}&limit=10`, {
    tags: { name: 'search' },
  });
  check(found, { 'searched (200)': (r) => r.status === 200 });

  const inStock = items.filter((p) => p.stock > 0);
  const pick = (inStock.length ? inStock : items)[
    Math.floor(Math.random() * (inStock.length || items.length))
  ];
  const product = http.get(`${PRODUCT_URL}/products/${pick.id}`, { tags: { name: 'product' } });
  check(product, { 'product (200)': (r) => r.status === 200 });

  sleep(0.5);
  const placedAt = Date.now();
  const order = http.post(
    `${ORDER_URL}/orders`,
    JSON.stringify({ items: [{ productId: pick.id, quantity: 1 }] }),
    Object.assign(json(null, token), { tags: { name: 'order' } }),
  );
  check(order, {
    'ordered (201 PENDING)': (r) => r.status === 201 && r.json('status') === 'PENDING',
  }) || fail(`order: ${order.status} ${order.body}`);
  const id = order.json('id');

  let status = 'PENDING';
  for (let i = 0; i < 40 && status === 'PENDING'; i++) {
    sleep(0.25);
    const r = http.get(
      `${ORDER_URL}/orders/${id}`,
      Object.assign(json(null, token), { tags: { name: 'status' } }),
    );
    if (r.status === 200) status = r.json('status');
  }
  orderSettled.add(Date.now() - placedAt);
  orderConfirmed.add(status === 'CONFIRMED');
  check(status, { 'order settled': (s) => s !== 'PENDING' });
}
