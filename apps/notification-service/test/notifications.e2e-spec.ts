import { randomUUID } from 'node:crypto';
import {
  loginAsAdmin,
  newUser,
  registerAndLogin,
  request,
  TestAccount,
  waitFor,
} from '@microshop/testing';
import { baseUrl } from '../../../scripts/platform';

const notifications = baseUrl('notification-service');
const users = baseUrl('user-service');

describe('GET /notifications (admin)', () => {
  let admin: TestAccount;

  beforeAll(async () => {
    admin = await loginAsAdmin();
  });

  interface Item {
    status: string;
    sentAt: string;
  }

  const list = (query: string, token = admin.accessToken) =>
    request<{ items: Item[]; error?: string }>(notifications, 'GET', `/notifications${query}`, {
      token,
    });

  it('lists the welcome mail of a new account, found by its address in any case', async () => {
    const user = newUser({ email: `Mixed-${randomUUID().slice(0, 8)}@Example.com` });
    const registered = await request(users, 'POST', '/auth/register', { body: user });
    expect(registered.status).toBe(201);

    const res = await waitFor(
      () => list(`?recipient=${encodeURIComponent(user.email.toLowerCase())}`),
      (r) => r.status === 200 && r.body.items.some((n) => n.status === 'SENT'),
      { what: `the welcome mail to ${user.email} in the log` },
    );
    expect(res.body).toEqual({
      items: [
        {
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          type: 'user.registered',
          recipient: user.email,
          subject: expect.stringContaining('Welcome'),
          status: 'SENT',
          attempts: 1,
          sentAt: expect.any(String),
        },
      ],
    });
    expect(Date.parse(res.body.items[0].sentAt)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('returns at most `limit` items (20 by default)', async () => {
    const one = await list('?limit=1');
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    const page = await list('');
    expect(page.body.items.length).toBeLessThanOrEqual(20);
  });

  it('answers an address with no mail with an empty list', async () => {
    const res = await list(`?recipient=${encodeURIComponent(newUser().email)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it.each(['limit=0', 'limit=101', 'limit=many', 'recipient=not-an-email', 'status=SENT'])(
    'answers ?%s with 400',
    async (query) => {
      const res = await list(`?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('Bad Request');
    },
  );

  it('is for admins only', async () => {
    const customer = await registerAndLogin();
    expect((await list('', customer.accessToken)).status).toBe(403);
    expect((await request(notifications, 'GET', '/notifications')).status).toBe(401);
  });
});
