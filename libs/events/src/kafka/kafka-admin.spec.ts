import { lagOf } from './kafka-admin';

describe('lagOf', () => {
  it('is end offset minus committed offset per partition, from the earliest offset when never committed', () => {
    const lags = lagOf(
      ['a', 'b'],
      [
        {
          topic: 'a',
          partitions: [
            { partition: 0, offset: '10', metadata: null },
            { partition: 1, offset: '-1', metadata: null },
          ],
        },
        { topic: 'b', partitions: [{ partition: 0, offset: '7', metadata: null }] },
      ],
      [
        [
          { partition: 0, offset: '15', high: '15', low: '0' },
          { partition: 1, offset: '9', high: '9', low: '4' },
        ],
        [{ partition: 0, offset: '7', high: '7', low: '0' }],
      ],
    );
    expect(lags).toEqual([
      { topic: 'a', partition: 0, lag: 5 },
      { topic: 'a', partition: 1, lag: 5 },
      { topic: 'b', partition: 0, lag: 0 },
    ]);
  });
});
