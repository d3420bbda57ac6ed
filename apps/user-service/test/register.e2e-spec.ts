import { newUser, request } from '@microshop/testing';
import { baseUrl } from '../../../scripts/platform';

const users = baseUrl('user-service');

describe('POST /auth/register', () => {
  it('rejects an invalid body with 400 naming each field', async () => {
    const res = await request(users, 'POST', '/auth/register', {
      body: { email: 'not-an-email', password: 'short', name: '' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
    const fields = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'name']));
  });

  it('rejects unknown or privileged fields with 400 and creates nothing', async () => {
    const user = newUser();
    const res = await request(users, 'POST', '/auth/register', {
      body: { ...user, roles: ['admin'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({
        field: 'roles',
        message: expect.stringContaining('should not exist'),
      }),
    ]);
    const retry = await request(users, 'POST', '/auth/register', { body: user });
    expect(retry.status).toBe(201);
    expect(retry.body.roles).toEqual(['customer']);
  });

  it('answers 409 for an email already taken, whatever its case', async () => {
    const user = newUser();
    expect((await request(users, 'POST', '/auth/register', { body: user })).status).toBe(201);
    const again = await request(users, 'POST', '/auth/register', {
      body: { ...user, email: user.email.toUpperCase() },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('never returns the password hash', async () => {
    const user = newUser();
    const res = await request(users, 'POST', '/auth/register', { body: user });
    expect(res.status).toBe(201);
    expect(res.body.email).toBe(user.email.toLowerCase());
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
  });
});
