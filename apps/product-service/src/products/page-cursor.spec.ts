import { ValidationFailedException } from '@microshop/runtime';
import { Types } from 'mongoose';
import { afterPosition, decodeCursor, encodeCursor, sortStage } from './page-cursor';

describe('page cursors', () => {
  const _id = new Types.ObjectId();
  const item = {
    _id,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    priceCents: 1299,
    nameKey: 'lamp',
  };

  it.each([
    ['-createdAt', item.createdAt],
    ['createdAt', item.createdAt],
    ['price', 1299],
    ['-price', 1299],
    ['name', 'lamp'],
  ] as const)('round-trips the sort key and id of the last item (%s)', (sort, value) => {
    const cursor = encodeCursor(sort, item);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, sort)).toEqual({ value, id: _id });
  });

  it('refuses a cursor made for another sort, naming the field', () => {
    const cursor = encodeCursor('price', item);
    let thrown: unknown;
    try {
      decodeCursor(cursor, 'name');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationFailedException);
    expect((thrown as ValidationFailedException).details).toEqual([
      { field: 'cursor', message: 'cursor belongs to sort "price", not "name"' },
    ]);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['bad id', Buffer.from('["price",1,"xyz"]').toString('base64url')],
    ['bad value type', Buffer.from(`["price","1","${_id.toHexString()}"]`).toString('base64url')],
    ['fractional value', Buffer.from(`["price",1.5,"${_id.toHexString()}"]`).toString('base64url')],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, 'price')).toThrow(ValidationFailedException);
  });

  it('continues strictly after the position, in the sort direction, tie-broken by _id', () => {
    const position = { value: 1299, id: _id };
    expect(afterPosition('price', position)).toEqual({
      $or: [{ priceCents: { $gt: 1299 } }, { priceCents: 1299, _id: { $gt: _id } }],
    });
    expect(afterPosition('-price', position)).toEqual({
      $or: [{ priceCents: { $lt: 1299 } }, { priceCents: 1299, _id: { $lt: _id } }],
    });
    expect(sortStage('-createdAt')).toEqual({ createdAt: -1, _id: -1 });
  });
});
