import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number';
import { OrderStatus } from './order-status';

@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'char', length: 36 }) id!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 64 }) userId!: string;
  @Column({ name: 'customer_email', type: 'varchar', length: 320 }) customerEmail!: string;
  @Column({ type: 'varchar', length: 16 }) status!: OrderStatus;
  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintNumber }) totalCents!: number;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}
