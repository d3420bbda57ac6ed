import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

/** The most items one page of any list endpoint holds, and how many when `limit` is absent. */
export const PAGE_LIMIT = { max: 100, default: 20 } as const;

/**
 * Query strings are text: only plain integers become numbers; anything else (`1e1`, ` 5`, `0x10`)
 * is left as text so that IsInt names the field in its 400.
 */
export const toQueryInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;

/** The `limit` query parameter of a list endpoint: an integer from 1 to 100, optional. */
export const PageLimit = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: PAGE_LIMIT.max,
      default: PAGE_LIMIT.default,
    }),
    ValidateIf((_: object, value: unknown) => value !== undefined),
    Transform(toQueryInteger),
    IsInt(),
    Min(1),
    Max(PAGE_LIMIT.max),
  );
