import { randomInt } from 'node:crypto';
import { newUser } from './factories';
import { request } from './http';

/** user-service as the e2e platform runs it. */
export const USER_SERVICE_URL = 'http://127.0.0.1:4000';

/** The admin account user-service ensures at boot with its development defaults. */
export const DEV_ADMIN = { email: 'admin@microshop.local', password: 'microshop-admin-dev' };

/**
 * A made-up client address (198.18.0.0/15, reserved for benchmarks) for `X-Forwarded-For`, which
 * user-service believes from loopback. Sign-in and registration are throttled per client address;
 * giving each simulated shopper an address of their own, as real shoppers have, keeps whole
 * suites from sharing 127.0.0.1's budget.
 */
export const clientAddress = () =>
  `198.${18 + randomInt(2)}.${randomInt(256)}.${randomInt(1, 255)}`;

export const fromClient = (address = clientAddress()) => ({ 'x-forwarded-for': address });

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

interface Profile {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

export interface TestAccount extends Session {
  id: string;
  email: string;
  name: string;
  password: string;
  roles: string[];
}

const fail = (what: string, res: { status: number; body: unknown }) =>
  new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);

/** Signs in; throws unless user-service answers 200. */
export async function login(email: string, password: string): Promise<Session> {
  const res = await request<Session>(USER_SERVICE_URL, 'POST', '/auth/login', {
    body: { email, password },
    headers: fromClient(),
  });
  if (res.status !== 200) throw fail(`POST /auth/login as ${email}`, res);
  return res.body;
}

let admin: Promise<TestAccount> | undefined;

/** The development admin, signed in once per test file. */
export function loginAsAdmin(): Promise<TestAccount> {
  admin ??= (async () => {
    const session = await login(DEV_ADMIN.email, DEV_ADMIN.password);
    const me = await request<Profile>(USER_SERVICE_URL, 'GET', '/users/me', {
      token: session.accessToken,
    });
    if (me.status !== 200) throw fail('GET /users/me as the admin', me);
    return { ...DEV_ADMIN, ...session, id: me.body.id, name: me.body.name, roles: me.body.roles };
  })();
  void admin.catch(() => (admin = undefined));
  return admin;
}

/**
 * A new account, signed in. `roles: ['admin']` (or any other set) has the development admin
 * grant them before the sign-in, so the access token carries them.
 */
export async function registerAndLogin(
  overrides: Partial<{ email: string; password: string; name: string; roles: string[] }> = {},
): Promise<TestAccount> {
  const { roles, ...registration } = overrides;
  const user = newUser(registration);
  const res = await request<Profile>(USER_SERVICE_URL, 'POST', '/auth/register', {
    body: user,
    headers: fromClient(),
  });
  if (res.status !== 201) throw fail(`POST /auth/register for ${user.email}`, res);
  const id = res.body.id;
  if (roles) {
    const { accessToken } = await loginAsAdmin();
    const granted = await request(USER_SERVICE_URL, 'PATCH', `/users/${id}/roles`, {
      body: { roles },
      token: accessToken,
    });
    if (granted.status !== 200) throw fail(`PATCH /users/${id}/roles`, granted);
  }
  const session = await login(user.email, user.password);
  return { ...user, ...session, id, roles: roles ?? res.body.roles };
}
