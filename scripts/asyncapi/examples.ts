import { EventMap, Topic } from '@microshop/events';

const USER_ID = '665f1c2e9b1d8c3a4f2e7a10';
const ORDER_ID = '3f6c2a8e-1b4d-4c7a-9e5f-8d2b6a1c0e47';
const PRODUCT = { productId: '665f1d079b1d8c3a4f2e7a21', sku: 'MUG-CERAMIC-350' };
const LINE = { ...PRODUCT, name: 'Ceramic mug, 350 ml', unitPriceCents: 1250, quantity: 2 };

const ORDER = {
  orderId: ORDER_ID,
  userId: USER_ID,
  customerEmail: 'ada@example.com',
  items: [{ ...LINE, lineTotalCents: 2500 }],
  totalCents: 2500,
  currency: 'EUR',
};

const PRODUCT_STATE = {
  ...PRODUCT,
  name: LINE.name,
  description: 'Dishwasher-safe stoneware mug',
  category: 'kitchen',
  priceCents: LINE.unitPriceCents,
  currency: 'EUR',
};

/** One payload per topic; typed by the contracts, and validated by them when the document is built. */
export const PAYLOAD_EXAMPLES: { [T in Topic]: EventMap[T] } = {
  'user.registered': {
    userId: USER_ID,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    registeredAt: '2026-01-15T09:30:00.000Z',
  },
  'user.deleted': {
    userId: USER_ID,
    email: 'ada@example.com',
    deletedAt: '2026-03-01T17:05:00.000Z',
  },
  'product.created': { ...PRODUCT_STATE, version: 1, updatedAt: '2026-01-10T08:00:00.000Z' },
  'product.updated': {
    ...PRODUCT_STATE,
    priceCents: 1390,
    version: 2,
    updatedAt: '2026-01-20T08:00:00.000Z',
  },
  'product.deleted': { ...PRODUCT, version: 3, deletedAt: '2026-04-01T08:00:00.000Z' },
  'order.created': { ...ORDER, createdAt: '2026-01-15T10:00:00.000Z' },
  'order.confirmed': { ...ORDER, confirmedAt: '2026-01-15T10:00:01.000Z' },
  'order.rejected': {
    ...ORDER,
    reason: 'insufficient stock for MUG-CERAMIC-350',
    rejectedAt: '2026-01-15T10:00:01.000Z',
  },
  'order.cancelled': {
    ...ORDER,
    previousStatus: 'CONFIRMED',
    reason: 'changed my mind',
    cancelledAt: '2026-01-15T11:00:00.000Z',
  },
  'stock.reserved': { orderId: ORDER_ID, items: [{ productId: PRODUCT.productId, quantity: 2 }] },
  'stock.rejected': {
    orderId: ORDER_ID,
    reason: 'insufficient stock',
    unavailable: [{ productId: PRODUCT.productId, requested: 2, available: 1 }],
  },
  'stock.released': { orderId: ORDER_ID, items: [{ productId: PRODUCT.productId, quantity: 2 }] },
};
