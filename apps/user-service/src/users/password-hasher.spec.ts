import * as argon2 from 'argon2';
import { ARGON2_CONCURRENCY, PasswordHasher } from './password-hasher';

jest.mock('argon2', () => ({
  ...jest.requireActual<typeof argon2>('argon2'),
  verify: jest.fn(),
}));

describe('PasswordHasher', () => {
  it(`runs at most ${ARGON2_CONCURRENCY} argon2 verifications at a time; the rest wait`, async () => {
    let running = 0;
    let most = 0;
    const finishers: (() => void)[] = [];
    jest.mocked(argon2.verify).mockImplementation(() => {
      running++;
      most = Math.max(most, running);
      return new Promise<boolean>((resolve) =>
        finishers.push(() => {
          running--;
          resolve(false);
        }),
      );
    });
    const hasher = new PasswordHasher();
    const calls = Array.from({ length: ARGON2_CONCURRENCY + 3 }, () =>
      hasher.verify('$argon2id$stored', 'guess'),
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    await settle();
    expect(running).toBe(ARGON2_CONCURRENCY);
    while (finishers.length) {
      finishers.shift()!();
      await settle();
    }
    await Promise.all(calls);
    expect(most).toBe(ARGON2_CONCURRENCY);
    expect(argon2.verify).toHaveBeenCalledTimes(ARGON2_CONCURRENCY + 3);
  });
});
