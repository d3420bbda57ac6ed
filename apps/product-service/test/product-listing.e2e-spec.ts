import { randomUUID } from 'node:crypto';
import {
  createProducts,
  listAllProducts,
  loginAsAdmin,
  NewProduct,
  Product,
  PRODUCT_SERVICE_URL as url,
  purgeProducts,
  request,
  testCategory,
} from '@microshop/testing';

/**
 * Listing over a catalog of 1,000 products of this run's own category: paging, sorting, filters
 * and word search, compared with what the products say.
 */
const category = testCategory('listing');
const otherCategory = testCategory('listing');
const growing = testCategory('listing');
const runWord = `zq${randomUUID().slice(0, 8)}`;

const COLOURS = ['Red', 'Green', 'Blue', 'Amber', 'Violet'];
const MATERIALS = ['oak', 'steel', 'linen', 'glass'];
const KINDS = ['Lamp', 'Chair', 'Table', 'Mug', 'Kettle'];
const FINISHES = ['matte', 'glossy', 'brushed', 'crème'];

/** Deterministic per index; names and prices repeat so that ties must be broken by id. */
function catalogItem(i: number): Partial<NewProduct> {
  const colour = COLOURS[i % COLOURS.length];
  const material = MATERIALS[Math.floor(i / 5) % MATERIALS.length];
  const kind = KINDS[Math.floor(i / 20) % KINDS.length];
  const finish = FINISHES[Math.floor(i / 7) % FINISHES.length];
  return {
    category,
    name: `${colour} ${material} ${kind}`,
    description: `A ${finish} finish.${i % 50 === 0 ? ` Limited ${runWord} edition.` : ''}`,
    priceCents: 100 * ((i * 37) % 61),
    stock: i % 13,
  };
}

type Comparable = string | number;
const SORTS: Record<string, { key: (p: Product) => Comparable; direction: 1 | -1 }> = {
  createdAt: { key: (p) => Date.parse(p.createdAt), direction: 1 },
  '-createdAt': { key: (p) => Date.parse(p.createdAt), direction: -1 },
  price: { key: (p) => p.priceCents, direction: 1 },
  '-price': { key: (p) => p.priceCents, direction: -1 },
  name: { key: (p) => p.name.toLowerCase(), direction: 1 },
};

/** The order the API promises: by the sort key, ties by id, both in the sort's direction. */
const expectedOrder = (products: Product[], sort: string) => {
  const { key, direction } = SORTS[sort];
  const cmp = (a: Comparable, b: Comparable) => (a < b ? -1 : a > b ? 1 : 0);
  return [...products]
    .sort((a, b) => direction * (cmp(key(a), key(b)) || cmp(a.id, b.id)))
    .map((p) => p.id);
};

