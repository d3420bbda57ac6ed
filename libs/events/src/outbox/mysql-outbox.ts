import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { EventEnvelope } from '../envelope';
import { OutgoingEvent } from '../kafka/event-publisher';
import { outgoingTraceHeaders } from '../tracing/trace-context';
import { signalRecorded } from './outbox-signal';
import { OutboxBacklog, OutboxBatch, OutboxClaim, OutboxSource } from './outbox-source';

/**
 * The MySQL outbox: one row per event, inserted in the same transaction as the state change it
 * records. The app's migrations create the table (MySQL 8 / MariaDB 10.6+):
 *
 * ```sql
 * CREATE TABLE outbox (
 *   id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
 *   aggregate_id VARCHAR(64) NOT NULL,        -- the Kafka key
 *   event_id CHAR(36) NOT NULL UNIQUE,
 *   topic VARCHAR(100) NOT NULL,
 *   envelope LONGTEXT NOT NULL,               -- JSON
 *   headers TEXT NOT NULL,                    -- JSON object
 *   created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
 *   KEY outbox_aggregate (aggregate_id, id)
 * )
 * ```
 */
export const MYSQL_OUTBOX_TABLE = 'outbox';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function tableName(table: string): string {
  if (!IDENTIFIER.test(table)) throw new Error(`invalid outbox table name "${table}"`);
  return `\`${table}\``;
}

/** Marks a transaction that recorded events (in its query runner's `data`), for the commit hook. */
const RECORDED_IN = 'microshopOutboxRecordedIn';

/**
 * Records events in the outbox with the caller's transaction: `manager` must be the transactional
 * entity manager that also writes the state, so both commit or neither does. The relay is woken
 * once the transaction commits (OutboxCommitSignal).
 */
export async function recordEvents(
  manager: EntityManager,
  events: OutgoingEvent[],
  table = MYSQL_OUTBOX_TABLE,
): Promise<void> {
  if (events.length === 0) return;
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error('outbox events must be recorded inside the transaction that writes the state');
  }
  const rows = events.map((e) => [
    e.key,
    e.envelope.eventId,
    e.envelope.type,
    JSON.stringify(e.envelope),
    // The trace context of the write travels with the event, so its relay span joins that trace.
    JSON.stringify({ ...outgoingTraceHeaders(), ...e.headers }),
  ]);
  await manager.query(
    `INSERT INTO ${tableName(table)} (aggregate_id, event_id, topic, envelope, headers) VALUES ?`,
    [rows],
  );
  runner.data = { ...runner.data, [RECORDED_IN]: table };
}

/**
 * Wakes the relay when a transaction that recorded events commits: before the commit its rows are
 * invisible to the relay (it skips locked rows), so waking it at the insert would find nothing.
 */
export class OutboxCommitSignal implements EntitySubscriberInterface {
  constructor(
    private readonly outbox: string,
    private readonly table = MYSQL_OUTBOX_TABLE,
  ) {}

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive || queryRunner.data?.[RECORDED_IN] !== this.table) return;
    delete queryRunner.data[RECORDED_IN];
    signalRecorded(this.outbox);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) delete queryRunner.data?.[RECORDED_IN];
  }
}

interface OutboxRow {
  id: number | string;
  aggregate_id: string;
  envelope: string;
  headers: string;
}

/**
 * Claims rows with `SELECT ... FOR UPDATE SKIP LOCKED`, so relays in several replicas share the
 * work without waiting on each other, and keeps the transaction open until the relay releases the
 * claim: the rows acknowledged meanwhile are deleted then, in one statement, and the commit makes
 * that durable.
 *
 * Order per aggregate across replicas: a relay locks only the *oldest* row of each aggregate (its
 * head), then the rows after it. A replica that cannot lock an aggregate's head skips the whole
 * aggregate, so no replica publishes an event while an older one of the same aggregate is still
 * pending elsewhere. (The writers of one aggregate are serialised by the lock on its state row, so
 * its outbox ids grow in commit order.)
 */
export class MySqlOutboxSource implements OutboxSource {
  private readonly table: string;
  private readonly commitSignal: OutboxCommitSignal;

  constructor(
    readonly name: string,
    private readonly dataSource: DataSource,
    table = MYSQL_OUTBOX_TABLE,
  ) {
    this.table = tableName(table);
    this.commitSignal = new OutboxCommitSignal(name, table);
    this.subscribeCommitSignal();
  }

  connected(): boolean {
    return this.dataSource.isInitialized;
  }

