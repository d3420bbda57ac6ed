import { canMove, ORDER_STATUSES } from './order-status';

describe('order status moves', () => {
  it('allow exactly the contract: PENDING → CONFIRMED | REJECTED | CANCELLED, CONFIRMED → CANCELLED', () => {
    const allowed = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'PENDING→CONFIRMED',
      'PENDING→REJECTED',
      'PENDING→CANCELLED',
      'CONFIRMED→CANCELLED',
    ]);
  });
});
