import { mongo } from 'mongoose';
import { QueryFailedError } from 'typeorm';
import { isMongoDuplicateKey, isMySqlDuplicateKey } from './store-errors';

const mongoError = (code: number, message: string) =>
  new mongo.MongoServerError({ code, message, errmsg: message });

describe('isMongoDuplicateKey', () => {
  it('is true for code 11000 and for the message FerretDB 1.x gives', () => {
    expect(isMongoDuplicateKey(mongoError(11000, 'E11000 duplicate key'))).toBe(true);
    expect(
      isMongoDuplicateKey(mongoError(1, 'UNIQUE constraint failed: products.sku (SQLITE)')),
    ).toBe(true);
  });

  it('is false for other server errors and for errors of other kinds', () => {
    expect(isMongoDuplicateKey(mongoError(2, 'BadValue'))).toBe(false);
    expect(isMongoDuplicateKey(new Error('UNIQUE constraint failed'))).toBe(false);
  });
});

describe('isMySqlDuplicateKey', () => {
  const queryError = (code: string) =>
    new QueryFailedError('INSERT ...', [], Object.assign(new Error(code), { code }));

  it('is true for ER_DUP_ENTRY only', () => {
    expect(isMySqlDuplicateKey(queryError('ER_DUP_ENTRY'))).toBe(true);
    expect(isMySqlDuplicateKey(queryError('ER_LOCK_DEADLOCK'))).toBe(false);
    expect(isMySqlDuplicateKey(new Error('ER_DUP_ENTRY'))).toBe(false);
  });
});
