import { decodeCursor, encodeCursor } from './order-cursor';

describe('order cursors', () => {
  it('round-trip the position of the last order of a page', () => {
    const cursor = {
      createdAt: new Date('2026-01-02T03:04:05.678Z'),
      id: '3f1c9b6e-2d4a-4c8e-9a57-1b2c3d4e5f60',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['bad date', Buffer.from('["x","3f1c9b6e-2d4a-4c8e-9a57-1b2c3d4e5f60"]').toString('base64url')],
    ['bad id', Buffer.from('["2026-01-01T00:00:00.000Z","1 OR 1=1"]').toString('base64url')],
  ])('refuse %s', (_, value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});
