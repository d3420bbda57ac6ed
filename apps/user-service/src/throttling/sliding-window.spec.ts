import { estimateHits, secondsUntilAllowed, windowAt } from './sliding-window';

const MINUTE = 60_000;

describe('sliding window', () => {
  it('locates the window and the position in it', () => {
    expect(windowAt(10 * MINUTE + 15_000, MINUTE)).toEqual({ index: 10, elapsed: 0.25 });
  });

  it('weights the previous window by how much of it still overlaps', () => {
    expect(estimateHits({ previous: 8, current: 3 }, 0.25)).toBe(9);
    expect(estimateHits({ previous: 8, current: 3 }, 0)).toBe(11);
    expect(estimateHits({ previous: 0, current: 11 }, 0.99)).toBe(11);
  });

  it('tells how long until one more request fits', () => {
    // 11 hits in this window, limit 10: wait for the window to end and fade to 9 (≈ 18% of it).
    expect(secondsUntilAllowed({ previous: 0, current: 11 }, 0.5, MINUTE, 10)).toBe(41);
    // This window has room (4 of 10) but the previous one weighs 10 × 0.75: wait until it weighs ≤ 5.
    expect(secondsUntilAllowed({ previous: 10, current: 4 }, 0.25, MINUTE, 10)).toBe(15);
    // Never less than a second.
    expect(secondsUntilAllowed({ previous: 10, current: 0 }, 0.99, MINUTE, 10)).toBe(1);
  });
});
