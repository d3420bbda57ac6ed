import { Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Model } from 'mongoose';
import { DataSource } from 'typeorm';
import { MongoOutboxSource } from './mongo-outbox';
import { MYSQL_OUTBOX_TABLE, MySqlOutboxSource } from './mysql-outbox';
import { OutboxRelay } from './outbox-relay';

/** Absent where the app runs without Kafka (a command that only writes): events then wait. */
const optionalRelay = { token: OutboxRelay, optional: true };

/**
 * The outbox of a Mongoose model whose schema has `outboxPlugin`, for the providers of the module
 * that declares the model: the relay publishes what its writes record.
 */
export function mongoOutbox(modelName: string): Provider {
  return {
    provide: `microshop:outbox:mongo:${modelName}`,
    inject: [optionalRelay, getModelToken(modelName)],
    useFactory: (relay: OutboxRelay | undefined, model: Model<object>) =>
      relay?.register(new MongoOutboxSource(model)),
  };
}

/** The MySQL outbox table of the app's TypeORM data source, published under `name`. */
export function mysqlOutbox(name: string, table = MYSQL_OUTBOX_TABLE): Provider {
  return {
    provide: `microshop:outbox:mysql:${table}`,
    inject: [OutboxRelay, getDataSourceToken()],
    useFactory: (relay: OutboxRelay, dataSource: DataSource) =>
      relay.register(new MySqlOutboxSource(name, dataSource, table)),
  };
}
