import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEnvelope, TOPICS } from '@microshop/events';
import { DataSource, EntityManager } from 'typeorm';
import { recordProcessed } from '../processed-events/processed-events';
import { CatalogProductDto, toCatalogProductDto } from './dto/catalog-product.dto';
import { CatalogProduct } from './entities/catalog-product.entity';

const CONSUMER = 'catalog-replica';

interface CatalogProductRow {
  product_id: string;
  sku: string;
  name: string;
  /** BIGINT arrives as a string. */
  price_cents: string | number;
  currency: string;
  version: number;
  deleted: number;
  source_updated_at: Date;
}

type ProductStateEvent = EventEnvelope<
  typeof TOPICS.PRODUCT_CREATED | typeof TOPICS.PRODUCT_UPDATED
>;

/**
 * order-service's replica of the catalog, fed by product events. Each event carries the product's
 * version: a row only ever moves to a newer version, so redeliveries and events arriving out of
 * order (a retried `product.updated` after a later one) leave the newest state in place.
 */
@Injectable()
export class CatalogReplicaService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async applyState(event: ProductStateEvent): Promise<void> {
    const p = event.payload;
    await this.dataSource.transaction(async (manager) => {
      if (!(await recordProcessed(manager, CONSUMER, event))) return;
      await this.insertIfAbsent(manager, {
        productId: p.productId,
        sku: p.sku,
        name: p.name,
        priceCents: p.priceCents,
        currency: p.currency,
        version: p.version,
        deleted: false,
        sourceUpdatedAt: new Date(p.updatedAt),
      });
      await manager.query(
        `UPDATE catalog_products
            SET sku = ?, name = ?, price_cents = ?, currency = ?, version = ?, deleted = 0,
                source_updated_at = ?
          WHERE product_id = ? AND version < ?`,
        [
          p.sku,
          p.name,
          p.priceCents,
          p.currency,
          p.version,
          new Date(p.updatedAt),
          p.productId,
          p.version,
        ],
      );
    });
  }

  /** A deletion wins over a state of the same version; an older state never revives it. */
  async applyDeletion(event: EventEnvelope<typeof TOPICS.PRODUCT_DELETED>): Promise<void> {
    const p = event.payload;
    await this.dataSource.transaction(async (manager) => {
      if (!(await recordProcessed(manager, CONSUMER, event))) return;
      await this.insertIfAbsent(manager, {
        productId: p.productId,
        sku: p.sku,
        name: p.sku,
        priceCents: 0,
        currency: 'USD',
        version: p.version,
        deleted: true,
        sourceUpdatedAt: new Date(p.deletedAt),
      });
      await manager.query(
        `UPDATE catalog_products SET deleted = 1, version = ?, source_updated_at = ?
          WHERE product_id = ? AND version <= ?`,
        [p.version, new Date(p.deletedAt), p.productId, p.version],
      );
    });
  }

  /** The replicas of these products, deleted ones included. */
  async findMany(productIds: string[]): Promise<CatalogProduct[]> {
    if (productIds.length === 0) return [];
    // Plain SQL: this runs for every order placed (see orders/order-rows.ts).
    const rows = await this.dataSource.query<CatalogProductRow[]>(
      `SELECT product_id, sku, name, price_cents, currency, version, deleted, source_updated_at
         FROM catalog_products WHERE product_id IN (?)`,
      [productIds],
    );
    return rows.map((r) => ({
      productId: r.product_id,
      sku: r.sku,
      name: r.name,
      priceCents: Number(r.price_cents),
      currency: r.currency,
      version: r.version,
      deleted: Boolean(r.deleted),
      sourceUpdatedAt: r.source_updated_at,
    }));
  }

  async findOne(productId: string): Promise<CatalogProductDto> {
    const product = await this.dataSource.getRepository(CatalogProduct).findOneBy({ productId });
    if (!product) throw new NotFoundException('order-service knows no such product');
    return toCatalogProductDto(product);
  }

  private async insertIfAbsent(manager: EntityManager, row: CatalogProduct): Promise<void> {
    await manager.query(
      `INSERT INTO catalog_products
         (product_id, sku, name, price_cents, currency, version, deleted, source_updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE product_id = product_id`,
      [
        row.productId,
        row.sku,
        row.name,
        row.priceCents,
        row.currency,
        row.version,
        row.deleted ? 1 : 0,
        row.sourceUpdatedAt,
      ],
    );
  }
}
