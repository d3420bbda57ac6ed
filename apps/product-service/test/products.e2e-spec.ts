import {
  createProduct,
  listAllProducts,
  loginAsAdmin,
  newProduct,
  Product,
  PRODUCT_SERVICE_URL as url,
  purgeProducts,
  registerAndLogin,
  request,
  testCategory,
} from '@microshop/testing';

const category = testCategory('crud');
let admin: string;
let customer: string;

beforeAll(async () => {
  admin = (await loginAsAdmin()).accessToken;
  customer = (await registerAndLogin()).accessToken;
});
afterAll(() => purgeProducts([category]));

const create = (body: unknown, token: string | null = admin) =>
  request<Product>(url, 'POST', '/products', { body, token: token ?? undefined });
const patch = (id: string, body: unknown, headers: Record<string, string> = {}, token = admin) =>
  request<Product>(url, 'PATCH', `/products/${id}`, { body, token, headers });
const remove = (id: string, headers: Record<string, string> = {}, token = admin) =>
  request(url, 'DELETE', `/products/${id}`, { token, headers });
const get = (id: string) => request<Product>(url, 'GET', `/products/${id}`);
const fieldsOf = (body: { details?: { field: string }[] }) => [
  ...new Set((body.details ?? []).map((d) => d.field)),
];

const MISSING_ID = '0123456789abcdef01234567';

