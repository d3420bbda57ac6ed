import { MigrationInterface, QueryRunner } from 'typeorm';

// Binary collation: ids, SKUs and idempotency keys compare byte for byte (MySQL 8 and MariaDB).
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/** Orders, their lines and status history, the product read model, the outbox and dedupe logs. */
export class OrdersSchema1764028800000 implements MigrationInterface {
  name = 'OrdersSchema1764028800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orders (
        id CHAR(36) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        customer_email VARCHAR(320) NOT NULL,
        status VARCHAR(16) NOT NULL,
        total_cents BIGINT NOT NULL,
        currency CHAR(3) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY orders_user_created (user_id, created_at, id),
        KEY orders_status_created (status, created_at, id),
        KEY orders_created (created_at, id)
      ) ${TABLE_OPTIONS}`);
    await db.query(`
      CREATE TABLE order_lines (
        order_id CHAR(36) NOT NULL,
        line_no SMALLINT NOT NULL,
        product_id VARCHAR(64) NOT NULL,
        sku VARCHAR(64) NOT NULL,
        name VARCHAR(200) NOT NULL,
        unit_price_cents BIGINT NOT NULL,
        quantity INT NOT NULL,
        line_total_cents BIGINT NOT NULL,
        PRIMARY KEY (order_id, line_no),
        CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await db.query(`
      CREATE TABLE order_status_history (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        order_id CHAR(36) NOT NULL,
        status VARCHAR(16) NOT NULL,
        reason VARCHAR(500) NOT NULL,
        event_id CHAR(36) NULL,
        at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY order_status_history_order (order_id, id),
        CONSTRAINT order_status_history_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        user_id VARCHAR(64) NOT NULL,
        idempotency_key VARCHAR(255) NOT NULL,
        request_hash CHAR(64) NOT NULL,
        order_id CHAR(36) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (user_id, idempotency_key),
        CONSTRAINT idempotency_keys_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await db.query(`
      CREATE TABLE catalog_products (
        product_id VARCHAR(64) NOT NULL,
        sku VARCHAR(64) NOT NULL,
        name VARCHAR(200) NOT NULL,
        price_cents BIGINT NOT NULL,
        currency CHAR(3) NOT NULL,
        version INT NOT NULL,
        deleted TINYINT(1) NOT NULL DEFAULT 0,
        source_updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (product_id)
      ) ${TABLE_OPTIONS}`);
    await db.query(`
      CREATE TABLE processed_events (
        consumer VARCHAR(100) NOT NULL,
        event_id CHAR(36) NOT NULL,
        topic VARCHAR(100) NOT NULL,
        processed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (consumer, event_id)
      ) ${TABLE_OPTIONS}`);
    await db.query(`
      CREATE TABLE outbox (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        aggregate_id VARCHAR(64) NOT NULL,
        event_id CHAR(36) NOT NULL,
        topic VARCHAR(100) NOT NULL,
        envelope LONGTEXT NOT NULL,
        headers TEXT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY outbox_event (event_id),
        KEY outbox_aggregate (aggregate_id, id)
      ) ${TABLE_OPTIONS}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'processed_events',
      'catalog_products',
      'idempotency_keys',
      'order_status_history',
      'order_lines',
      'orders',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
