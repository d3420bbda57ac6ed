import { holdsFor, mailsTo, newUser, waitFor } from '@microshop/testing';
import { createUserServiceClient } from '../clients/user-service';
import { baseUrl } from '../scripts/platform';

const users = createUserServiceClient(baseUrl('user-service'));

describe('registration produces exactly one welcome mail (user-service → Kafka → notification-service → SMTP)', () => {
  it('mails the new user once, addressed to them', async () => {
    const user = newUser();
    const { data, response } = await users.POST('/auth/register', { body: user });
    expect(response.status).toBe(201);
    expect(data).toEqual({
      id: expect.any(String),
      email: user.email,
      name: user.name,
      roles: ['customer'],
      createdAt: expect.any(String),
    });

    const mails = await waitFor(
      () => mailsTo(user.email),
      (m) => m.length > 0,
      {
        what: `a welcome mail to ${user.email}`,
      },
    );
    expect(mails[0].to).toEqual([user.email]);
    expect(mails[0].subject).toContain('Welcome');
    expect(mails[0].text).toContain(user.name);

    // Nothing more arrives: the outbox relay and the consumer deliver it exactly once.
    await holdsFor(
      () => mailsTo(user.email),
      (m) => m.length === 1,
      { what: 'exactly one mail' },
    );
  });
});
