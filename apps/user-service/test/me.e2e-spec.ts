import { fromClient, registerAndLogin, request, Session } from '@microshop/testing';
import { baseUrl } from '../../../scripts/platform';

const users = baseUrl('user-service');

const login = (email: string, password: string) =>
  request<Session>(users, 'POST', '/auth/login', {
    body: { email, password },
    headers: fromClient(),
  });

describe('/users/me', () => {
  it('needs an access token', async () => {
    const res = await request(users, 'GET', '/users/me');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await request(users, 'PATCH', '/users/me', { body: { name: 'x' } })).status).toBe(401);
  });

  it('renames the account', async () => {
    const account = await registerAndLogin();
    const res = await request(users, 'PATCH', '/users/me', {
      token: account.accessToken,
      body: { name: '  Ada King  ' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: account.id,
      email: account.email,
      name: 'Ada King',
      roles: ['customer'],
      createdAt: expect.any(String),
    });
    const me = await request(users, 'GET', '/users/me', { token: account.accessToken });
    expect(me.body).toEqual(res.body);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ password: 'short', currentPassword: 'whatever1' }, 'password'],
    [{ password: 'a long enough new password' }, 'currentPassword'],
  ])('rejects %j with 400 naming %s', async (body, field) => {
    const account = await registerAndLogin();
    const res = await request(users, 'PATCH', '/users/me', { token: account.accessToken, body });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('changes the password only with the right current one, and ends every session', async () => {
    const account = await registerAndLogin();
    const otherSession = (await login(account.email, account.password)).body;
    const newPassword = `${account.password}-new`;

    const wrong = await request(users, 'PATCH', '/users/me', {
      token: account.accessToken,
      body: { password: newPassword, currentPassword: `${account.password}-wrong` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('The current password is wrong');
    expect((await login(account.email, account.password)).status).toBe(200);

    const changed = await request(users, 'PATCH', '/users/me', {
      token: account.accessToken,
      body: { password: newPassword, currentPassword: account.password },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.id).toBe(account.id);

    expect((await login(account.email, account.password)).status).toBe(401);
    expect((await login(account.email, newPassword)).status).toBe(200);
    for (const refreshToken of [account.refreshToken, otherSession.refreshToken]) {
      const refreshed = await request(users, 'POST', '/auth/refresh', { body: { refreshToken } });
      expect(refreshed.status).toBe(401);
    }
  });
});
