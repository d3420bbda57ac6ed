/**
 * Builders and probes for the order saga specs: products, customers, orders, stock, mails. Every
 * documented route is called through the generated clients (./api).
 */
import {
  DEV_ADMIN,
  fromClient,
  newProduct,
  newUser,
  testCategory,
  request,
  waitFor,
} from '@microshop/testing';
import { baseUrl } from '../../scripts/platform';
import {
  answer,
  bearer,
  expectStatus,
  orderApi,
  OrderApi,
  productApi,
  ProductApi,
  userApi,
} from './api';

export const products = baseUrl('product-service');
export const orders = baseUrl('order-service');
export const notifications = baseUrl('notification-service');

export type { ErrorBody } from './api';
export type Order = OrderApi['schemas']['OrderDto'];
export type Product = ProductApi['schemas']['ProductDto'];
type NewProduct = ProductApi['schemas']['CreateProductDto'];

/** The catalog category of the products these specs make, purged after each spec file. */
export const ORDER_SPECS_CATEGORY = testCategory('e2e-orders');

/** A new product in the catalog, once order-service's replica knows it too. */
export async function createProduct(
  adminToken: string,
  fields: Partial<NewProduct> = {},
): Promise<Product> {
  const product = await expectStatus(
    201,
    'POST /products',
    productApi.POST('/products', {
      body: { ...newProduct({ category: ORDER_SPECS_CATEGORY }), currency: 'USD', ...fields },
      headers: bearer(adminToken),
    }),
  );
  await waitForReplica(adminToken, product.id, (p) => p.version >= product.version);
  return product;
}

export type ReplicaProduct = OrderApi['schemas']['CatalogProductDto'];

/** Waits until order-service's product replica satisfies `accept`. */
export function waitForReplica(
  adminToken: string,
  productId: string,
  accept: (replica: ReplicaProduct) => boolean,
) {
  return waitFor(
    () =>
      answer(
        orderApi.GET('/catalog-products/{productId}', {
          params: { path: { productId } },
          headers: bearer(adminToken),
        }),
      ),
    (r) => r.status === 200 && accept(r.body),
    { what: `order-service's replica of product ${productId}` },
  );
}

export async function stockOf(productId: string): Promise<number> {
  const product = await expectStatus(
    200,
    `GET /products/${productId}`,
    productApi.GET('/products/{id}', { params: { path: { id: productId } } }),
  );
  return product.stock;
}

export const placeOrder = (
  token: string,
  items: { productId: string; quantity: number }[],
  idempotencyKey?: string,
) =>
  answer(
    orderApi.POST('/orders', {
      body: { items },
      params: { header: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} },
      headers: bearer(token),
    }),
  );

export const getOrder = (token: string, id: string) =>
  answer(orderApi.GET('/orders/{id}', { params: { path: { id } }, headers: bearer(token) }));

export const historyOf = (token: string, id: string) =>
  answer(
    orderApi.GET('/orders/{id}/history', { params: { path: { id } }, headers: bearer(token) }),
  );

export const cancelOrder = (token: string, id: string) =>
  answer(
    orderApi.POST('/orders/{id}/cancel', { params: { path: { id } }, headers: bearer(token) }),
  );

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

export interface Customer {
  id: string;
  email: string;
  token: string;
}

/** Signs in through the client, from a client address of its own (sign-in is throttled per address). */
async function signIn(email: string, password: string): Promise<string> {
  const session = await expectStatus(
    200,
    `POST /auth/login as ${email}`,
    userApi.POST('/auth/login', { body: { email, password }, headers: fromClient() }),
  );
  return session.accessToken;
}

export const adminToken = () => signIn(DEV_ADMIN.email, DEV_ADMIN.password);

export async function newCustomer(): Promise<Customer> {
  const user = newUser();
  const profile = await expectStatus(
    201,
    `POST /auth/register for ${user.email}`,
    userApi.POST('/auth/register', { body: user, headers: fromClient() }),
  );
  return { id: profile.id, email: profile.email, token: await signIn(user.email, user.password) };
}
