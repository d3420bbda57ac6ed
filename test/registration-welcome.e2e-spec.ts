import { holdsFor, mailsTo, newUser, waitFor } from '@microshop/testing';
import { createUserServiceClient } from '../clients/user-service';
import { baseUrl } from '../scripts/platform';

const users = createUserServiceClient(baseUrl('user-service'));

describe('registration produces exactly one welcome mail (user-service → Kafka → notification-service → SMTP)', () => {
  it('mails the new user once, addressed to them, and a second registration of the address mails nobody', async () => {
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

    // Registering the address again is refused and mails nobody: an address can be made to
    // receive one welcome mail, ever (docs/security.md, "Registration").
    const again = await users.POST('/auth/register', {
      body: { ...user, email: user.email.toUpperCase(), name: 'Someone else' },
    });
    expect(again.response.status).toBe(409);

    // Nothing more arrives: the outbox relay and the consumer deliver it exactly once.
    await holdsFor(
      () => mailsTo(user.email),
      (m) => m.length === 1,
      { what: 'exactly one mail' },
    );
  });
});
