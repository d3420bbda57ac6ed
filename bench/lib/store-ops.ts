/** Write operations the local stores have served, from their own counters. */
import { mongo } from 'mongoose';
import type { Pool } from 'mysql2/promise';

export const MONGO_WRITES = ['insert', 'update', 'delete', 'findAndModify'] as const;
export const MYSQL_WRITES = ['Com_insert', 'Com_update', 'Com_delete'] as const;

export type WriteCounts = Record<string, number>;

/**
 * FerretDB's write commands so far (`serverStatus.metrics.commands`, as MongoDB reports them). One
 * command may carry several statements; the services send one per command, except bulk writes.
 */
export async function mongoWrites(uri: string): Promise<WriteCounts> {
  const client = await mongo.MongoClient.connect(uri);
  try {
    const status = (await client.db('admin').command({ serverStatus: 1 })) as {
      metrics?: { commands?: Record<string, { total?: number }> };
    };
    const commands = status.metrics?.commands ?? {};
    return Object.fromEntries(MONGO_WRITES.map((c) => [c, Number(commands[c]?.total ?? 0)]));
  } finally {
    await client.close();
  }
}

/** MariaDB's insert, update and delete statements so far (global status counters). */
export async function mysqlWrites(pool: Pool): Promise<WriteCounts> {
  const [rows] = await pool.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${MYSQL_WRITES.map(() => '?').join(', ')})`,
    [...MYSQL_WRITES],
  );
  const byName = new Map(
    (rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]),
  );
  return Object.fromEntries(MYSQL_WRITES.map((c) => [c, Number(byName.get(c) ?? 0)]));
}

/** `after - before - idlePerSecond × seconds`, per operation, divided by `per`. */
export function netPer(
  before: WriteCounts,
  after: WriteCounts,
  idle: { perSecond: WriteCounts; seconds: number },
  per: number,
): WriteCounts {
  return Object.fromEntries(
    Object.keys(after).map((k) => {
      const net = after[k] - before[k] - (idle.perSecond[k] ?? 0) * idle.seconds;
      return [k, Math.round((Math.max(0, net) / per) * 100) / 100];
    }),
  );
}

/** Operations per second between two readings `seconds` apart. */
export const ratePer = (before: WriteCounts, after: WriteCounts, seconds: number): WriteCounts =>
  Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / seconds]));