const words = (p: Product) =>
  `${p.name} ${p.description}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);

const ids = (products: Product[]) => products.map((p) => p.id).sort();

let admin: string;
let products: Product[];

beforeAll(async () => {
  admin = (await loginAsAdmin()).accessToken;
  products = await createProducts(
    admin,
    Array.from({ length: 1000 }, (_, i) => catalogItem(i)),
    25,
  );
  await createProducts(admin, [
    { category: otherCategory, name: 'Red oak Lamp', priceCents: 500 },
    { category: otherCategory, name: `Blue ${runWord} Mug`, priceCents: 700 },
  ]);
}, 300_000);
afterAll(() => purgeProducts([category, otherCategory, growing]));

describe('GET /products paging', () => {
  it.each(Object.keys(SORTS))(
    'visits each of the 1,000 products exactly once, in order, with sort=%s',
    async (sort) => {
      const { items, pages } = await listAllProducts({ category, sort, limit: 100 });
      expect(pages).toBe(10);
      expect(items.map((p) => p.id)).toEqual(expectedOrder(products, sort));
    },
  );

  it('pages 20 at a time by default, newest first', async () => {
    const first = await request<{ items: Product[]; nextCursor: string | null }>(
      url,
      'GET',
      `/products?category=${category}`,
    );
    expect(first.status).toBe(200);
    expect(first.body.items.map((p) => p.id)).toEqual(
      expectedOrder(products, '-createdAt').slice(0, 20),
    );
    const second = await request<{ items: Product[]; nextCursor: string | null }>(
      url,
      'GET',
      `/products?category=${category}&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((p) => p.id)).toEqual(
      expectedOrder(products, '-createdAt').slice(20, 40),
    );
  });

  it('answers an empty last page with a null nextCursor', async () => {
    const res = await request(url, 'GET', `/products?category=${testCategory('listing')}`);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    const last = await request<{ items: Product[]; nextCursor: string | null }>(
      url,
      'GET',
      `/products?category=${otherCategory}&limit=2`,
    );
    expect(last.body.items).toHaveLength(2);
    expect(last.body.nextCursor).toBeNull();
  });

  it.each(['-createdAt', 'createdAt', 'price', 'name'])(
    'neither skips nor repeats products that existed when paging started while others are inserted (sort=%s)',
    async (sort) => {
      const before = await createProducts(
        admin,
        Array.from({ length: 60 }, (_, i) => ({ ...catalogItem(i * 7), category: growing })),
      );
      const seen: Product[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const query: string = `category=${growing}&sort=${sort}&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await request<{ items: Product[]; nextCursor: string | null }>(
          url,
          'GET',
          `/products?${query}`,
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        // Between pages, new products land before and after the position reached.
        await createProducts(
          admin,
          Array.from({ length: 3 }, (_, i) => ({
            ...catalogItem(page * 3 + i),
            category: growing,
          })),
        );
        page += 1;
      } while (cursor !== null);

      const seenIds = seen.map((p) => p.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      expect(seenIds).toEqual(expect.arrayContaining(before.map((p) => p.id)));
      expect(seenIds).toEqual(expectedOrder(seen, sort));
      await purgeProducts([growing]);
    },
  );
});

describe('GET /products filters and search', () => {
  const matching = async (query: Record<string, string | number>) =>
    ids((await listAllProducts({ ...query, limit: 100 })).items);

  it('category returns exactly that category', async () => {
    expect(await matching({ category: otherCategory })).toHaveLength(2);
    expect(await matching({ category })).toEqual(ids(products));
  });

  it.each([
    [{ minPrice: 3000 }, (p: Product) => p.priceCents >= 3000],
    [{ maxPrice: 1500 }, (p: Product) => p.priceCents <= 1500],
    [
      { minPrice: 1000, maxPrice: 2000 },
      (p: Product) => p.priceCents >= 1000 && p.priceCents <= 2000,
    ],
    [{ minPrice: 2500, maxPrice: 2500 }, (p: Product) => p.priceCents === 2500],
    [{ minPrice: 999_999 }, () => false],
  ])('price range %j returns exactly the products in it', async (range, inRange) => {
    expect(await matching({ category, ...range })).toEqual(ids(products.filter(inRange)));
  });

  it.each([
    ['one word', 'lamp', ['lamp']],
    ['a word of the description', 'GLOSSY', ['glossy']],
    ['every word, in any order and case', 'Kettle  AMBER glass', ['kettle', 'amber', 'glass']],
    ['accents folded', 'CREME', ['creme']],
    ['accents in the query', 'crème Mug', ['creme', 'mug']],
    ['punctuation ignored', 'red, oak!', ['red', 'oak']],
    ['a word no product has', 'lamp unobtainium', ['lamp', 'unobtainium']],
    ['part of a word only', 'lam', ['lam']],
  ])('q with %s returns exactly the products holding every word', async (_, q, qWords) => {
    const expected = products.filter((p) => qWords.every((w) => words(p).includes(w)));
    expect(await matching({ category, q })).toEqual(ids(expected));
  });

  it('q combines with the price range and sort', async () => {
    const expected = products.filter(
      (p) => words(p).includes('steel') && p.priceCents >= 1200 && p.priceCents <= 4800,
    );
    const { items } = await listAllProducts({
      category,
      q: 'Steel',
      minPrice: 1200,
      maxPrice: 4800,
      sort: '-price',
      limit: 30,
    });
    expect(items.map((p) => p.id)).toEqual(expectedOrder(expected, '-price'));
    expect(expected.length).toBeGreaterThan(30);
  });

  it('q alone searches the whole catalog', async () => {
    const expected = (await listAllProducts({ category: otherCategory })).items
      .filter((p) => p.name.includes(runWord))
      .concat(products.filter((p) => p.description.includes(runWord)));
    expect(await matching({ q: runWord.toUpperCase() })).toEqual(ids(expected));
    expect(expected).toHaveLength(21);
  });
});

describe('GET /products parameters', () => {
  const list = (query: string) => request(url, 'GET', `/products?${query}`);

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
    ['sort=popularity', 'sort'],
    ['sort=-name', 'sort'],
    ['minPrice=-1', 'minPrice'],
    ['minPrice=cheap', 'minPrice'],
    ['maxPrice=1e3', 'maxPrice'],
    ['minPrice=500&maxPrice=100', 'maxPrice'],
    ['category=Not%20A%20Slug', 'category'],
    ['q=%21%21%21', 'q'],
    [`q=${'a'.repeat(201)}`, 'q'],
    ['cursor=%7B%7D', 'cursor'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the parameter for %s', async (query, field) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
    expect((res.body.details as { field: string }[]).map((d) => d.field)).toContain(field);
  });

  it('answers 400 for a cursor of another sort order', async () => {
    const page = await list(`category=${category}&sort=price&limit=5`);
    const res = await list(`category=${category}&sort=name&cursor=${page.body.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'cursor', message: expect.stringContaining('sort') },
    ]);
  });
});
