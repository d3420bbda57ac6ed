import { formatMoney } from './money';

describe('formatMoney', () => {
  it.each([
    [129900, 'USD', '$1,299.00'],
    [5, 'USD', '$0.05'],
    [0, 'EUR', '€0.00'],
    [500, 'JPY', '¥500'],
    [1234, 'KWD', 'KWD 1.234'],
  ])('%d %s → %s', (cents, currency, expected) => {
    expect(formatMoney(cents, currency).replace(/\u00a0/g, ' ')).toBe(expected);
  });
});
