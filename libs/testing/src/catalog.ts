import { randomUUID } from 'node:crypto';
import { mongo } from 'mongoose';
import { JsonResponse, request } from './http';

/** product-service as the e2e platform runs it, and its store. */
export const PRODUCT_SERVICE_URL = 'http://127.0.0.1:8000';
export const PRODUCTS_MONGODB_URI = 'mongodb://127.0.0.1:27017/microshop_products';

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface NewProduct {
  sku: string;
  name: string;
  description?: string;
  category: string;
  priceCents: number;
  currency?: string;
  stock?: number;
}

/**
 * A category of its own (a slug) for one test's products: the shared catalog keeps earlier runs'
 * data, so assertions filter by it.
 */
export const testCategory = (label = 'e2e') => `${label}-${randomUUID().slice(0, 8)}`;

/** A valid new product with a unique sku. */
export const newProduct = (overrides: Partial<NewProduct> = {}): NewProduct => {
  const tag = randomUUID().slice(0, 12).toUpperCase();
  return {
    sku: `T-${tag}`,
    name: `Test product ${tag}`,
    description: 'A product made for an end-to-end test',
    category: 'e2e-products',
    priceCents: 1999,
    currency: 'USD',
    stock: 10,
    ...overrides,
  };
};

/** Creates a product as an admin; throws unless product-service answers 201. */
export async function createProduct(
  adminToken: string,
  product: Partial<NewProduct> = {},
): Promise<Product> {
  const res = await request<Product>(PRODUCT_SERVICE_URL, 'POST', '/products', {
    body: newProduct(product),
    token: adminToken,
  });
  if (res.status !== 201) {
    throw new Error(`POST /products answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** Creates the products `concurrency` at a time, keeping their order in the result. */
export async function createProducts(
  adminToken: string,
  products: Partial<NewProduct>[],
  concurrency = 20,
): Promise<Product[]> {
  const created: Product[] = [];
  for (let i = 0; i < products.length; i += concurrency) {
    const batch = products.slice(i, i + concurrency);
    created.push(...(await Promise.all(batch.map((p) => createProduct(adminToken, p)))));
  }
  return created;
}

/** Every item of a listing, following nextCursor; throws on any answer but 200. */
export async function listAllProducts(
  query: Record<string, string | number>,
): Promise<{ items: Product[]; pages: number }> {
  const items: Product[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const params: URLSearchParams = new URLSearchParams(
      Object.entries({ ...query, ...(cursor && { cursor }) }).map(([k, v]) => [k, String(v)]),
    );
    const res: JsonResponse<{ items: Product[]; nextCursor: string | null }> = await request<{
      items: Product[];
      nextCursor: string | null;
    }>(PRODUCT_SERVICE_URL, 'GET', `/products?${params.toString()}`);
    if (res.status !== 200) {
      throw new Error(`GET /products?${params.toString()} answered ${res.status}`);
    }
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { items, pages };
}

/**
 * Removes a test's products from the store for good (the API only soft-deletes), so the shared
 * development catalog does not grow by every run's bulk data.
 */
export async function purgeProducts(categories: string[]): Promise<void> {
  const client = await mongo.MongoClient.connect(PRODUCTS_MONGODB_URI);
  try {
    const db = client.db();
    const products = await db
      .collection('products')
      .find({ category: { $in: categories } }, { projection: { _id: 1 } })
      .toArray();
    // Their stock levels too, in one write: the local store scans once for the whole `$in`.
    await db.collection('stock_levels').deleteMany({ _id: { $in: products.map((p) => p._id) } });
    await db.collection('products').deleteMany({ category: { $in: categories } });
  } finally {
    await client.close();
  }
}
