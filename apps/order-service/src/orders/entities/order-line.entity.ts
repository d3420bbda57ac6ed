import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number';

@Entity({ name: 'order_lines' })
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'char', length: 36 }) orderId!: string;
  @PrimaryColumn({ name: 'line_no', type: 'smallint' }) lineNo!: number;
  @Column({ name: 'product_id', type: 'varchar', length: 64 }) productId!: string;
  @Column({ type: 'varchar', length: 64 }) sku!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'unit_price_cents', type: 'bigint', transformer: bigintNumber })
  unitPriceCents!: number;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ name: 'line_total_cents', type: 'bigint', transformer: bigintNumber })
  lineTotalCents!: number;
}
