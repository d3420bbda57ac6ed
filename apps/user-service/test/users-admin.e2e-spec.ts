import { TOPICS } from '@microshop/events';
import {
  endOffsets,
  fromClient,
  loginAsAdmin,
  newUser,
  readMessages,
  registerAndLogin,
  request,
  Session,
  TestAccount,
  QUIET_WINDOW_MS,
} from '@microshop/testing';
import { baseUrl } from '../../../scripts/platform';

const users = baseUrl('user-service');

const refresh = (refreshToken: string) =>
  request<Session>(users, 'POST', '/auth/refresh', { body: { refreshToken } });

describe('admin routes of user-service', () => {
  let admin: TestAccount;

  beforeAll(async () => {
    admin = await loginAsAdmin();
  });

  interface Profile {
    id: string;
    email: string;
    name: string;
    roles: string[];
  }

  const asAdmin = (method: string, path: string, body?: unknown) =>
    request<Profile & { items: Profile[]; total: number; error?: string; message?: string }>(
      users,
      method,
      path,
      {
        token: admin.accessToken,
        body,
      },
    );

  describe('GET /users', () => {
    it('pages through live accounts, oldest first, with the total', async () => {
      const account = await registerAndLogin();
      const { body: first } = await asAdmin('GET', '/users?limit=2');
      expect(first.items).toHaveLength(2);
      expect(first.total).toBeGreaterThanOrEqual(2);
      expect(Object.keys(first.items[0]).sort()).toEqual(
        ['createdAt', 'email', 'id', 'name', 'roles'].sort(),
      );
      const last = await asAdmin('GET', `/users?limit=1&offset=${first.total - 1}`);
      expect(last.status).toBe(200);
      expect(last.body.items).toEqual([
        {
          id: account.id,
          email: account.email,
          name: account.name,
          roles: ['customer'],
          createdAt: expect.any(String),
        },
      ]);
      const beyond = await asAdmin('GET', `/users?offset=${first.total}`);
      expect(beyond.body).toEqual({ items: [], total: first.total });
    });

    it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'role=admin'])(
      'answers ?%s with 400',
      async (query) => {
        const res = await asAdmin('GET', `/users?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('Bad Request');
      },
    );
  });

  describe('GET /users/:id', () => {
    it('shows one account', async () => {
      const account = await registerAndLogin();
      const res = await asAdmin('GET', `/users/${account.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: account.id, email: account.email, roles: ['customer'] });
    });

    it.each(['0123456789abcdef01234567', 'not-an-id'])('answers 404 for %s', async (id) => {
      const res = await asAdmin('GET', `/users/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });

  describe('PATCH /users/:id/roles', () => {
    it("changes roles, effective from the account's next token", async () => {
      const account = await registerAndLogin();
      const promoted = await asAdmin('PATCH', `/users/${account.id}/roles`, {
        roles: ['customer', 'admin'],
      });
      expect(promoted.status).toBe(200);
      expect(promoted.body.roles).toEqual(['customer', 'admin']);

      // The access token in hand still says customer...
      const before = await request(users, 'GET', '/users', { token: account.accessToken });
      expect(before.status).toBe(403);
      // ...the next one says admin.
      const next = (await refresh(account.refreshToken)).body;
      expect((await request(users, 'GET', '/users', { token: next.accessToken })).status).toBe(200);

      await asAdmin('PATCH', `/users/${account.id}/roles`, { roles: ['customer'] });
      const demoted = (await refresh(next.refreshToken)).body;
      expect((await request(users, 'GET', '/users', { token: demoted.accessToken })).status).toBe(
        403,
      );
    });

    it.each([
      [{ roles: ['superuser'] }],
      [{ roles: [] }],
      [{ roles: ['admin', 'admin'] }],
      [{ roles: 'admin' }],
      [{}],
    ])('rejects %j with 400 and changes nothing', async (body) => {
      const account = await registerAndLogin();
      const res = await asAdmin('PATCH', `/users/${account.id}/roles`, body);
      expect(res.status).toBe(400);
      expect((await asAdmin('GET', `/users/${account.id}`)).body.roles).toEqual(['customer']);
    });

    it('keeps an admin from removing their own admin role (409), not from keeping it', async () => {
      const another = await registerAndLogin({ roles: ['admin'] });
      const own = (method: string, path: string, body?: unknown) =>
        request(users, method, path, { token: another.accessToken, body });
      const demote = await own('PATCH', `/users/${another.id}/roles`, { roles: ['customer'] });
      expect(demote.status).toBe(409);
      expect(demote.body.message).toBe('You cannot remove your own admin role');
      expect((await own('PATCH', `/users/${another.id}/roles`, { roles: ['admin'] })).status).toBe(
        200,
      );
      // Another admin may.
      const byOther = await asAdmin('PATCH', `/users/${another.id}/roles`, { roles: ['customer'] });
      expect(byOther.body.roles).toEqual(['customer']);
    });

    it('answers 404 for an unknown account', async () => {
      const res = await asAdmin('PATCH', '/users/0123456789abcdef01234567/roles', {
        roles: ['admin'],
      });
      expect(res.status).toBe(404);
    });
  });

  describe('DELETE /users/:id', () => {
    it('hides the account everywhere, ends its sessions, frees its email and publishes user.deleted', async () => {
      const account = await registerAndLogin();
      const since = await endOffsets(TOPICS.USER_DELETED);

      const deleted = await asAdmin('DELETE', `/users/${account.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();

      expect((await asAdmin('GET', `/users/${account.id}`)).status).toBe(404);
      expect((await asAdmin('DELETE', `/users/${account.id}`)).status).toBe(404);
      expect(
        (await asAdmin('PATCH', `/users/${account.id}/roles`, { roles: ['admin'] })).status,
      ).toBe(404);
      const { body: page } = await asAdmin('GET', '/users?limit=100&offset=0');
      const all = await asAdmin('GET', `/users?limit=100&offset=${Math.max(0, page.total - 100)}`);
      expect(all.body.items.map((u) => u.id)).not.toContain(account.id);

      const login = await request(users, 'POST', '/auth/login', {
        body: { email: account.email, password: account.password },
        headers: fromClient(),
      });
      expect(login.status).toBe(401);
      expect((await refresh(account.refreshToken)).status).toBe(401);
      expect(
        (await request(users, 'GET', '/users/me', { token: account.accessToken })).status,
      ).toBe(401);

      const again = await request(users, 'POST', '/auth/register', {
        body: { ...newUser(), email: account.email },
        headers: fromClient(),
      });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(account.id);

      const messages = await readMessages(TOPICS.USER_DELETED, {
        since,
        until: (received) => received.some((m) => m.key === account.id),
        settleMs: QUIET_WINDOW_MS,
      });
      const mine = messages.filter((m) => m.key === account.id);
      expect(mine).toHaveLength(1);
      expect(JSON.parse(mine[0].value!)).toMatchObject({
        type: 'user.deleted',
        producer: 'user-service',
        payload: { userId: account.id, email: account.email, deletedAt: expect.any(String) },
      });
    });

    it.each(['0123456789abcdef01234567', 'not-an-id'])('answers 404 for %s', async (id) => {
      expect((await asAdmin('DELETE', `/users/${id}`)).status).toBe(404);
    });

    it('keeps an admin from deleting their own account (409)', async () => {
      const res = await asAdmin('DELETE', `/users/${admin.id}`);
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('You cannot delete your own account');
      expect((await asAdmin('GET', '/users/me')).status).toBe(200);
    });
  });
});
