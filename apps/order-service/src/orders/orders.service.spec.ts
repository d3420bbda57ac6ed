import {
  ConflictException,
  ForbiddenException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { AuthUser } from '@microshop/auth';
import { TooManyRequestsException, ValidationFailedException } from '@microshop/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogReplicaService } from '../catalog-replica/catalog-replica.service';
import { CatalogProduct } from '../catalog-replica/entities/catalog-product.entity';
import { CustomerOrderLimits } from './customer-order-limits';
import { IdempotencyKey } from './entities/idempotency-key.entity';
import { OrderWithLines } from './order-view';
import { OrderMetrics } from './orders.metrics';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

const customer: AuthUser = { id: 'u1', email: 'ada@example.com', roles: ['customer'] };
const admin: AuthUser = { id: 'u0', email: 'admin@example.com', roles: ['admin'] };

const product = (overrides: Partial<CatalogProduct> = {}): CatalogProduct => ({
  productId: 'p1',
  sku: 'MUG-1',
  name: 'Mug',
  priceCents: 1299,
  currency: 'USD',
  version: 1,
  deleted: false,
  sourceUpdatedAt: new Date(),
  ...overrides,
});

const LIMITS = { maxPending: 2, maxPlaced: 3, windowSeconds: 600 };
const noActivity = { pending: 0, placed: 0, oldestPlacedAt: null as Date | null };

function setUp(products: CatalogProduct[], keys: IdempotencyKey[] = [], activity = noActivity) {
  const inserted: OrderWithLines[] = [];
  const events: unknown[] = [];
  const manager = { insert: jest.fn(() => Promise.resolve()) } as unknown as EntityManager;
  const repository = {
    transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager),
    insert: jest.fn((_m: EntityManager, placed: OrderWithLines, _r: string, e: unknown[]) => {
      inserted.push(placed);
      events.push(...e);
      return Promise.resolve();
    }),
    find: jest.fn((id: string) => Promise.resolve(inserted.find((o) => o.order.id === id) ?? null)),
    page: jest.fn(() => Promise.resolve([])),
    customerActivity: jest.fn(() => Promise.resolve(activity)),
  } as unknown as OrdersRepository;
  const dataSource = {
    getRepository: () => ({
      findOneBy: ({ userId, key }: { userId: string; key: string }) =>
        Promise.resolve(keys.find((k) => k.userId === userId && k.key === key) ?? null),
    }),
  } as unknown as DataSource;
  const catalog = {
    findMany: (ids: string[]) => Promise.resolve(products.filter((p) => ids.includes(p.productId))),
  } as unknown as CatalogReplicaService;
  const metrics = { placed: jest.fn(), outcome: jest.fn() } as unknown as OrderMetrics;
  const limits = new CustomerOrderLimits(repository, LIMITS);
  const service = new OrdersService(dataSource, repository, catalog, metrics, limits);
  return { service, inserted, events, repository, manager };
}

