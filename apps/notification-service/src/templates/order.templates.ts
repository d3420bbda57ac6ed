import { TOPICS } from '@microshop/events';
import { compile, compileText, MailTemplate } from './mail-template';

type OrderTopic =
  typeof TOPICS.ORDER_CONFIRMED | typeof TOPICS.ORDER_REJECTED | typeof TOPICS.ORDER_CANCELLED;

const TEXT_LINES = `{{#each items}}
  {{quantity}} x {{name}} ({{sku}}) at {{money unitPriceCents ../currency}} = {{money lineTotalCents ../currency}}
{{/each}}
Total: {{money totalCents currency}}
`;

const HTML_LINES = `<table>
<thead><tr><th align="left">Item</th><th align="left">SKU</th><th align="right">Quantity</th><th align="right">Unit price</th><th align="right">Amount</th></tr></thead>
<tbody>
{{#each items}}<tr><td>{{name}}</td><td>{{sku}}</td><td align="right">{{quantity}}</td><td align="right">{{money unitPriceCents ../currency}}</td><td align="right">{{money lineTotalCents ../currency}}</td></tr>
{{/each}}</tbody>
<tfoot><tr><th align="left" colspan="4">Total</th><th align="right">{{money totalCents currency}}</th></tr></tfoot>
</table>`;

const SIGNATURE = '\nThank you for shopping with MicroShop.\n';

/** The three order mails: same lines and total, different news. */
function orderTemplate<T extends OrderTopic>(
  news: string,
  textDetail: string,
  htmlDetail: string,
): MailTemplate<T> {
  return {
    recipient: (order) => order.customerEmail,
    subject: (order) => `Your MicroShop order ${order.orderId} ${news}`,
    text: compileText(
      `Hello,\n\nYour order {{orderId}} ${news}.\n${textDetail}\n${TEXT_LINES}${SIGNATURE}`,
    ),
    html: compile(
      `<p>Hello,</p><p>Your order <b>{{orderId}}</b> ${news}.</p>${htmlDetail}${HTML_LINES}<p>Thank you for shopping with MicroShop.</p>`,
    ),
  };
}

export const orderConfirmedTemplate = orderTemplate<typeof TOPICS.ORDER_CONFIRMED>(
  'is confirmed',
  'Your items are reserved for you.\n',
  '<p>Your items are reserved for you.</p>',
);

export const orderRejectedTemplate = orderTemplate<typeof TOPICS.ORDER_REJECTED>(
  'could not be accepted',
  'Reason: {{reason}}\nNothing was charged.\n',
  '<p>Reason: {{reason}}</p><p>Nothing was charged.</p>',
);

export const orderCancelledTemplate = orderTemplate<typeof TOPICS.ORDER_CANCELLED>(
  'is cancelled',
  '{{#if reason}}Reason: {{reason}}\n{{/if}}',
  '{{#if reason}}<p>Reason: {{reason}}</p>{{/if}}',
);
