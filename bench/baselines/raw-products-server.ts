/**
 * The floor for the catalog reads: plain Fastify and the MongoDB driver answering the same two
 * queries product-service makes (a live-products page sorted by -createdAt, and one live product
 * by _id) against the same collection, with no framework, validation, guards or logging on top.
 * Run as its own process so its CPU and memory are measured like an app's.
 */
import Fastify from 'fastify';
import { MongoClient, ObjectId } from 'mongodb';

const port = Number(process.env.BENCH_RAW_PRODUCTS_PORT ?? 8100);
const uri = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/microshop_products';

const PROJECTION = {
  sku: 1,
  name: 1,
  description: 1,
  category: 1,
  priceCents: 1,
  currency: 1,
  stock: 1,
  version: 1,
  createdAt: 1,
  updatedAt: 1,
};
const LIVE = { deletedAt: { $exists: false } };

async function main() {
  const client = await MongoClient.connect(uri, { maxPoolSize: 20 });
  const products = client.db().collection('products');
  const app = Fastify({ logger: false });

  app.get<{ Querystring: { limit?: string } }>('/products', async (req) => {
    const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 20)));
    const found = await products
      .find(LIVE, { projection: PROJECTION })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .toArray();
    const items = found.slice(0, limit).map(({ _id, ...rest }) => ({ id: String(_id), ...rest }));
    return { items, nextCursor: found.length > limit ? 'more' : null };
  });

  app.get<{ Params: { id: string } }>('/products/:id', async (req, reply) => {
    if (!ObjectId.isValid(req.params.id)) return reply.code(404).send({ statusCode: 404 });
    const doc = await products.findOne(
      { _id: new ObjectId(req.params.id), ...LIVE },
      { projection: PROJECTION },
    );
    if (!doc) return reply.code(404).send({ statusCode: 404 });
    const { _id, ...rest } = doc;
    return { id: String(_id), ...rest };
  });

  app.get('/health', () => Promise.resolve({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
  const close = async () => {
    await app.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  process.once('SIGINT', () => void close());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
