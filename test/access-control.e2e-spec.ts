import {
  forgedTokens,
  loginAsAdmin,
  registerAndLogin,
  request,
  TestAccount,
} from '@microshop/testing';
import { AppName, baseUrl } from '../scripts/platform';

/** A protected route, and what a caller allowed on it gets. */
interface Route {
  app: AppName;
  method: string;
  /** `:target` stands for the id of an account admin routes may act on. */
  path: string;
  body?: (ctx: Context) => unknown;
  /**
   * What someone allowed gets: success, or a failure that only the handler behind the guard can
   * give (a validation error, an unknown id).
   */
  ok: number;
}

interface Context {
  admin: TestAccount;
  customer: TestAccount;
  /** A customer account the admin routes may act on (and delete). */
  target: TestAccount;
}

const SIGNED_IN_ROUTES: Route[] = [
  { app: 'user-service', method: 'GET', path: '/users/me', ok: 200 },
  {
    app: 'user-service',
    method: 'PATCH',
    path: '/users/me',
    body: () => ({ name: 'Still Me' }),
    ok: 200,
  },
  { app: 'order-service', method: 'GET', path: '/orders', ok: 200 },
  { app: 'order-service', method: 'POST', path: '/orders', body: () => ({ items: [] }), ok: 400 },
  {
    app: 'order-service',
    method: 'GET',
    path: '/orders/00000000-0000-4000-8000-000000000000',
    ok: 404,
  },
  {
    app: 'order-service',
    method: 'POST',
    path: '/orders/00000000-0000-4000-8000-000000000000/cancel',
    ok: 404,
  },
  {
    app: 'order-service',
    method: 'GET',
    path: '/orders/00000000-0000-4000-8000-000000000000/history',
    ok: 404,
  },
];

const ADMIN_ROUTES: Route[] = [
  { app: 'user-service', method: 'GET', path: '/users', ok: 200 },
  { app: 'user-service', method: 'GET', path: '/users/:target', ok: 200 },
  {
    app: 'user-service',
    method: 'PATCH',
    path: '/users/:target/roles',
    body: () => ({ roles: ['customer'] }),
    ok: 200,
  },
  { app: 'notification-service', method: 'GET', path: '/notifications', ok: 200 },
  { app: 'order-service', method: 'GET', path: '/orders?userId=:target', ok: 200 },
  { app: 'order-service', method: 'GET', path: '/catalog-products/no-such-product', ok: 404 },
  // Last: it deletes the target.
  { app: 'user-service', method: 'DELETE', path: '/users/:target', ok: 204 },
];

const PROTECTED = [...SIGNED_IN_ROUTES, ...ADMIN_ROUTES];
const name = (r: Route) => `${r.app} ${r.method} ${r.path}`;

const call = (route: Route, ctx: Context, headers: Record<string, string> = {}) =>
  request(baseUrl(route.app), route.method, route.path.replace(':target', ctx.target.id), {
    body: route.body?.(ctx),
    headers,
  });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('access tokens on every service', () => {
  const ctx = {} as Context;
  let forged: [string, string][];

  beforeAll(async () => {
    ctx.admin = await loginAsAdmin();
    ctx.customer = await registerAndLogin();
    ctx.target = await registerAndLogin();
    forged = await forgedTokens({
      sub: ctx.admin.id,
      email: ctx.admin.email,
      roles: ['admin'],
    });
  });

  describe.each(PROTECTED.map((r) => [name(r), r] as const))('%s', (_, route) => {
    it('answers 401 without a token, or with another scheme', async () => {
      for (const headers of [{}, { authorization: `Basic ${btoa('admin:admin')}` }, bearer('')]) {
        const res = await call(route, ctx, headers);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    });

    it('answers 401 to every forged or stale token claiming admin', async () => {
      expect(forged.length).toBeGreaterThanOrEqual(10);
      for (const [variant, token] of forged) {
        const res = await call(route, ctx, bearer(token));
        expect({ variant, status: res.status }).toEqual({ variant, status: 401 });
      }
    });

    it('sends security headers (helmet), also on errors', async () => {
      const res = await call(route, ctx);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    });
  });

  it.each(SIGNED_IN_ROUTES.map((r) => [name(r), r] as const))(
    '%s lets a customer through',
    async (_, route) => {
      expect((await call(route, ctx, bearer(ctx.customer.accessToken))).status).toBe(route.ok);
    },
  );

  it.each(ADMIN_ROUTES.map((r) => [name(r), r] as const))(
    '%s answers 403 to a customer',
    async (_, route) => {
      const res = await call(route, ctx, bearer(ctx.customer.accessToken));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: expect.any(String),
      });
    },
  );

  it.each(ADMIN_ROUTES.map((r) => [name(r), r] as const))(
    '%s lets an admin through',
    async (_, route) => {
      expect((await call(route, ctx, bearer(ctx.admin.accessToken))).status).toBe(route.ok);
    },
  );
});
