import { createHash } from 'node:crypto';
import * as argon2 from 'argon2';
import { mongo } from 'mongoose';
import {
  fromClient,
  JsonResponse,
  loginAsAdmin,
  newUser,
  request,
  Session,
} from '@microshop/testing';
import { baseUrl } from '../../../scripts/platform';

const users = baseUrl('user-service');
const notifications = baseUrl('notification-service');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('secrets at rest and on the wire', () => {
  let client: mongo.MongoClient;
  let db: mongo.Db;

  beforeAll(async () => {
    client = await new mongo.MongoClient('mongodb://127.0.0.1:27017').connect();
    db = client.db('microshop_users');
  });

  afterAll(() => client.close());

  const storedUser = (email: string) =>
    db.collection('users').findOne({ emailKey: email.toLowerCase() });

  it('stores the password as $argon2id$ with m ≥ 19 MiB, t ≥ 2, p = 1, and the email key lower-cased', async () => {
    const user = newUser({ email: `Mixed.Case-${Date.now()}@Example.com` });
    expect(
      (await request(users, 'POST', '/auth/register', { body: user, headers: fromClient() }))
        .status,
    ).toBe(201);
    const stored = await storedUser(user.email);
    expect(stored).not.toBeNull();
    expect(stored!.email).toBe(user.email);
    expect(stored!.emailKey).toBe(user.email.toLowerCase());
    const hash = stored!.passwordHash as string;
    const [, type, version, params] = hash.split('$');
    expect(type).toBe('argon2id');
    expect(version).toBe('v=19');
    const { m, t, p } = Object.fromEntries(params.split(',').map((kv) => kv.split('=')));
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(Number(p)).toBe(1);
    expect(await argon2.verify(hash, user.password)).toBe(true);
  });

  it('stores refresh tokens only as their SHA-256, in families', async () => {
    const user = newUser();
    await request(users, 'POST', '/auth/register', { body: user, headers: fromClient() });
    const login = await request<Session>(users, 'POST', '/auth/login', {
      body: { email: user.email, password: user.password },
      headers: fromClient(),
    });
    const { refreshToken } = login.body;
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const record = await db
      .collection('refresh_tokens')
      .findOne({ tokenHash: sha256(refreshToken) });
    expect(record).toMatchObject({ familyId: expect.any(String), expiresAt: expect.any(Date) });
    expect(JSON.stringify(record)).not.toContain(refreshToken);
  });

  it('never sends a password hash or refresh-token hash in any response', async () => {
    const admin = await loginAsAdmin();
    const user = newUser();
    const responses: JsonResponse[] = [];
    // Each call must get the answer it is made for, so every response body below is a real one.
    const call = async (
      expected: number,
      method: string,
      path: string,
      options: Parameters<typeof request>[3] = {},
      url = users,
    ) => {
      const res = await request(url, method, path, options);
      expect({ call: `${method} ${path}`, status: res.status }).toEqual({
        call: `${method} ${path}`,
        status: expected,
      });
      responses.push(res);
      return res;
    };

    const registered = await call(201, 'POST', '/auth/register', {
      body: user,
      headers: fromClient(),
    });
    await call(409, 'POST', '/auth/register', { body: user, headers: fromClient() });
    const hashAtRegistration = (await storedUser(user.email))!.passwordHash as string;
    await call(401, 'POST', '/auth/login', {
      body: { email: user.email, password: 'wrong password' },
      headers: fromClient(),
    });
    const login = await call(200, 'POST', '/auth/login', {
      body: { email: user.email, password: user.password },
      headers: fromClient(),
    });
    const first = login.body as Session;
    const second = (
      await call(200, 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } })
    ).body as Session;
    await call(401, 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } }); // reuse
    const id = (registered.body as { id: string }).id;
    const token = second.accessToken;
    await call(200, 'GET', '/users/me', { token });
    await call(200, 'PATCH', '/users/me', { token, body: { name: 'Renamed' } });
    await call(200, 'PATCH', '/users/me', {
      token,
      body: { password: `${user.password}-2`, currentPassword: user.password },
    });
    await call(200, 'GET', `/users/${id}`, { token: admin.accessToken });
    await call(200, 'GET', '/users?limit=100', { token: admin.accessToken });
    await call(200, 'PATCH', `/users/${id}/roles`, {
      token: admin.accessToken,
      body: { roles: ['customer'] },
    });
    await call(200, 'GET', '/.well-known/jwks.json');
    await call(200, 'GET', '/notifications?limit=100', { token: admin.accessToken }, notifications);
    await call(204, 'POST', '/auth/logout', { body: { refreshToken: second.refreshToken } });

    const stored = await storedUser(user.email);
    const tokenHashes = [first.refreshToken, second.refreshToken].map(sha256);
    const forbidden = [
      'passwordHash',
      '$argon2',
      'tokenHash',
      'outbox',
      hashAtRegistration,
      stored!.passwordHash as string,
      ...tokenHashes,
    ];
    for (const res of responses) {
      const text = JSON.stringify(res.body ?? '');
      for (const secret of forbidden) expect(text).not.toContain(secret);
    }
  });

  it('publishes only the public part of the signing key', async () => {
    const res = await request(users, 'GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age');
    expect(res.body.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: expect.any(String),
        alg: 'ES256',
        use: 'sig',
      },
    ]);
  });
});
