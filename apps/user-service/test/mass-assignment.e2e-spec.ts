import { fromClient, loginAsAdmin, newUser, registerAndLogin, request } from '@microshop/testing';
import { baseUrl } from '../../../scripts/platform';

const users = baseUrl('user-service');

const PRIVILEGED = {
  roles: ['admin'],
  id: '0123456789abcdef01234567',
  _id: '0123456789abcdef01234567',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
  emailKey: 'mallory@example.com',
  deletedAt: '2020-01-01T00:00:00.000Z',
  createdAt: '2020-01-01T00:00:00.000Z',
  isAdmin: true,
};

const expectRejected = (res: { status: number; body: unknown }, field: string) => {
  expect(res.status).toBe(400);
  expect((res.body as { details: unknown }).details).toEqual(
    expect.arrayContaining([{ field, message: expect.stringContaining('should not exist') }]),
  );
};

describe('bodies with unknown or privileged fields get 400 and change nothing', () => {
  it.each(Object.entries(PRIVILEGED))('POST /auth/register with %s', async (field, value) => {
    const user = newUser();
    const res = await request(users, 'POST', '/auth/register', {
      body: { ...user, [field]: value },
      headers: fromClient(),
    });
    expectRejected(res, field);
    // Nothing was created: the email is free and nobody can sign in with it.
    const login = await request(users, 'POST', '/auth/login', {
      body: { email: user.email, password: user.password },
      headers: fromClient(),
    });
    expect(login.status).toBe(401);
    const registered = await request(users, 'POST', '/auth/register', {
      body: user,
      headers: fromClient(),
    });
    expect(registered.status).toBe(201);
    expect(registered.body.roles).toEqual(['customer']);
  });

  it.each(Object.entries({ ...PRIVILEGED, email: 'other@example.com' }))(
    'PATCH /users/me with %s',
    async (field, value) => {
      const account = await registerAndLogin();
      const before = await request(users, 'GET', '/users/me', { token: account.accessToken });
      const res = await request(users, 'PATCH', '/users/me', {
        token: account.accessToken,
        body: { name: 'Renamed', [field]: value },
      });
      expectRejected(res, field);
      const after = await request(users, 'GET', '/users/me', { token: account.accessToken });
      expect(after.body).toEqual(before.body);
      // Still a customer: a fresh sign-in's token gets no further than before.
      const login = await request(users, 'POST', '/auth/login', {
        body: { email: account.email, password: account.password },
        headers: fromClient(),
      });
      expect(login.status).toBe(200);
      const admin = await request(users, 'GET', '/users', { token: login.body.accessToken });
      expect(admin.status).toBe(403);
    },
  );

  it('PATCH /users/:id/roles with fields besides roles', async () => {
    const admin = await loginAsAdmin();
    const account = await registerAndLogin();
    const res = await request(users, 'PATCH', `/users/${account.id}/roles`, {
      token: admin.accessToken,
      body: { roles: ['admin'], email: 'mallory@example.com' },
    });
    expectRejected(res, 'email');
    const after = await request(users, 'GET', `/users/${account.id}`, { token: admin.accessToken });
    expect(after.body).toMatchObject({ email: account.email, roles: ['customer'] });
  });

  it.each([
    ['/auth/login', (a: { email: string; password: string }) => ({ ...a, roles: ['admin'] })],
    ['/auth/refresh', () => ({ refreshToken: 'x'.repeat(43), userId: 'someone' })],
    ['/auth/logout', () => ({ refreshToken: 'x'.repeat(43), all: true })],
  ])('POST %s with an unknown field', async (path, body) => {
    const account = await registerAndLogin();
    const res = await request(users, 'POST', path, {
      body: body(account),
      headers: fromClient(),
    });
    expect(res.status).toBe(400);
  });
});
