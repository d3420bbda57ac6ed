import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mongo } from 'mongoose';
import { clientAddress, loginAsAdmin, newUser, request, waitFor } from '@microshop/testing';
import { baseUrl, stopProcess } from '../../../scripts/platform';
import { startReplica, waitForReplica } from './replica';

const users = baseUrl('user-service');

const login = (url: string, client: string, email: string, password: string) =>
  request(url, 'POST', '/auth/login', {
    body: { email, password },
    headers: { 'x-forwarded-for': client },
  });

const register = (url: string, client: string, body: unknown) =>
  request(url, 'POST', '/auth/register', { body, headers: { 'x-forwarded-for': client } });

const expectThrottled = (res: { status: number; headers: Headers; body: unknown }) => {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    message: 'Too many attempts; try again later',
  });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(120);
};

/** The limits' window as the platform runs user-service (AUTH_THROTTLE_WINDOW_SECONDS). */
const WINDOW_MS = 60_000;

/**
 * Resolves at once when the current throttle window has `neededMs` left, else at the next
 * window's start: the windows are fixed to the epoch, and a count spread over two of them is
 * weighed down (sliding-window estimate), so a test that counts exactly to the limit keeps within one.
 */
const withinOneWindow = async (neededMs = 30_000) => {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

describe('throttling of sign-in and registration', () => {
  beforeEach(() => withinOneWindow());

  it('allows 10 sign-in attempts a minute per client and email, then answers 429', async () => {
    const user = newUser();
    const client = clientAddress();
    expect((await register(users, client, user)).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      expect((await login(users, client, user.email, 'wrong password')).status).toBe(401);
    }
    expectThrottled(await login(users, client, user.email, 'wrong password'));
    // Now even the right password waits: guessing on is pointless.
    expectThrottled(await login(users, client, user.email.toUpperCase(), user.password));
    // The account is not locked for everybody else.
    expect((await login(users, clientAddress(), user.email, user.password)).status).toBe(200);
  });

  it('allows 100 attempts a minute per client across login and register, then answers 429', async () => {
    const client = clientAddress();
    for (let i = 0; i < 100; i++) {
      const res = await register(users, client, { ...newUser(), password: 'short' });
      expect(res.status).toBe(400);
    }
    expectThrottled(await register(users, client, newUser()));
    expectThrottled(await login(users, client, newUser().email, 'whatever password'));
    expect((await register(users, clientAddress(), newUser())).status).toBe(201);
  });

  it('allows 30 sign-in attempts a minute on one account from all addresses together', async () => {
    const user = newUser();
    expect((await register(users, clientAddress(), user)).status).toBe(201);
    // A new X-Forwarded-For each time, as a client would forge it behind a proxy that passes it on;
    // with the registration, 30 attempts on the account.
    for (let i = 0; i < 29; i++) {
      expect((await login(users, clientAddress(), user.email, 'wrong password')).status).toBe(401);
    }
    expectThrottled(await login(users, clientAddress(), user.email, 'wrong password'));
    expectThrottled(await login(users, clientAddress(), user.email, user.password));
  });

  it('allows 10 current-password checks a minute on PATCH /users/me, then answers 429', async () => {
    const user = newUser();
    const client = clientAddress();
    expect((await register(users, client, user)).status).toBe(201);
    const { accessToken } = (await login(users, client, user.email, user.password)).body as {
      accessToken: string;
    };
    const changePassword = (currentPassword: string) =>
      request(users, 'PATCH', '/users/me', {
        token: accessToken,
        body: { password: 'a brand new password', currentPassword },
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < 10; i++) expect((await changePassword('a guess')).status).toBe(401);
    expectThrottled(await changePassword('a guess'));
    expectThrottled(await changePassword(user.password));
    // Nothing changed: the old password still signs in.
    expect((await login(users, clientAddress(), user.email, user.password)).status).toBe(200);
  });

  it('by default believes no X-Forwarded-For: a client cannot pick its own address', async () => {
    const port = 4105;
    // TRUST_PROXY as it defaults, and a low per-address limit, so that the test spends little of
    // 127.0.0.1's budget (counters are shared by every replica).
    const replica = startReplica(port, { TRUST_PROXY: 'false', AUTH_THROTTLE_PER_IP: '5' });
    try {
      await waitForReplica(port);
      const url = `http://127.0.0.1:${port}`;
      // Each attempt names another address; all count on 127.0.0.1, which other tests may have
      // spent some of already: a 429 comes within 6 attempts at the latest.
      const statuses: number[] = [];
      for (let i = 0; i < 6 && !statuses.includes(429); i++) {
        const res = await register(url, clientAddress(), { ...newUser(), password: 'short' });
        statuses.push(res.status);
        if (res.status === 429) expectThrottled(res);
      }
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.slice(0, -1).every((status) => status === 400)).toBe(true);
    } finally {
      await stopProcess(replica);
    }
  });

  describe('with three replicas', () => {
    const ports = [4101, 4102];
    const admin = {
      email: `admin-${randomUUID().slice(0, 8)}@example.com`,
      password: randomUUID(),
    };
    let replicas: ChildProcess[] = [];

    beforeAll(async () => {
      // Both start at once, each ensuring the same new admin account.
      replicas = ports.map((port) =>
        startReplica(port, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password }),
      );
      for (const port of ports) await waitForReplica(port);
    });

    afterAll(async () => {
      await Promise.all(replicas.map((replica) => stopProcess(replica)));
      // The extra admin account has served its purpose.
      const { accessToken } = await loginAsAdmin();
      const res = await login(users, clientAddress(), admin.email, admin.password);
      const me = await request(users, 'GET', '/users/me', { token: res.body.accessToken });
      await request(users, 'DELETE', `/users/${me.body.id}`, { token: accessToken });
    });

    it('shares one limit between them', async () => {
      const urls = [users, ...ports.map((port) => `http://127.0.0.1:${port}`)];
      const user = newUser();
      const client = clientAddress();
      expect((await register(urls[1], client, user)).status).toBe(201);
      for (let i = 0; i < 10; i++) {
        const res = await login(urls[i % 3], client, user.email, 'wrong password');
        expect(res.status).toBe(401);
      }
      for (const url of urls) expectThrottled(await login(url, client, user.email, user.password));
    });

    it('ensured the admin account exactly once, and it signs in as admin', async () => {
      // Each replica ensures it in the background once it has booted.
      const res = await waitFor(
        () => login(users, clientAddress(), admin.email, admin.password),
        (r) => r.status === 200,
        { what: `a sign-in as ${admin.email}` },
      );
      const client = await new mongo.MongoClient('mongodb://127.0.0.1:27017').connect();
      try {
        const accounts = await client
          .db('microshop_users')
          .collection('users')
          .find({ emailKey: admin.email })
          .toArray();
        expect(accounts).toHaveLength(1);
        expect(accounts[0].roles).toEqual(['admin']);
      } finally {
        await client.close();
      }
      const me = await request(users, 'GET', '/users', { token: res.body.accessToken });
      expect(me.status).toBe(200);
    });

    it('signs with the one development key every replica shares', async () => {
      const jwks = await Promise.all(
        [users, `http://127.0.0.1:${ports[0]}`].map(
          async (url) => (await request<unknown>(url, 'GET', '/.well-known/jwks.json')).body,
        ),
      );
      expect(jwks[1]).toEqual(jwks[0]);
    });
  });
});
