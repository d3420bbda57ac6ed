import { restartBudget } from './kafka-options';

describe('restartBudget', () => {
  it('allows the configured number of restarts per window, then refuses', async () => {
    let t = 0;
    const allow = restartBudget(2, () => t);
    await expect(allow()).resolves.toBe(true);
    await expect(allow()).resolves.toBe(true);
    await expect(allow()).resolves.toBe(false);
    t += 11 * 60_000;
    await expect(allow()).resolves.toBe(true);
  });

  it('with a budget of zero never restarts', async () => {
    await expect(restartBudget(0)()).resolves.toBe(false);
  });
});
