import { Types } from 'mongoose';

/**
 * The ObjectId a path or cursor names, or null when it is not 24 hex digits: such an id names
 * nothing (a 404), where Mongoose would accept any 12-character string as an id.
 */
export const parseObjectId = (id: unknown): Types.ObjectId | null =>
  typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
