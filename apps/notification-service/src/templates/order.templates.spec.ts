import {
  OrderCancelledPayload,
  OrderConfirmedPayload,
  OrderRejectedPayload,
} from '@microshop/events';
import { render } from './mail-template';
import {
  orderCancelledTemplate,
  orderConfirmedTemplate,
  orderRejectedTemplate,
} from './order.templates';

const summary = {
  orderId: '3f1c9b6e-2d4a-4c8e-9a57-1b2c3d4e5f60',
  userId: 'u1',
  customerEmail: 'ada@example.com',
  items: [
    {
      productId: 'p1',
      sku: 'MUG-1',
      name: 'Mug <b>&</b> Co',
      unitPriceCents: 1299,
      quantity: 2,
      lineTotalCents: 2598,
    },
    {
      productId: 'p2',
      sku: 'TEA-9',
      name: 'Tea',
      unitPriceCents: 450,
      quantity: 1,
      lineTotalCents: 450,
    },
  ],
  totalCents: 3048,
  currency: 'USD',
};

describe('order mails', () => {
  it('confirmation: to the customer, order id in the subject, every line and the total', () => {
    const payload: OrderConfirmedPayload = { ...summary, confirmedAt: '2026-01-01T00:00:00.000Z' };
    const mail = render(orderConfirmedTemplate, payload);
    expect(mail.to).toBe('ada@example.com');
    expect(mail.subject).toBe(`Your MicroShop order ${summary.orderId} is confirmed`);
    expect(mail.text).toContain('2 x Mug <b>&</b> Co (MUG-1) at $12.99 = $25.98');
    expect(mail.text).toContain('1 x Tea (TEA-9) at $4.50 = $4.50');
    expect(mail.text).toContain('Total: $30.48');
    expect(mail.html).toContain('Mug &lt;b&gt;&amp;&lt;/b&gt; Co');
    expect(mail.html).not.toContain('<b>&</b>');
    expect(mail.html).toContain('$30.48');
  });

  it('rejection carries the reason', () => {
    const payload: OrderRejectedPayload = {
      ...summary,
      reason: 'insufficient stock (p1: 2 requested, 1 available)',
      rejectedAt: '2026-01-01T00:00:00.000Z',
    };
    const mail = render(orderRejectedTemplate, payload);
    expect(mail.subject).toContain(summary.orderId);
    expect(mail.subject).toContain('could not be accepted');
    expect(mail.text).toContain('Reason: insufficient stock (p1: 2 requested, 1 available)');
    expect(mail.text).toContain('Total: $30.48');
  });

  it('cancellation renders with and without a reason', () => {
    const payload: OrderCancelledPayload = {
      ...summary,
      previousStatus: 'CONFIRMED',
      cancelledAt: '2026-01-01T00:00:00.000Z',
    };
    const without = render(orderCancelledTemplate, payload);
    expect(without.subject).toBe(`Your MicroShop order ${summary.orderId} is cancelled`);
    expect(without.text).not.toContain('Reason');
    const withReason = render(orderCancelledTemplate, { ...payload, reason: 'changed my mind' });
    expect(withReason.text).toContain('Reason: changed my mind');
  });
});
