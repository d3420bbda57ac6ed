import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../orders/entities/bigint-number';

/** What order-service knows of a product, from product events: enough to price an order. */
@Entity({ name: 'catalog_products' })
export class CatalogProduct {
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 64 }) productId!: string;
  @Column({ type: 'varchar', length: 64 }) sku!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'price_cents', type: 'bigint', transformer: bigintNumber }) priceCents!: number;
  @Column({ type: 'char', length: 3 }) currency!: string;
  /** The product's version in product-service; only newer versions are applied. */
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'boolean' }) deleted!: boolean;
  @Column({ name: 'source_updated_at', type: 'datetime', precision: 3 }) sourceUpdatedAt!: Date;
}
