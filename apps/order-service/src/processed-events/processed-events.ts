import { EventEnvelope } from '@microshop/events';
import { EntityManager } from 'typeorm';

/**
 * Records that `consumer` applied `event`, inside the caller's transaction. Returns false when it
 * already had (a redelivery): the caller then does nothing. Two deliveries racing each other are
 * serialised by the primary key, the second seeing the first's committed row.
 */
export async function recordProcessed(
  manager: EntityManager,
  consumer: string,
  event: EventEnvelope,
): Promise<boolean> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('processed events must be recorded in the transaction of their effect');
  }
  const result = await manager.query<{ affectedRows: number }>(
    'INSERT IGNORE INTO processed_events (consumer, event_id, topic, processed_at) VALUES (?, ?, ?, NOW(3))',
    [consumer, event.eventId, event.type],
  );
  return result.affectedRows === 1;
}
