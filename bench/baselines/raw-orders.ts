/**
 * The floor for order placement: mysql2 alone doing the inserts POST /orders makes in one
 * transaction (order row, its lines, the outbox row) against MariaDB, in database
 * `microshop_bench` with the order-service's table shapes.
 */
import { randomUUID } from 'node:crypto';
import { createPool, Pool } from 'mysql2/promise';

const OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export async function openRawOrders(url: string): Promise<Pool> {
  const admin = createPool({ uri: url.replace(/\/[^/]*$/, '/'), connectionLimit: 1 });
  await admin.query('CREATE DATABASE IF NOT EXISTS microshop_bench');
  await admin.end();
  const pool = createPool({
    uri: url.replace(/\/[^/]*$/, '/microshop_bench'),
    connectionLimit: 10,
  });
  await pool.query(`CREATE TABLE IF NOT EXISTS orders (
    id CHAR(36) NOT NULL, user_id VARCHAR(64) NOT NULL, customer_email VARCHAR(320) NOT NULL,
    status VARCHAR(16) NOT NULL, total_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL,
    created_at DATETIME(3) NOT NULL, updated_at DATETIME(3) NOT NULL, PRIMARY KEY (id),
    KEY orders_user_created (user_id, created_at, id), KEY orders_status_created (status, created_at, id),
    KEY orders_created (created_at, id)) ${OPTIONS}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS order_lines (
    order_id CHAR(36) NOT NULL, line_no SMALLINT NOT NULL, product_id VARCHAR(64) NOT NULL,
    sku VARCHAR(64) NOT NULL, name VARCHAR(200) NOT NULL, unit_price_cents BIGINT NOT NULL,
    quantity INT NOT NULL, line_total_cents BIGINT NOT NULL, PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE) ${OPTIONS}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS outbox (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, aggregate_id VARCHAR(64) NOT NULL, event_id CHAR(36) NOT NULL,
    topic VARCHAR(100) NOT NULL, envelope LONGTEXT NOT NULL, headers TEXT NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (id),
    UNIQUE KEY outbox_event (event_id), KEY outbox_aggregate (aggregate_id, id)) ${OPTIONS}`);
  return pool;
}

/** One order with `lines` lines, as one transaction. */
export async function placeRawOrder(pool: Pool, lines = 1): Promise<void> {
  const id = randomUUID();
  const now = new Date();
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    await conn.execute(
      'INSERT INTO orders (id, user_id, customer_email, status, total_cents, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, 'bench-user', 'bench@example.com', 'PENDING', 1299 * lines, 'USD', now, now],
    );
    const rows = Array.from({ length: lines }, (_, i) => [
      id,
      i + 1,
      `p${i}`,
      `SKU-${i}`,
      `Product ${i}`,
      1299,
      1,
      1299,
    ]);
    await conn.query(
      'INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents) VALUES ?',
      [rows],
    );
    const eventId = randomUUID();
    const envelope = JSON.stringify({
      eventId,
      type: 'order.created',
      payload: { orderId: id, items: rows },
    });
    await conn.execute(
      'INSERT INTO outbox (aggregate_id, event_id, topic, envelope, headers) VALUES (?, ?, ?, ?, ?)',
      [id, eventId, 'order.created', envelope, '{}'],
    );
    await conn.commit();
  } catch (e) {
    await conn.rollback().catch(() => undefined);
    throw e;
  } finally {
    conn.release();
  }
}
