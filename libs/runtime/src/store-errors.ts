import { mongo } from 'mongoose';
import { QueryFailedError } from 'typeorm';

/**
 * Whether a MongoDB write broke a unique index: code 11000, or, on FerretDB 1.x, the SQLite
 * message it reports for a unique index violated by an update
 * (docs/decisions/0003-local-stores.md).
 */
export const isMongoDuplicateKey = (err: unknown): boolean =>
  err instanceof mongo.MongoServerError &&
  (err.code === 11000 || err.message.includes('UNIQUE constraint failed'));

/** Whether a MySQL write broke a unique key. */
export const isMySqlDuplicateKey = (err: unknown): boolean =>
  err instanceof QueryFailedError &&
  (err.driverError as { code?: string } | undefined)?.code === 'ER_DUP_ENTRY';
