import type { DataSource } from 'typeorm';
import { MySqlOutboxSource } from './mysql-outbox';

const envelope = { eventId: 'e-1', type: 'order.confirmed', payload: {} };

/** A DataSource whose claim finds one event, and whose DELETE at release fails with `error`. */
function storeFailingDeleteWith(error: Error & { code?: string }) {
  const autocommitted: unknown[][] = [];
  const runner = {
    isTransactionActive: false,
    isReleased: false,
    connect: () => Promise.resolve(),
    startTransaction: () => ((runner.isTransactionActive = true), Promise.resolve()),
    rollbackTransaction: () => ((runner.isTransactionActive = false), Promise.resolve()),
    commitTransaction: () => ((runner.isTransactionActive = false), Promise.resolve()),
    release: () => ((runner.isReleased = true), Promise.resolve()),
    query: (sql: string) => {
      if (sql.startsWith('SELECT MIN(id)')) return Promise.resolve([{ id: 7 }]);
      if (sql.startsWith('SELECT id, aggregate_id FROM')) {
        return Promise.resolve([{ id: 7, aggregate_id: 'order-1' }]);
      }
      if (sql.startsWith('SELECT id, aggregate_id, envelope')) {
        return Promise.resolve([
          { id: 7, aggregate_id: 'order-1', envelope: JSON.stringify(envelope), headers: '{}' },
        ]);
      }
      if (sql.startsWith('DELETE')) return Promise.reject(error);
      return Promise.reject(new Error(`unexpected query ${sql}`));
    },
  };
  const dataSource = {
    subscribers: [],
    createQueryRunner: () => runner,
    query: (sql: string, params: unknown[]) => (
      autocommitted.push([sql, ...params]),
      Promise.resolve()
    ),
  } as unknown as DataSource;
  return { dataSource, runner, autocommitted };
}

describe('MySqlOutboxSource release', () => {
  it('deletes the published events on their own when the claim lost a deadlock', async () => {
    const deadlock = Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
    const store = storeFailingDeleteWith(deadlock);
    const claim = await new MySqlOutboxSource('orders', store.dataSource).claim(10);
    await claim.batches[0].acknowledge();
    await claim.release();
    expect(store.runner.isReleased).toBe(true);
    expect(store.autocommitted).toEqual([['DELETE FROM `outbox` WHERE id = ?', 7]]);
  });

  it('leaves them for the next round on any other failure', async () => {
    const store = storeFailingDeleteWith(new Error('Connection lost'));
    const claim = await new MySqlOutboxSource('orders', store.dataSource).claim(10);
    await claim.batches[0].acknowledge();
    await expect(claim.release()).rejects.toThrow('Connection lost');
    expect(store.autocommitted).toEqual([]);
  });
});
