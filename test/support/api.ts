/**
 * The four services through the clients generated from their committed OpenAPI documents
 * (clients/), for the cross-service specs: a route, parameter or body the documents get wrong
 * fails the type-check of the specs, and a route they lie about fails the specs at run time.
 */
import { createNotificationServiceClient } from '../../clients/notification-service';
import { createOrderServiceClient } from '../../clients/order-service';
import { createProductServiceClient } from '../../clients/product-service';
import { createUserServiceClient } from '../../clients/user-service';
import { baseUrl } from '../../scripts/platform';

export type { components as OrderApi } from '../../clients/order-service';
export type { components as ProductApi } from '../../clients/product-service';
export type { components as UserApi } from '../../clients/user-service';

export const userApi = createUserServiceClient(baseUrl('user-service'));
export const productApi = createProductServiceClient(baseUrl('product-service'));
export const orderApi = createOrderServiceClient(baseUrl('order-service'));
export const notificationApi = createNotificationServiceClient(baseUrl('notification-service'));

/** A user-service client for another instance (a different port or configuration). */
export const userApiAt = (url: string) => createUserServiceClient(url);

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The contract's error body. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
  errorId?: string;
}

/** A client's answer with its status: the documented success body, or else the error body. */
export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T & Partial<ErrorBody>;
}

/**
 * Flattens an openapi-fetch result (`{ data, error, response }`) into `{ status, headers, body }`
 * for assertions on either outcome: `answer(orderApi.GET('/orders/{id}', ...))`.
 */
export async function answer<T, E>(
  call: Promise<{ data?: T; error?: E; response: Response }>,
): Promise<Answer<NonNullable<T>>> {
  const { data, error, response } = await call;
  return {
    status: response.status,
    headers: response.headers,
    body: (data ?? error) as NonNullable<T> & Partial<ErrorBody>,
  };
}

/** Like `answer`, but throws unless the status is `expected`; returns the success body. */
export async function expectStatus<T, E>(
  expected: number,
  what: string,
  call: Promise<{ data?: T; error?: E; response: Response }>,
): Promise<NonNullable<T>> {
  const res = await answer(call);
  if (res.status !== expected) {
    throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}
