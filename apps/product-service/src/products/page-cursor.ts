import { parseObjectId, ValidationFailedException } from '@microshop/runtime';
import { Types } from 'mongoose';

export const PRODUCT_SORTS = ['createdAt', '-createdAt', 'price', '-price', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const DEFAULT_SORT: ProductSort = '-createdAt';

type SortField = 'createdAt' | 'priceCents' | 'nameKey';
type SortValue = Date | number | string;

interface SortSpec {
  field: SortField;
  direction: 1 | -1;
}

/** Each sort is a stored field plus `_id` as tie-breaker; both are in one compound index. */
export const SORT_SPECS: Record<ProductSort, SortSpec> = {
  createdAt: { field: 'createdAt', direction: 1 },
  '-createdAt': { field: 'createdAt', direction: -1 },
  price: { field: 'priceCents', direction: 1 },
  '-price': { field: 'priceCents', direction: -1 },
  name: { field: 'nameKey', direction: 1 },
};

export const sortStage = (sort: ProductSort): Record<string, 1 | -1> => {
  const { field, direction } = SORT_SPECS[sort];
  return { [field]: direction, _id: direction };
};

/** Where the previous page ended: the last item's sort key and id. */
export interface PagePosition {
  value: SortValue;
  id: Types.ObjectId;
}

/**
 * Opaque to clients: base64url of `[sort, value, id]`. The cursor names its sort, so a cursor
 * from one ordering cannot be replayed against another.
 */
export function encodeCursor(sort: ProductSort, item: Record<string, unknown>): string {
  const { field } = SORT_SPECS[sort];
  const raw = item[field];
  const value = raw instanceof Date ? raw.getTime() : raw;
  const id = (item._id as Types.ObjectId).toHexString();
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

const invalid = (message: string) => new ValidationFailedException([{ field: 'cursor', message }]);

export function decodeCursor(cursor: string, sort: ProductSort): PagePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor is not a cursor this API returned');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) {
    throw invalid('cursor is not a cursor this API returned');
  }
  const [cursorSort, value, id] = decoded as unknown[];
  if (cursorSort !== sort) {
    throw invalid(`cursor belongs to sort "${String(cursorSort)}", not "${sort}"`);
  }
  const objectId = parseObjectId(id);
  if (!objectId) throw invalid('cursor is not a cursor this API returned');
  const { field } = SORT_SPECS[sort];
  const typed = field === 'nameKey' ? typeof value === 'string' : Number.isSafeInteger(value);
  if (!typed) throw invalid('cursor is not a cursor this API returned');
  return {
    value: field === 'createdAt' ? new Date(value as number) : (value as number | string),
    id: objectId,
  };
}

/** Items strictly after the position in the sort order: `(k > v) OR (k = v AND _id > id)`. */
export function afterPosition(sort: ProductSort, position: PagePosition): Record<string, unknown> {
  const { field, direction } = SORT_SPECS[sort];
  const beyond = direction === 1 ? '$gt' : '$lt';
  return {
    $or: [
      { [field]: { [beyond]: position.value } },
      { [field]: position.value, _id: { [beyond]: position.id } },
    ],
  };
}
