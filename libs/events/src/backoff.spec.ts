import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const backoff = { firstDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles from the first delay up to the ceiling', () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => backoffDelay(n, backoff))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('with jitter, waits somewhere in the upper half of each step', () => {
    const jittered = { ...backoff, jitter: true };
    expect(backoffDelay(1, jittered, () => 0)).toBe(50);
    expect(backoffDelay(1, jittered, () => 1)).toBe(100);
    expect(backoffDelay(3, jittered, () => 0.5)).toBe(300);
    expect(backoffDelay(20, jittered, () => 1)).toBe(1_000);
  });
});
