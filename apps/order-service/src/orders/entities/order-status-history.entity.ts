import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { OrderStatus } from './order-status';

/** One row per status an order entered, with why; the order's audit trail. */
@Entity({ name: 'order_status_history' })
export class OrderStatusHistory {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true }) id!: string;
  @Column({ name: 'order_id', type: 'char', length: 36 }) orderId!: string;
  @Column({ type: 'varchar', length: 16 }) status!: OrderStatus;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  /** The event that caused the move, when one did. */
  @Column({ name: 'event_id', type: 'char', length: 36, nullable: true }) eventId!: string | null;
  @Column({ type: 'datetime', precision: 3 }) at!: Date;
}
