import { createHash, randomUUID } from 'node:crypto';
import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthUser } from '@microshop/auth';
import { createEnvelope, currentEventContext, TOPICS } from '@microshop/events';
import { isMySqlDuplicateKey, ValidationFailedException } from '@microshop/runtime';
import { DataSource } from 'typeorm';
import { CatalogReplicaService } from '../catalog-replica/catalog-replica.service';
import { SERVICE_NAME } from '../config';
import { CreateOrderDto } from './dto/create-order.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderDto, OrderHistoryEntryDto, OrderPageDto } from './dto/order.dto';
import { IdempotencyKey } from './entities/idempotency-key.entity';
import { OrderLine } from './entities/order-line.entity';
import { canMove } from './entities/order-status';
import { Order } from './entities/order.entity';
import { decodeCursor, encodeCursor } from './order-cursor';
import { OrderWithLines, toHistoryEntryDto, toOrderDto, toOrderSummary } from './order-view';
import { CustomerOrderLimits } from './customer-order-limits';
import { OrderMetrics } from './orders.metrics';
import { OrdersRepository } from './orders.repository';

const DEFAULT_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Visible ASCII, as the Idempotency-Key header draft suggests for opaque keys. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface PlacedOrder {
  order: OrderDto;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

const isAdmin = (user: AuthUser) => user.roles.includes('admin');

/** Same lines in the same order: the same request, whatever the JSON spacing or key order. */
const requestHash = (dto: CreateOrderDto) =>
  createHash('sha256')
    .update(JSON.stringify(dto.items.map((i) => [i.productId, i.quantity])))
    .digest('hex');

@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly catalog: CatalogReplicaService,
    private readonly metrics: OrderMetrics,
    private readonly limits: CustomerOrderLimits,
  ) {}

  /**
   * Prices the lines from the catalog replica and stores the order as PENDING with its
   * `order.created` event (and the Idempotency-Key, when given) in one transaction, within the
   * customer's limits (a replay of an earlier request is not a new order and passes).
   */
  async place(user: AuthUser, dto: CreateOrderDto, idempotencyKey?: string): Promise<PlacedOrder> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationFailedException([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const hash = requestHash(dto);
    if (idempotencyKey) {
      const earlier = await this.replay(user, idempotencyKey, hash);
      if (earlier) return earlier;
    }

    await this.limits.check(user.id);
    const placed = await this.price(user, dto);
    const event = createEnvelope(
      TOPICS.ORDER_CREATED,
      {
        ...toOrderSummary(placed),
        createdAt: placed.order.createdAt.toISOString(),
      },
      { producer: SERVICE_NAME, ...currentEventContext() },
    );
    try {
      await this.orders.transaction(async (manager) => {
        await this.orders.insert(manager, placed, 'order placed', [
          { key: placed.order.id, envelope: event },
        ]);
        // A concurrent request with the same key waits here for this transaction, then fails
        // on the duplicate key and rolls back its order: one order per key.
        if (idempotencyKey) {
          await manager.insert(IdempotencyKey, {
            userId: user.id,
            key: idempotencyKey,
            requestHash: hash,
            orderId: placed.order.id,
            createdAt: placed.order.createdAt,
          });
        }
      });
    } catch (err) {
      if (idempotencyKey && isMySqlDuplicateKey(err)) {
        const earlier = await this.replay(user, idempotencyKey, hash);
        if (earlier) return earlier;
      }
      throw err;
    }
    this.metrics.placed();
    return { order: toOrderDto(placed), replayed: false };
  }

  async list(user: AuthUser, query: ListOrdersQuery): Promise<OrderPageDto> {
    if (query.userId !== undefined && !isAdmin(user) && query.userId !== user.id) {
      throw new ForbiddenException("Only admins may list other customers' orders");
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (after === null) {
      throw new ValidationFailedException([{ field: 'cursor', message: 'cursor is not valid' }]);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.orders.page({
      userId: isAdmin(user) ? query.userId : user.id,
      status: query.status,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toOrderDto),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ createdAt: last.order.createdAt, id: last.order.id })
          : null,
    };
  }

  async get(user: AuthUser, id: string): Promise<OrderDto> {
    return toOrderDto(await this.visible(user, id));
  }

  async history(user: AuthUser, id: string): Promise<OrderHistoryEntryDto[]> {
    await this.visible(user, id);
    return (await this.orders.history(id)).map(toHistoryEntryDto);
  }

  /** PENDING or CONFIRMED → CANCELLED with `order.cancelled`; product-service releases the stock. */
  async cancel(user: AuthUser, id: string): Promise<OrderDto> {
    if (!UUID.test(id)) throw this.notFound();
    const cancelled = await this.orders.transaction(async (manager) => {
      const current = await this.orders.lock(manager, id);
      if (!current || !this.mayAccess(user, current.order)) throw this.notFound();
      const { order, lines } = current;
      if (!canMove(order.status, 'CANCELLED')) {
        throw new ConflictException(`An order in status ${order.status} cannot be cancelled`);
      }
      const previousStatus = order.status as 'PENDING' | 'CONFIRMED';
      const reason =
        order.userId === user.id ? 'cancelled by the customer' : 'cancelled by an admin';
      const moved = await this.orders.move(manager, order, 'CANCELLED', reason, null, (o) => [
        {
          key: o.id,
          envelope: createEnvelope(
            TOPICS.ORDER_CANCELLED,
            {
              ...toOrderSummary({ order: o, lines }),
              previousStatus,
              reason,
              cancelledAt: o.updatedAt.toISOString(),
            },
            { producer: SERVICE_NAME, ...currentEventContext() },
          ),
        },
      ]);
      return { order: moved, lines };
    });
    this.metrics.outcome('cancelled');
    return toOrderDto(cancelled);
  }

  private async price(user: AuthUser, dto: CreateOrderDto): Promise<OrderWithLines> {
    const ids = dto.items.map((i) => i.productId);
    const known = new Map((await this.catalog.findMany(ids)).map((p) => [p.productId, p]));
    const unavailable = ids.filter((id) => !known.get(id) || known.get(id)?.deleted);
    if (unavailable.length) {
      throw new UnprocessableEntityException(
        `Unknown or deleted product(s): ${unavailable.join(', ')}`,
      );
    }
    const currencies = new Set(ids.map((id) => known.get(id)?.currency));
    if (currencies.size > 1) {
      throw new UnprocessableEntityException(
        `The products are priced in different currencies (${[...currencies].join(', ')}); order them separately`,
      );
    }
    const orderId = randomUUID();
    const now = new Date();
    const lines: OrderLine[] = dto.items.map((item, index) => {
      const product = known.get(item.productId)!;
      return {
        orderId,
        lineNo: index + 1,
        productId: product.productId,
        sku: product.sku,
        name: product.name,
        unitPriceCents: product.priceCents,
        quantity: item.quantity,
        lineTotalCents: product.priceCents * item.quantity,
      };
    });
    const order: Order = {
      id: orderId,
      userId: user.id,
      customerEmail: user.email,
      status: 'PENDING',
      totalCents: lines.reduce((sum, l) => sum + l.lineTotalCents, 0),
      currency: [...currencies][0]!,
      createdAt: now,
      updatedAt: now,
    };
    return { order, lines };
  }

  /** The order an earlier request with this key created, or null if the key is new. */
  private async replay(user: AuthUser, key: string, hash: string): Promise<PlacedOrder | null> {
    const earlier = await this.dataSource
      .getRepository(IdempotencyKey)
      .findOneBy({ userId: user.id, key });
    if (!earlier) return null;
    if (earlier.requestHash !== hash) {
      throw new ConflictException(
        'This Idempotency-Key was already used with a different request body',
      );
    }
    const order = await this.orders.find(earlier.orderId);
    if (!order) return null;
    return { order: toOrderDto(order), replayed: true };
  }

  private async visible(user: AuthUser, id: string): Promise<OrderWithLines> {
    const found = UUID.test(id) ? await this.orders.find(id) : null;
    if (!found || !this.mayAccess(user, found.order)) throw this.notFound();
    return found;
  }

  private mayAccess(user: AuthUser, order: Order): boolean {
    return order.userId === user.id || isAdmin(user);
  }

  private notFound(): NotFoundException {
    return new NotFoundException('No such order');
  }
}
