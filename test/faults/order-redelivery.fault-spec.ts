import { TOPICS } from '@microshop/events';
import {
  endOffsets,
  groupLag,
  holdsFor,
  mailsTo,
  Offsets,
  purgeProducts,
  readMessages,
  rewindGroup,
  waitFor,
  QUIET_WINDOW_MS,
} from '@microshop/testing';
import { appPid, restartApp, startApp, stopApp, waitHealthy } from '../../scripts/platform';
import {
  adminToken,
  cancelOrder,
  createProduct,
  Customer,
  newCustomer,
  ORDER_SPECS_CATEGORY,
  placeOrder,
  stockOf,
  waitForStatus,
} from '../support/shop';
import { countBy, payloadsOf } from './support';

/** What each consumer group is made to see twice. */
const REWOUND = {
  'product-service': [TOPICS.ORDER_CREATED, TOPICS.ORDER_CANCELLED],
  'notification-service': [TOPICS.ORDER_CONFIRMED, TOPICS.ORDER_REJECTED, TOPICS.ORDER_CANCELLED],
} as const;
type Group = keyof typeof REWOUND;
const GROUPS = Object.keys(REWOUND) as Group[];
const TOPICS_READ = [
  ...new Set([
    ...Object.values(REWOUND).flat(),
    TOPICS.STOCK_RESERVED,
    TOPICS.STOCK_REJECTED,
    TOPICS.STOCK_RELEASED,
  ]),
];

const orderMailCounts = (customer: Customer, orderIds: string[]) =>
  mailsTo(customer.email).then((mails) =>
    orderIds.map((id) => mails.filter((m) => m.subject.includes(id)).length),
  );

async function totalLag(): Promise<number> {
  let lag = 0;
  for (const group of GROUPS)
    for (const topic of REWOUND[group]) lag += await groupLag(group, topic);
  return lag;
}

describe('every order event delivered twice to product-service and notification-service', () => {
  afterAll(async () => {
    for (const app of GROUPS) {
      if (appPid(app) === null) startApp(app);
      await waitHealthy(app);
    }
    await purgeProducts([ORDER_SPECS_CATEGORY]);
  });

  it('changes no stock twice and sends no order mail twice', async () => {
    const admin = await adminToken();
    const lamp = await createProduct(admin, { stock: 10 });
    const bulb = await createProduct(admin, { stock: 3 });
    const customer = await newCustomer();
    const since = Object.fromEntries(
      await Promise.all(TOPICS_READ.map(async (t) => [t, await endOffsets(t)] as const)),
    ) as Record<string, Offsets>;

    // Four confirmed orders (two then cancelled, giving their stock back) and two rejected.
    const plans = [
      { items: [{ productId: lamp.id, quantity: 2 }], status: 'CONFIRMED', cancel: false },
      {
        items: [
          { productId: lamp.id, quantity: 3 },
          { productId: bulb.id, quantity: 1 },
        ],
        status: 'CONFIRMED',
        cancel: true,
      },
      { items: [{ productId: bulb.id, quantity: 2 }], status: 'CONFIRMED', cancel: false },
      { items: [{ productId: bulb.id, quantity: 5 }], status: 'REJECTED', cancel: false },
      { items: [{ productId: lamp.id, quantity: 4 }], status: 'CONFIRMED', cancel: true },
      { items: [{ productId: lamp.id, quantity: 20 }], status: 'REJECTED', cancel: false },
    ] as const;
    const ids: string[] = [];
    for (const plan of plans) {
      const res = await placeOrder(customer.token, [...plan.items]);
      expect(res.status).toBe(201);
      await waitForStatus(customer.token, res.body.id, plan.status);
      if (plan.cancel) expect((await cancelOrder(customer.token, res.body.id)).status).toBe(200);
      ids.push(res.body.id);
    }
    const expectedStock = [10 - 2, 3 - 2];
    const expectedMails = plans.map((p) => (p.cancel ? 2 : 1));
    const stocks = () => Promise.all([stockOf(lamp.id), stockOf(bulb.id)]);
    const settled = (s: number[]) => JSON.stringify(s) === JSON.stringify(expectedStock);
    const mailed = (c: number[]) => JSON.stringify(c) === JSON.stringify(expectedMails);
    await waitFor(stocks, settled, { what: `stock ${expectedStock.join(',')}` });
    await waitFor(() => orderMailCounts(customer, ids), mailed, { what: 'the order mails' });
    await waitFor(totalLag, (lag) => lag === 0, { what: 'the consumers to catch up' });

    await Promise.all(GROUPS.map((app) => stopApp(app)));
    for (const group of GROUPS) {
      for (const topic of REWOUND[group]) await rewindGroup(group, topic, since[topic]);
    }
    const rewound = await totalLag();
    await Promise.all(GROUPS.map((app) => restartApp(app)));
    await waitFor(totalLag, (lag) => lag === 0, {
      what: 'the rewound events to be consumed again',
      timeoutMs: 90_000,
    });

    const [finalStock, mails] = await Promise.all([
      holdsFor(stocks, settled, { what: 'the stock after redelivery' }),
      holdsFor(() => orderMailCounts(customer, ids), mailed, {
        what: 'one mail per order event after redelivery',
      }),
    ]);
    // Nor did product-service answer any order twice: one stock event per order and kind.
    const expectedEvents = {
      [TOPICS.STOCK_RESERVED]: plans.filter((p) => p.status === 'CONFIRMED').length,
      [TOPICS.STOCK_REJECTED]: plans.filter((p) => p.status === 'REJECTED').length,
      [TOPICS.STOCK_RELEASED]: plans.filter((p) => p.cancel).length,
    };
    const ours = (messages: Parameters<typeof payloadsOf>[0]) =>
      payloadsOf<{ orderId: string }>(messages)
        .map((p) => p.orderId)
        .filter((id) => ids.includes(id));
    const stockEvents = await Promise.all(
      Object.entries(expectedEvents).map(async ([topic, expected]) => {
        const read = await readMessages(topic, {
          since: since[topic],
          until: (messages) => ours(messages).length >= expected,
          settleMs: QUIET_WINDOW_MS,
        });
        return { topic, expected, counts: [...countBy(ours(read)).values()] };
      }),
    );
    console.log(
      `rewound ${rewound} order events (product-service: order.created, order.cancelled; ` +
        `notification-service: order.confirmed, order.rejected, order.cancelled) for ${ids.length} orders; ` +
        `stock after redelivery ${finalStock.join(',')} (expected ${expectedStock.join(',')}); ` +
        `mails per order ${mails.join(',')} (expected ${expectedMails.join(',')}); ` +
        stockEvents
          .map((e) => `${e.topic} ${e.counts.length} orders, max ${Math.max(0, ...e.counts)} each`)
          .join('; '),
    );
    expect(rewound).toBeGreaterThanOrEqual(2 * plans.length + 2 * 2);
    for (const e of stockEvents) {
      expect(e.counts.length).toBe(e.expected);
      expect(e.counts.every((n) => n === 1)).toBe(true);
    }
  });
});
