import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Events a consumer has applied, recorded in the transaction of their effect (dedupe). */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ type: 'varchar', length: 100 }) consumer!: string;
  @PrimaryColumn({ name: 'event_id', type: 'char', length: 36 }) eventId!: string;
  @Column({ type: 'varchar', length: 100 }) topic!: string;
  @Column({ name: 'processed_at', type: 'datetime', precision: 3 }) processedAt!: Date;
}
