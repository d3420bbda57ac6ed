import { randomUUID } from 'node:crypto';

/** A fresh, valid registration; every call is a new, unique user. */
export const newUser = (
  overrides: Partial<{ email: string; password: string; name: string }> = {},
) => {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `user-${tag}@example.com`,
    password: `pass-${randomUUID()}`,
    name: `Test User ${tag}`,
    ...overrides,
  };
};