  async claim(limit: number): Promise<OutboxClaim> {
    this.subscribeCommitSignal();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // READ COMMITTED: record locks only, no gap locks that would block writers inserting events.
      await runner.startTransaction('READ COMMITTED');
      const acknowledged: (number | string)[] = [];
      const batches = await this.lockBatches(runner, limit, acknowledged);
      if (batches.length === 0) {
        await finish(runner);
        return { batches, release: () => Promise.resolve() };
      }
      let released = false;
      return {
        batches,
        release: async () => {
          if (released) return;
          released = true;
          try {
            await this.deleteRows(runner, acknowledged);
          } catch (err) {
            await abort(runner);
            // Published already: deleted on their own once the deadlock victim is rolled back,
            // rather than left for the next round to publish again.
            if (!isLockConflict(err)) throw err;
            await this.deleteRows(this.dataSource, acknowledged);
            return;
          }
          await finish(runner);
        },
      };
    } catch (err) {
      await abort(runner);
      throw err;
    }
  }

  /**
   * Commits that record events wake the relay (OutboxCommitSignal). Subscribed again before every
   * claim: initializing the DataSource replaces its subscribers, and mysqlStore initializes it
   * after the providers are made; no claim succeeds before that.
   */
  private subscribeCommitSignal(): void {
    if (!this.dataSource.subscribers.includes(this.commitSignal)) {
      this.dataSource.subscribers.push(this.commitSignal);
    }
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.dataSource.query<
      { pending: number | string; age: number | string | null }[]
    >(
      `SELECT COUNT(*) AS pending,
              COALESCE(TIMESTAMPDIFF(MICROSECOND, MIN(created_at), NOW(3)), 0) / 1000000 AS age
         FROM ${this.table}`,
    );
    return {
      pendingEvents: Number(row?.pending ?? 0),
      oldestAgeSeconds: Math.max(0, Number(row?.age ?? 0)),
    };
  }

  /**
   * Deletes published rows one primary-key lookup each: a `DELETE ... WHERE id IN (...)` of most of
   * a small table is planned as a scan, which waits on the rows other relays hold and deadlocked
   * two relays' releases.
   */
  private async deleteRows(
    target: { query(sql: string, parameters: unknown[]): Promise<unknown> },
    ids: (number | string)[],
  ): Promise<void> {
    for (const id of ids) await target.query(`DELETE FROM ${this.table} WHERE id = ?`, [id]);
  }

  /**
   * Locks the claim's rows; acknowledging a batch adds its row ids to `acknowledged`. The index
   * hints keep the locking reads on the rows they ask for: planned as a scan (as on a small
   * table), InnoDB keeps the lock of every row scanned, and the other replicas find nothing.
   */
  private async lockBatches(
    runner: QueryRunner,
    limit: number,
    acknowledged: (number | string)[],
  ): Promise<OutboxBatch[]> {
    // Plain read: the oldest row of the `limit` aggregates that have waited longest.
    const heads = (await runner.query(
      `SELECT MIN(id) AS id FROM ${this.table} GROUP BY aggregate_id ORDER BY MIN(id) LIMIT ?`,
      [limit],
    )) as { id: number | string }[];
    if (heads.length === 0) return [];
    const lockedHeads = (await runner.query(
      `SELECT id, aggregate_id FROM ${this.table} FORCE INDEX (PRIMARY)
        WHERE id IN (?) FOR UPDATE SKIP LOCKED`,
      [heads.map((h) => Number(h.id))],
    )) as { id: number | string; aggregate_id: string }[];
    if (lockedHeads.length === 0) return [];

    const headOf = new Map(lockedHeads.map((h) => [h.aggregate_id, Number(h.id)]));
    // Rows still being inserted by an open transaction are skipped: they are the newest of their
    // aggregate, and the next round takes them.
    const rows = (await runner.query(
      `SELECT id, aggregate_id, envelope, headers FROM ${this.table} FORCE INDEX (outbox_aggregate)
        WHERE aggregate_id IN (?) ORDER BY id FOR UPDATE SKIP LOCKED`,
      [[...headOf.keys()]],
    )) as OutboxRow[];

    const byAggregate = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      if (Number(row.id) < (headOf.get(row.aggregate_id) ?? Infinity)) continue;
      const list = byAggregate.get(row.aggregate_id) ?? [];
      list.push(row);
      byAggregate.set(row.aggregate_id, list);
    }
    return [...byAggregate.values()].map((list) => ({
      events: list.map((row) => ({
        key: row.aggregate_id,
        envelope: JSON.parse(row.envelope) as EventEnvelope,
        headers: JSON.parse(row.headers) as Record<string, string>,
      })),
      acknowledge: () => {
        acknowledged.push(...list.map((r) => Number(r.id)));
        return Promise.resolve();
      },
    }));
  }
}

/** InnoDB chose this transaction as a deadlock victim, or it waited too long for a lock. */
const isLockConflict = (err: unknown) =>
  ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'].includes((err as { code?: string }).code ?? '');

async function finish(runner: QueryRunner): Promise<void> {
  try {
    await runner.commitTransaction();
  } catch (err) {
    await abort(runner);
    throw err;
  }
  await runner.release();
}

async function abort(runner: QueryRunner): Promise<void> {
  if (runner.isReleased) return;
  try {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
  } finally {
    await runner.release();
  }
}