describe('POST /products', () => {
  it('creates a product with the defaults, answers 201 with its version as ETag', async () => {
    const input = newProduct({ category, sku: `t-lower-${Date.now()}` });
    const res = await create({
      sku: input.sku,
      name: input.name,
      category,
      priceCents: 4999,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      sku: input.sku.toUpperCase(),
      name: input.name,
      description: '',
      category,
      priceCents: 4999,
      currency: 'USD',
      stock: 0,
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
      version: 1,
    });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();

    const read = await get(res.body.id);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual(res.body);
  });

  it('accepts every field at its limits', async () => {
    const res = await create(
      newProduct({
        category,
        name: 'N'.repeat(200),
        description: 'd'.repeat(5000),
        priceCents: 1_000_000_000,
        stock: 1_000_000,
        currency: 'eur',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      priceCents: 1_000_000_000,
      stock: 1_000_000,
      currency: 'EUR',
    });
    const free = await create(newProduct({ category, priceCents: 0, stock: 0 }));
    expect(free.status).toBe(201);
  });

  it.each([
    ['sku too short', { sku: 'A' }, 'sku'],
    ['sku with spaces', { sku: 'AB 12' }, 'sku'],
    ['sku too long', { sku: 'A'.repeat(65) }, 'sku'],
    ['empty name', { name: '' }, 'name'],
    ['blank name', { name: '   ' }, 'name'],
    ['name too long', { name: 'n'.repeat(201) }, 'name'],
    ['description too long', { description: 'd'.repeat(5001) }, 'description'],
    ['null description', { description: null }, 'description'],
    ['category not a slug', { category: 'Home Office' }, 'category'],
    ['fractional price', { priceCents: 12.5 }, 'priceCents'],
    ['negative price', { priceCents: -1 }, 'priceCents'],
    ['price above 10^9', { priceCents: 1_000_000_001 }, 'priceCents'],
    ['price as a string', { priceCents: '100' }, 'priceCents'],
    ['currency not ISO 4217', { currency: 'XYZ' }, 'currency'],
    ['currency not a code', { currency: 'dollars' }, 'currency'],
    ['negative stock', { stock: -1 }, 'stock'],
    ['fractional stock', { stock: 1.5 }, 'stock'],
    ['stock above 10^6', { stock: 1_000_001 }, 'stock'],
    ['an unknown field', { discount: 10 }, 'discount'],
    ['a server-owned field', { version: 7 }, 'version'],
    ['a client-chosen id', { id: MISSING_ID }, 'id'],
  ])('answers 400 naming the field for %s, and stores nothing', async (_, change, field) => {
    const body = { ...newProduct({ category }), ...change };
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(fieldsOf(res.body as never)).toEqual([field]);
    if (field !== 'sku') {
      // The refused request did not take the sku.
      expect((await create(newProduct({ category, sku: body.sku }))).status).toBe(201);
    }
  });

  it('answers 400 naming every missing field', async () => {
    const res = await create({});
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body as never)).toEqual(
      expect.arrayContaining(['sku', 'name', 'category', 'priceCents']),
    );
  });

  it('answers 409 for a sku that is taken, whatever its case', async () => {
    const first = await create(newProduct({ category }));
    expect(first.status).toBe(201);
    const again = await create(newProduct({ category, sku: first.body.sku.toLowerCase() }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('answers 401 without a token and 403 for a customer, creating nothing', async () => {
    const own = testCategory('crud-auth');
    expect((await create(newProduct({ category: own }), null)).status).toBe(401);
    expect((await create(newProduct({ category: own }), 'not-a-token')).status).toBe(401);
    const forbidden = await create(newProduct({ category: own }), customer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect((await listAllProducts({ category: own })).items).toEqual([]);
  });
});

describe('GET /products/:id', () => {
  it.each([MISSING_ID, 'not-an-id', '123', `${MISSING_ID}0`])('answers 404 for %s', async (id) => {
    const res = await get(id);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('PATCH /products/:id', () => {
  let product: Product;
  beforeEach(async () => {
    product = await createProduct(admin, { category, stock: 5 });
  });

  it('changes the given fields, keeps the others, bumps the version and answers its ETag', async () => {
    const res = await patch(product.id, { name: 'Renamed lamp', priceCents: 2599 });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toEqual({
      ...product,
      name: 'Renamed lamp',
      priceCents: 2599,
      version: 2,
      updatedAt: expect.any(String),
    });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(product.updatedAt));
    expect((await get(product.id)).body).toEqual(res.body);
  });

  it.each([
    ['the quoted ETag form', '"1"'],
    ['the bare version', '1'],
    ['a list holding the version', '"7", "1"'],
    ['*', '*'],
  ])('applies the change when If-Match is %s', async (_, ifMatch) => {
    const res = await patch(product.id, { priceCents: 1234, stock: 9 }, { 'if-match': ifMatch });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ priceCents: 1234, stock: 9, version: 2 });
  });

  it('changes stock without a new version: the version is the catalog entry`s', async () => {
    const res = await patch(product.id, { stock: 9 }, { 'if-match': '"1"' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect((await get(product.id)).body).toEqual({ ...product, stock: 9 });
  });

  it('answers 412 for a stale If-Match and changes nothing, stock included', async () => {
    expect((await patch(product.id, { name: 'Renamed' }, { 'if-match': '"1"' })).status).toBe(200);
    for (const stale of ['"1"', '1', 'W/"2"', '"abc"']) {
      for (const body of [{ name: 'Stale' }, { stock: 99 }, { stockDelta: 1 }]) {
        const res = await patch(product.id, body, { 'if-match': stale });
        expect(res.status).toBe(412);
        expect(res.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
      }
    }
    expect((await get(product.id)).body).toMatchObject({ name: 'Renamed', stock: 5, version: 2 });
    const fresh = await patch(product.id, { name: 'Fresh' }, { 'if-match': '"2"' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"3"');
  });

  it('lets exactly one of concurrent PATCHes with the same If-Match through', async () => {
    const prices = Array.from({ length: 10 }, (_, i) => 1000 + i);
    const results = await Promise.all(
      prices.map((priceCents) => patch(product.id, { priceCents }, { 'if-match': '"1"' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(9).fill(412)]);
    const winner = results.find((r) => r.status === 200)!;
    expect((await get(product.id)).body).toEqual(winner.body);
    expect(winner.body.version).toBe(2);
  });

  it('keeps every concurrent PATCH without If-Match, each a version of its own', async () => {
    const results = await Promise.all(
      [1001, 1002, 1003, 1004].map((priceCents) => patch(product.id, { priceCents })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((r) => r.body.version).sort()).toEqual([2, 3, 4, 5]);
    expect((await get(product.id)).body).toMatchObject({ version: 5 });
  });

  it('applies every concurrent stockDelta, none lost', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => patch(product.id, { stockDelta: 1 })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((r) => r.body.stock).sort()).toEqual([6, 7, 8, 9]);
    expect((await get(product.id)).body).toMatchObject({ stock: 9, version: 1 });
  });

  it('adjusts stock by stockDelta, and answers 409 rather than going below zero', async () => {
    const down = await patch(product.id, { stockDelta: -5 });
    expect(down.status).toBe(200);
    expect(down.body.stock).toBe(0);
    const below = await patch(product.id, { stockDelta: -1 });
    expect(below.status).toBe(409);
    expect(below.body).toMatchObject({ message: expect.stringContaining('Stock is 0') });
    expect((await get(product.id)).body).toMatchObject({ stock: 0, version: 1 });
  });

  it.each([
    ['an empty body', {}, undefined],
    ['a negative stock', { stock: -1 }, 'stock'],
    ['a null name', { name: null }, 'name'],
    ['a fractional price', { priceCents: 9.99 }, 'priceCents'],
    ['a bad currency', { currency: 'EURO' }, 'currency'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['the version', { version: 9 }, 'version'],
    ['stock with stockDelta', { stock: 1, stockDelta: 1 }, 'stockDelta'],
  ])('answers 400 for %s and changes nothing', async (_, body, field) => {
    const res = await patch(product.id, body);
    expect(res.status).toBe(400);
    if (field) expect(fieldsOf(res.body as never)).toEqual([field]);
    expect((await get(product.id)).body).toEqual(product);
  });

  it('answers 409 for a sku another product has', async () => {
    const other = await createProduct(admin, { category });
    const res = await patch(product.id, { sku: other.sku });
    expect(res.status).toBe(409);
    expect((await get(product.id)).body).toEqual(product);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await patch(MISSING_ID, { stock: 1 })).status).toBe(404);
    expect((await patch('nope', { stock: 1 })).status).toBe(404);
  });

  it('answers 401 without a token and 403 for a customer', async () => {
    expect(
      (await request(url, 'PATCH', `/products/${product.id}`, { body: { stock: 1 } })).status,
    ).toBe(401);
    expect((await patch(product.id, { stock: 1 }, {}, customer)).status).toBe(403);
    expect((await get(product.id)).body).toEqual(product);
  });
});

describe('DELETE /products/:id', () => {
  it('answers 204, then the product is gone everywhere and its sku is free', async () => {
    const product = await createProduct(admin, { category });
    const res = await remove(product.id);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    expect((await get(product.id)).status).toBe(404);
    expect((await patch(product.id, { stock: 1 })).status).toBe(404);
    expect((await remove(product.id)).status).toBe(404);
    const listed = await listAllProducts({ category, limit: 100 });
    expect(listed.items.map((p) => p.id)).not.toContain(product.id);

    const reused = await create(newProduct({ category, sku: product.sku }));
    expect(reused.status).toBe(201);
    expect(reused.body.id).not.toBe(product.id);
  });

  it('answers 412 for a stale If-Match and keeps the product', async () => {
    const product = await createProduct(admin, { category });
    expect((await patch(product.id, { name: 'Renamed' })).status).toBe(200);
    expect((await remove(product.id, { 'if-match': '"1"' })).status).toBe(412);
    expect((await get(product.id)).status).toBe(200);
    expect((await remove(product.id, { 'if-match': '"2"' })).status).toBe(204);
  });

  it('answers 404 for an unknown or malformed id, 401 without a token, 403 for a customer', async () => {
    expect((await remove(MISSING_ID)).status).toBe(404);
    expect((await remove('xyz')).status).toBe(404);
    const product = await createProduct(admin, { category });
    expect((await request(url, 'DELETE', `/products/${product.id}`)).status).toBe(401);
    expect((await remove(product.id, {}, customer)).status).toBe(403);
    expect((await get(product.id)).status).toBe(200);
  });
});
