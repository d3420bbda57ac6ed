/** Builders and probes for the order saga specs: products, customers, orders, stock, mails. */
import {
  createProduct as createCatalogProduct,
  loginAsAdmin,
  NewProduct,
  Product,
  registerAndLogin,
  testCategory,
  request,
  waitFor,
} from '@microshop/testing';
import { baseUrl } from '../../scripts/platform';

export const products = baseUrl('product-service');
export const orders = baseUrl('order-service');
export const notifications = baseUrl('notification-service');

/** The contract's error body; test answers may be either shape. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
}

type Answer<T> = T & Partial<ErrorBody>;

export interface Order {
  id: string;
  userId: string;
  status: 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED';
  items: {
    productId: string;
    sku: string;
    name: string;
    unitPriceCents: number;
    quantity: number;
    lineTotalCents: number;
  }[];
  totalCents: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

/** The catalog category of the products these specs make, purged after each spec file. */
export const ORDER_SPECS_CATEGORY = testCategory('e2e-orders');

/** A new product in the catalog, once order-service's replica knows it too. */
export async function createProduct(
  adminToken: string,
  fields: Partial<NewProduct> = {},
): Promise<Product> {
  const product = await createCatalogProduct(adminToken, {
    category: ORDER_SPECS_CATEGORY,
    ...fields,
  });
  await waitForReplica(adminToken, product.id, (p) => p.version >= product.version);
  return product;
}

export interface ReplicaProduct {
  productId: string;
  version: number;
  deleted: boolean;
  priceCents: number;
}

/** Waits until order-service's product replica satisfies `accept`. */
export function waitForReplica(
  adminToken: string,
  productId: string,
  accept: (replica: ReplicaProduct) => boolean,
) {
  return waitFor(
    () =>
      request<Answer<ReplicaProduct>>(orders, 'GET', `/catalog-products/${productId}`, {
        token: adminToken,
      }),
    (r) => r.status === 200 && accept(r.body),
    { what: `order-service's replica of product ${productId}` },
  );
}

export async function stockOf(productId: string): Promise<number> {
  const res = await request<Product>(products, 'GET', `/products/${productId}`);
  if (res.status !== 200) throw new Error(`GET /products/${productId} answered ${res.status}`);
  return res.body.stock;
}

export const placeOrder = (
  token: string,
  items: { productId: string; quantity: number }[],
  idempotencyKey?: string,
) =>
  request<Answer<Order>>(orders, 'POST', '/orders', {
    token,
    body: { items },
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });

export const getOrder = (token: string, id: string) =>
  request<Answer<Order>>(orders, 'GET', `/orders/${id}`, { token });

export const historyOf = (token: string, id: string) =>
  request<{ status: string; at: string; reason: string }[]>(
    orders,
    'GET',
    `/orders/${id}/history`,
    { token },
  );

export const cancelOrder = (token: string, id: string) =>
  request<Answer<Order>>(orders, 'POST', `/orders/${id}/cancel`, { token });

/** Waits for the saga to settle the order in `status`. */
export async function waitForStatus(token: string, id: string, status: Order['status']) {
  const res = await waitFor(
    () => getOrder(token, id),
    (r) => r.status === 200 && r.body.status === status,
    { what: `order ${id} to be ${status}` },
  );
  return res.body;
}

/** A counter from an app's /metrics, summed over the series matching the labels. */
export async function metric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const res = await request<string>(url, 'GET', '/metrics');
  let sum = 0;
  for (const line of res.body.split('\n')) {
    const match = /^([a-z_:]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) {
      sum += Number(match[3]);
    }
  }
  return sum;
}

export type { Product };

export interface Customer {
  id: string;
  email: string;
  token: string;
}

export const adminToken = async () => (await loginAsAdmin()).accessToken;

export async function newCustomer(): Promise<Customer> {
  const account = await registerAndLogin();
  return { id: account.id, email: account.email, token: account.accessToken };
}