describe('OrdersService.place', () => {
  it('prices lines from the replica, totals on the server and records order.created', async () => {
    const { service, events } = setUp([product(), product({ productId: 'p2', priceCents: 450 })]);
    const { order, replayed } = await service.place(customer, {
      items: [
        { productId: 'p1', quantity: 2 },
        { productId: 'p2', quantity: 3 },
      ],
    });
    expect(replayed).toBe(false);
    expect(order).toMatchObject({
      userId: 'u1',
      status: 'PENDING',
      totalCents: 2 * 1299 + 3 * 450,
      currency: 'USD',
      items: [
        { productId: 'p1', sku: 'MUG-1', unitPriceCents: 1299, quantity: 2, lineTotalCents: 2598 },
        { productId: 'p2', unitPriceCents: 450, quantity: 3, lineTotalCents: 1350 },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({
        key: order.id,
        envelope: expect.objectContaining({
          type: 'order.created',
          payload: expect.objectContaining({ orderId: order.id, customerEmail: 'ada@example.com' }),
        }),
      }),
    ]);
  });

  it('answers 422 for unknown and deleted products, naming them', async () => {
    const { service, inserted } = setUp([product(), product({ productId: 'gone', deleted: true })]);
    const placing = service.place(customer, {
      items: [
        { productId: 'p1', quantity: 1 },
        { productId: 'gone', quantity: 1 },
        { productId: 'nope', quantity: 1 },
      ],
    });
    await expect(placing).rejects.toBeInstanceOf(UnprocessableEntityException);
    await expect(placing).rejects.toThrow(/gone, nope/);
    expect(inserted).toHaveLength(0);
  });

  it('refuses to mix currencies in one order', async () => {
    const { service } = setUp([product(), product({ productId: 'p2', currency: 'EUR' })]);
    await expect(
      service.place(customer, {
        items: [
          { productId: 'p1', quantity: 1 },
          { productId: 'p2', quantity: 1 },
        ],
      }),
    ).rejects.toBeInstanceOf(UnprocessableEntityException);
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    const { service } = setUp([product()]);
    await expect(
      service.place(customer, { items: [{ productId: 'p1', quantity: 1 }] }, 'has space'),
    ).rejects.toBeInstanceOf(ValidationFailedException);
  });

  it('replays the order of a known key with the same body, and 409s another body', async () => {
    const first = setUp([product()]);
    const { order } = await first.service.place(
      customer,
      { items: [{ productId: 'p1', quantity: 1 }] },
      'key-1',
    );
    const stored = (first.manager.insert as jest.Mock).mock.calls[0][1] as IdempotencyKey;
    expect(stored).toMatchObject({ userId: 'u1', key: 'key-1', orderId: order.id });

    const second = setUp([product()], [stored]);
    (second.repository.find as jest.Mock).mockResolvedValue(first.inserted[0]);
    const again = await second.service.place(
      customer,
      { items: [{ productId: 'p1', quantity: 1 }] },
      'key-1',
    );
    expect(again).toEqual({ order, replayed: true });
    expect(second.inserted).toHaveLength(0);

    await expect(
      second.service.place(customer, { items: [{ productId: 'p1', quantity: 2 }] }, 'key-1'),
    ).rejects.toBeInstanceOf(ConflictException);
    // Keys are per user: another customer's identical key is a new order.
    const other = await second.service.place(
      { ...customer, id: 'u2' },
      { items: [{ productId: 'p1', quantity: 1 }] },
      'key-1',
    );
    expect(other.replayed).toBe(false);
  });

  it("refuses with 429 a customer's order beyond the pending cap, placing nothing", async () => {
    const { service, inserted } = setUp([product()], [], { ...noActivity, pending: 2 });
    const refused = service.place(customer, { items: [{ productId: 'p1', quantity: 1 }] });
    await expect(refused).rejects.toBeInstanceOf(TooManyRequestsException);
    await expect(refused).rejects.toThrow('You have 2 orders awaiting confirmation (at most 2)');
    expect(inserted).toHaveLength(0);
  });

  it('refuses with 429 beyond the orders per window, retrying once the oldest leaves it', async () => {
    const oldestPlacedAt = new Date(Date.now() - 480_000);
    const { service, inserted } = setUp([product()], [], { pending: 0, placed: 3, oldestPlacedAt });
    const refusal = await service
      .place(customer, { items: [{ productId: 'p1', quantity: 1 }] })
      .catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(TooManyRequestsException);
    const { retryAfterSeconds } = refusal as TooManyRequestsException;
    expect(retryAfterSeconds).toBeGreaterThan(119);
    expect(retryAfterSeconds).toBeLessThanOrEqual(120);
    expect(inserted).toHaveLength(0);
  });

  it('places an order just under both caps', async () => {
    const { service, inserted } = setUp([product()], [], {
      pending: 1,
      placed: 2,
      oldestPlacedAt: new Date(),
    });
    await service.place(customer, { items: [{ productId: 'p1', quantity: 1 }] });
    expect(inserted).toHaveLength(1);
  });

  it('replays an earlier order of the same key even at the caps', async () => {
    const first = setUp([product()]);
    await first.service.place(customer, { items: [{ productId: 'p1', quantity: 1 }] }, 'key-2');
    const stored = (first.manager.insert as jest.Mock).mock.calls[0][1] as IdempotencyKey;
    const capped = setUp([product()], [stored], { ...noActivity, pending: 2 });
    (capped.repository.find as jest.Mock).mockResolvedValue(first.inserted[0]);
    const again = await capped.service.place(
      customer,
      { items: [{ productId: 'p1', quantity: 1 }] },
      'key-2',
    );
    expect(again.replayed).toBe(true);
  });
});

describe('OrdersService.list', () => {
  it("lets only admins filter by another customer's id", async () => {
    const { service, repository } = setUp([]);
    await expect(service.list(customer, { userId: 'u2' })).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    await service.list(customer, {});
    expect(repository.page).toHaveBeenLastCalledWith(expect.objectContaining({ userId: 'u1' }));
    await service.list(admin, {});
    expect(repository.page).toHaveBeenLastCalledWith(
      expect.objectContaining({ userId: undefined }),
    );
    await service.list(admin, { userId: 'u2', status: 'CONFIRMED', limit: 5 });
    expect(repository.page).toHaveBeenLastCalledWith(
      expect.objectContaining({ userId: 'u2', status: 'CONFIRMED', limit: 6 }),
    );
  });

  it('refuses a cursor it did not make', async () => {
    const { service } = setUp([]);
    await expect(service.list(customer, { cursor: 'bogus' })).rejects.toBeInstanceOf(
      ValidationFailedException,
    );
  });
});
