import { forgedTokens, loginAsAdmin, registerAndLogin, TestAccount } from '@microshop/testing';
import { answer, bearer, notificationApi, orderApi, productApi, userApi } from './support/api';

type HeaderMap = Record<string, string>;

/** A protected route, called through its service's generated client, and what a caller allowed on it gets. */
interface Route {
  name: string;
  call: (ctx: Context, headers: HeaderMap) => Promise<{ response: Response }>;
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

const NO_ORDER = '00000000-0000-4000-8000-000000000000';
const order = { params: { path: { id: NO_ORDER } } };

const SIGNED_IN_ROUTES: Route[] = [
  {
    name: 'user-service GET /users/me',
    call: (_, headers) => userApi.GET('/users/me', { headers }),
    ok: 200,
  },
  {
    name: 'user-service PATCH /users/me',
    call: (_, headers) => userApi.PATCH('/users/me', { body: { name: 'Still Me' }, headers }),
    ok: 200,
  },
  {
    name: 'order-service GET /orders',
    call: (_, headers) => orderApi.GET('/orders', { headers }),
    ok: 200,
  },
  {
    name: 'order-service POST /orders',
    call: (_, headers) => orderApi.POST('/orders', { body: { items: [] }, headers }),
    ok: 400,
  },
  {
    name: 'order-service GET /orders/:id',
    call: (_, headers) => orderApi.GET('/orders/{id}', { ...order, headers }),
    ok: 404,
  },
  {
    name: 'order-service POST /orders/:id/cancel',
    call: (_, headers) => orderApi.POST('/orders/{id}/cancel', { ...order, headers }),
    ok: 404,
  },
  {
    name: 'order-service GET /orders/:id/history',
    call: (_, headers) => orderApi.GET('/orders/{id}/history', { ...order, headers }),
    ok: 404,
  },
];

const target = (ctx: Context) => ({ params: { path: { id: ctx.target.id } } });

const NO_SUCH_PRODUCT = '0000000000000000deadbeef';

const ADMIN_ROUTES: Route[] = [
  {
    name: 'user-service GET /users',
    call: (_, headers) => userApi.GET('/users', { headers }),
    ok: 200,
  },
  {
    name: 'user-service GET /users/:id',
    call: (ctx, headers) => userApi.GET('/users/{id}', { ...target(ctx), headers }),
    ok: 200,
  },
  {
    name: 'user-service PATCH /users/:id/roles',
    call: (ctx, headers) =>
      userApi.PATCH('/users/{id}/roles', {
        ...target(ctx),
        body: { roles: ['customer'] },
        headers,
      }),
    ok: 200,
  },
  // A product that does not exist: the guard answers before the route, an admin gets its 404.
  {
    name: 'product-service PATCH /products/:id',
    call: (_, headers) =>
      productApi.PATCH('/products/{id}', {
        params: { path: { id: NO_SUCH_PRODUCT } },
        body: { name: 'Renamed' },
        headers,
      }),
    ok: 404,
  },
  {
    name: 'product-service DELETE /products/:id',
    call: (_, headers) =>
      productApi.DELETE('/products/{id}', { params: { path: { id: NO_SUCH_PRODUCT } }, headers }),
    ok: 404,
  },
  {
    name: 'notification-service GET /notifications',
    call: (_, headers) => notificationApi.GET('/notifications', { headers }),
    ok: 200,
  },
  {
    name: 'order-service GET /orders?userId',
    call: (ctx, headers) =>
      orderApi.GET('/orders', { params: { query: { userId: ctx.target.id } }, headers }),
    ok: 200,
  },
  {
    name: 'order-service GET /catalog-products/:productId',
    call: (_, headers) =>
      orderApi.GET('/catalog-products/{productId}', {
        params: { path: { productId: 'no-such-product' } },
        headers,
      }),
    ok: 404,
  },
  // Last: it deletes the target.
  {
    name: 'user-service DELETE /users/:id',
    call: (ctx, headers) => userApi.DELETE('/users/{id}', { ...target(ctx), headers }),
    ok: 204,
  },
];

const PROTECTED = [...SIGNED_IN_ROUTES, ...ADMIN_ROUTES];
const name = (r: Route) => r.name;

const call = (route: Route, ctx: Context, headers: HeaderMap = {}) =>
  answer(route.call(ctx, headers));

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
