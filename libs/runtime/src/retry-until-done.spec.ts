import { Logger } from '@nestjs/common';
import { retryUntilDone } from './retry-until-done';

const quietLogger = () => ({ warn: jest.fn() }) as unknown as Logger & { warn: jest.Mock };

describe('retryUntilDone', () => {
  it('retries with doubling waits until an attempt succeeds', async () => {
    const logger = quietLogger();
    const seen: number[] = [];
    const done = await retryUntilDone(
      (n) => {
        seen.push(n);
        return n < 3 ? Promise.reject(new Error('ECONNREFUSED')) : Promise.resolve();
      },
      { what: 'Store not connected', logger, firstDelayMs: 5, maxDelayMs: 8 },
    );
    expect(done).toBe(true);
    expect(seen).toEqual([1, 2, 3]);
    expect(logger.warn.mock.calls.map(([line]) => line as string)).toEqual([
      'Store not connected (ECONNREFUSED); retrying in 5 ms',
      'Store not connected (ECONNREFUSED); retrying in 8 ms',
    ]);
  });

  it('gives up without another attempt once stopped', async () => {
    let stopped = false;
    let attempts = 0;
    const done = await retryUntilDone(
      () => {
        attempts += 1;
        stopped = true;
        return Promise.reject(new Error('down'));
      },
      { what: 'x', logger: quietLogger(), firstDelayMs: 1, stopped: () => stopped },
    );
    expect(done).toBe(false);
    expect(attempts).toBe(1);
  });
});
